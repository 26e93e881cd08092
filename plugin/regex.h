// A small regular-expression engine for policy matchers: RE2-style syntax subset, linear-time
// matching (Pike VM), no exceptions. std::regex cannot be used in the Wasm build: with
// -fno-exceptions an invalid pattern aborts the VM, and its backtracking can take exponential
// time on a request path.
//
// Supported: literals, `.`, `[...]` / `[^...]` with ranges, `\d \w \s \D \W \S`, escapes of
// metacharacters, `^ $`, groups `( )` and `(?: )`, alternation `|`, `* + ?`, `{n}` `{n,}` `{n,m}`
// (n, m <= 1000), and lazy forms (same result for a yes/no match). Bytes, not code points.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hfi::re {

class Regex {
 public:
  Regex() = default;

  // Compiles `pattern`. On failure returns false and sets *error to "offset N: what went wrong".
  static bool Compile(std::string_view pattern, Regex* out, std::string* error);

  // True if the pattern matches somewhere in `text` (like RE2::PartialMatch).
  bool Search(std::string_view text) const;
  // True if the pattern matches all of `text` (like RE2::FullMatch).
  bool FullMatch(std::string_view text) const;

  const std::string& pattern() const { return pattern_; }

 private:
  struct Inst {
    enum Op : std::uint8_t { kByteRange, kClass, kAny, kSplit, kJmp, kMatch, kBol, kEol } op;
    std::uint8_t lo = 0, hi = 0;
    std::uint32_t x = 0, y = 0;  // jump targets, or class index for kClass
  };
  bool Run(std::string_view text, bool anchored_full) const;

  std::string pattern_;
  std::vector<Inst> prog_;
  std::vector<std::vector<bool>> classes_;  // 256-entry membership per class
};

}  // namespace hfi::re

// A small regular-expression engine for policy matchers: RE2 syntax, linear-time matching (a
// Pike VM over a compiled program), no exceptions, no allocation while matching. std::regex
// cannot be used in the Wasm build: with -fno-exceptions an invalid pattern aborts the VM, and its
// backtracking can take exponential time on a request path.
//
// Supported (RE2 syntax, as Envoy and Istio use RE2 for regex matchers):
//   literals (UTF-8: a multi-byte character is one atom), `.`, `[...]` / `[^...]` with ranges,
//   `[[:alpha:]]`-style ASCII classes, `\d \w \s \D \W \S`, escapes of punctuation, `\a \f \t \n
//   \r \v`, `\xHH`, `\x{H...}`, octal `\0` and `\123`, `\Q...\E`, `\C` (any byte), `^ $ \A \z`,
//   `\b \B` (ASCII word boundary), groups `( )`, `(?: )`, `(?P<name> )`, `(?<name> )`, flags
//   `(?imsU)` / `(?imsU-imsU:...)`, alternation `|`, `* + ?`, `{n}` `{n,}` `{n,m}` (n, m <= 1000),
//   and lazy forms (same result for a yes/no match). A `{` that does not start a valid counted
//   repetition is a literal, as in RE2.
// Like RE2, `.` and negated classes match one UTF-8 encoded character (or one ASCII byte).
// Not supported, and rejected at compile time with the offset and the construct: backreferences,
// lookaround, `\pN`-style Unicode classes, non-ASCII characters inside `[...]`, non-ASCII
// characters under `(?i)` (case folding is ASCII-only), `\Z`, `\G`, `\K`, `\X`, `\R`, `\cX`.
// Limits: at most 5000 compiled instructions, counted repetition up to 1000, groups nested at
// most 100 deep.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hfi::re {

class Compiler;

// A compiled pattern. Search and FullMatch never allocate: their scratch space is sized by
// Compile. That scratch space makes a Regex unsafe to use from two threads at once (the Wasm VM
// is single-threaded; native callers sharing one Regex across threads must lock or copy it). A
// default-constructed Regex matches nothing.
class Regex {
 public:
  Regex() = default;

  // Compiles `pattern`. On failure returns false, leaves *out untouched and sets *error to
  // "offset N: what went wrong" (N counts bytes from 0).
  static bool Compile(std::string_view pattern, Regex* out, std::string* error);

  // True if the pattern matches somewhere in `text` (like RE2::PartialMatch).
  bool Search(std::string_view text) const;
  // True if the pattern matches all of `text` (like RE2::FullMatch).
  bool FullMatch(std::string_view text) const;

  const std::string& pattern() const { return pattern_; }
  // Number of compiled instructions (at most 5001 including the final match).
  std::size_t program_size() const { return prog_.size(); }

 private:
  friend class Compiler;

  struct Inst {
    enum Op : std::uint8_t { kByteRange, kClass, kSplit, kJmp, kAssert, kMatch } op;
    std::uint8_t lo = 0, hi = 0;  // byte range for kByteRange; assertion kind for kAssert
    std::uint32_t x = 0, y = 0;   // next / alternative instruction, or class index for kClass
  };
  using ByteBitmap = std::array<std::uint64_t, 4>;  // bit b set = byte b is in the class

  bool Run(std::string_view text, bool full_match) const;
  // Adds the thread at `pc` and everything reachable from it without consuming a byte to list
  // `which`, evaluating assertions at `pos`. Returns true if a match instruction was reached.
  bool AddThread(int which, std::uint32_t pc, std::string_view text, std::size_t pos) const;

  std::string pattern_;
  std::vector<Inst> prog_;
  std::vector<ByteBitmap> classes_;

  // Matching scratch, sized by Compile: two sparse sets of instruction indexes (the current and
  // the next step) and a stack for following empty transitions without recursion.
  mutable std::vector<std::uint32_t> dense_[2];
  mutable std::vector<std::uint32_t> sparse_[2];
  mutable std::uint32_t count_[2] = {0, 0};
  mutable std::vector<std::uint32_t> stack_;
};

}  // namespace hfi::re

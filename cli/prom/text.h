// Byte-level helpers shared by the exposition parser: name character classes, UTF-8 validation
// and the escape rules of label values and HELP text. No knowledge of lines or families.
#pragma once

#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

namespace hfi::prom {

namespace internal {

enum : std::uint8_t {
  kMetricStart = 1,
  kMetricChar = 2,
  kLabelStart = 4,
  kLabelChar = 8,
};

constexpr std::array<std::uint8_t, 256> MakeCharClasses() {
  std::array<std::uint8_t, 256> t{};
  for (int c = 0; c < 256; ++c) {
    const bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    const bool digit = c >= '0' && c <= '9';
    std::uint8_t v = 0;
    if (alpha || c == ':')
      v |= kMetricStart;
    if (alpha || digit || c == ':')
      v |= kMetricChar;
    if (alpha)
      v |= kLabelStart;
    if (alpha || digit)
      v |= kLabelChar;
    t[static_cast<std::size_t>(c)] = v;
  }
  return t;
}
inline constexpr std::array<std::uint8_t, 256> kCharClasses = MakeCharClasses();

inline bool HasClass(char c, std::uint8_t bit) {
  return (kCharClasses[static_cast<unsigned char>(c)] & bit) != 0;
}

}  // namespace internal

// [a-zA-Z_:] and [a-zA-Z0-9_:] (metric names); [a-zA-Z_] and [a-zA-Z0-9_] (label names).
// Inline table lookups: the scanner asks for every byte of every name.
inline bool IsMetricNameStart(char c) {
  return internal::HasClass(c, internal::kMetricStart);
}
inline bool IsMetricNameChar(char c) {
  return internal::HasClass(c, internal::kMetricChar);
}
inline bool IsLabelNameStart(char c) {
  return internal::HasClass(c, internal::kLabelStart);
}
inline bool IsLabelNameChar(char c) {
  return internal::HasClass(c, internal::kLabelChar);
}
inline bool IsBlank(char c) {
  return c == ' ' || c == '\t';
}

bool IsValidUtf8(std::string_view s);

// The first of p..end that may end or escape a label value ('"', '\\') or starts a UTF-8
// sequence, looking at eight bytes at a time (little-endian); the last few bytes are left to the
// caller, so the result can be a plain byte near `end`. Istio's label values are long runs of
// plain ASCII.
inline const char* SkipPlainValueBytes(const char* p, const char* end) {
  if constexpr (std::endian::native != std::endian::little)
    return p;
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  while (end - p >= 8) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    const std::uint64_t quote = w ^ (kOnes * '"');
    const std::uint64_t backslash = w ^ (kOnes * '\\');
    // A zero byte in `quote` or `backslash` sets its high bit here (the classic zero-byte test).
    const std::uint64_t found = ((quote - kOnes) & ~quote) | ((backslash - kOnes) & ~backslash) | w;
    // The lowest flagged byte is exact (a borrow can only flag bytes above a real match).
    if ((found & kHigh) != 0)
      return p + (std::countr_zero(found & kHigh) >> 3);
    p += 8;
  }
  return p;
}

// Appends `raw` (the bytes between the quotes of a label value) to *out with `\\`, `\"` and `\n`
// unescaped; any other backslash pair is kept as written (the Prometheus server does the same).
void AppendUnescapedLabelValue(std::string_view raw, std::string* out);

// HELP text: `\\` and `\n` (and, in OpenMetrics, `\"`) unescaped; others kept as written.
void AppendUnescapedHelp(std::string_view raw, bool open_metrics, std::string* out);

// A printable rendering of a token for messages: Go's %q style, cut to a readable length.
std::string Quote(std::string_view s);

}  // namespace hfi::prom

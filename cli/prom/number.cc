#include "prom/number.h"

#include <charconv>
#include <cmath>
#include <limits>

namespace hfi::prom {
namespace {

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

char Lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c;
}

bool EqualsIgnoreCase(std::string_view s, std::string_view lower) {
  if (s.size() != lower.size())
    return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (Lower(s[i]) != lower[i])
      return false;
  }
  return true;
}

// Go's special(): an optional sign then "inf" or "infinity", or an unsigned "nan".
bool ParseSpecial(std::string_view s, double* out) {
  if (EqualsIgnoreCase(s, "nan")) {
    *out = std::numeric_limits<double>::quiet_NaN();
    return true;
  }
  double sign = 1;
  if (!s.empty() && (s[0] == '+' || s[0] == '-')) {
    sign = s[0] == '-' ? -1 : 1;
    s.remove_prefix(1);
  }
  if (EqualsIgnoreCase(s, "inf") || EqualsIgnoreCase(s, "infinity")) {
    *out = sign * std::numeric_limits<double>::infinity();
    return true;
  }
  return false;
}

}  // namespace

bool ParseFloat(std::string_view s, double* out) {
  if (s.empty())
    return false;
  // Fast path for the common case (Envoy counters, bucket counts): up to 15 plain digits are
  // exact in a double, so no rounding question arises.
  if (s.size() <= 15) {
    std::uint64_t v = 0;
    std::size_t i = 0;
    for (; i < s.size() && IsDigit(s[i]); ++i)
      v = v * 10 + static_cast<unsigned>(s[i] - '0');
    if (i == s.size()) {
      *out = static_cast<double>(v);
      return true;
    }
  }
  bool negative = false;
  std::size_t i = 0;
  if (s[0] == '+' || s[0] == '-') {
    negative = s[0] == '-';
    i = 1;
  }
  // Validate Go's decimal grammar: digits [. digits] | . digits, then [eE [+-] digits].
  const std::size_t mantissa_begin = i;
  std::size_t int_digits = 0, frac_digits = 0, leading_zeros = 0;
  bool nonzero_seen = false;
  for (; i < s.size() && IsDigit(s[i]); ++i, ++int_digits) {
    if (s[i] != '0')
      nonzero_seen = true;
  }
  // Position of the first significant digit relative to the decimal point (for underflow).
  long magnitude = 0;
  if (nonzero_seen) {
    std::size_t first = mantissa_begin;
    while (s[first] == '0')
      ++first;
    magnitude = static_cast<long>(mantissa_begin + int_digits - first);
  }
  if (i < s.size() && s[i] == '.') {
    ++i;
    for (; i < s.size() && IsDigit(s[i]); ++i, ++frac_digits) {
      if (!nonzero_seen) {
        if (s[i] == '0') {
          ++leading_zeros;
        } else {
          nonzero_seen = true;
          magnitude = -static_cast<long>(leading_zeros);
        }
      }
    }
  }
  if (int_digits + frac_digits == 0)
    return ParseSpecial(s, out);
  long exponent = 0;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    bool exp_negative = false;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) {
      exp_negative = s[i] == '-';
      ++i;
    }
    const std::size_t exp_begin = i;
    for (; i < s.size() && IsDigit(s[i]); ++i) {
      if (exponent < 100000000)
        exponent = exponent * 10 + (s[i] - '0');
    }
    if (i == exp_begin)
      return false;
    if (exp_negative)
      exponent = -exponent;
  }
  if (i != s.size())
    return false;  // hex floats, `_`, trailing garbage, `1.1.1`...
  if (!nonzero_seen) {
    *out = negative ? -0.0 : 0.0;
    return true;
  }
  double v = 0;
  auto [ptr, ec] = std::from_chars(s.data() + mantissa_begin, s.data() + s.size(), v);
  if (ec == std::errc::result_out_of_range) {
    // from_chars reports both overflow and total underflow; Go rejects only overflow.
    if (magnitude + exponent > 0)
      return false;
    v = 0;
  } else if (ec != std::errc() || ptr != s.data() + s.size()) {
    return false;
  }
  *out = negative ? -v : v;
  return true;
}

bool ParseDigitsInt64(std::string_view s, std::int64_t* out) {
  if (s.empty())
    return false;
  std::uint64_t v = 0;
  const auto limit = static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
  for (char c : s) {
    if (!IsDigit(c))
      return false;
    const auto digit = static_cast<unsigned>(c - '0');
    if (v > (limit - digit) / 10)
      return false;
    v = v * 10 + digit;
  }
  *out = static_cast<std::int64_t>(v);
  return true;
}

bool ParseInt64(std::string_view s, std::int64_t* out) {
  if (s.empty())
    return false;
  bool negative = false;
  if (s[0] == '+' || s[0] == '-') {
    negative = s[0] == '-';
    s.remove_prefix(1);
  }
  if (s.empty())
    return false;
  std::uint64_t v = 0;
  const std::uint64_t limit =
      static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) + (negative ? 1 : 0);
  for (char c : s) {
    if (!IsDigit(c))
      return false;
    const auto digit = static_cast<unsigned>(c - '0');
    if (v > (limit - digit) / 10)
      return false;
    v = v * 10 + digit;
  }
  *out = negative ? static_cast<std::int64_t>(0 - v) : static_cast<std::int64_t>(v);
  return true;
}

bool ParseSecondsAsMs(std::string_view s, std::int64_t* out_ms) {
  double seconds = 0;
  if (!ParseFloat(s, &seconds) || !std::isfinite(seconds))
    return false;
  const double ms = std::round(seconds * 1000.0);
  // 2^63 ms is beyond any representable int64; reject rather than wrap.
  if (ms >= 9.2233720368547758e18 || ms < -9.2233720368547758e18)
    return false;
  *out_ms = static_cast<std::int64_t>(ms);
  return true;
}

}  // namespace hfi::prom

#include "verify/expectation.h"

#include <array>
#include <charconv>
#include <cmath>
#include <utility>

namespace hfi::verify {
namespace {

constexpr std::array<std::pair<std::string_view, ValueKey>, 4> kKeys{{
    {"aborts", ValueKey::kAborts},
    {"delays", ValueKey::kDelays},
    {"delay_count", ValueKey::kDelayCount},
    {"delay_sum", ValueKey::kDelaySum},
}};

// Two-character operators first, so ">=" is not read as ">" followed by "=1".
constexpr std::array<std::pair<std::string_view, Comparison>, 5> kOps{{
    {">=", Comparison::kGe},
    {"<=", Comparison::kLe},
    {"==", Comparison::kEq},
    {">", Comparison::kGt},
    {"<", Comparison::kLt},
}};

constexpr std::string_view kSyntax =
    "expected KEY OP NUMBER, e.g. aborts>=1; keys: aborts, delays, delay_count, delay_sum; "
    "operators: >=, <=, ==, >, <";

std::string_view Trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

bool IsKeyChar(char c) {
  return (c >= 'a' && c <= 'z') || c == '_';
}

}  // namespace

bool Expectation::Holds(double observed) const {
  switch (op) {
    case Comparison::kGe:
      return observed >= value;
    case Comparison::kLe:
      return observed <= value;
    case Comparison::kEq:
      return observed == value;
    case Comparison::kGt:
      return observed > value;
    case Comparison::kLt:
      return observed < value;
  }
  return false;
}

bool Expectation::RequiresIncrease() const {
  if (Holds(0))
    return false;
  // Some positive amount satisfies every such comparison at its bound or just above it.
  for (double amount : {value, value + 1}) {
    if (amount > 0 && Holds(amount))
      return true;
  }
  return false;
}

std::string Expectation::ToString() const {
  return std::string(ValueKeyName(key)) + " " + std::string(ComparisonName(op)) + " " +
         FormatValue(value);
}

std::optional<Expectation> ParseExpectation(std::string_view text, std::string* error) {
  std::string_view rest = Trim(text);
  std::size_t key_end = 0;
  while (key_end < rest.size() && IsKeyChar(rest[key_end]))
    ++key_end;
  std::string_view key_text = rest.substr(0, key_end);
  Expectation expectation;
  bool known_key = false;
  for (const auto& [name, key] : kKeys) {
    if (name == key_text) {
      expectation.key = key;
      known_key = true;
    }
  }
  if (!known_key) {
    *error = key_text.empty()
                 ? std::string(kSyntax)
                 : "unknown key '" + std::string(key_text) + "'; " + std::string(kSyntax);
    return std::nullopt;
  }

  rest = Trim(rest.substr(key_end));
  bool known_op = false;
  for (const auto& [name, op] : kOps) {
    if (rest.starts_with(name)) {
      expectation.op = op;
      rest.remove_prefix(name.size());
      known_op = true;
      break;
    }
  }
  if (!known_op) {
    *error = std::string(kSyntax);
    return std::nullopt;
  }

  rest = Trim(rest);
  const char* begin = rest.data();
  const char* end = rest.data() + rest.size();
  auto [ptr, ec] = std::from_chars(begin, end, expectation.value);
  if (rest.empty() || ec != std::errc() || ptr != end || !std::isfinite(expectation.value)) {
    *error = "'" + std::string(rest) + "' is not a finite number; " + std::string(kSyntax);
    return std::nullopt;
  }
  // Envoy's histogram _sum is approximate (log-linear bins: 50, 20, 30, 70, 100, 5000 and 200 sum
  // to 5531.12, not 5470; facts/envoy-istio.md §2), so equality on it could never be relied on.
  if (expectation.key == ValueKey::kDelaySum && expectation.op == Comparison::kEq) {
    *error = "delay_sum is approximate in Envoy, so == cannot hold reliably; use >= or <=";
    return std::nullopt;
  }
  return expectation;
}

std::string_view ValueKeyName(ValueKey key) {
  for (const auto& [name, k] : kKeys) {
    if (k == key)
      return name;
  }
  return "aborts";
}

std::string_view ComparisonName(Comparison op) {
  for (const auto& [name, o] : kOps) {
    if (o == op)
      return name;
  }
  return ">=";
}

std::string FormatValue(double value) {
  if (std::isnan(value))
    return "NaN";
  if (std::isinf(value))
    return value > 0 ? "+Inf" : "-Inf";
  // Plain decimals, never "3e+05": the shortest fixed form that reads back as the same double,
  // scientific only where fixed would be unreadable.
  double magnitude = std::fabs(value);
  std::chars_format format = magnitude == 0 || (magnitude >= 1e-4 && magnitude < 1e15)
                                 ? std::chars_format::fixed
                                 : std::chars_format::scientific;
  char buf[400];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, value, format);
  if (ec != std::errc())
    return "?";
  return std::string(buf, ptr);
}

}  // namespace hfi::verify

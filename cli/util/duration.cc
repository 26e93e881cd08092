#include "util/duration.h"

#include <cstdint>

#include "util/errors.h"

namespace hfi {
namespace {

using std::chrono::milliseconds;

constexpr std::uint64_t kMaxMs = std::uint64_t{10} * 365 * 24 * 3'600'000;  // overflow guard

std::uint64_t MsPerUnit(std::string_view unit) {
  if (unit == "ms")
    return 1;
  if (unit == "s")
    return 1000;
  if (unit == "m")
    return 60'000;
  if (unit == "h")
    return 3'600'000;
  return 0;
}

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}
bool IsLetter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

}  // namespace

milliseconds ParseDurationFlag(std::string_view text, const std::string& flag,
                               DurationRange range) {
  const std::string examples = "write e.g. 500ms, 10s, 2m or 1m30s";
  const std::string quoted = "'" + std::string(text) + "'";
  auto bad = [&] { return UsageError(flag, quoted + " is not a duration", examples); };
  if (text.empty())
    throw bad();

  std::uint64_t total = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    std::uint64_t number = 0;
    const std::size_t digits = i;
    while (i < text.size() && IsDigit(text[i])) {
      number = number * 10 + static_cast<std::uint64_t>(text[i] - '0');
      if (number > kMaxMs)
        throw bad();
      ++i;
    }
    if (i == digits)
      throw bad();
    const std::size_t letters = i;
    while (i < text.size() && IsLetter(text[i]))
      ++i;
    std::string_view unit = text.substr(letters, i - letters);
    if (unit.empty()) {
      // A bare number is seconds, and only on its own: "1m30" is a typo, not 1m30s.
      if (digits != 0 || i != text.size())
        throw bad();
      unit = "s";
    }
    const std::uint64_t per_unit = MsPerUnit(unit);
    if (per_unit == 0 || number > kMaxMs / per_unit)
      throw bad();
    total += number * per_unit;
    if (total > kMaxMs)
      throw bad();
  }
  const auto value = milliseconds(static_cast<milliseconds::rep>(total));
  if (value < range.min || value > range.max) {
    throw UsageError(
        flag, quoted + " is out of range",
        "use at least " + FormatDuration(range.min) + " and at most " + FormatDuration(range.max));
  }
  return value;
}

std::string FormatDuration(milliseconds duration) {
  std::uint64_t ms = static_cast<std::uint64_t>(duration.count() < 0 ? 0 : duration.count());
  if (ms == 0)
    return "0s";
  if (ms % 1000 != 0)  // "1500ms" is exact where "1.5s" would need a decimal point
    return std::to_string(ms) + "ms";
  std::string text;
  const std::uint64_t hours = ms / 3'600'000, minutes = ms / 60'000 % 60, seconds = ms / 1000 % 60;
  if (hours > 0)
    text += std::to_string(hours) + "h";
  if (minutes > 0)
    text += std::to_string(minutes) + "m";
  if (seconds > 0)
    text += std::to_string(seconds) + "s";
  return text;
}

}  // namespace hfi

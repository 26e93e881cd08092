// Durations as users write them on the command line: "500ms", "10s", "2m", "1m30s", "1h", and
// plain seconds ("90"). One parser for every flag, each with its own range.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

namespace hfi {

struct DurationRange {
  std::chrono::milliseconds min{1};
  std::chrono::milliseconds max{std::chrono::hours(24)};
};

// Throws UsageError naming `flag` ("--timeout: 'soon' is not a duration (write e.g. ...)") for
// text that is not a duration or lies outside `range`.
std::chrono::milliseconds ParseDurationFlag(std::string_view text, const std::string& flag,
                                            DurationRange range = {});

// "500ms", "10s", "2m", "1m30s", "1h": the shortest exact form, for messages.
std::string FormatDuration(std::chrono::milliseconds duration);

}  // namespace hfi

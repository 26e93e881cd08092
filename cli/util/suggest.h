// "Did you mean" for names typed by hand: values-file keys, command names.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hfi {

// Levenshtein distance, ignoring ASCII case.
std::size_t EditDistance(std::string_view a, std::string_view b);

// The candidate closest to `typed` when it is at most `max_distance` edits away (the first of
// equally close ones), or the only one that `typed` is a prefix of; nullopt otherwise.
std::optional<std::string> ClosestName(std::string_view typed,
                                       const std::vector<std::string>& candidates,
                                       std::size_t max_distance = 2);

}  // namespace hfi

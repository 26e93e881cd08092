#include "util/suggest.h"

#include <algorithm>
#include <cctype>
#include <vector>

namespace hfi {

std::size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j)
    row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      const bool same = std::tolower(static_cast<unsigned char>(a[i - 1])) ==
                        std::tolower(static_cast<unsigned char>(b[j - 1]));
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (same ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}

std::optional<std::string> ClosestName(std::string_view typed,
                                       const std::vector<std::string>& candidates,
                                       std::size_t max_distance) {
  if (typed.empty())
    return std::nullopt;
  std::optional<std::string> best;
  std::size_t best_distance = max_distance + 1;
  for (const std::string& candidate : candidates) {
    const std::size_t distance = EditDistance(typed, candidate);
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  if (best)
    return best;
  // A short start of one name ("insp" for inspect) is far in edits but plain in intent; a start
  // that several names share ("ver") suggests none of them.
  std::optional<std::string> only;
  for (const std::string& candidate : candidates) {
    if (typed.size() < 2 || !candidate.starts_with(typed))
      continue;
    if (only)
      return std::nullopt;
    only = candidate;
  }
  return only;
}

}  // namespace hfi

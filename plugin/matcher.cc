#include "plugin/matcher.h"

namespace hfi::plugin {

bool MatchesString(const StringMatch& match, std::string_view value) {
  switch (match.kind) {
    case StringMatch::Kind::kAny:
      return true;
    case StringMatch::Kind::kExact:
      return value == match.text;
    case StringMatch::Kind::kPrefix:
      return value.substr(0, match.text.size()) == match.text;
    case StringMatch::Kind::kRegex:
      // Anywhere in the value, not the whole value: the original matched with Rust's
      // Regex::is_match, which is unanchored. Anchor with ^...$ to match the whole value.
      return match.regex.Search(value);
  }
  return false;
}

bool Matches(const Match& match, const RequestView& request) {
  // All conditions must hold, so their order is free: the cheap ones (exact, prefix, presence:
  // a few byte compares) go first, and a regex, which scans its whole value, runs only when
  // everything else already holds.
  using Kind = StringMatch::Kind;
  bool has_regex = false;
  if (match.path.kind == Kind::kRegex) {
    has_regex = true;
  } else if (match.path.kind != Kind::kAny && !MatchesString(match.path, request.Path())) {
    return false;
  }
  if (match.method.kind == Kind::kRegex) {
    has_regex = true;
  } else if (match.method.kind != Kind::kAny && !MatchesString(match.method, request.Method())) {
    return false;
  }
  for (const HeaderMatch& header : match.headers) {
    if (header.value.kind == Kind::kRegex) {
      has_regex = true;
      continue;
    }
    const std::optional<std::string_view> value = request.Header(header.name);
    if (!value || !MatchesString(header.value, *value))
      return false;
  }
  if (!has_regex)
    return true;

  if (match.path.kind == Kind::kRegex && !MatchesString(match.path, request.Path()))
    return false;
  if (match.method.kind == Kind::kRegex && !MatchesString(match.method, request.Method())) {
    return false;
  }
  for (const HeaderMatch& header : match.headers) {
    if (header.value.kind != Kind::kRegex)
      continue;
    const std::optional<std::string_view> value = request.Header(header.name);
    if (!value || !MatchesString(header.value, *value))
      return false;
  }
  return true;
}

}  // namespace hfi::plugin

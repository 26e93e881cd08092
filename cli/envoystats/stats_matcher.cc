#include "envoystats/stats_matcher.h"

#include <utility>

namespace hfi::envoystats {
namespace {

struct KindName {
  Pattern::Kind kind;
  std::string_view name;
};
constexpr KindName kKindNames[] = {{Pattern::Kind::kPrefix, "prefix"},
                                   {Pattern::Kind::kSuffix, "suffix"},
                                   {Pattern::Kind::kExact, "exact"},
                                   {Pattern::Kind::kContains, "contains"},
                                   {Pattern::Kind::kSafeRegex, "regex"}};

bool Matches(const Pattern& p, const re::Regex* regex, std::string_view name) {
  switch (p.kind) {
    case Pattern::Kind::kPrefix:
      return name.substr(0, p.value.size()) == p.value;
    case Pattern::Kind::kSuffix:
      return name.size() >= p.value.size() && name.substr(name.size() - p.value.size()) == p.value;
    case Pattern::Kind::kExact:
      return name == p.value;
    case Pattern::Kind::kContains:
      return name.find(p.value) != std::string_view::npos;
    case Pattern::Kind::kSafeRegex:
      // Envoy's RegexMatcher: "matched against the full string, not as a partial match" (facts
      // §3.1).
      return regex != nullptr && regex->FullMatch(name);
  }
  return false;
}

}  // namespace

std::string Pattern::Describe() const {
  for (const auto& k : kKindNames) {
    if (k.kind == kind)
      return std::string(k.name) + ":" + value;
  }
  return value;
}

bool ParsePattern(std::string_view text, Pattern* out, std::string* error) {
  auto colon = text.find(':');
  if (colon == std::string_view::npos) {
    *error = "'" + std::string(text) +
             "': expected KIND:VALUE with KIND prefix, suffix, exact, "
             "contains or regex";
    return false;
  }
  std::string_view kind = text.substr(0, colon);
  for (const auto& k : kKindNames) {
    if (k.name != kind)
      continue;
    out->kind = k.kind;
    out->value = std::string(text.substr(colon + 1));
    if (k.kind == Pattern::Kind::kSafeRegex) {
      re::Regex regex;
      std::string why;
      if (!re::Regex::Compile(out->value, &regex, &why)) {
        *error = "'" + std::string(text) + "': " + why;
        return false;
      }
    }
    return true;
  }
  *error = "'" + std::string(text) + "': unknown pattern kind '" + std::string(kind) +
           "' (use prefix, suffix, exact, contains or regex)";
  return false;
}

StatsMatcher::StatsMatcher(Mode mode, std::vector<Pattern> patterns)
    : mode_(mode), patterns_(std::move(patterns)) {
  regexes_.reserve(patterns_.size());
  for (const Pattern& p : patterns_) {
    std::shared_ptr<re::Regex> compiled;
    if (p.kind == Pattern::Kind::kSafeRegex) {
      auto regex = std::make_shared<re::Regex>();
      std::string why;
      // Patterns come through ParsePattern, which rejects what does not compile; one that still
      // fails matches nothing, as an Envoy matcher that could not be built would not exist.
      if (re::Regex::Compile(p.value, regex.get(), &why))
        compiled = std::move(regex);
    }
    regexes_.push_back(std::move(compiled));
  }
}

StatsMatcher StatsMatcher::IstioDefault(const std::vector<std::string>& extra_prefixes,
                                        const std::vector<std::string>& extra_suffixes,
                                        const std::vector<std::string>& extra_regexps) {
  using K = Pattern::Kind;
  std::vector<Pattern> patterns;
  patterns.push_back({K::kPrefix, "reporter="});
  for (const auto& p : extra_prefixes)
    patterns.push_back({K::kPrefix, p});
  for (const char* p :
       {"cluster_manager", "listener_manager", "server", "cluster.xds-grpc", "wasm"}) {
    patterns.push_back({K::kPrefix, p});
  }
  for (const auto& s : extra_suffixes)
    patterns.push_back({K::kSuffix, s});
  for (const char* s : {"rbac.allowed", "rbac.denied", "shadow_allowed", "shadow_denied"}) {
    patterns.push_back({K::kSuffix, s});
  }
  for (const auto& r : extra_regexps)
    patterns.push_back({K::kSafeRegex, r});
  patterns.push_back({K::kSafeRegex, R"(vhost\..*\.route\..*)"});
  patterns.push_back({K::kPrefix, "component"});
  patterns.push_back({K::kPrefix, "istio"});
  return Inclusion(std::move(patterns));
}

bool StatsMatcher::AnyMatches(std::string_view name) const {
  for (std::size_t i = 0; i < patterns_.size(); ++i) {
    if (Matches(patterns_[i], regexes_[i].get(), name))
      return true;
  }
  return false;
}

bool StatsMatcher::Accepts(std::string_view name) const {
  switch (mode_) {
    case Mode::kAcceptAll:
      return true;
    case Mode::kRejectAll:
      return false;
    case Mode::kInclusion:
      return AnyMatches(name);
    case Mode::kExclusion:
      return !AnyMatches(name);
  }
  return true;
}

}  // namespace hfi::envoystats

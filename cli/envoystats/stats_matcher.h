// Envoy's stats matcher (bootstrap `stats_config.stats_matcher`), with Istio's default inclusion
// list. Decides, when a stat is created, whether it is real or the shared null stat
// (facts/envoy-istio.md §3.1: "evaluated when stat handles are created, not when stats are
// recorded").
#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "plugin/regex.h"

namespace hfi::envoystats {

// One StringMatcher of `inclusion_list.patterns` / `exclusion_list.patterns`.
struct Pattern {
  enum class Kind { kPrefix, kSuffix, kExact, kContains, kSafeRegex };
  Kind kind = Kind::kPrefix;
  std::string value;

  // "prefix:wasm" style, as accepted by ParsePattern and printed by Describe.
  std::string Describe() const;
};

// Parses "prefix:X", "suffix:X", "exact:X", "contains:X" or "regex:X". Returns false and sets
// *error for anything else, or for a regex that does not compile.
bool ParsePattern(std::string_view text, Pattern* out, std::string* error);

class StatsMatcher {
 public:
  enum class Mode { kAcceptAll, kRejectAll, kInclusion, kExclusion };

  // Istio's bootstrap default (istio envoy_bootstrap.json + pkg/bootstrap/config.go): the fixed
  // patterns around the user's extra prefixes/suffixes/regexps. The required prefix `wasm` is a
  // plain string prefix, so it also admits every `wasmcustom.` stat (facts §3.1).
  static StatsMatcher IstioDefault(const std::vector<std::string>& extra_prefixes = {},
                                   const std::vector<std::string>& extra_suffixes = {},
                                   const std::vector<std::string>& extra_regexps = {});
  static StatsMatcher AcceptAll() { return StatsMatcher(Mode::kAcceptAll, {}); }
  static StatsMatcher RejectAll() { return StatsMatcher(Mode::kRejectAll, {}); }
  static StatsMatcher Inclusion(std::vector<Pattern> patterns) {
    return StatsMatcher(Mode::kInclusion, std::move(patterns));
  }
  static StatsMatcher Exclusion(std::vector<Pattern> patterns) {
    return StatsMatcher(Mode::kExclusion, std::move(patterns));
  }

  // True if a stat with this internal (full, dotted) name is created for real.
  bool Accepts(std::string_view name) const;

  Mode mode() const { return mode_; }
  const std::vector<Pattern>& patterns() const { return patterns_; }

 private:
  StatsMatcher(Mode mode, std::vector<Pattern> patterns);
  bool AnyMatches(std::string_view name) const;

  Mode mode_;
  std::vector<Pattern> patterns_;
  // Compiled safe_regex patterns, index-aligned with patterns_ (null for other kinds). Shared so
  // copies of a matcher stay cheap.
  std::vector<std::shared_ptr<re::Regex>> regexes_;
};

}  // namespace hfi::envoystats

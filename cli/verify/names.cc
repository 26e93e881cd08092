#include "verify/names.h"

#include <array>
#include <utility>

namespace hfi::verify {
namespace {

constexpr std::string_view kStem = "hfi_faults";

// The part of an expected name after the stem: "aborts_total" for
// "wasmcustom_hfi_faults_aborts_total".
std::string_view BaseAfterStem(const metrics::MetricName& metric) {
  std::string_view name = metric.prometheus;
  return name.substr(name.find(kStem) + kStem.size() + 1);
}

constexpr std::array<std::pair<std::string_view, Part>, 3> kHistogramSuffixes{{
    {"_bucket", Part::kBucket},
    {"_sum", Part::kSum},
    {"_count", Part::kCount},
}};

// Prefix spellings, from facts/envoy-istio.md §1.2-1.3 and §8 (C5, C13): Envoy >= 1.20 strips
// its `wasmcustom.` namespace and adds nothing; older Envoy added `envoy_` to the defined name; a
// cluster-scoped filter's stats start with `cluster.<name>.`, rendered `envoy_cluster_<name>_`.
Spelling SpellingOfPrefix(std::string_view prefix) {
  if (prefix == "wasmcustom_")
    return Spelling::kExpected;
  if (prefix.empty())
    return Spelling::kPlain;
  if (prefix == "envoy_wasmcustom_")
    return Spelling::kEnvoyWasmcustom;
  if (prefix == "envoy_")
    return Spelling::kEnvoyPlain;
  if (prefix.starts_with("envoy_cluster_"))
    return Spelling::kClusterScoped;
  return Spelling::kUnrecognised;
}

}  // namespace

std::optional<NameMatch> ClassifyName(std::string_view series_name) {
  std::size_t stem = series_name.find(kStem);
  if (stem == std::string_view::npos)
    return std::nullopt;
  NameMatch match;
  std::string_view prefix = series_name.substr(0, stem);
  std::string_view rest = series_name.substr(stem + kStem.size());
  if (!rest.starts_with('_'))
    return match;
  rest.remove_prefix(1);

  for (const metrics::MetricName& metric : metrics::kAll) {
    std::string_view base = BaseAfterStem(metric);
    if (!rest.starts_with(base))
      continue;
    std::string_view tail = rest.substr(base.size());
    bool is_histogram = metric.kind == metrics::Kind::kHistogram;
    Part part = Part::kValue;
    if (is_histogram) {
      for (const auto& [suffix, suffix_part] : kHistogramSuffixes) {
        if (tail.ends_with(suffix)) {
          part = suffix_part;
          tail.remove_suffix(suffix.size());
          break;
        }
      }
    }
    // Istio's tag convention `<tag>=.=<value>;.;` sanitises to `_<tag>___<value>___`
    // (facts/envoy-istio.md §2, istio/istio#51005): tags left in the name, wherever they sit.
    if (!tail.empty() && tail.find("___") != std::string_view::npos) {
      return NameMatch{&metric, Spelling::kEmbeddedTags, part};
    }
    if (!tail.empty())
      return match;  // e.g. "aborts_total_extra" or a counter with "_bucket"
    Spelling spelling = SpellingOfPrefix(prefix);
    if (spelling == Spelling::kUnrecognised)
      return match;
    return NameMatch{&metric, spelling, part};
  }
  return match;
}

HintId SpellingHint(Spelling spelling) {
  switch (spelling) {
    case Spelling::kPlain:
      return HintId::kPlainName;
    case Spelling::kEnvoyWasmcustom:
      return HintId::kEnvoyWasmcustomName;
    case Spelling::kEnvoyPlain:
      return HintId::kEnvoyPlainName;
    case Spelling::kClusterScoped:
      return HintId::kClusterScopedName;
    case Spelling::kEmbeddedTags:
      return HintId::kEmbeddedTags;
    case Spelling::kExpected:
    case Spelling::kUnrecognised:
      break;
  }
  return HintId::kUnrecognisedName;
}

}  // namespace hfi::verify

// Which of the three HFI metrics a Prometheus series name is, and in which spelling: the expected
// one (DESIGN §2) or one of the spellings other plugin builds, proxies or configurations produce.
#pragma once

#include <optional>
#include <string_view>

#include "plugin/metric_names.h"
#include "verify/hints.h"

namespace hfi::verify {

enum class Spelling {
  kExpected,         // wasmcustom_hfi_faults_*                      (Envoy >= 1.20, current plugin)
  kPlain,            // hfi_faults_*            (plugin defines hfi_faults_* or dotted hfi.faults.*)
  kEnvoyWasmcustom,  // envoy_wasmcustom_hfi_faults_*                (Envoy < 1.20, current plugin)
  kEnvoyPlain,       // envoy_hfi_faults_*                           (Envoy < 1.20, old plugin)
  kClusterScoped,    // envoy_cluster_..._hfi_faults_*               (filter on an upstream cluster)
  kEmbeddedTags,     // ..._hfi_faults_aborts_total_x___y___         (tags left in the name)
  kUnrecognised,     // contains hfi_faults, matches none of the above
};

// Which series of a metric the name is: a counter's value, or one of a histogram's series.
enum class Part { kValue, kBucket, kSum, kCount };

struct NameMatch {
  const metrics::MetricName* metric = nullptr;  // nullptr only for kUnrecognised
  Spelling spelling = Spelling::kUnrecognised;
  Part part = Part::kValue;

  // Compares by key: metrics::kAll holds copies of kAborts, kDelays and kDelayDuration.
  bool Is(const metrics::MetricName& other) const {
    return metric != nullptr && metric->key == other.key;
  }
};

// nullopt when the name does not contain "hfi_faults" at all.
std::optional<NameMatch> ClassifyName(std::string_view series_name);

// The hint that explains a spelling other than kExpected.
HintId SpellingHint(Spelling spelling);

}  // namespace hfi::verify

// The three HFI metrics: the one place their names and types are written down.
// The plugin defines them; cli/verify expects them. C++17, no dependencies: both halves include it.
#pragma once

#include <string_view>

namespace hfi::metrics {

enum class Kind { kCounter = 0, kGauge = 1, kHistogram = 2 };  // proxy_metric_type_t values

struct MetricName {
  std::string_view key;  // short name used in flags and reports: "aborts"
  Kind kind;
  std::string_view defined;     // what the plugin passes to proxy_define_metric
  std::string_view prometheus;  // what Envoy >= 1.20 prints on /stats/prometheus (DESIGN §2)
};

// Envoy prepends its own `wasmcustom.` namespace to every name a plugin defines, and strips only
// that first segment for Prometheus, so `wasmcustom.hfi_...` becomes `wasmcustom_hfi_...` there
// (facts/envoy-istio.md §1.2). DESIGN §2 fixes these as the names operators and dashboards use.
inline constexpr MetricName kAborts{"aborts", Kind::kCounter, "wasmcustom.hfi_faults_aborts_total",
                                    "wasmcustom_hfi_faults_aborts_total"};
inline constexpr MetricName kDelays{"delays", Kind::kCounter, "wasmcustom.hfi_faults_delays_total",
                                    "wasmcustom_hfi_faults_delays_total"};
inline constexpr MetricName kDelayDuration{"delay_duration", Kind::kHistogram,
                                           "wasmcustom.hfi_faults_delay_duration_milliseconds",
                                           "wasmcustom_hfi_faults_delay_duration_milliseconds"};

inline constexpr MetricName kAll[] = {kAborts, kDelays, kDelayDuration};

// The pre-rename spellings of the original project; `inspect` warns when it finds them.
inline constexpr std::string_view kLegacyPrefix = "hfi.faults.";

}  // namespace hfi::metrics

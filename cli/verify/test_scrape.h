// A well-formed Envoy-like /stats/prometheus body with the three HFI metrics at given values:
// Envoy's 19 default bounds, every histogram sample in the 25 ms bucket. For tests that need a
// healthy scrape with particular numbers.
#pragma once

#include <cstddef>
#include <string>

#include "verify/checks.h"

namespace hfi::verify::testing {

inline std::string HealthyScrape(std::size_t aborts, std::size_t delays, std::size_t delay_count) {
  const std::string h = "wasmcustom_hfi_faults_delay_duration_milliseconds";
  std::string text =
      "# TYPE envoy_server_live gauge\nenvoy_server_live{} 1\n"
      "# TYPE wasmcustom_hfi_faults_aborts_total counter\n"
      "wasmcustom_hfi_faults_aborts_total{} " +
      std::to_string(aborts) +
      "\n# TYPE wasmcustom_hfi_faults_delays_total counter\n"
      "wasmcustom_hfi_faults_delays_total{} " +
      std::to_string(delays) + "\n# TYPE " + h + " histogram\n";
  for (double bound : kEnvoyDefaultBounds) {
    std::string le = std::to_string(bound);
    le.erase(le.find_last_not_of('0') + 1);
    if (le.back() == '.')
      le.pop_back();
    text +=
        h + "_bucket{le=\"" + le + "\"} " + std::to_string(bound >= 25 ? delay_count : 0) + "\n";
  }
  text += h + "_bucket{le=\"+Inf\"} " + std::to_string(delay_count) + "\n";
  text += h + "_sum{} " + std::to_string(20 * delay_count) + "\n";
  text += h + "_count{} " + std::to_string(delay_count) + "\n";
  return text;
}

}  // namespace hfi::verify::testing

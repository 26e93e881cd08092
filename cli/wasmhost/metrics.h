// The metric hostcalls' semantics as Envoy implements them (facts/proxy-wasm-abi.md §8), over the
// Envoy-like stat store: ids 4k+type, the `wasmcustom.` namespace, counter record adds, counter
// increment <= 0 and histogram reads refused.
#pragma once

#include <cstdint>
#include <string_view>
#include <unordered_map>

#include "envoystats/stat_store.h"
#include "wasmhost/abi.h"

namespace hfi::wasmhost {

// Envoy's CustomStatNamespace: prepended to every name a plugin defines (facts §8.2; envoy-istio
// §1).
inline constexpr std::string_view kCustomStatNamespace = "wasmcustom";

class MetricTable {
 public:
  explicit MetricTable(envoystats::StatStore& store) : store_(store) {}

  // Creates (or finds) the stat `wasmcustom.<name>` and hands out a new id for it, as released
  // Envoy does: defining a name again gives a new id backed by the same stat (§8.2). A name the
  // stats matcher rejects still gets an id; its updates vanish and it reads 0.
  WasmResult Define(std::uint32_t type, std::string_view name, std::uint32_t* id);
  WasmResult Increment(std::uint32_t id, std::int64_t delta);
  WasmResult Record(std::uint32_t id, std::uint64_t value);
  WasmResult Get(std::uint32_t id, std::uint64_t* value) const;

 private:
  envoystats::StatStore& store_;
  // Each starts at its type and grows by 4 before use, so the first ids are 4, 5 and 6 (§8.1).
  std::uint32_t last_counter_id_ = 0;
  std::uint32_t last_gauge_id_ = 1;
  std::uint32_t last_histogram_id_ = 2;
  std::unordered_map<std::uint32_t, envoystats::Counter*> counters_;
  std::unordered_map<std::uint32_t, envoystats::Gauge*> gauges_;
  std::unordered_map<std::uint32_t, envoystats::Histogram*> histograms_;
};

}  // namespace hfi::wasmhost

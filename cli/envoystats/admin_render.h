// Envoy's admin renderings of a stat store: `/stats/prometheus`, `/stats` and `/stats?format=json`,
// following facts/envoy-istio.md §1-2 (namespace stripping, sanitising, ordering, number format).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "envoystats/stat_store.h"
#include "plugin/regex.h"

namespace hfi::envoystats {

struct RenderOptions {
  bool used_only = false;             // `usedonly`: only stats ever written
  const re::Regex* filter = nullptr;  // `filter=`: partial match against the internal name
};

// The Prometheus family name of an internal stat name, or nullopt when Envoy drops it: names in
// the registered `wasmcustom` namespace lose that first segment and get no `envoy_` prefix, others
// get `envoy_`; every character outside [a-zA-Z0-9_] becomes `_`; a custom-namespace name that is
// then empty or starts with a digit is omitted (PrometheusStatsFormatter::metricName).
std::optional<std::string> PrometheusName(std::string_view internal_name);

std::string RenderPrometheus(const StatStore& store, const RenderOptions& options = {});
std::string RenderStatsText(const StatStore& store, const RenderOptions& options = {});
std::string RenderStatsJson(const StatStore& store, const RenderOptions& options = {});

}  // namespace hfi::envoystats

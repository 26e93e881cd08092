// The flags that describe what to render, shared by `render`, `apply` and `deploy`: a values file
// and the per-key overrides (k8s/examples/README.md lists the keys). Registration and the
// flag-to-override mapping live here so the three commands cannot drift apart.
#pragma once

#include <string>
#include <vector>

#include "render/values.h"

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace hfi {

struct RenderFlags {
  std::string values;
  std::string namespace_name, name, selector, policy, plugin, plugin_name, phase, fail_strategy,
      delivery, url, istio_version, stats_exposure;
  std::vector<std::string> workloads;
  bool bootstrap_xds_agent = false;
  // The options whose presence matters: an option not given leaves the values file's value.
  CLI::Option *namespace_opt = nullptr, *name_opt = nullptr, *selector_opt = nullptr,
              *policy_opt = nullptr, *plugin_opt = nullptr, *plugin_name_opt = nullptr,
              *phase_opt = nullptr, *fail_strategy_opt = nullptr, *delivery_opt = nullptr,
              *url_opt = nullptr, *istio_version_opt = nullptr, *stats_exposure_opt = nullptr,
              *bootstrap_opt = nullptr;
};

// Registers --values, -n, -l, --workload, --name, --plugin, --url, --delivery, --policy,
// --plugin-name, --phase, --fail-strategy, --istio-version, --[no-]bootstrap-xds-agent and
// --stats-exposure on `cmd`. `flags` must outlive parsing.
void AddRenderFlags(CLI::App* cmd, RenderFlags& flags);

// The given flags as overrides of the values file.
render::ValueOverrides Overrides(const RenderFlags& flags);

// The checked values: the file (if any), then the flags.
render::Values LoadRenderValues(const RenderFlags& flags);

// Where the Istio version in `values` came from, for the message saying which one is used:
// "--istio-version", "istio.version in FILE", or "" when neither set it.
std::string IstioVersionOrigin(const RenderFlags& flags, const render::Values& values);

}  // namespace hfi

// The flags that describe an embedded sidecar, shared by `sidecar` and `verify --local` so both
// read the plugin, the policy and the stats settings the same way.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "sidecar/sidecar.h"

namespace CLI {
class App;
}

namespace hfi {

struct SidecarFlags {
  std::string plugin;  // path to the .wasm; "" for the plugin this build produced
  std::string policy;  // path to the policy JSON ("-" for stdin); "" for the command's default
  // Which stats matcher the bootstrap has: "istio" (Istio's default inclusion list), "all"
  // (Envoy without a matcher), "none" (reject everything); --stats-inclusion / --stats-exclusion
  // patterns replace it with that list.
  std::string stats_matcher = "istio";
  std::vector<std::string> inclusion;  // "prefix:wasmcustom.", "regex:...", ...
  std::vector<std::string> exclusion;
  std::string flush_interval;              // "5s", "250ms"; "" for the command's default
  std::string workload = "hfi-local";      // node metadata WORKLOAD_NAME
  std::string namespace_name = "default";  // node metadata NAMESPACE
  std::string fail_policy = "closed";      // what requests get once the plugin failed: open|closed
};

// Registers the flags on `cmd` (the plugin/policy/stats/flush/workload/fail options).
void AddSidecarFlags(CLI::App* cmd, SidecarFlags& flags);

// Reads the plugin and policy files and turns the flags into a config (addresses left at their
// defaults for the caller to set). `default_policy` is used when --policy is not given, and
// `default_flush` when --flush-interval is not. Throws UsageError for bad values and
// InputError/EnvironmentError for files that cannot be read.
sidecar::SidecarConfig MakeSidecarConfig(const SidecarFlags& flags,
                                         const std::string& default_policy,
                                         const std::string& default_flush);

// "5s", "250ms", "1m", "1h": more than 0 and at most one hour. Throws UsageError naming
// --flush-interval otherwise.
std::chrono::milliseconds ParseFlushInterval(const std::string& text);

}  // namespace hfi

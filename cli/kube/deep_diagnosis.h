// When a pod's scrape lacks an HFI metric, what only the live proxy can say about why
// (facts/envoy-istio.md §3, §8, H3, H4, H7): whether its configuration holds a Wasm HTTP filter
// at all (HFI508), whether the bootstrap `stats_config.stats_matcher` creates the three names
// (HFI505), and whether the pod's `proxy.istio.io/config` asks for a matcher that would, which
// the running bootstrap does not have yet (HFI506: a restart is due). Pure functions over what
// was fetched: the admin /stats page, /config_dump (Envoy's proto3 JSON, or the embedded
// sidecar's, which has the same shape) and the pod's annotations.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "envoystats/stats_matcher.h"
#include "verify/report.h"

namespace hfi::kube {

// What was read from one pod beyond its scrape. A body that could not be fetched is nullopt,
// with why in the matching *_error.
struct AdminEvidence {
  std::string scrape;                // the /stats/prometheus body already checked
  std::optional<std::string> stats;  // GET /stats?filter=hfi (text: "name: value" lines)
  std::string stats_error;
  std::optional<std::string> config_dump;  // GET /config_dump
  std::string config_dump_error;
  std::map<std::string, std::string> annotations;  // the pod's
};

// Three checks, in this order: "admin-stats" (the hfi stats that exist under their internal
// names; never a finding), "plugin-loaded" (HFI508) and "stats-matcher" (HFI505 / HFI506). A
// check whose input is missing is skipped with the reason. Stats seen on /stats outrank what is
// deduced from the configuration: a name that exists was created, whatever the matcher reads as.
std::vector<verify::Check> DiagnoseMissingMetrics(const AdminEvidence& evidence);

// The pieces, exposed for tests.

// The internal names the plugin's metrics get in Envoy >= 1.20 (`wasmcustom.` + what the plugin
// defines): what a stats matcher sees and /stats prints.
std::vector<std::string> InternalMetricNames();

// The names on an admin /stats text page that contain "hfi", in page order.
std::vector<std::string> HfiStatNames(std::string_view stats_text);

struct WasmFilters {
  std::vector<std::string> loaded;    // filters or extension configs holding a Wasm config
  std::vector<std::string> awaiting;  // filters of Wasm type over ECDS with no config in the dump
  std::vector<std::string> replaced;  // "NAME (TYPE)": an ECDS filter of Wasm type holding another
};

struct BootstrapMatcher {
  enum class State {
    kNoBootstrap,  // the dump has no bootstrap section
    kNone,         // no stats_matcher: Envoy creates every stat
    kMatcher,      // `matcher` holds it
    kUnsupported,  // a pattern kind this build does not evaluate (named in `description`)
  };
  State state = State::kNoBootstrap;
  std::optional<envoystats::StatsMatcher> matcher;
  std::string description;  // "inclusion list of 12 patterns", "reject_all", ...
  // safe_regex patterns this build's RE2-subset engine cannot compile (they match nothing here).
  std::vector<std::string> unreadable_regexes;
};

struct ConfigDump {
  WasmFilters wasm;
  BootstrapMatcher matcher;
};

// Throws InputError ("/config_dump: not JSON ...") when the text does not parse.
ConfigDump ReadConfigDump(std::string_view json);

// The stats patterns a pod's annotations ask Istio to add to the bootstrap matcher:
// `proxy.istio.io/config` proxyStatsMatcher (camelCase or snake_case field names), where the
// deprecated `sidecar.istio.io/statsInclusion{Prefixes,Suffixes,Regexps}` (comma-separated) win
// for their list, as in Istio's bootstrap generation.
struct RequestedMatcher {
  std::vector<std::string> prefixes, suffixes, regexps;
  std::string source;  // the annotations they came from, comma-separated
  std::string error;   // `proxy.istio.io/config` could not be read

  bool empty() const { return prefixes.empty() && suffixes.empty() && regexps.empty(); }
  // "inclusionPrefixes [wasmcustom.], inclusionRegexps [.*hfi.*]"
  std::string Describe() const;
};
RequestedMatcher ReadRequestedMatcher(const std::map<std::string, std::string>& annotations);

// The sum of the Wasm runtime gauges `envoy_wasm_envoy_wasm_runtime_<runtime>_active` in a
// scrape (how many Wasm VMs run); nullopt when the scrape has none of them.
std::optional<double> ActiveWasmVms(std::string_view scrape);

}  // namespace hfi::kube

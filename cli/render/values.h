// Typed values for `render`: what to deploy where, read from a YAML values file and overridden by
// flags. Every value is checked here, so manifest generation never sees a bad one. A bad value in
// the file is an InputError naming the file, line:column and key path; a bad flag value is a
// UsageError naming the flag. Unknown and duplicate keys are errors: a typo must not be ignored.
//
// The values file (every key optional unless marked; relative paths are relative to the file):
//
//   namespace: demo                    # required: where the objects go
//   name: hfi-fault-injection          # WasmPlugin name, and the prefix of the other objects
//   selector: {app: frontend}          # required, non-empty: the pods' labels
//   workloads: [deployment/frontend]   # whose pod template gets the annotations
//   policy: policy.json                # the fault policy, passed as pluginConfig
//   plugin:
//     file: hfi_plugin.wasm            # the built module: its sha256, and the ConfigMap's bytes
//     pluginName: hfi                  # the root id, when the module needs one
//     phase: AUTHN                     # AUTHN | AUTHZ | STATS | UNSPECIFIED_PHASE
//     failStrategy: FAIL_OPEN          # FAIL_OPEN | FAIL_CLOSE
//     delivery:
//       kind: oci                      # oci | http | configmap (default: from the url's scheme)
//       url: oci://registry/hfi:1.0    # oci and http only
//   istio:
//     version: 1.22.3                  # the mesh's Istio version
//     bootstrapXdsAgent: false         # proxyMetadata BOOTSTRAP_XDS_AGENT=true (1.11 to 1.20)
//   stats:
//     exposure: annotation             # annotation | envoyfilter | both
#pragma once

#include <compare>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace hfi::render {

enum class DeliveryKind { kOci, kHttp, kConfigMap };
// WasmPlugin's PluginPhase and FailStrategy (istio/api extensions/v1alpha1/wasm.proto).
enum class Phase { kUnspecified, kAuthn, kAuthz, kStats };
enum class FailStrategy { kFailClose, kFailOpen };
enum class StatsExposure { kAnnotation, kEnvoyFilter, kBoth };
enum class WorkloadKind { kDeployment, kStatefulSet, kDaemonSet };

std::string_view DeliveryKindName(DeliveryKind kind);  // "oci", "http", "configmap"
std::string_view PhaseName(Phase phase);               // "AUTHN", ...: the API's spelling
std::string_view FailStrategyName(FailStrategy strategy);
std::string_view StatsExposureName(StatsExposure exposure);
std::string_view WorkloadKindName(WorkloadKind kind);  // "Deployment", ...: the API kind

struct IstioVersion {
  int major = 0, minor = 0, patch = 0;
  std::string text;  // as given, e.g. "1.22.3-distroless"

  auto operator<=>(const IstioVersion& other) const {
    return std::tie(major, minor, patch) <=> std::tie(other.major, other.minor, other.patch);
  }
  bool operator==(const IstioVersion& other) const { return (*this <=> other) == 0; }
};

// "1.22.3", "1.22" (patch 0), "v1.22.3" and suffixed tags ("1.22.3-distroless") parse; nullopt
// otherwise.
std::optional<IstioVersion> ParseIstioVersion(std::string_view text);

struct Workload {
  WorkloadKind kind = WorkloadKind::kDeployment;
  std::string name;
};

struct Values {
  std::string namespace_name;
  std::string name = "hfi-fault-injection";
  std::map<std::string, std::string> selector;  // never empty
  std::vector<Workload> workloads;
  std::string policy_file;  // empty: no pluginConfig
  std::string plugin_file;  // empty only for oci/http delivery (then no sha256)
  std::string plugin_name;  // empty: not set
  Phase phase = Phase::kAuthn;
  FailStrategy fail_strategy = FailStrategy::kFailOpen;
  DeliveryKind delivery = DeliveryKind::kOci;
  std::string url;  // empty for configmap delivery
  std::optional<IstioVersion> istio_version;
  bool bootstrap_xds_agent = false;
  StatsExposure stats_exposure = StatsExposure::kAnnotation;
};

// Flag values; an unset one leaves the file's value. List-valued flags replace the file's list.
struct ValueOverrides {
  std::optional<std::string> namespace_name, name, policy_file, plugin_file, plugin_name, phase,
      fail_strategy, delivery, url, istio_version, stats_exposure;
  std::optional<std::string> selector;  // "k=v,k2=v2"
  std::vector<std::string> workloads;   // "deployment/NAME"
  std::optional<bool> bootstrap_xds_agent;
};

// Reads and checks `values_path` (empty: no file, flags only), then applies the overrides.
Values LoadValues(const std::string& values_path, const ValueOverrides& flags);

// The same over text already read: `display_path` names it in errors and `base_dir` anchors its
// relative paths.
Values ParseValues(std::string_view yaml_text, const std::string& display_path,
                   const std::string& base_dir, const ValueOverrides& flags);

}  // namespace hfi::render

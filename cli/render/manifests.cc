#include "render/manifests.h"

#include <optional>
#include <string_view>
#include <utility>

#include "util/base64.h"
#include "util/errors.h"
#include "util/file.h"
#include "util/sha256.h"
#include "verify/hints.h"

namespace hfi::render {
namespace {

using Json = nlohmann::ordered_json;

// The stats-matcher prefix, for the annotation and the EnvoyFilter alike. Matchers see the
// internal stat name, never the Prometheus one (facts/envoy-istio.md §3.1, C2). On Envoy >= 1.20
// (Istio >= 1.12) that is "wasmcustom." + the defined name, so the plugin's
// `wasmcustom.hfi_faults_aborts_total` is `wasmcustom.wasmcustom.hfi_faults_aborts_total`
// internally (§1.2). "wasmcustom." matches it, and every other spelling of the metrics; the
// original project's "wasmcustom.hfi_faults" does not match the double prefix (§5).
constexpr const char* kStatsPrefix = "wasmcustom.";

// Client-side `kubectl apply` copies the whole object into the last-applied-configuration
// annotation, and all annotations of an object share 256 KiB (apimachinery
// TotalAnnotationSizeLimitB). Room is left for the rest of the object's JSON.
constexpr std::size_t kAnnotationLimit = 256 * 1024;
constexpr std::size_t kObjectOverhead = 2048;

// The first Istio without bootstrap discovery, and so without BOOTSTRAP patches (#48693, 1.21.0;
// facts/envoy-istio.md §3.4).
const IstioVersion kBootstrapPatchesRemoved{1, 21, 0, "1.21.0"};

Json Labels(const Values& values) {
  Json labels = Json::object();
  labels["app.kubernetes.io/managed-by"] = "hfi-metrics";
  labels["app.kubernetes.io/part-of"] = values.name;
  return labels;
}

Json Metadata(const std::string& name, const Values& values, bool labelled) {
  Json metadata = Json::object();
  metadata["name"] = name;
  metadata["namespace"] = values.namespace_name;
  if (labelled)
    metadata["labels"] = Labels(values);
  return metadata;
}

Json Selector(const Values& values) {
  Json labels = Json::object();
  for (const auto& [key, value] : values.selector)
    labels[key] = value;
  return labels;
}

std::string ConfigMapName(const Values& values) {
  return values.name + "-wasm";
}
std::string WasmFileName(const Values& values) {
  return values.name + ".wasm";
}

// Line and column (1-based) of byte offset `offset` in `text`.
std::pair<std::size_t, std::size_t> LineColumn(std::string_view text, std::size_t offset) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

// The policy as a JSON object: WasmPlugin.pluginConfig is a protobuf Struct, which Istio hands to
// the plugin re-serialised as JSON (pilot/pkg/model/extensions.go).
Json ParsePolicy(const Values& values, const std::string& text) {
  Json policy;
  try {
    policy = Json::parse(text);
  } catch (const Json::parse_error& e) {
    // nlohmann's `byte` counts from 1 and points at the character that failed.
    const auto [line, column] = LineColumn(text, e.byte == 0 ? 0 : e.byte - 1);
    std::string why = e.what();
    const std::size_t detail = why.find(": ", why.find("column"));
    why = detail == std::string::npos ? why : why.substr(detail + 2);
    throw InputError(values.policy_file + ":" + std::to_string(line) + ":" + std::to_string(column),
                     "not valid JSON: " + why, "the policy is one JSON object");
  }
  if (!policy.is_object())
    throw InputError(values.policy_file, "the policy is a JSON " + std::string(policy.type_name()),
                     "pluginConfig must be a JSON object, e.g. {\"policies\": [...]}");
  return policy;
}

Json ConfigMap(const Values& values, const std::string& wasm) {
  Json object = Json::object();
  object["apiVersion"] = "v1";
  object["kind"] = "ConfigMap";
  object["metadata"] = Metadata(ConfigMapName(values), values, true);
  object["binaryData"] = Json::object({{WasmFileName(values), Base64Encode(wasm)}});
  return object;
}

// The stats matcher as pilot-agent reads it from the pod annotation into ProxyConfig when it
// writes the bootstrap (facts §3.2; works from Istio 1.8). An existing proxy.istio.io/config
// value on the workload is replaced, not merged.
std::string ProxyConfigAnnotation() {
  return std::string("proxyStatsMatcher:\n  inclusionPrefixes:\n  - ") + kStatsPrefix + "\n";
}

// The injector's template walks these annotations as JSON objects keyed by volume name, writing
// `name: <key>` followed by the value (istio/istio injection-template.yaml), so the key is the
// volume's name and the value its spec without a name.
Json PodAnnotations(const Values& values) {
  Json annotations = Json::object();
  if (values.stats_exposure != StatsExposure::kEnvoyFilter)
    annotations["proxy.istio.io/config"] = ProxyConfigAnnotation();
  if (values.delivery == DeliveryKind::kConfigMap) {
    const std::string volume = ConfigMapName(values);
    Json user_volume = Json::object();
    user_volume[volume]["configMap"]["name"] = ConfigMapName(values);
    Json user_mount = Json::object();
    user_mount[volume]["mountPath"] = kWasmMountDir;
    user_mount[volume]["readOnly"] = true;
    annotations["sidecar.istio.io/userVolume"] = user_volume.dump();
    annotations["sidecar.istio.io/userVolumeMount"] = user_mount.dump();
  }
  return annotations;
}

Json WorkloadPatch(const Values& values, const Workload& workload, const Json& annotations) {
  Json object = Json::object();
  object["apiVersion"] = "apps/v1";
  object["kind"] = std::string(WorkloadKindName(workload.kind));
  object["metadata"] = Metadata(workload.name, values, false);
  object["spec"]["template"]["metadata"]["annotations"] = annotations;
  return object;
}

Json WasmPlugin(const Values& values, const PluginInputs& inputs, const Json* policy) {
  Json spec = Json::object();
  spec["selector"]["matchLabels"] = Selector(values);
  spec["url"] = values.delivery == DeliveryKind::kConfigMap
                    ? "file://" + std::string(kWasmMountDir) + "/" + WasmFileName(values)
                    : values.url;
  // For file:// URLs Istio does not check the digest (the Envoy data source is a local file), but
  // a new module still changes the object, which makes Istio push the plugin again.
  if (!inputs.wasm.empty())
    spec["sha256"] = Sha256Hex(inputs.wasm);
  if (!values.plugin_name.empty())
    spec["pluginName"] = values.plugin_name;
  spec["phase"] = std::string(PhaseName(values.phase));
  spec["failStrategy"] = std::string(FailStrategyName(values.fail_strategy));
  if (policy != nullptr)
    spec["pluginConfig"] = *policy;

  Json object = Json::object();
  object["apiVersion"] = "extensions.istio.io/v1alpha1";
  object["kind"] = "WasmPlugin";
  object["metadata"] = Metadata(values.name, values, true);
  object["spec"] = std::move(spec);
  return object;
}

// The shape the original project shipped (facts/hfi-origin.md §3.3), scoped to the selected pods
// and with a prefix that matches the internal name. MERGE appends to Istio's inclusion list
// (proto.Merge on BOOTSTRAP; facts §5), so Istio's own metrics stay.
Json BootstrapEnvoyFilter(const Values& values) {
  Json pattern = Json::object({{"prefix", kStatsPrefix}});
  Json value = Json::object();
  value["stats_config"]["stats_matcher"]["inclusion_list"]["patterns"] = Json::array({pattern});
  Json patch = Json::object();
  patch["applyTo"] = "BOOTSTRAP";
  patch["patch"]["operation"] = "MERGE";
  patch["patch"]["value"] = std::move(value);

  Json object = Json::object();
  object["apiVersion"] = "networking.istio.io/v1alpha3";
  object["kind"] = "EnvoyFilter";
  object["metadata"] = Metadata(values.name + "-stats-matcher", values, true);
  object["spec"]["workloadSelector"]["labels"] = Selector(values);
  object["spec"]["configPatches"] = Json::array({patch});
  return object;
}

// Why the BOOTSTRAP EnvoyFilter will not take effect on this mesh, or nothing when it will.
std::optional<Warning> BootstrapFilterWarning(const Values& values) {
  const std::string subject = "EnvoyFilter " + values.namespace_name + "/" + values.name +
                              "-stats-matcher (applyTo: BOOTSTRAP)";
  const std::string instead =
      values.stats_exposure == StatsExposure::kBoth
          ? "the proxy.istio.io/config annotation rendered with it is what takes effect"
          : "render with --stats-exposure annotation: the proxy.istio.io/config annotation "
            "takes effect";
  std::string message;
  if (!values.istio_version) {
    message = subject +
              " may have no effect: no Istio version given (--istio-version or istio.version); "
              "BOOTSTRAP patches are ignored on Istio >= 1.21 and need BOOTSTRAP_XDS_AGENT on "
              "1.11 to 1.20; " +
              instead;
  } else if (*values.istio_version >= kBootstrapPatchesRemoved) {
    message = subject + " has no effect on Istio " + values.istio_version->text +
              ": bootstrap patches were removed in 1.21" +
              (values.bootstrap_xds_agent ? ", and BOOTSTRAP_XDS_AGENT with them" : "") + "; " +
              instead;
  } else if (!values.bootstrap_xds_agent) {
    message = subject + " has no effect on Istio " + values.istio_version->text +
              " unless the proxies run with proxyMetadata BOOTSTRAP_XDS_AGENT=\"true\" (then "
              "pass --bootstrap-xds-agent); " +
              instead;
  } else {
    return std::nullopt;
  }
  return Warning{std::string(verify::GetHint(verify::HintId::kBootstrapFilterIgnored).code),
                 message};
}

}  // namespace

PluginInputs ReadInputs(const Values& values) {
  // Generous caps: a module or a policy near them is the wrong file, not a big plugin.
  constexpr std::size_t kMaxWasmBytes = std::size_t{64} << 20;
  constexpr std::size_t kMaxPolicyBytes = std::size_t{16} << 20;
  PluginInputs inputs;
  if (!values.plugin_file.empty())
    inputs.wasm = ReadFileOrStdin(values.plugin_file, kMaxWasmBytes);
  if (!values.policy_file.empty())
    inputs.policy_text = ReadFileOrStdin(values.policy_file, kMaxPolicyBytes);
  return inputs;
}

Manifests RenderManifests(const Values& values, const PluginInputs& inputs) {
  Manifests result;
  std::optional<Json> policy;
  if (!values.policy_file.empty())
    policy = ParsePolicy(values, inputs.policy_text);

  if (values.delivery == DeliveryKind::kConfigMap) {
    if (inputs.wasm.size() > kConfigMapMaxBytes) {
      throw InputError(values.plugin_file,
                       std::to_string(inputs.wasm.size()) +
                           " bytes: too big for a ConfigMap, which holds at most " +
                           std::to_string(kConfigMapMaxBytes) + " bytes",
                       "deliver the module from a registry with --delivery oci (or http)");
    }
    result.objects.push_back(ConfigMap(values, inputs.wasm));
    if (Base64EncodedSize(inputs.wasm.size()) + kObjectOverhead > kAnnotationLimit) {
      result.warnings.push_back(Warning{
          "", "ConfigMap " + values.namespace_name + "/" + ConfigMapName(values) + " holds " +
                  std::to_string(inputs.wasm.size()) +
                  " bytes: apply it server-side (kubectl apply --server-side); client-side apply "
                  "copies it into an annotation limited to 262144 bytes"});
    }
  }

  const Json annotations = PodAnnotations(values);
  if (!annotations.empty()) {
    for (const Workload& workload : values.workloads)
      result.objects.push_back(WorkloadPatch(values, workload, annotations));
  }

  result.objects.push_back(WasmPlugin(values, inputs, policy ? &*policy : nullptr));

  if (values.stats_exposure != StatsExposure::kAnnotation) {
    result.objects.push_back(BootstrapEnvoyFilter(values));
    if (std::optional<Warning> warning = BootstrapFilterWarning(values))
      result.warnings.push_back(std::move(*warning));
  }
  return result;
}

}  // namespace hfi::render

// The Kubernetes objects that deploy the plugin and make its metrics visible, built from checked
// Values, the module's bytes and the policy text; and their YAML and JSON forms.
//
// Objects, in apply order:
//   ConfigMap <name>-wasm                  configmap delivery: the module as binaryData
//   <Kind> <workload> (partial)            pod-template annotations: proxy.istio.io/config with
//                                          proxyStatsMatcher, and the sidecar volume annotations
//   WasmPlugin <name>                      selector, url, sha256, phase, failStrategy, pluginConfig
//   EnvoyFilter <name>-stats-matcher       stats exposure envoyfilter|both: the BOOTSTRAP patch
// The partial workload objects are strategic-merge patches: apply them server-side or with
// `kubectl patch`, never `kubectl create`.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "render/values.h"

namespace hfi::render {

// The file the sidecar loads the module from, under configmap delivery.
inline constexpr const char* kWasmMountDir = "/var/local/lib/wasm-filters";

// What Kubernetes accepts in one ConfigMap: the decoded bytes of data plus binaryData
// (apimachinery ValidateConfigMap: totalSize > MaxSecretSize, 1 MiB).
inline constexpr std::size_t kConfigMapMaxBytes = std::size_t{1} << 20;

struct PluginInputs {
  std::string wasm;         // the module's bytes; empty when Values::plugin_file is empty
  std::string policy_text;  // the policy file's text; empty when Values::policy_file is empty
};

// A problem the manifests cannot fix, for stderr (one line each); code is a hint code or empty.
struct Warning {
  std::string code;
  std::string message;
};

struct Manifests {
  std::vector<nlohmann::ordered_json> objects;
  std::vector<Warning> warnings;
};

// Reads the module and the policy file the values name; InputError when one cannot be read.
PluginInputs ReadInputs(const Values& values);

// Throws InputError for an invalid policy (file, line:column) or a module too big for a
// ConfigMap.
Manifests RenderManifests(const Values& values, const PluginInputs& inputs);

// Multi-document YAML, `---` between objects, strings quoted wherever a YAML 1.1 or 1.2 reader
// would take them for a number, boolean or null.
std::string ToYaml(const std::vector<nlohmann::ordered_json>& objects);

// One `kind: List` object, as kubectl prints several objects under -o json.
std::string ToJsonList(const std::vector<nlohmann::ordered_json>& objects);

}  // namespace hfi::render

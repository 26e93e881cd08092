// What `apply` and `deploy` share: their flags beyond render's, the kubectl runner, and the way
// from values to applied objects (selected pods → Istio version → manifests → kubectl apply), with
// the report of what changed.
#pragma once

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "commands/commands.h"
#include "commands/render_flags.h"
#include "kube/apply.h"
#include "kube/kubectl.h"
#include "kube/pods.h"
#include "render/manifests.h"
#include "render/values.h"

namespace CLI {
class App;
}

namespace hfi {

// Each kubectl call but `rollout status`, which runs for --timeout.
inline constexpr std::chrono::milliseconds kKubectlCallTimeout{60'000};

// Without --timeout, each rollout is waited for this long.
inline constexpr std::chrono::milliseconds kDefaultRolloutTimeout{180'000};

// Rollout waits as --timeout (global.deadline) bounds them.
void SetRolloutLimits(const GlobalOptions& global, kube::ApplyOptions& options);

struct ApplyFlags {
  RenderFlags render;
  bool no_restart = false;
  // `apply` only:
  bool wait = false;
  bool diff = false;
  std::string dry_run;  // "", "none", "client" or "server"
};

// --no-restart; with `apply_only`, also --wait, --diff and --dry-run. (--timeout is global.)
void AddApplyFlags(CLI::App* cmd, ApplyFlags& flags, bool apply_only);

// kubectl as the global flags say (-v logs each command line on stderr).
std::unique_ptr<kube::Kubectl> MakeKubectl(const GlobalOptions& global);

struct Prepared {
  render::Values values;        // with the Istio version set
  std::vector<kube::Pod> pods;  // the selected pods, before anything was applied
  render::Manifests manifests;
  std::string istio_source;  // "flag", "values", "pods" or "istiod"
  std::string istio_detail;  // for people: "--istio-version", "the istio-proxy image of 2 pods"
  std::vector<std::string> istio_warnings;  // e.g. the pods run several versions
};

// Reads the module and policy the values name and renders once, so that everything wrong with
// the values, policy or module is an error (exit 3) before kubectl is even looked for.
render::PluginInputs ReadCheckedInputs(const render::Values& values);

// Lists the selected pods (when `need_pods`, or to detect the version); takes the Istio version
// from the flags or values, else detects it; renders for it. Prints the version used (not under
// -q) and render's warnings on stderr.
Prepared Prepare(const GlobalOptions& global, const RenderFlags& flags, render::Values values,
                 const render::PluginInputs& inputs, kube::Kubectl& kubectl, bool need_pods);

// One line per object and per workload, as kubectl prints them
// ("wasmplugin.extensions.istio.io/hfi-fault-injection configured").
std::string ApplyText(const kube::ApplyResult& result);

// The result as one JSON document (schema hfi-metrics.apply/v1).
std::string ApplyJson(const Prepared& prepared, const kube::ApplyResult& result);

// "hfi-metrics: warning: CODE: message" on stderr.
void PrintWarning(const std::string& code, const std::string& message);

}  // namespace hfi

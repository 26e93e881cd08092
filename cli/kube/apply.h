// Applying rendered objects to a cluster, then restarting only the workloads whose Envoy
// bootstrap must change: the stats matcher lives in the bootstrap, which pilot-agent writes once
// when the proxy starts (facts/envoy-istio.md §3.3). Everything goes through the Kubectl
// interface; nothing here prints.
//
// The kubectl calls, in order:
//   kubectl get <ref> -n NS -o json --ignore-not-found             every object, before
//   kubectl apply --server-side --field-manager=hfi-metrics --force-conflicts -f - -o json
//       [--dry-run=server]      (--dry-run=client: client-side, kubectl refuses it with SSA)
//   kubectl rollout restart <kind>/<name> -n NS                     only where needed
//   kubectl rollout status <kind>/<name> -n NS --timeout=<N>s       --wait
#pragma once

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kube/kubectl.h"
#include "kube/pods.h"
#include "render/manifests.h"
#include "render/values.h"
#include "util/errors.h"

namespace hfi::kube {

inline constexpr const char* kFieldManager = "hfi-metrics";

enum class DryRun { kNone, kClient, kServer };
std::string_view DryRunName(DryRun mode);  // "none", "client", "server"

enum class ObjectAction { kCreated, kConfigured, kUnchanged };
std::string_view ObjectActionName(ObjectAction action);  // "created", "configured", "unchanged"

enum class WorkloadAction {
  kUnchanged,       // its proxies already run with what was applied
  kRollingOut,      // its pod template changed: Kubernetes replaces the pods by itself
  kRestarted,       // `kubectl rollout restart` (under a dry run: would be)
  kRestartSkipped,  // needs a restart, but restarts were turned off (--no-restart)
};
// "unchanged", "rolling-out", "restarted", "restart-skipped"
std::string_view WorkloadActionName(WorkloadAction action);

enum class RolloutState { kNotWaited, kComplete, kTimedOut, kFailed };
// "not-waited", "complete", "timed-out", "failed"
std::string_view RolloutStateName(RolloutState state);

struct ObjectOutcome {
  std::string api_version, kind, name;
  std::string ref;  // as kubectl prints it: "wasmplugin.extensions.istio.io/hfi-fault-injection"
  ObjectAction action = ObjectAction::kUnchanged;
};

struct WorkloadOutcome {
  std::string kind;         // "Deployment"
  std::string name;         // "frontend"
  std::string ref;          // "deployment.apps/frontend"
  std::string rollout_ref;  // "deployment/frontend", as `kubectl rollout` takes it
  WorkloadAction action = WorkloadAction::kUnchanged;
  std::string reason;  // why it rolls out or needs a restart; empty when unchanged
  RolloutState rollout = RolloutState::kNotWaited;
};

struct ApplyOptions {
  DryRun dry_run = DryRun::kNone;
  bool restart = true;  // false: report the restarts needed (HFI506) instead of doing them
  bool wait = false;    // `kubectl rollout status` for every workload rolling out or restarted
  milliseconds rollout_timeout{180'000};  // each rollout
  // The command's --timeout: no rollout waits past it (the message then names the limit).
  std::optional<std::chrono::steady_clock::time_point> deadline;
  milliseconds deadline_limit{0};
  milliseconds call_timeout{60'000};  // every other kubectl call
  // Progress for people (stderr): "waiting for deployment/frontend to roll out".
  std::function<void(const std::string&)> progress;
};

struct ApplyResult {
  DryRun dry_run = DryRun::kNone;
  std::string namespace_name;
  std::vector<ObjectOutcome> objects;  // in apply order
  // The values' workloads in their order, then owners of selected pods that must restart.
  std::vector<WorkloadOutcome> workloads;
  std::vector<render::Warning> warnings;  // restarts needed but not done (HFI506), ...
  // Waiting for a rollout failed: the result is still worth reporting, then this error ends
  // the command (exit 2).
  std::optional<Error> wait_error;
};

// "app=frontend,tier=web" (a std::map: sorted, stable).
std::string SelectorText(const std::map<std::string, std::string>& selector);

// `kubectl get pods -n NS -l SELECTOR -o json`, parsed. A failed call is an Error (exit 2) naming
// the check to run.
std::vector<Pod> GetSelectedPods(Kubectl& kubectl, const std::string& namespace_name,
                                 const std::string& selector, milliseconds timeout);

// Applies `objects` (rendered from `values`, in apply order) and restarts where the bootstrap
// must change. `pods` are the selected pods as listed before the apply: their annotations and
// owners decide the restarts. Throws Error for a failed kubectl call (see KubectlError); a
// rollout that does not finish in time is ApplyResult::wait_error instead.
ApplyResult ApplyManifests(Kubectl& kubectl, const render::Values& values,
                           const std::vector<nlohmann::ordered_json>& objects,
                           const std::vector<Pod>& pods, const ApplyOptions& options);

struct DiffResult {
  bool differences = false;
  std::string output;  // kubectl diff's stdout: a unified diff per changed object
};

// `kubectl diff --server-side --field-manager=hfi-metrics --force-conflicts -f -`. kubectl exits
// 0 without and 1 with differences; anything else is a failure, thrown as an Error with exit
// code 2 whatever the cause (kubectl diff's own convention: >1 means it failed).
DiffResult DiffManifests(Kubectl& kubectl, const std::vector<nlohmann::ordered_json>& objects,
                         const std::string& namespace_name, milliseconds timeout);

// A failed kubectl call as a one-line error. `command` names the call ("kubectl apply"); `needs`
// is the permission it takes ("patch deployments.apps") when kubectl's message does not say.
// Forbidden and unreachable clusters, timeouts, missing APIs → exit 2, naming the check to run
// (`kubectl auth can-i VERB RESOURCE -n NS`, the context); objects the API server rejects as
// Invalid or BadRequest → exit 3 with the server's message; Ctrl-C → 130.
Error KubectlError(const KubectlResult& result, const std::string& command,
                   const std::string& namespace_name, const std::string& needs);

// The object's name as kubectl prints it: lower-case kind, API group, name
// ("deployment.apps/frontend", "configmap/hfi-wasm").
std::string ObjectRef(const nlohmann::ordered_json& object);

}  // namespace hfi::kube

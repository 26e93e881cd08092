// Pods as hfi-metrics needs them, parsed at the edge from `kubectl get pods -o json` (a List) or
// `kubectl get pod NAME -o json` (one Pod), and the target selection that produces them.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kube/kubectl.h"
#include "render/values.h"

namespace hfi::kube {

inline constexpr const char* kSidecarContainer = "istio-proxy";

struct Pod {
  std::string namespace_name;
  std::string name;
  std::string phase;      // status.phase: Pending, Running, Succeeded, Failed, Unknown
  bool deleting = false;  // metadata.deletionTimestamp set
  std::map<std::string, std::string> labels;
  std::map<std::string, std::string> annotations;
  std::string start_time;  // status.startTime, RFC 3339 ("" when not started)
  // The owner as `kubectl rollout` names it: "deployment/frontend" resolved from a ReplicaSet
  // owner "frontend-7d9c8b7f5" by dropping the pod-template-hash suffix (label
  // pod-template-hash), "statefulset/db", "daemonset/x"; "" when none.
  std::string workload;

  // The istio-proxy container: a regular container, or a native sidecar (an init container with
  // restartPolicy: Always, Istio >= 1.27 with ENABLE_NATIVE_SIDECARS).
  bool has_sidecar = false;
  bool sidecar_ready = false;   // status.containerStatuses / initContainerStatuses ready
  std::string sidecar_image;    // e.g. docker.io/istio/proxyv2:1.24.2
  std::string sidecar_waiting;  // the container's waiting reason (CrashLoopBackOff, ...) or ""
  std::optional<render::IstioVersion> istio_version;  // from the image tag, when it has one
  // spec.containers and spec.initContainers by name, in order: what a pod without the sidecar
  // runs instead.
  std::vector<std::string> containers, init_containers;

  PodRef ref() const { return {namespace_name, name}; }
  std::string display_name() const { return namespace_name + "/" + name; }  // "demo/frontend-x"
  bool running() const { return phase == "Running" && !deleting; }
};

// Throws InputError ("kubectl get pods output: ...") when the text is not a Pod or a List of them.
std::vector<Pod> ParsePods(std::string_view json);

// "docker.io/istio/proxyv2:1.24.2" → 1.24.2; "...:1.24.2-distroless" → 1.24.2;
// "gcr.io/istio-release/proxyv2@sha256:..." or a tag that is no version → nullopt.
std::optional<render::IstioVersion> IstioVersionFromImage(std::string_view image);

struct PodTargets {
  std::string namespace_name;  // empty: kubectl's current namespace
  bool all_namespaces = false;
  std::string selector;            // -l
  std::vector<std::string> names;  // pod names; a selector or names is required
};

// Lists the pods: `kubectl get pods -o json [-n NS | -A] [-l SEL]`, or `get pods N1 N2 ...`.
// Throws EnvironmentError (exit 2) when kubectl fails: the cluster unreachable, get pods
// forbidden (naming the verb and resource), a namespace or named pod not found, a timeout.
std::vector<Pod> ListPods(Kubectl& kubectl, const PodTargets& targets, milliseconds timeout);

}  // namespace hfi::kube

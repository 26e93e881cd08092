// Which Istio the selected pods run, for rendering (the EnvoyFilter and HFI507 logic depend on
// it) when neither --istio-version nor the values file says: the istio-proxy image tags of the
// pods first (what actually runs), then istiod's discovery image, else a clear error.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "kube/kubectl.h"
#include "kube/pods.h"
#include "render/values.h"

namespace hfi::kube {

struct DetectedIstio {
  render::IstioVersion version;
  std::string origin;                 // "pods" or "istiod"
  std::string detail;                 // for people: "the istio-proxy image of 2 pods in demo"
  std::vector<std::string> warnings;  // e.g. the pods run several versions
};

// The lowest version among the pods' sidecar images (a rollout mid-upgrade renders for the
// older proxies); nullopt when no pod has a sidecar image with a version tag.
std::optional<DetectedIstio> IstioVersionFromPods(const std::vector<Pod>& pods);

// `kubectl get deployment istiod -n istio-system -o json`, the `discovery` container's image tag.
// nullopt when istiod is not there, cannot be read or has no version tag; `why_not` then says
// why, for the error that follows.
std::optional<DetectedIstio> IstioVersionFromIstiod(Kubectl& kubectl, milliseconds timeout,
                                                    std::string* why_not);

// The pods, then istiod; EnvironmentError asking for --istio-version when neither tells.
// `where` names the selection for that message ("app=frontend in demo").
DetectedIstio DetectIstioVersion(Kubectl& kubectl, const std::vector<Pod>& pods,
                                 const std::string& where, milliseconds timeout);

}  // namespace hfi::kube

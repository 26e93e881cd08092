#include "kube/istio_detect.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <tuple>

#include "util/errors.h"

namespace hfi::kube {
namespace {

using Json = nlohmann::json;

constexpr const char* kIstioNamespace = "istio-system";

std::string Plural(std::size_t n, const std::string& word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

std::string FirstLine(const std::string& text) {
  const std::size_t start = text.find_first_not_of(" \t\r\n");
  if (start == std::string::npos)
    return "";
  const std::size_t end = text.find('\n', start);
  std::string line = text.substr(start, end == std::string::npos ? end : end - start);
  while (!line.empty() && (line.back() == '\r' || line.back() == ' '))
    line.pop_back();
  return line;
}

// The image of the container named `name` in a Deployment's pod template, or "".
std::string ContainerImage(const Json& deployment, const std::string& name) {
  const Json* containers = nullptr;
  try {
    containers = &deployment.at("spec").at("template").at("spec").at("containers");
  } catch (const Json::exception&) {
    return "";
  }
  if (!containers->is_array())
    return "";
  for (const Json& container : *containers) {
    if (container.is_object() && container.value("name", "") == name)
      return container.value("image", "");
  }
  return "";
}

}  // namespace

std::optional<DetectedIstio> IstioVersionFromPods(const std::vector<Pod>& pods) {
  // Keyed by the numeric version: "1.24.2" and "1.24.2-distroless" are the same proxy.
  std::map<std::tuple<int, int, int>, render::IstioVersion> versions;
  std::size_t counted = 0;
  std::string namespace_name;
  for (const Pod& pod : pods) {
    if (!pod.has_sidecar || !pod.istio_version)
      continue;
    ++counted;
    namespace_name = pod.namespace_name;
    const render::IstioVersion& v = *pod.istio_version;
    versions.emplace(std::make_tuple(v.major, v.minor, v.patch), v);
  }
  if (versions.empty())
    return std::nullopt;

  DetectedIstio found;
  found.version = versions.begin()->second;
  found.origin = "pods";
  found.detail = "the istio-proxy image of " + Plural(counted, "pod") +
                 (namespace_name.empty() ? "" : " in " + namespace_name);
  if (versions.size() > 1) {
    std::string list;
    for (const auto& [key, version] : versions)
      list += (list.empty() ? "" : ", ") + version.text;
    found.warnings.push_back("the selected pods run several Istio versions (" + list +
                             "): rendering for the lowest, " + found.version.text +
                             "; finish the upgrade or pass --istio-version");
  }
  return found;
}

std::optional<DetectedIstio> IstioVersionFromIstiod(Kubectl& kubectl, milliseconds timeout,
                                                    std::string* why_not) {
  const KubectlResult result =
      kubectl.Run({"get", "deployment", "istiod", "-n", kIstioNamespace, "-o", "json"}, timeout);
  const auto fail = [why_not](std::string why) -> std::optional<DetectedIstio> {
    if (why_not != nullptr)
      *why_not = std::move(why);
    return std::nullopt;
  };
  if (!result.ok()) {
    if (result.end == KubectlResult::End::kInterrupted)
      throw InterruptedError("kubectl get deployment istiod");
    const KubectlFailure failure = ClassifyFailure(result);
    const std::string message = failure.message.empty() ? FirstLine(result.err) : failure.message;
    switch (failure.kind) {
      case KubectlFailure::Kind::kNotFound:
        return fail("there is no deployment istiod in istio-system");
      case KubectlFailure::Kind::kForbidden:
        return fail("reading deployment istiod in istio-system is forbidden");
      case KubectlFailure::Kind::kInterrupted:
        throw InterruptedError("kubectl get deployment istiod");
      default:
        return fail("reading deployment istiod in istio-system failed: " + message);
    }
  }
  Json deployment;
  try {
    deployment = Json::parse(result.out);
  } catch (const Json::exception&) {
    return fail("kubectl get deployment istiod printed no JSON");
  }
  const std::string image = ContainerImage(deployment, "discovery");
  if (image.empty())
    return fail("deployment istiod in istio-system has no discovery container");
  const std::optional<render::IstioVersion> version = IstioVersionFromImage(image);
  if (!version)
    return fail("istiod's image " + image + " has no version tag");
  DetectedIstio found;
  found.version = *version;
  found.origin = "istiod";
  found.detail = "istiod's image in istio-system";
  return found;
}

DetectedIstio DetectIstioVersion(Kubectl& kubectl, const std::vector<Pod>& pods,
                                 const std::string& where, milliseconds timeout) {
  if (std::optional<DetectedIstio> found = IstioVersionFromPods(pods))
    return std::move(*found);
  std::string why_not;
  if (std::optional<DetectedIstio> found = IstioVersionFromIstiod(kubectl, timeout, &why_not))
    return std::move(*found);
  const bool any_sidecar =
      std::any_of(pods.begin(), pods.end(), [](const Pod& pod) { return pod.has_sidecar; });
  const std::string pods_part =
      pods.empty() ? "no pod matches " + where
      : any_sidecar
          ? "the istio-proxy images of the pods matching " + where + " have no version tag"
          : "none of the pods matching " + where + " has an istio-proxy container";
  throw EnvironmentError("Istio version", "cannot detect it: " + pods_part + ", and " + why_not,
                         "pass --istio-version X.Y.Z (or istio.version in the values file)");
}

}  // namespace hfi::kube

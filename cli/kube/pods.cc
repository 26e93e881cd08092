#include "kube/pods.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "util/errors.h"

namespace hfi::kube {
namespace {

using nlohmann::json;

constexpr const char* kOutput = "kubectl get pods output";
constexpr const char* kGetPods = "kubectl get pods";

const json* Field(const json& object, const char* key) {
  if (!object.is_object())
    return nullptr;
  auto it = object.find(key);
  return it == object.end() ? nullptr : &*it;
}

std::string String(const json& object, const char* key) {
  const json* value = Field(object, key);
  return value != nullptr && value->is_string() ? value->get<std::string>() : std::string();
}

const json& Object(const json& object, const char* key) {
  static const json kEmpty = json::object();
  const json* value = Field(object, key);
  return value != nullptr && value->is_object() ? *value : kEmpty;
}

const json& Array(const json& object, const char* key) {
  static const json kEmpty = json::array();
  const json* value = Field(object, key);
  return value != nullptr && value->is_array() ? *value : kEmpty;
}

std::map<std::string, std::string> StringMap(const json& object) {
  std::map<std::string, std::string> out;
  for (auto it = object.begin(); it != object.end(); ++it)
    out[it.key()] = it->is_string() ? it->get<std::string>() : it->dump();
  return out;
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

// The controlling owner as `kubectl rollout` names it. A ReplicaSet made by a Deployment is named
// DEPLOYMENT-HASH, HASH being the pod's pod-template-hash label.
std::string Workload(const json& metadata, const std::map<std::string, std::string>& labels) {
  const json& owners = Array(metadata, "ownerReferences");
  const json* owner = nullptr;
  for (const json& candidate : owners) {
    const json* controller = Field(candidate, "controller");
    if (controller != nullptr && controller->is_boolean() && controller->get<bool>()) {
      owner = &candidate;
      break;
    }
  }
  if (owner == nullptr && !owners.empty())
    owner = &owners.front();
  if (owner == nullptr)
    return {};
  std::string kind = String(*owner, "kind");
  std::string name = String(*owner, "name");
  if (kind.empty() || name.empty())
    return {};
  if (kind == "ReplicaSet") {
    auto hash = labels.find("pod-template-hash");
    if (hash != labels.end() && !hash->second.empty()) {
      std::string suffix = "-" + hash->second;
      if (name.size() > suffix.size() &&
          name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0)
        return "deployment/" + name.substr(0, name.size() - suffix.size());
    }
  }
  return Lower(kind) + "/" + name;
}

// Fills the sidecar fields from the container named istio-proxy, a regular container or a native
// sidecar (an init container that keeps running).
void ReadSidecar(const json& spec, const json& status, Pod* pod) {
  for (const json& container : Array(spec, "containers"))
    pod->containers.push_back(String(container, "name"));
  for (const json& container : Array(spec, "initContainers"))
    pod->init_containers.push_back(String(container, "name"));
  const char* statuses = nullptr;
  for (const json& container : Array(spec, "containers")) {
    if (String(container, "name") == kSidecarContainer) {
      pod->has_sidecar = true;
      pod->sidecar_image = String(container, "image");
      statuses = "containerStatuses";
      break;
    }
  }
  if (!pod->has_sidecar) {
    for (const json& container : Array(spec, "initContainers")) {
      if (String(container, "name") == kSidecarContainer &&
          String(container, "restartPolicy") == "Always") {
        pod->has_sidecar = true;
        pod->sidecar_image = String(container, "image");
        statuses = "initContainerStatuses";
        break;
      }
    }
  }
  if (!pod->has_sidecar)
    return;
  for (const json& container_status : Array(status, statuses)) {
    if (String(container_status, "name") != kSidecarContainer)
      continue;
    const json* ready = Field(container_status, "ready");
    pod->sidecar_ready = ready != nullptr && ready->is_boolean() && ready->get<bool>();
    pod->sidecar_waiting = String(Object(Object(container_status, "state"), "waiting"), "reason");
    break;
  }
  pod->istio_version = IstioVersionFromImage(pod->sidecar_image);
}

Pod ParsePod(const json& item, const std::string& where) {
  if (!item.is_object())
    throw InputError(kOutput, where + " is not a JSON object");
  std::string kind = String(item, "kind");
  if (!kind.empty() && kind != "Pod")
    throw InputError(kOutput, where + " is a " + kind + ", not a Pod");
  const json& metadata = Object(item, "metadata");
  const json& spec = Object(item, "spec");
  const json& status = Object(item, "status");
  Pod pod;
  pod.name = String(metadata, "name");
  if (pod.name.empty())
    throw InputError(kOutput, where + " has no metadata.name");
  pod.namespace_name = String(metadata, "namespace");
  pod.deleting = !String(metadata, "deletionTimestamp").empty();
  pod.labels = StringMap(Object(metadata, "labels"));
  pod.annotations = StringMap(Object(metadata, "annotations"));
  pod.workload = Workload(metadata, pod.labels);
  pod.phase = String(status, "phase");
  pod.start_time = String(status, "startTime");
  ReadSidecar(spec, status, &pod);
  return pod;
}

// nlohmann's messages start with "[json.exception.parse_error.101] ".
std::string JsonReason(const std::exception& e) {
  std::string_view what = e.what();
  if (!what.empty() && what.front() == '[') {
    std::size_t close = what.find("] ");
    if (close != std::string_view::npos)
      what.remove_prefix(close + 2);
  }
  return std::string(what);
}

// kubectl's line without its "Error from server (Forbidden): " or "error: " lead.
std::string Reason(std::string message) {
  if (message.rfind("Error from server (", 0) == 0) {
    std::size_t colon = message.find("): ");
    if (colon != std::string::npos)
      message.erase(0, colon + 3);
  } else if (message.rfind("error: ", 0) == 0) {
    message.erase(0, 7);
  }
  return message;
}

std::string QuotedAfter(const std::string& text, const std::string& marker) {
  std::size_t at = text.find(marker + "\"");
  if (at == std::string::npos)
    return {};
  std::size_t begin = at + marker.size() + 1;
  std::size_t end = text.find('"', begin);
  return end == std::string::npos ? std::string() : text.substr(begin, end - begin);
}

[[noreturn]] void ThrowFailure(const KubectlResult& result, const PodTargets& targets,
                               milliseconds timeout) {
  KubectlFailure failure = ClassifyFailure(result);
  std::string scope = targets.all_namespaces           ? " --all-namespaces"
                      : targets.namespace_name.empty() ? std::string()
                                                       : " -n " + targets.namespace_name;
  std::string why = Reason(failure.message);
  switch (failure.kind) {
    case KubectlFailure::Kind::kInterrupted:
      throw InterruptedError(kGetPods);
    case KubectlFailure::Kind::kForbidden: {
      std::string verb =
          failure.verb.empty() ? (targets.names.empty() ? "list" : "get") : failure.verb;
      std::string resource = failure.resource.empty() ? "pods" : failure.resource;
      throw EnvironmentError(
          kGetPods, why,
          "check your permissions with `kubectl auth can-i " + verb + " " + resource + scope + "`");
    }
    case KubectlFailure::Kind::kUnreachable: {
      const std::string& err = result.err;
      if (err.find("Unauthorized") != std::string::npos ||
          err.find("must be logged in") != std::string::npos)
        throw EnvironmentError(kGetPods, why,
                               "the cluster rejected the credentials of the current context: log "
                               "in again or refresh them (`kubectl config current-context`)");
      if (err.find("x509:") != std::string::npos || err.find("certificate") != std::string::npos)
        throw EnvironmentError(kGetPods, why,
                               "the API server's certificate is not trusted: check the "
                               "certificate-authority of the context in the kubeconfig");
      throw EnvironmentError(kGetPods, why,
                             "check the context (`kubectl config current-context`, --context, "
                             "--kubeconfig) and that the cluster answers (`kubectl cluster-info`)");
    }
    case KubectlFailure::Kind::kNotFound: {
      std::string ns = QuotedAfter(result.err, "namespaces ");
      if (!ns.empty())
        throw EnvironmentError(kGetPods, "namespace " + ns + " not found",
                               "check -n (`kubectl get namespaces`)");
      std::string pod = QuotedAfter(result.err, "pods ");
      if (!pod.empty()) {
        std::string where = targets.namespace_name.empty() ? std::string("the current namespace")
                                                           : "namespace " + targets.namespace_name;
        throw EnvironmentError(kGetPods, "pod " + pod + " not found in " + where,
                               "check the name and -n (`kubectl get pods" + scope + "`)");
      }
      throw EnvironmentError(kGetPods, why, "check the pod names and -n");
    }
    case KubectlFailure::Kind::kTimeout:
      throw EnvironmentError(kGetPods,
                             result.end == KubectlResult::End::kTimedOut
                                 ? "no answer within " + DurationText(timeout)
                                 : why,
                             "the API server is slow or out of reach: check `kubectl "
                             "cluster-info`, or try again");
    case KubectlFailure::Kind::kCrashed:
      throw EnvironmentError(kGetPods, "kubectl died of a signal",
                             "check the kubectl binary (`kubectl version --client`)");
    default:
      break;
  }
  throw EnvironmentError(kGetPods, why.empty() ? failure.message : why,
                         "run the same kubectl command by hand (-v prints it) to see its answer");
}

}  // namespace

std::vector<Pod> ParsePods(std::string_view text) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos)
    throw InputError(kOutput, "empty", "expected JSON from `kubectl get pods -o json`");
  json document;
  try {
    document = json::parse(text);
  } catch (const json::exception& e) {
    throw InputError(kOutput, "not JSON: " + JsonReason(e),
                     "expected JSON from `kubectl get pods -o json`");
  }
  if (!document.is_object())
    throw InputError(kOutput, std::string("expected a Pod or a List of pods, got a JSON ") +
                                  document.type_name());
  std::string kind = String(document, "kind");
  std::vector<Pod> pods;
  if (kind == "Pod") {
    pods.push_back(ParsePod(document, "the Pod"));
  } else if (kind == "List" || kind == "PodList") {
    const json* items = Field(document, "items");
    if (items == nullptr || !(items->is_array() || items->is_null()))
      throw InputError(kOutput, "the " + kind + " has no \"items\" array");
    if (items->is_array()) {
      for (std::size_t i = 0; i < items->size(); ++i)
        pods.push_back(ParsePod((*items)[i], "items[" + std::to_string(i) + "]"));
    }
  } else {
    throw InputError(kOutput, kind.empty() ? std::string("no \"kind\": expected a Pod or a List")
                                           : "expected a Pod or a List, got kind " + kind);
  }
  return pods;
}

std::optional<render::IstioVersion> IstioVersionFromImage(std::string_view image) {
  // A digest pins bytes, not a version; a tag before it still names the version.
  image = image.substr(0, image.find('@'));
  std::size_t slash = image.rfind('/');
  std::size_t colon = image.rfind(':');
  // A colon before the last slash belongs to the registry's host:port.
  if (colon == std::string_view::npos || (slash != std::string_view::npos && colon < slash))
    return std::nullopt;
  std::string_view tag = image.substr(colon + 1);
  std::optional<render::IstioVersion> version = render::ParseIstioVersion(tag);
  if (!version)
    return std::nullopt;
  // "1.24.2-distroless" and "v1.24.2" name the same release: keep only that.
  if (!tag.empty() && (tag.front() == 'v' || tag.front() == 'V'))
    tag.remove_prefix(1);
  version->text = std::string(tag.substr(0, tag.find_first_of("-+")));
  return version;
}

std::vector<Pod> ListPods(Kubectl& kubectl, const PodTargets& targets, milliseconds timeout) {
  if (targets.names.empty() && targets.selector.empty())
    throw UsageError("pod selection", "no pods named and no selector",
                     "name pods or pass -l SELECTOR");
  if (!targets.names.empty() && !targets.selector.empty())
    throw UsageError("pod selection", "pod names and -l cannot be combined",
                     "pass either pod names or -l SELECTOR");
  if (targets.all_namespaces && !targets.names.empty())
    throw UsageError("pod selection", "pod names cannot be combined with -A",
                     "name the namespace with -n");
  if (targets.all_namespaces && !targets.namespace_name.empty())
    throw UsageError("pod selection", "-n and -A cannot be combined");

  std::vector<std::string> args = {"get", "pods"};
  args.insert(args.end(), targets.names.begin(), targets.names.end());
  args.insert(args.end(), {"-o", "json"});
  if (targets.all_namespaces) {
    args.push_back("-A");
  } else if (!targets.namespace_name.empty()) {
    args.insert(args.end(), {"-n", targets.namespace_name});
  }
  if (!targets.selector.empty())
    args.insert(args.end(), {"-l", targets.selector});

  KubectlResult result = kubectl.Run(args, timeout);
  if (!result.ok())
    ThrowFailure(result, targets, timeout);
  std::vector<Pod> pods;
  try {
    pods = ParsePods(result.out);
  } catch (const InputError& e) {
    // kubectl's own output, not the user's input: a kubectl (or a plugin) that misbehaves.
    throw EnvironmentError(kGetPods, "unexpected output: " + e.reason(),
                           "check the kubectl binary (`kubectl version --client`)");
  }
  for (Pod& pod : pods) {
    if (pod.namespace_name.empty())
      pod.namespace_name = targets.namespace_name;
  }
  return pods;
}

}  // namespace hfi::kube

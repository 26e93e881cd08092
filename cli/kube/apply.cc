#include "kube/apply.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <set>
#include <utility>

#include "verify/hints.h"

namespace hfi::kube {
namespace {

using Json = nlohmann::ordered_json;

// Pod annotations read only when the proxy starts: pilot-agent builds the bootstrap from
// proxy.istio.io/config and the sidecar.istio.io stats annotations (facts/envoy-istio.md §3.2,
// §3.3), and the injector turns the volume annotations into the pod's volumes at creation. A pod
// carrying another value than its template keeps the old behaviour until it is replaced.
constexpr std::array<std::string_view, 10> kStartupAnnotations = {
    "proxy.istio.io/config",
    "sidecar.istio.io/statsInclusionPrefixes",
    "sidecar.istio.io/statsInclusionSuffixes",
    "sidecar.istio.io/statsInclusionRegexps",
    "sidecar.istio.io/extraStatTags",
    "sidecar.istio.io/statsHistogramBuckets",
    "sidecar.istio.io/statsEvictionInterval",
    "sidecar.istio.io/bootstrapOverride",
    "sidecar.istio.io/userVolume",
    "sidecar.istio.io/userVolumeMount",
};

// BOOTSTRAP EnvoyFilter patches reach a proxy only through the agent's bootstrap discovery,
// which exists from 1.11 to 1.20 and reads them once, before Envoy starts (facts §3.4, §5).
const render::IstioVersion kBootstrapPatchesFrom{1, 11, 0, "1.11.0"};
const render::IstioVersion kBootstrapPatchesRemoved{1, 21, 0, "1.21.0"};

// How long `kubectl rollout status` may run past its own --timeout before it is stopped.
constexpr milliseconds kRolloutGrace{30'000};

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::string Trim(std::string_view text) {
  const std::size_t start = text.find_first_not_of(" \t\r\n");
  if (start == std::string_view::npos)
    return "";
  const std::size_t end = text.find_last_not_of(" \t\r\n");
  return std::string(text.substr(start, end - start + 1));
}

std::string FirstLine(const std::string& text) {
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos)
      end = text.size();
    std::string line = Trim(std::string_view(text).substr(start, end - start));
    if (!line.empty())
      return line.size() > 300 ? line.substr(0, 300) : line;
    start = end + 1;
  }
  return "";
}

std::string SecondsText(milliseconds duration) {
  return std::to_string((duration.count() + 999) / 1000) + "s";
}

std::string Group(const std::string& api_version) {
  const std::size_t slash = api_version.find('/');
  return slash == std::string::npos ? std::string() : api_version.substr(0, slash);
}

std::string StringAt(const Json& object, const char* outer, const char* inner) {
  if (!object.is_object())
    return "";
  const auto o = object.find(outer);
  if (o == object.end() || !o->is_object())
    return "";
  const auto i = o->find(inner);
  return i != o->end() && i->is_string() ? i->get<std::string>() : std::string();
}

// A sub-object by path, or null when any step is missing.
Json At(const Json& object, std::initializer_list<const char*> path) {
  const Json* node = &object;
  for (const char* key : path) {
    if (!node->is_object())
      return Json();
    const auto it = node->find(key);
    if (it == node->end())
      return Json();
    node = &*it;
  }
  return *node;
}

// The object without what the server changes on every write or keeps apart from the spec.
Json Comparable(Json object) {
  if (!object.is_object())
    return object;
  object.erase("status");
  if (auto metadata = object.find("metadata"); metadata != object.end() && metadata->is_object()) {
    metadata->erase("resourceVersion");
    metadata->erase("managedFields");
    metadata->erase("generation");
  }
  return object;
}

using Key = std::pair<std::string, std::string>;  // kind, name

Key KeyOf(const Json& object) {
  return {object.is_object() ? object.value("kind", "") : std::string(),
          StringAt(object, "metadata", "name")};
}

// kubectl apply -o json prints one object, or a List of them when there are several. Anything
// else (a kubectl that printed text) leaves the caller to derive the result from the objects.
std::map<Key, Json> AppliedObjects(const std::string& out) {
  std::map<Key, Json> objects;
  Json parsed;
  try {
    parsed = Json::parse(out);
  } catch (const Json::exception&) {
    return objects;
  }
  if (!parsed.is_object())
    return objects;
  if (const auto items = parsed.find("items"); items != parsed.end() && items->is_array()) {
    for (const Json& item : *items)
      objects.emplace(KeyOf(item), item);
  } else {
    objects.emplace(KeyOf(parsed), parsed);
  }
  return objects;
}

// `get --ignore-not-found` prints nothing for a missing object; a kubectl that answers NotFound
// for it instead says the same thing. A missing namespace is not this.
bool IsAbsent(const KubectlResult& got, const Json& object) {
  if (got.end != KubectlResult::End::kExited || got.exit_code != 1)
    return false;
  const std::string name = StringAt(object, "metadata", "name");
  return got.err.find("(NotFound)") != std::string::npos &&
         got.err.find("\"" + name + "\" not found") != std::string::npos &&
         got.err.find("namespaces \"") == std::string::npos;
}

bool IsWorkloadKind(const std::string& kind) {
  return kind == "Deployment" || kind == "StatefulSet" || kind == "DaemonSet";
}

// The line of kubectl's stderr holding the API server's rejection, without kubectl's prefix.
std::optional<std::string> ServerRejection(const std::string& err) {
  for (const char* marker : {"Error from server (Invalid): ", "Error from server (BadRequest): "}) {
    const std::size_t at = err.find(marker);
    if (at == std::string::npos)
      continue;
    std::string line = FirstLine(err.substr(at + std::string_view(marker).size()));
    // "error when creating "STDIN": WasmPlugin... is invalid: ..." → the object's own message.
    const std::size_t stdin_at = line.find("\"STDIN\": ");
    if (stdin_at != std::string::npos)
      line = line.substr(stdin_at + 9);
    return line;
  }
  return std::nullopt;
}

std::string Plural(std::size_t n, const std::string& word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

// The startup annotations on which `pod` differs from `template_annotations`.
std::vector<std::string> StaleAnnotations(const Json& template_annotations, const Pod& pod) {
  std::vector<std::string> stale;
  for (std::string_view key_view : kStartupAnnotations) {
    const std::string key(key_view);
    std::optional<std::string> wanted;
    if (template_annotations.is_object()) {
      if (const auto it = template_annotations.find(key);
          it != template_annotations.end() && it->is_string())
        wanted = it->get<std::string>();
    }
    std::optional<std::string> has;
    if (const auto it = pod.annotations.find(key); it != pod.annotations.end())
      has = it->second;
    if (wanted != has)
      stale.push_back(key);
  }
  return stale;
}

WorkloadOutcome NewWorkload(const std::string& kind, const std::string& name) {
  WorkloadOutcome w;
  w.kind = kind;
  w.name = name;
  w.ref = Lower(kind) + ".apps/" + name;
  w.rollout_ref = Lower(kind) + "/" + name;
  return w;
}

// "deployment/frontend" (a pod's owner) → the API kind.
std::string KindFromRolloutRef(const std::string& rollout_ref) {
  const std::string kind = rollout_ref.substr(0, rollout_ref.find('/'));
  if (kind == "statefulset")
    return "StatefulSet";
  if (kind == "daemonset")
    return "DaemonSet";
  return "Deployment";
}

class Applier {
 public:
  Applier(Kubectl& kubectl, const render::Values& values, const std::vector<Json>& objects,
          const std::vector<Pod>& pods, const ApplyOptions& options)
      : kubectl_(kubectl), values_(values), objects_(objects), pods_(pods), options_(options) {
    result_.dry_run = options.dry_run;
    result_.namespace_name = values.namespace_name;
  }

  ApplyResult Run() {
    ReadCurrent();
    Apply();
    DecideWorkloads();
    Restart();
    Wait();
    return std::move(result_);
  }

 private:
  const std::string& ns() const { return values_.namespace_name; }

  // Every object as it is now; a workload the annotations would patch must already exist (the
  // partial object cannot create one), which is checked before anything is written.
  void ReadCurrent() {
    for (const Json& object : objects_) {
      const std::string ref = ObjectRef(object);
      const KubectlResult got = kubectl_.Run(
          {"get", ref, "-n", ns(), "-o", "json", "--ignore-not-found"}, options_.call_timeout);
      if (!got.ok() && !IsAbsent(got, object)) {
        const std::string resource = Lower(object.value("kind", "")) + "s" +
                                     (Group(object.value("apiVersion", "")).empty() ? "" : ".") +
                                     Group(object.value("apiVersion", ""));
        throw KubectlError(got, "kubectl get " + ref, ns(), "get " + resource);
      }
      Json current;
      if (got.ok() && !Trim(got.out).empty()) {
        try {
          current = Json::parse(got.out);
        } catch (const Json::exception&) {
          throw EnvironmentError("kubectl get " + ref, "printed no JSON",
                                 "run it with -v to see the command line");
        }
      }
      if (current.is_null() && IsWorkloadKind(object.value("kind", ""))) {
        throw EnvironmentError(
            ref, "not found in namespace " + ns(),
            "the annotations patch an existing workload's pod template: deploy the workload "
            "first, or fix --workload / workloads");
      }
      before_.push_back(std::move(current));
    }
  }

  void Apply() {
    std::vector<std::string> args = {"apply"};
    if (options_.dry_run == DryRun::kClient) {
      // kubectl refuses --dry-run=client together with --server-side; a client-side dry run
      // only checks the objects locally, so the comparison below is against the live objects.
      args.insert(args.end(),
                  {"--field-manager=" + std::string(kFieldManager), "--dry-run=client"});
    } else {
      args.insert(args.end(), {"--server-side", "--field-manager=" + std::string(kFieldManager),
                               "--force-conflicts"});
      if (options_.dry_run == DryRun::kServer)
        args.push_back("--dry-run=server");
    }
    args.insert(args.end(), {"-f", "-", "-o", "json"});
    const KubectlResult applied =
        kubectl_.RunWithInput(args, render::ToYaml(objects_), options_.call_timeout);
    if (!applied.ok())
      throw KubectlError(applied, "kubectl apply", ns(), "patch " + AppliedResources());
    std::map<Key, Json> returned;
    if (options_.dry_run != DryRun::kClient)
      returned = AppliedObjects(applied.out);

    for (std::size_t i = 0; i < objects_.size(); ++i) {
      const Json& object = objects_[i];
      const Json& before = before_[i];
      Json after;
      if (const auto it = returned.find(KeyOf(object)); it != returned.end()) {
        after = it->second;
      } else {
        // What the server would hold: the live object with the applied fields set over it.
        after = before.is_null() ? object : before;
        if (!before.is_null())
          after.merge_patch(object);
      }
      ObjectOutcome outcome;
      outcome.api_version = object.value("apiVersion", "");
      outcome.kind = object.value("kind", "");
      outcome.name = StringAt(object, "metadata", "name");
      outcome.ref = ObjectRef(object);
      outcome.action = Action(before, after);
      result_.objects.push_back(std::move(outcome));
      after_.push_back(std::move(after));
    }
  }

  ObjectAction Action(const Json& before, const Json& after) const {
    if (before.is_null())
      return ObjectAction::kCreated;
    // A real write changes the resourceVersion; a dry run never does, so there the content is
    // compared instead.
    const std::string rv_before = StringAt(before, "metadata", "resourceVersion");
    const std::string rv_after = StringAt(after, "metadata", "resourceVersion");
    if (options_.dry_run == DryRun::kNone && !rv_before.empty() && !rv_after.empty())
      return rv_before == rv_after ? ObjectAction::kUnchanged : ObjectAction::kConfigured;
    return Comparable(before) == Comparable(after) ? ObjectAction::kUnchanged
                                                   : ObjectAction::kConfigured;
  }

  std::string AppliedResources() const {
    std::set<std::string> resources;
    for (const Json& object : objects_) {
      const std::string group = Group(object.value("apiVersion", ""));
      resources.insert(Lower(object.value("kind", "")) + "s" + (group.empty() ? "" : "." + group));
    }
    std::string list;
    for (const std::string& resource : resources)
      list += (list.empty() ? "" : ",") + resource;
    return list;
  }

  // Whether this apply created or changed a BOOTSTRAP EnvoyFilter the proxies read at start.
  std::optional<std::string> BootstrapFilterChanged() const {
    if (!values_.istio_version || !values_.bootstrap_xds_agent ||
        *values_.istio_version < kBootstrapPatchesFrom ||
        *values_.istio_version >= kBootstrapPatchesRemoved)
      return std::nullopt;
    for (const ObjectOutcome& object : result_.objects) {
      if (object.kind == "EnvoyFilter" && object.action != ObjectAction::kUnchanged)
        return "EnvoyFilter " + object.name + " " + std::string(ObjectActionName(object.action)) +
               ": with BOOTSTRAP_XDS_AGENT the proxies read bootstrap patches only when they start";
    }
    return std::nullopt;
  }

  void DecideWorkloads() {
    std::map<std::string, std::vector<const Pod*>> pods_by_owner;
    for (const Pod& pod : pods_) {
      if (!pod.deleting && !pod.workload.empty())
        pods_by_owner[pod.workload].push_back(&pod);
    }
    const std::optional<std::string> filter_changed = BootstrapFilterChanged();

    std::set<std::string> seen;
    for (const render::Workload& workload : values_.workloads) {
      WorkloadOutcome w =
          NewWorkload(std::string(render::WorkloadKindName(workload.kind)), workload.name);
      seen.insert(w.rollout_ref);
      const std::vector<const Pod*>& owned = pods_by_owner[w.rollout_ref];
      const std::optional<std::size_t> index = ObjectIndex(w.kind, w.name);
      const Json before_template = index ? At(before_[*index], {"spec", "template"}) : Json();
      const Json after_template = index ? At(after_[*index], {"spec", "template"}) : Json();
      if (index && before_template != after_template) {
        w.action = WorkloadAction::kRollingOut;
        w.reason = "pod template changed";
      } else if (std::optional<std::string> stale =
                     index ? StaleReason(At(after_template, {"metadata", "annotations"}), owned)
                           : std::nullopt) {
        NeedsRestart(w, *stale);
      } else if (filter_changed && !owned.empty()) {
        NeedsRestart(w, *filter_changed);
      }
      result_.workloads.push_back(std::move(w));
    }

    if (!filter_changed)
      return;
    // The EnvoyFilter selects pods by label, whoever owns them.
    for (const auto& [owner, owned] : pods_by_owner) {
      if (owned.empty() || seen.count(owner))
        continue;
      WorkloadOutcome w = NewWorkload(KindFromRolloutRef(owner), owner.substr(owner.find('/') + 1));
      NeedsRestart(w, *filter_changed);
      result_.workloads.push_back(std::move(w));
    }
    for (const Pod& pod : pods_) {
      if (!pod.deleting && pod.workload.empty() && pod.has_sidecar) {
        result_.warnings.push_back(
            {RestartHintCode(), "pod " + pod.display_name() +
                                    " has no controller to restart it: " + *filter_changed +
                                    "; delete and recreate it (kubectl delete pod " + pod.name +
                                    " -n " + pod.namespace_name + ")"});
      }
    }
  }

  std::optional<std::size_t> ObjectIndex(const std::string& kind, const std::string& name) const {
    for (std::size_t i = 0; i < objects_.size(); ++i) {
      if (objects_[i].value("kind", "") == kind &&
          StringAt(objects_[i], "metadata", "name") == name)
        return i;
    }
    return std::nullopt;
  }

  static std::optional<std::string> StaleReason(const Json& template_annotations,
                                                const std::vector<const Pod*>& owned) {
    std::set<std::string> keys;
    std::size_t stale_pods = 0;
    for (const Pod* pod : owned) {
      const std::vector<std::string> stale = StaleAnnotations(template_annotations, *pod);
      if (stale.empty())
        continue;
      ++stale_pods;
      keys.insert(stale.begin(), stale.end());
    }
    if (stale_pods == 0)
      return std::nullopt;
    std::string list;
    for (const std::string& key : keys)
      list += (list.empty() ? "" : ", ") + key;
    return Plural(stale_pods, "pod") + " started with another " + list + " than the pod template";
  }

  static std::string RestartHintCode() {
    return std::string(verify::GetHint(verify::HintId::kRestartNeeded).code);
  }

  void NeedsRestart(WorkloadOutcome& w, const std::string& reason) {
    w.reason = reason;
    if (options_.restart) {
      w.action = WorkloadAction::kRestarted;
      return;
    }
    w.action = WorkloadAction::kRestartSkipped;
    result_.warnings.push_back(
        {RestartHintCode(), w.rollout_ref +
                                " keeps its old Envoy bootstrap until its pods restart (" + reason +
                                "); run kubectl rollout restart " + w.rollout_ref + " -n " + ns()});
  }

  void Restart() {
    if (options_.dry_run != DryRun::kNone)
      return;
    for (const WorkloadOutcome& w : result_.workloads) {
      if (w.action != WorkloadAction::kRestarted)
        continue;
      const KubectlResult restarted =
          kubectl_.Run({"rollout", "restart", w.rollout_ref, "-n", ns()}, options_.call_timeout);
      if (!restarted.ok())
        throw KubectlError(restarted, "kubectl rollout restart " + w.rollout_ref, ns(),
                           "patch " + Lower(w.kind) + "s.apps");
    }
  }

  void Wait() {
    if (!options_.wait || options_.dry_run != DryRun::kNone)
      return;
    for (WorkloadOutcome& w : result_.workloads) {
      if (w.action != WorkloadAction::kRollingOut && w.action != WorkloadAction::kRestarted)
        continue;
      milliseconds budget = options_.rollout_timeout;
      if (options_.deadline) {
        const auto left = std::chrono::duration_cast<milliseconds>(
            *options_.deadline - std::chrono::steady_clock::now());
        if (left <= milliseconds(0)) {
          // --timeout is spent: the rollout is not done in time, without asking kubectl.
          w.rollout = RolloutState::kTimedOut;
          result_.wait_error.emplace(EnvironmentError(
              w.rollout_ref,
              "not rolled out within " + SecondsText(options_.deadline_limit) + " (--timeout)",
              "see kubectl rollout status " + w.rollout_ref + " -n " + ns() +
                  " and kubectl describe " + w.rollout_ref + " -n " + ns()));
          return;
        }
        budget = std::min(left, budget);  // kubectl rounds it up to whole seconds
      }
      if (options_.progress) {
        options_.progress("waiting for " + w.rollout_ref + " to roll out (up to " +
                          SecondsText(budget) + ")");
      }
      const std::string status_command = "kubectl rollout status " + w.rollout_ref + " -n " + ns();
      const KubectlResult status = kubectl_.Run(
          {"rollout", "status", w.rollout_ref, "-n", ns(), "--timeout=" + SecondsText(budget)},
          budget + kRolloutGrace);
      if (status.ok()) {
        w.rollout = RolloutState::kComplete;
        continue;
      }
      if (status.end == KubectlResult::End::kInterrupted)
        throw InterruptedError(status_command);
      const std::string hint =
          "see " + status_command + " and kubectl describe " + w.rollout_ref + " -n " + ns();
      const KubectlFailure failure = ClassifyFailure(status);
      const bool timed_out = status.end == KubectlResult::End::kTimedOut ||
                             failure.kind == KubectlFailure::Kind::kTimeout ||
                             status.err.find("timed out") != std::string::npos;
      if (timed_out) {
        w.rollout = RolloutState::kTimedOut;
        result_.wait_error.emplace(
            EnvironmentError(w.rollout_ref,
                             "not rolled out within " +
                                 SecondsText(options_.deadline ? options_.deadline_limit
                                                               : options_.rollout_timeout) +
                                 " (--timeout)",
                             hint));
      } else if (failure.kind == KubectlFailure::Kind::kForbidden ||
                 failure.kind == KubectlFailure::Kind::kUnreachable) {
        w.rollout = RolloutState::kFailed;
        result_.wait_error.emplace(
            KubectlError(status, status_command, ns(), "get " + Lower(w.kind) + "s.apps"));
      } else {
        w.rollout = RolloutState::kFailed;
        const std::string why = FirstLine(status.err);
        result_.wait_error.emplace(EnvironmentError(
            w.rollout_ref, "rollout failed" + (why.empty() ? std::string() : ": " + why), hint));
      }
      return;
    }
  }

  Kubectl& kubectl_;
  const render::Values& values_;
  const std::vector<Json>& objects_;
  const std::vector<Pod>& pods_;
  const ApplyOptions& options_;
  std::vector<Json> before_;  // per object; null when it does not exist
  std::vector<Json> after_;   // per object, as applied (or as it would be)
  ApplyResult result_;
};

}  // namespace

std::string_view DryRunName(DryRun mode) {
  switch (mode) {
    case DryRun::kClient:
      return "client";
    case DryRun::kServer:
      return "server";
    case DryRun::kNone:
      break;
  }
  return "none";
}

std::string_view ObjectActionName(ObjectAction action) {
  switch (action) {
    case ObjectAction::kCreated:
      return "created";
    case ObjectAction::kConfigured:
      return "configured";
    case ObjectAction::kUnchanged:
      break;
  }
  return "unchanged";
}

std::string_view WorkloadActionName(WorkloadAction action) {
  switch (action) {
    case WorkloadAction::kRollingOut:
      return "rolling-out";
    case WorkloadAction::kRestarted:
      return "restarted";
    case WorkloadAction::kRestartSkipped:
      return "restart-skipped";
    case WorkloadAction::kUnchanged:
      break;
  }
  return "unchanged";
}

std::string_view RolloutStateName(RolloutState state) {
  switch (state) {
    case RolloutState::kComplete:
      return "complete";
    case RolloutState::kTimedOut:
      return "timed-out";
    case RolloutState::kFailed:
      return "failed";
    case RolloutState::kNotWaited:
      break;
  }
  return "not-waited";
}

std::string SelectorText(const std::map<std::string, std::string>& selector) {
  std::string text;
  for (const auto& [key, value] : selector)
    text += (text.empty() ? "" : ",") + key + "=" + value;
  return text;
}

std::string ObjectRef(const nlohmann::ordered_json& object) {
  const std::string group = Group(object.value("apiVersion", ""));
  return Lower(object.value("kind", "")) + (group.empty() ? "" : "." + group) + "/" +
         StringAt(object, "metadata", "name");
}

std::vector<Pod> GetSelectedPods(Kubectl& kubectl, const std::string& namespace_name,
                                 const std::string& selector, milliseconds timeout) {
  const KubectlResult listed =
      kubectl.Run({"get", "pods", "-n", namespace_name, "-l", selector, "-o", "json"}, timeout);
  if (!listed.ok())
    throw KubectlError(listed, "kubectl get pods", namespace_name, "list pods");
  return ParsePods(listed.out);
}

ApplyResult ApplyManifests(Kubectl& kubectl, const render::Values& values,
                           const std::vector<nlohmann::ordered_json>& objects,
                           const std::vector<Pod>& pods, const ApplyOptions& options) {
  return Applier(kubectl, values, objects, pods, options).Run();
}

DiffResult DiffManifests(Kubectl& kubectl, const std::vector<nlohmann::ordered_json>& objects,
                         const std::string& namespace_name, milliseconds timeout) {
  const KubectlResult diffed = kubectl.RunWithInput(
      {"diff", "--server-side", "--field-manager=" + std::string(kFieldManager),
       "--force-conflicts", "-f", "-"},
      render::ToYaml(objects), timeout);
  if (diffed.end == KubectlResult::End::kExited &&
      (diffed.exit_code == 0 || diffed.exit_code == 1)) {
    return DiffResult{diffed.exit_code == 1, diffed.out};
  }
  const Error error = KubectlError(diffed, "kubectl diff", namespace_name, "patch");
  if (error.code() == ExitCode::kInterrupted)
    throw error;
  // kubectl diff's convention: above 1 means it failed, whatever the cause.
  throw EnvironmentError(error.subject(), error.reason(), error.hint());
}

Error KubectlError(const KubectlResult& result, const std::string& command,
                   const std::string& namespace_name, const std::string& needs) {
  if (result.end == KubectlResult::End::kInterrupted)
    return InterruptedError(command);
  const std::string in_ns = namespace_name.empty() ? "" : " -n " + namespace_name;
  if (result.end == KubectlResult::End::kTimedOut) {
    return EnvironmentError(command,
                            "no answer within " + SecondsText(result.elapsed) + "; stopped",
                            "is the API server reachable? kubectl cluster-info");
  }
  // Decisive whatever else the text says: the object itself is wrong, not the environment.
  if (std::optional<std::string> rejection = ServerRejection(result.err)) {
    return InputError(command, "the API server rejected an object: " + *rejection,
                      "fix the value it names; 'hfi-metrics render' prints the objects");
  }
  const KubectlFailure failure = ClassifyFailure(result);
  std::string message = failure.message.empty() ? FirstLine(result.err) : failure.message;
  if (message.empty())
    message = result.end == KubectlResult::End::kCrashed
                  ? "kubectl crashed"
                  : "kubectl exited with status " + std::to_string(result.exit_code);
  switch (failure.kind) {
    case KubectlFailure::Kind::kInterrupted:
      return InterruptedError(command);
    case KubectlFailure::Kind::kForbidden: {
      const std::string can_i = !failure.verb.empty() && !failure.resource.empty()
                                    ? failure.verb + " " + failure.resource
                                    : needs;
      return EnvironmentError(command, message, "check: kubectl auth can-i " + can_i + in_ns);
    }
    case KubectlFailure::Kind::kUnreachable:
      return EnvironmentError(command, message,
                              "check the context: kubectl config current-context and kubectl "
                              "cluster-info (or pass --context / --kubeconfig)");
    case KubectlFailure::Kind::kTimeout:
      return EnvironmentError(command, message,
                              "is the API server reachable? kubectl cluster-info");
    case KubectlFailure::Kind::kNotFound:
      return EnvironmentError(
          command, message,
          namespace_name.empty()
              ? std::string()
              : "does the namespace exist? kubectl get namespace " + namespace_name);
    default:
      break;
  }
  if (result.err.find("no matches for kind") != std::string::npos ||
      result.err.find("doesn't have a resource type") != std::string::npos) {
    return EnvironmentError(command, message,
                            "the cluster lacks Istio's APIs (WasmPlugin needs Istio 1.12 or "
                            "later): install Istio, or check --context");
  }
  return EnvironmentError(command, message);
}

}  // namespace hfi::kube

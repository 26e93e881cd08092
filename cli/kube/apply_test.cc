#include "kube/apply.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "kube/fake_kubectl.h"
#include "util/errors.h"

namespace hfi::kube {
namespace {

using Json = nlohmann::ordered_json;
using std::chrono::milliseconds;
using testing::Ended;
using testing::Exited;
using testing::Failed;
using testing::FakeKubectl;
using testing::Ok;

constexpr const char* kAnnotation = "proxyStatsMatcher:\n  inclusionPrefixes:\n  - wasmcustom.\n";

render::Values DemoValues(const std::string& istio = "1.22.3") {
  render::Values values;
  values.namespace_name = "demo";
  values.selector = {{"app", "frontend"}};
  values.workloads = {{render::WorkloadKind::kDeployment, "frontend"}};
  values.url = "oci://registry.example/hfi:1.0";
  values.istio_version = render::ParseIstioVersion(istio);
  return values;
}

Json LiveDeployment(const std::string& name, bool annotated) {
  Json d = Json::parse(R"({"apiVersion":"apps/v1","kind":"Deployment",
    "metadata":{"name":"","namespace":"demo","resourceVersion":"100","generation":3},
    "spec":{"replicas":2,"selector":{"matchLabels":{"app":"frontend"}},
      "template":{"metadata":{"labels":{"app":"frontend"}},
        "spec":{"containers":[{"name":"app","image":"nginx:1.25"}]}}},
    "status":{"replicas":2}})");
  d["metadata"]["name"] = name;
  if (annotated)
    d["spec"]["template"]["metadata"]["annotations"]["proxy.istio.io/config"] = kAnnotation;
  return d;
}

Pod RunningPod(const std::string& name, const std::string& workload, bool annotated) {
  Pod pod;
  pod.namespace_name = "demo";
  pod.name = name;
  pod.phase = "Running";
  pod.workload = workload;
  pod.has_sidecar = true;
  pod.sidecar_image = "docker.io/istio/proxyv2:1.22.3";
  if (annotated)
    pod.annotations["proxy.istio.io/config"] = kAnnotation;
  pod.annotations["sidecar.istio.io/status"] = "{}";
  return pod;
}

// A small API server behind the fake kubectl: `get` answers from the live objects, `apply`
// merges the objects the test applies into them (a real write bumps the resourceVersion only
// when something changed, as server-side apply does), rollouts succeed unless told otherwise.
class FakeCluster {
 public:
  explicit FakeCluster(std::vector<Json> applied) : applied_(std::move(applied)) {
    kubectl.OnRun({"get"}, [this](const std::vector<std::string>& args) {
      const auto it = live_.find(args.at(1));
      return Ok(it == live_.end() ? "" : it->second.dump());
    });
    kubectl.OnRun({"apply"}, [this](const std::vector<std::string>& args) {
      const bool dry = std::find_if(args.begin(), args.end(), [](const std::string& a) {
                         return a.rfind("--dry-run", 0) == 0;
                       }) != args.end();
      Json list = Json::parse(R"({"apiVersion":"v1","kind":"List","items":[]})");
      for (const Json& object : applied_) {
        const std::string ref = ObjectRef(object);
        Json after = object;
        after["metadata"]["resourceVersion"] = "1";
        if (const auto it = live_.find(ref); it != live_.end()) {
          after = it->second;
          after.merge_patch(object);
          if (after != it->second && !dry)
            after["metadata"]["resourceVersion"] = std::to_string(
                std::stoi(it->second["metadata"]["resourceVersion"].get<std::string>()) + 1);
        }
        if (!dry)
          live_[ref] = after;
        list["items"].push_back(after);
      }
      return Ok(list.dump());
    });
    kubectl.OnRun({"rollout", "restart"}, Ok("restarted\n"));
    kubectl.OnRun({"rollout", "status"}, Ok("successfully rolled out\n"));
  }

  void Put(Json object) {
    const std::string ref = ObjectRef(object);
    live_[ref] = std::move(object);
  }
  const Json& Live(const std::string& ref) const { return live_.at(ref); }

  // The calls that start with `verb`, each joined with spaces.
  std::vector<std::string> Calls(const std::string& verb) const {
    std::vector<std::string> out;
    for (const auto& call : kubectl.calls(verb)) {
      std::string line;
      for (const std::string& arg : call)
        line += (line.empty() ? "" : " ") + arg;
      out.push_back(line);
    }
    return out;
  }

  FakeKubectl kubectl;

 private:
  std::vector<Json> applied_;
  std::map<std::string, Json> live_;
};

std::vector<Json> Render(const render::Values& values) {
  return render::RenderManifests(values, render::PluginInputs{}).objects;
}

const WorkloadOutcome& Only(const ApplyResult& result) {
  EXPECT_EQ(result.workloads.size(), 1u);
  return result.workloads.at(0);
}

TEST(ApplyManifests, ObjectRefIsKubectlsName) {
  const std::vector<Json> objects = Render(DemoValues());
  ASSERT_EQ(objects.size(), 2u);
  EXPECT_EQ(ObjectRef(objects[0]), "deployment.apps/frontend");
  EXPECT_EQ(ObjectRef(objects[1]), "wasmplugin.extensions.istio.io/hfi-fault-injection");
  EXPECT_EQ(ObjectRef(Json::parse(R"({"apiVersion":"v1","kind":"ConfigMap",
                                     "metadata":{"name":"x-wasm"}})")),
            "configmap/x-wasm");
  EXPECT_EQ(SelectorText({{"tier", "web"}, {"app", "frontend"}}), "app=frontend,tier=web");
}

TEST(ApplyManifests, CreatedAndTemplateChangedRollsOutWithoutARestart) {
  const render::Values values = DemoValues();
  const std::vector<Json> objects = Render(values);
  FakeCluster cluster(objects);
  cluster.Put(LiveDeployment("frontend", false));

  const ApplyResult result =
      ApplyManifests(cluster.kubectl, values, objects,
                     {RunningPod("frontend-1", "deployment/frontend", false)}, ApplyOptions{});

  ASSERT_EQ(result.objects.size(), 2u);
  EXPECT_EQ(result.objects[0].ref, "deployment.apps/frontend");
  EXPECT_EQ(result.objects[0].action, ObjectAction::kConfigured);
  EXPECT_EQ(result.objects[1].ref, "wasmplugin.extensions.istio.io/hfi-fault-injection");
  EXPECT_EQ(result.objects[1].action, ObjectAction::kCreated);
  const WorkloadOutcome& frontend = Only(result);
  EXPECT_EQ(frontend.ref, "deployment.apps/frontend");
  EXPECT_EQ(frontend.action, WorkloadAction::kRollingOut);
  EXPECT_EQ(frontend.reason, "pod template changed");
  EXPECT_TRUE(cluster.Calls("rollout").empty()) << "a changed template rolls out by itself";
  EXPECT_TRUE(result.warnings.empty());

  // The exact calls: each object read first, then one server-side apply of all of them.
  EXPECT_EQ(cluster.Calls("get"),
            (std::vector<std::string>{
                "get deployment.apps/frontend -n demo -o json --ignore-not-found",
                "get wasmplugin.extensions.istio.io/hfi-fault-injection -n demo -o json "
                "--ignore-not-found"}));
  EXPECT_EQ(cluster.Calls("apply"),
            (std::vector<std::string>{"apply --server-side --field-manager=hfi-metrics "
                                      "--force-conflicts -f - -o json"}));
  ASSERT_EQ(cluster.kubectl.inputs().size(), 1u);
  EXPECT_EQ(cluster.kubectl.inputs()[0], render::ToYaml(objects));
}

TEST(ApplyManifests, NotFoundForTheObjectMeansAbsent) {
  const render::Values values = DemoValues();
  const std::vector<Json> objects = Render(values);
  FakeCluster cluster(objects);
  cluster.Put(LiveDeployment("frontend", false));
  cluster.kubectl.OnRun({"get", "wasmplugin.extensions.istio.io/hfi-fault-injection"},
                        Failed("Error from server (NotFound): wasmplugins.extensions.istio.io "
                               "\"hfi-fault-injection\" not found"));
  const ApplyResult result = ApplyManifests(cluster.kubectl, values, objects, {}, ApplyOptions{});
  EXPECT_EQ(result.objects[1].action, ObjectAction::kCreated);

  FakeCluster no_namespace(objects);
  no_namespace.kubectl.OnRun({"get", "deployment.apps/frontend"},
                             Failed("Error from server (NotFound): namespaces \"demo\" not found"));
  try {
    ApplyManifests(no_namespace.kubectl, values, objects, {}, ApplyOptions{});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::kEnvironment);
    EXPECT_EQ(e.hint(), "does the namespace exist? kubectl get namespace demo");
  }
}

TEST(ApplyManifests, SecondApplyChangesNothing) {
  const render::Values values = DemoValues();
  const std::vector<Json> objects = Render(values);
  FakeCluster cluster(objects);
  cluster.Put(LiveDeployment("frontend", false));
  ApplyManifests(cluster.kubectl, values, objects, {}, ApplyOptions{});

  const ApplyResult again =
      ApplyManifests(cluster.kubectl, values, objects,
                     {RunningPod("frontend-2", "deployment/frontend", true)}, ApplyOptions{});
  ASSERT_EQ(again.objects.size(), 2u);
  EXPECT_EQ(again.objects[0].action, ObjectAction::kUnchanged);
  EXPECT_EQ(again.objects[1].action, ObjectAction::kUnchanged);
  EXPECT_EQ(Only(again).action, WorkloadAction::kUnchanged);
  EXPECT_EQ(Only(again).reason, "");
  EXPECT_TRUE(cluster.Calls("rollout").empty());
}

TEST(ApplyManifests, PodsOlderThanAnUnchangedTemplateAreRestarted) {
  const render::Values values = DemoValues();
  const std::vector<Json> objects = Render(values);
  FakeCluster cluster(objects);
  cluster.Put(LiveDeployment("frontend", true));  // annotated earlier, e.g. with --no-restart

  const ApplyResult result = ApplyManifests(cluster.kubectl, values, objects,
                                            {RunningPod("frontend-1", "deployment/frontend", false),
                                             RunningPod("frontend-2", "deployment/frontend", true)},
                                            ApplyOptions{});
  EXPECT_EQ(result.objects[0].action, ObjectAction::kUnchanged);
  const WorkloadOutcome& frontend = Only(result);
  EXPECT_EQ(frontend.action, WorkloadAction::kRestarted);
  EXPECT_EQ(frontend.reason,
            "1 pod started with another proxy.istio.io/config than the pod template");
  EXPECT_EQ(cluster.Calls("rollout"),
            (std::vector<std::string>{"rollout restart deployment/frontend -n demo"}));
}

TEST(ApplyManifests, PodsOfOtherWorkloadsAndDeletedPodsDoNotCount) {
  const render::Values values = DemoValues();
  const std::vector<Json> objects = Render(values);
  FakeCluster cluster(objects);
  cluster.Put(LiveDeployment("frontend", true));
  Pod leaving = RunningPod("frontend-old", "deployment/frontend", false);
  leaving.deleting = true;

  const ApplyResult result =
      ApplyManifests(cluster.kubectl, values, objects,
                     {leaving, RunningPod("other-1", "deployment/other", false)}, ApplyOptions{});
  EXPECT_EQ(Only(result).action, WorkloadAction::kUnchanged);
  EXPECT_TRUE(cluster.Calls("rollout").empty());
}

TEST(ApplyManifests, NoRestartWarnsWithHfi506) {
  const render::Values values = DemoValues();
  const std::vector<Json> objects = Render(values);
  FakeCluster cluster(objects);
  cluster.Put(LiveDeployment("frontend", true));
  ApplyOptions options;
  options.restart = false;

  const ApplyResult result =
      ApplyManifests(cluster.kubectl, values, objects,
                     {RunningPod("frontend-1", "deployment/frontend", false)}, options);
  EXPECT_EQ(Only(result).action, WorkloadAction::kRestartSkipped);
  ASSERT_EQ(result.warnings.size(), 1u);
  EXPECT_EQ(result.warnings[0].code, "HFI506");
  EXPECT_EQ(result.warnings[0].message,
            "deployment/frontend keeps its old Envoy bootstrap until its pods restart (1 pod "
            "started with another proxy.istio.io/config than the pod template); run kubectl "
            "rollout restart deployment/frontend -n demo");
  EXPECT_TRUE(cluster.Calls("rollout").empty());
}

TEST(ApplyManifests, ServerDryRunReportsWithoutRestarting) {
  const render::Values values = DemoValues();
  const std::vector<Json> objects = Render(values);
  FakeCluster cluster(objects);
  cluster.Put(LiveDeployment("frontend", true));
  Json plugin = objects[1];
  plugin["metadata"]["resourceVersion"] = "7";
  plugin["spec"]["url"] = "oci://registry.example/hfi:0.9";
  cluster.Put(plugin);
  ApplyOptions options;
  options.dry_run = DryRun::kServer;
  options.wait = true;

  const ApplyResult result =
      ApplyManifests(cluster.kubectl, values, objects,
                     {RunningPod("frontend-1", "deployment/frontend", false)}, options);
  EXPECT_EQ(result.dry_run, DryRun::kServer);
  // The server keeps the resourceVersion on a dry run: the content says what would change.
  EXPECT_EQ(result.objects[0].action, ObjectAction::kUnchanged);
  EXPECT_EQ(result.objects[1].action, ObjectAction::kConfigured);
  EXPECT_EQ(Only(result).action, WorkloadAction::kRestarted);  // would be
  EXPECT_EQ(Only(result).rollout, RolloutState::kNotWaited);
  EXPECT_TRUE(cluster.Calls("rollout").empty()) << "a dry run restarts and waits for nothing";
  EXPECT_EQ(cluster.Calls("apply"),
            (std::vector<std::string>{"apply --server-side --field-manager=hfi-metrics "
                                      "--force-conflicts --dry-run=server -f - -o json"}));
  EXPECT_EQ(cluster.Live("wasmplugin.extensions.istio.io/hfi-fault-injection")["spec"]["url"],
            "oci://registry.example/hfi:0.9");
}

TEST(ApplyManifests, ClientDryRunIsClientSideAndComparesWithTheLiveObjects) {
  const render::Values values = DemoValues();
  const std::vector<Json> objects = Render(values);
  FakeCluster cluster(objects);
  cluster.Put(LiveDeployment("frontend", false));
  ApplyOptions options;
  options.dry_run = DryRun::kClient;

  const ApplyResult result =
      ApplyManifests(cluster.kubectl, values, objects,
                     {RunningPod("frontend-1", "deployment/frontend", false)}, options);
  EXPECT_EQ(result.objects[0].action, ObjectAction::kConfigured);
  EXPECT_EQ(result.objects[1].action, ObjectAction::kCreated);
  EXPECT_EQ(Only(result).action, WorkloadAction::kRollingOut);
  EXPECT_EQ(cluster.Calls("apply"),
            (std::vector<std::string>{
                "apply --field-manager=hfi-metrics --dry-run=client -f - -o json"}));
  EXPECT_TRUE(cluster.Calls("rollout").empty());
}

TEST(ApplyManifests, WaitRunsRolloutStatusWithTheTimeout) {
  const render::Values values = DemoValues();
  const std::vector<Json> objects = Render(values);
  FakeCluster cluster(objects);
  cluster.Put(LiveDeployment("frontend", false));
  ApplyOptions options;
  options.wait = true;
  options.rollout_timeout = milliseconds(90'000);
  std::vector<std::string> progress;
  options.progress = [&progress](const std::string& line) { progress.push_back(line); };

  const ApplyResult result = ApplyManifests(cluster.kubectl, values, objects, {}, options);
  EXPECT_EQ(Only(result).rollout, RolloutState::kComplete);
  EXPECT_FALSE(result.wait_error);
  EXPECT_EQ(cluster.Calls("rollout"),
            (std::vector<std::string>{"rollout status deployment/frontend -n demo --timeout=90s"}));
  EXPECT_EQ(progress,
            (std::vector<std::string>{"waiting for deployment/frontend to roll out (up to 90s)"}));
  // kubectl gets its own timeout first; ours is a little later.
  EXPECT_GT(cluster.kubectl.timeouts().back(), milliseconds(90'000));
}

TEST(ApplyManifests, RolloutTimeoutIsAnEnvironmentErrorNamingTheWorkload) {
  const render::Values values = DemoValues();
  const std::vector<Json> objects = Render(values);
  FakeCluster cluster(objects);
  cluster.Put(LiveDeployment("frontend", true));
  // The longest matching prefix answers.
  cluster.kubectl.OnRun({"rollout", "status", "deployment/frontend"},
                        Failed("error: timed out waiting for the condition"));
  ApplyOptions options;
  options.wait = true;

  const ApplyResult result =
      ApplyManifests(cluster.kubectl, values, objects,
                     {RunningPod("frontend-1", "deployment/frontend", false)}, options);
  EXPECT_EQ(Only(result).action, WorkloadAction::kRestarted);
  EXPECT_EQ(Only(result).rollout, RolloutState::kTimedOut);
  ASSERT_TRUE(result.wait_error);
  EXPECT_EQ(result.wait_error->code(), ExitCode::kEnvironment);
  EXPECT_EQ(FormatError(*result.wait_error),
            "hfi-metrics: deployment/frontend: not rolled out within 180s (--timeout) (see "
            "kubectl rollout status deployment/frontend -n demo and kubectl describe "
            "deployment/frontend -n demo)");

  // Our own deadline passing is the same failure.
  FakeCluster slow(objects);
  slow.Put(LiveDeployment("frontend", false));
  slow.kubectl.OnRun({"rollout", "status", "deployment/frontend"},
                     Ended(KubectlResult::End::kTimedOut));
  const ApplyResult stopped = ApplyManifests(slow.kubectl, values, objects, {}, options);
  EXPECT_EQ(Only(stopped).rollout, RolloutState::kTimedOut);
  ASSERT_TRUE(stopped.wait_error);
}

TEST(ApplyManifests, BootstrapEnvoyFilterOnIstio118RestartsThePodsItSelects) {
  render::Values values = DemoValues("1.18.2");
  values.bootstrap_xds_agent = true;
  values.stats_exposure = render::StatsExposure::kBoth;
  const std::vector<Json> objects = Render(values);
  ASSERT_EQ(objects.back().value("kind", ""), "EnvoyFilter");
  FakeCluster cluster(objects);
  cluster.Put(LiveDeployment("frontend", true));
  Pod bare = RunningPod("debug", "", true);

  const ApplyResult result = ApplyManifests(cluster.kubectl, values, objects,
                                            {RunningPod("frontend-1", "deployment/frontend", true),
                                             RunningPod("other-1", "deployment/other", true), bare},
                                            ApplyOptions{});
  EXPECT_EQ(result.objects.back().action, ObjectAction::kCreated);
  ASSERT_EQ(result.workloads.size(), 2u);
  EXPECT_EQ(result.workloads[0].ref, "deployment.apps/frontend");
  EXPECT_EQ(result.workloads[0].action, WorkloadAction::kRestarted);
  EXPECT_EQ(result.workloads[0].reason,
            "EnvoyFilter hfi-fault-injection-stats-matcher created: with BOOTSTRAP_XDS_AGENT the "
            "proxies read bootstrap patches only when they start");
  EXPECT_EQ(result.workloads[1].ref, "deployment.apps/other");
  EXPECT_EQ(result.workloads[1].action, WorkloadAction::kRestarted);
  EXPECT_EQ(cluster.Calls("rollout"),
            (std::vector<std::string>{"rollout restart deployment/frontend -n demo",
                                      "rollout restart deployment/other -n demo"}));
  ASSERT_EQ(result.warnings.size(), 1u);
  EXPECT_EQ(result.warnings[0].code, "HFI506");
  EXPECT_NE(result.warnings[0].message.find("pod demo/debug has no controller"), std::string::npos);

  // Applied again: the EnvoyFilter is unchanged, so nothing restarts.
  const ApplyResult again =
      ApplyManifests(cluster.kubectl, values, objects,
                     {RunningPod("frontend-2", "deployment/frontend", true)}, ApplyOptions{});
  EXPECT_EQ(again.objects.back().action, ObjectAction::kUnchanged);
  EXPECT_EQ(Only(again).action, WorkloadAction::kUnchanged);
}

TEST(ApplyManifests, BootstrapEnvoyFilterOnIstio124RestartsNothing) {
  render::Values values = DemoValues("1.24.2");
  values.bootstrap_xds_agent = true;
  values.stats_exposure = render::StatsExposure::kBoth;
  const std::vector<Json> objects = Render(values);
  FakeCluster cluster(objects);
  cluster.Put(LiveDeployment("frontend", true));

  const ApplyResult result =
      ApplyManifests(cluster.kubectl, values, objects,
                     {RunningPod("frontend-1", "deployment/frontend", true)}, ApplyOptions{});
  EXPECT_EQ(result.objects.back().action, ObjectAction::kCreated);
  EXPECT_EQ(Only(result).action, WorkloadAction::kUnchanged);
  EXPECT_TRUE(cluster.Calls("rollout").empty());
}

TEST(ApplyManifests, MissingWorkloadFailsBeforeAnythingIsWritten) {
  const render::Values values = DemoValues();
  const std::vector<Json> objects = Render(values);
  FakeCluster cluster(objects);
  try {
    ApplyManifests(cluster.kubectl, values, objects, {}, ApplyOptions{});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::kEnvironment);
    EXPECT_EQ(e.subject(), "deployment.apps/frontend");
    EXPECT_EQ(e.reason(), "not found in namespace demo");
  }
  EXPECT_TRUE(cluster.Calls("apply").empty());
}

TEST(ApplyManifests, ForbiddenApplyNamesTheCheck) {
  const render::Values values = DemoValues();
  const std::vector<Json> objects = Render(values);
  FakeCluster cluster(objects);
  cluster.Put(LiveDeployment("frontend", false));
  cluster.kubectl.OnRun(
      {"apply", "--server-side"},
      Failed("Error from server (Forbidden): deployments.apps \"frontend\" is forbidden: User "
             "\"alice\" cannot patch resource \"deployments\" in API group \"apps\" in the "
             "namespace \"demo\""));
  try {
    ApplyManifests(cluster.kubectl, values, objects, {}, ApplyOptions{});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::kEnvironment);
    EXPECT_EQ(e.subject(), "kubectl apply");
    EXPECT_EQ(e.hint(), "check: kubectl auth can-i patch deployments.apps -n demo");
    EXPECT_EQ(FormatError(e).find('\n'), std::string::npos);
  }
}

TEST(ApplyManifests, InvalidObjectIsInvalidInputWithTheServersMessage) {
  const render::Values values = DemoValues();
  const std::vector<Json> objects = Render(values);
  FakeCluster cluster(objects);
  cluster.Put(LiveDeployment("frontend", false));
  cluster.kubectl.OnRun(
      {"apply", "--server-side"},
      Failed("Error from server (Invalid): error when creating \"STDIN\": "
             "WasmPlugin.extensions.istio.io \"hfi-fault-injection\" is invalid: spec.url: "
             "Invalid value: \"\": url must be set\n"));
  try {
    ApplyManifests(cluster.kubectl, values, objects, {}, ApplyOptions{});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::kInvalidInput);
    EXPECT_EQ(e.reason(),
              "the API server rejected an object: WasmPlugin.extensions.istio.io "
              "\"hfi-fault-injection\" is invalid: spec.url: Invalid value: \"\": url must be set");
  }
  cluster.kubectl.OnRun({"apply", "--server-side", "--field-manager=hfi-metrics"},
                        Failed("Error from server (BadRequest): error when creating "
                               "\"STDIN\": bad object\n"));
  try {
    ApplyManifests(cluster.kubectl, values, objects, {}, ApplyOptions{});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::kInvalidInput);
  }
}

TEST(ApplyManifests, UnreachableClusterAndMissingApisAreEnvironmentErrors) {
  const render::Values values = DemoValues();
  const std::vector<Json> objects = Render(values);
  FakeKubectl kubectl;
  kubectl.OnRun({"get"}, Failed("The connection to the server 127.0.0.1:6443 was refused - did "
                                "you specify the right host or port?"));
  try {
    ApplyManifests(kubectl, values, objects, {}, ApplyOptions{});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::kEnvironment);
    EXPECT_NE(e.hint().find("kubectl config current-context"), std::string::npos);
  }

  FakeCluster no_istio(objects);
  no_istio.Put(LiveDeployment("frontend", false));
  no_istio.kubectl.OnRun({"get", "wasmplugin.extensions.istio.io/hfi-fault-injection"},
                         Failed("error: the server doesn't have a resource type \"wasmplugin\""));
  try {
    ApplyManifests(no_istio.kubectl, values, objects, {}, ApplyOptions{});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::kEnvironment);
    EXPECT_NE(e.hint().find("Istio 1.12"), std::string::npos);
  }
}

TEST(ApplyManifests, CtrlCIsInterrupted) {
  const render::Values values = DemoValues();
  const std::vector<Json> objects = Render(values);
  FakeCluster cluster(objects);
  cluster.Put(LiveDeployment("frontend", false));
  cluster.kubectl.OnRun({"apply", "--server-side"}, Ended(KubectlResult::End::kInterrupted));
  try {
    ApplyManifests(cluster.kubectl, values, objects, {}, ApplyOptions{});
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::kInterrupted);
  }
}

TEST(DiffManifests, KubectlsExitCodesAreKept) {
  const std::vector<Json> objects = Render(DemoValues());
  FakeKubectl same;
  same.OnRun({"diff"}, Ok(""));
  DiffResult result = DiffManifests(same, objects, "demo", milliseconds(5000));
  EXPECT_FALSE(result.differences);
  ASSERT_EQ(same.calls().size(), 1u);
  EXPECT_EQ(same.calls()[0],
            (std::vector<std::string>{"diff", "--server-side", "--field-manager=hfi-metrics",
                                      "--force-conflicts", "-f", "-"}));
  EXPECT_EQ(same.inputs()[0], render::ToYaml(objects));

  FakeKubectl changed;
  changed.OnRun({"diff"}, Exited(1, "diff -u -N /tmp/LIVE/x /tmp/MERGED/x\n+  url: new\n"));
  result = DiffManifests(changed, objects, "demo", milliseconds(5000));
  EXPECT_TRUE(result.differences);
  EXPECT_EQ(result.output, "diff -u -N /tmp/LIVE/x /tmp/MERGED/x\n+  url: new\n");

  // Above 1 kubectl failed; even a rejected object keeps diff's convention (2).
  for (const std::string& err :
       {std::string("Error from server (Forbidden): deployments.apps \"frontend\" is forbidden: "
                    "User \"alice\" cannot patch resource \"deployments\" in API group \"apps\" "
                    "in the namespace \"demo\""),
        std::string("Error from server (Invalid): x is invalid: spec: bad")}) {
    FakeKubectl failing;
    failing.OnRun({"diff"}, Exited(2, "", err));
    try {
      DiffManifests(failing, objects, "demo", milliseconds(5000));
      FAIL() << "expected an error for " << err;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ExitCode::kEnvironment) << err;
    }
  }
}

TEST(SelectedPods, SelectedPodsAreListedOnce) {
  FakeKubectl kubectl;
  kubectl.OnRun({"get", "pods"}, Ok(R"({"apiVersion":"v1","kind":"List","items":[]})"));
  EXPECT_TRUE(GetSelectedPods(kubectl, "demo", "app=frontend", milliseconds(5000)).empty());
  EXPECT_EQ(kubectl.calls()[0], (std::vector<std::string>{"get", "pods", "-n", "demo", "-l",
                                                          "app=frontend", "-o", "json"}));
  kubectl.OnRun({"get", "pods", "-n"},
                Failed("Error from server (Forbidden): pods is forbidden: User \"alice\" cannot "
                       "list resource \"pods\" in API group \"\" in the namespace \"demo\""));
  try {
    GetSelectedPods(kubectl, "demo", "app=frontend", milliseconds(5000));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::kEnvironment);
    EXPECT_EQ(e.hint(), "check: kubectl auth can-i list pods -n demo");
  }
}

}  // namespace
}  // namespace hfi::kube

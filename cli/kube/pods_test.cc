#include "kube/pods.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "util/errors.h"

namespace hfi::kube {
namespace {

std::string ReadData(const std::string& name) {
  const char* dir = std::getenv("HFI_SOURCE_DIR");
  std::ifstream in(std::string(dir != nullptr ? dir : HFI_SOURCE_DIR_DEFAULT) +
                   "/tests/data/kube/" + name);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Answers every Run with one canned result and remembers what it was asked.
class FakeKubectl : public Kubectl {
 public:
  explicit FakeKubectl(KubectlResult answer) : answer_(std::move(answer)) {}
  KubectlResult Run(const std::vector<std::string>& args, milliseconds timeout) override {
    calls.push_back(args);
    timeouts.push_back(timeout);
    return answer_;
  }
  KubectlResult RunWithInput(const std::vector<std::string>& args, const std::string&,
                             milliseconds timeout) override {
    return Run(args, timeout);
  }
  std::unique_ptr<PortForward> StartPortForward(const PodRef&, int, milliseconds,
                                                KubectlFailure* failure) override {
    failure->kind = KubectlFailure::Kind::kOther;
    return nullptr;
  }

  std::vector<std::vector<std::string>> calls;
  std::vector<milliseconds> timeouts;

 private:
  KubectlResult answer_;
};

KubectlResult Out(const std::string& out) {
  KubectlResult result;
  result.out = out;
  return result;
}

KubectlResult Err(const std::string& err) {
  KubectlResult result;
  result.exit_code = 1;
  result.err = err + "\n";
  return result;
}

// ---- ParsePods ----

TEST(ParsePodsTest, AListOfEveryShape) {
  std::vector<Pod> pods = ParsePods(ReadData("pods_list.json"));
  ASSERT_EQ(pods.size(), 5u);

  const Pod& frontend = pods[0];
  EXPECT_EQ(frontend.display_name(), "demo/frontend-7d9c8b7f5-x2x8k");
  EXPECT_EQ(frontend.phase, "Running");
  EXPECT_TRUE(frontend.running());
  EXPECT_FALSE(frontend.deleting);
  EXPECT_EQ(frontend.workload, "deployment/frontend");
  EXPECT_EQ(frontend.start_time, "2025-01-14T09:12:03Z");
  EXPECT_EQ(frontend.labels.at("app"), "frontend");
  EXPECT_EQ(frontend.labels.at("pod-template-hash"), "7d9c8b7f5");
  EXPECT_EQ(frontend.annotations.at("proxy.istio.io/config"),
            "proxyStatsMatcher:\n  inclusionPrefixes:\n  - wasmcustom.\n");
  EXPECT_NE(frontend.annotations.at("sidecar.istio.io/status").find("\"istio-proxy\""),
            std::string::npos);
  EXPECT_TRUE(frontend.has_sidecar);
  EXPECT_TRUE(frontend.sidecar_ready);
  EXPECT_EQ(frontend.sidecar_image, "docker.io/istio/proxyv2:1.24.2");
  EXPECT_EQ(frontend.sidecar_waiting, "");
  ASSERT_TRUE(frontend.istio_version.has_value());
  EXPECT_EQ(frontend.istio_version->major, 1);
  EXPECT_EQ(frontend.istio_version->minor, 24);
  EXPECT_EQ(frontend.istio_version->patch, 2);
  EXPECT_EQ(frontend.istio_version->text, "1.24.2");

  const Pod& db = pods[1];
  EXPECT_EQ(db.display_name(), "demo/db-0");
  EXPECT_EQ(db.workload, "statefulset/db");
  EXPECT_FALSE(db.has_sidecar);
  EXPECT_FALSE(db.sidecar_ready);
  EXPECT_EQ(db.sidecar_image, "");
  EXPECT_FALSE(db.istio_version.has_value());
  EXPECT_TRUE(db.annotations.empty());
  EXPECT_EQ(db.containers, std::vector<std::string>{"postgres"});
  EXPECT_TRUE(db.init_containers.empty());
  EXPECT_EQ(frontend.containers, (std::vector<std::string>{"frontend", "istio-proxy"}));
  EXPECT_EQ(frontend.init_containers, std::vector<std::string>{"istio-init"});
  EXPECT_TRUE(db.running());

  const Pod& pending = pods[2];
  EXPECT_EQ(pending.phase, "Pending");
  EXPECT_FALSE(pending.running());
  EXPECT_TRUE(pending.has_sidecar);
  EXPECT_FALSE(pending.sidecar_ready);
  EXPECT_EQ(pending.sidecar_waiting, "PodInitializing");
  EXPECT_EQ(pending.workload, "deployment/frontend");

  const Pod& reviews = pods[3];
  EXPECT_EQ(reviews.display_name(), "bookinfo/reviews-v2-5b667bcbf8-7kqcm");
  EXPECT_EQ(reviews.workload, "deployment/reviews-v2");
  EXPECT_TRUE(reviews.has_sidecar);  // native: an init container that keeps running
  EXPECT_TRUE(reviews.sidecar_ready);
  EXPECT_EQ(reviews.sidecar_image, "gcr.io/istio-release/proxyv2:1.27.1-distroless");
  ASSERT_TRUE(reviews.istio_version.has_value());
  EXPECT_EQ(reviews.istio_version->minor, 27);
  EXPECT_EQ(reviews.istio_version->text, "1.27.1");

  const Pod& terminating = pods[4];
  EXPECT_EQ(terminating.phase, "Running");
  EXPECT_TRUE(terminating.deleting);
  EXPECT_FALSE(terminating.running());
  EXPECT_FALSE(terminating.sidecar_ready);
}

TEST(ParsePodsTest, OnePodObject) {
  std::vector<Pod> pods = ParsePods(ReadData("pod_single.json"));
  ASSERT_EQ(pods.size(), 1u);
  EXPECT_EQ(pods[0].display_name(), "demo/frontend-7d9c8b7f5-x2x8k");
  EXPECT_TRUE(pods[0].has_sidecar);
  EXPECT_EQ(pods[0].ref().namespace_name, "demo");
  EXPECT_EQ(pods[0].ref().name, "frontend-7d9c8b7f5-x2x8k");
}

TEST(ParsePodsTest, EmptySelection) {
  EXPECT_TRUE(ParsePods(ReadData("pods_empty.json")).empty());
  EXPECT_TRUE(ParsePods(R"({"kind": "List", "items": null})").empty());
}

TEST(ParsePodsTest, AnInitContainerThatEndsIsNoSidecar) {
  std::vector<Pod> pods = ParsePods(R"({"kind": "Pod",
      "metadata": {"name": "p", "namespace": "n"},
      "spec": {"initContainers": [{"name": "istio-proxy", "image": "x/proxyv2:1.27.0"}],
               "containers": [{"name": "app", "image": "app:1"}]},
      "status": {"phase": "Running"}})");
  ASSERT_EQ(pods.size(), 1u);
  EXPECT_FALSE(pods[0].has_sidecar);
}

TEST(ParsePodsTest, Owners) {
  auto workload = [](const std::string& metadata) {
    return ParsePods(R"({"kind": "Pod", "metadata": )" + metadata + "}")[0].workload;
  };
  EXPECT_EQ(workload(R"({"name": "p"})"), "");
  EXPECT_EQ(workload(R"({"name": "p", "ownerReferences": [
      {"kind": "DaemonSet", "name": "ztunnel", "controller": true}]})"),
            "daemonset/ztunnel");
  EXPECT_EQ(workload(R"({"name": "p", "ownerReferences": [
      {"kind": "Job", "name": "migrate-28931", "controller": true}]})"),
            "job/migrate-28931");
  // A ReplicaSet of its own (no pod-template-hash) stays a ReplicaSet.
  EXPECT_EQ(workload(R"({"name": "p", "ownerReferences": [
      {"kind": "ReplicaSet", "name": "legacy", "controller": true}]})"),
            "replicaset/legacy");
  EXPECT_EQ(workload(R"({"name": "p", "labels": {"pod-template-hash": "abc"}, "ownerReferences": [
      {"kind": "ReplicaSet", "name": "other-xyz", "controller": true}]})"),
            "replicaset/other-xyz");
  // The controller wins over other owners.
  EXPECT_EQ(workload(R"({"name": "p", "ownerReferences": [
      {"kind": "ConfigMap", "name": "cm"},
      {"kind": "StatefulSet", "name": "db", "controller": true}]})"),
            "statefulset/db");
}

// `reason` ending in "..." is a prefix (the JSON library words the rest).
void ExpectInputError(const std::string& text, std::string reason) {
  try {
    ParsePods(text);
    ADD_FAILURE() << "no error for " << text;
  } catch (const InputError& e) {
    EXPECT_EQ(e.subject(), "kubectl get pods output");
    if (reason.size() > 3 && reason.compare(reason.size() - 3, 3, "...") == 0) {
      reason.resize(reason.size() - 3);
      EXPECT_EQ(e.reason().substr(0, reason.size()), reason) << e.reason();
    } else {
      EXPECT_EQ(e.reason(), reason);
    }
    EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
  }
}

TEST(ParsePodsTest, BadInput) {
  ExpectInputError("", "empty");
  ExpectInputError("No resources found in demo namespace.\n",
                   "not JSON: parse error at line 1, column ...");
  ExpectInputError(R"({"kind": "List", "items": [)", "not JSON: parse error at line 1, column ...");
  ExpectInputError("[]", "expected a Pod or a List of pods, got a JSON array");
  ExpectInputError(R"({"kind": "Deployment"})", "expected a Pod or a List, got kind Deployment");
  ExpectInputError(R"({"items": []})", "no \"kind\": expected a Pod or a List");
  ExpectInputError(R"({"kind": "List"})", "the List has no \"items\" array");
  ExpectInputError(R"({"kind": "List", "items": {}})", "the List has no \"items\" array");
  ExpectInputError(R"({"kind": "List", "items": [{"kind": "Pod", "metadata": {"name": "a"}}, 3]})",
                   "items[1] is not a JSON object");
  ExpectInputError(R"({"kind": "List", "items": [{"kind": "Service", "metadata": {"name": "a"}}]})",
                   "items[0] is a Service, not a Pod");
  ExpectInputError(R"({"kind": "Pod", "metadata": {}})", "the Pod has no metadata.name");
}

// Odd field types are tolerated, not fatal: the pod is still listed.
TEST(ParsePodsTest, OddFieldTypes) {
  std::vector<Pod> pods = ParsePods(R"({"kind": "Pod",
      "metadata": {"name": "p", "namespace": 7, "labels": {"n": 1}, "annotations": []},
      "spec": {"containers": {"name": "istio-proxy"}},
      "status": {"phase": null, "containerStatuses": "x"}})");
  ASSERT_EQ(pods.size(), 1u);
  EXPECT_EQ(pods[0].namespace_name, "");
  EXPECT_EQ(pods[0].labels.at("n"), "1");
  EXPECT_TRUE(pods[0].annotations.empty());
  EXPECT_FALSE(pods[0].has_sidecar);
  EXPECT_EQ(pods[0].phase, "");
}

// ---- IstioVersionFromImage ----

TEST(IstioVersionFromImageTest, Tags) {
  auto text = [](std::string_view image) {
    auto version = IstioVersionFromImage(image);
    return version ? version->text : std::string("none");
  };
  EXPECT_EQ(text("docker.io/istio/proxyv2:1.24.2"), "1.24.2");
  EXPECT_EQ(text("docker.io/istio/proxyv2:1.24.2-distroless"), "1.24.2");
  EXPECT_EQ(text("gcr.io/istio-release/proxyv2:1.22.3-debug"), "1.22.3");
  EXPECT_EQ(text("istio/proxyv2:1.20.0"), "1.20.0");
  EXPECT_EQ(text("proxyv2:1.19"), "1.19");
  EXPECT_EQ(text("registry.local:5000/istio/proxyv2:1.23.1"), "1.23.1");
  EXPECT_EQ(text("registry.local:5000/istio/proxyv2:v1.23.1"), "1.23.1");
  EXPECT_EQ(text("docker.io/istio/proxyv2:1.24.2@sha256:445156b5f4a780242d079a47b7d88199cbbb5959c"
                 "92358469b721af490eca1a7"),
            "1.24.2");

  auto version = IstioVersionFromImage("docker.io/istio/proxyv2:1.24.2-distroless");
  ASSERT_TRUE(version.has_value());
  EXPECT_EQ(version->major, 1);
  EXPECT_EQ(version->minor, 24);
  EXPECT_EQ(version->patch, 2);
}

TEST(IstioVersionFromImageTest, NoVersion) {
  for (std::string_view image : {
           "gcr.io/istio-release/proxyv2@sha256:445156b5f4a780242d079a47b7d88199cbbb5959c92358469b7"
           "21af490eca1a7",
           "docker.io/istio/proxyv2",
           "registry.local:5000/istio/proxyv2",
           "docker.io/istio/proxyv2:latest",
           "gcr.io/istio-testing/proxyv2:master-latest-daily",
           "docker.io/istio/proxyv2:1",
           "",
       }) {
    EXPECT_FALSE(IstioVersionFromImage(image).has_value()) << image;
  }
}

// ---- ListPods ----

TEST(ListPodsTest, BySelectorInANamespace) {
  FakeKubectl kubectl(Out(ReadData("pods_list.json")));
  PodTargets targets;
  targets.namespace_name = "demo";
  targets.selector = "app=frontend";
  std::vector<Pod> pods = ListPods(kubectl, targets, milliseconds(15000));
  EXPECT_EQ(pods.size(), 5u);
  ASSERT_EQ(kubectl.calls.size(), 1u);
  EXPECT_EQ(kubectl.calls[0], (std::vector<std::string>{"get", "pods", "-o", "json", "-n", "demo",
                                                        "-l", "app=frontend"}));
  EXPECT_EQ(kubectl.timeouts[0], milliseconds(15000));
}

TEST(ListPodsTest, BySelectorInAllNamespaces) {
  FakeKubectl kubectl(Out(ReadData("pods_empty.json")));
  PodTargets targets;
  targets.all_namespaces = true;
  targets.selector = "app in (frontend,reviews)";
  EXPECT_TRUE(ListPods(kubectl, targets, milliseconds(1000)).empty());
  EXPECT_EQ(kubectl.calls.at(0), (std::vector<std::string>{"get", "pods", "-o", "json", "-A", "-l",
                                                           "app in (frontend,reviews)"}));
}

TEST(ListPodsTest, InTheCurrentNamespace) {
  FakeKubectl kubectl(Out(R"({"kind": "Pod", "metadata": {"name": "a"}})"));
  PodTargets targets;
  targets.selector = "app=a";
  std::vector<Pod> pods = ListPods(kubectl, targets, milliseconds(1000));
  EXPECT_EQ(kubectl.calls.at(0),
            (std::vector<std::string>{"get", "pods", "-o", "json", "-l", "app=a"}));
  ASSERT_EQ(pods.size(), 1u);
  EXPECT_EQ(pods[0].namespace_name, "");
}

TEST(ListPodsTest, ByName) {
  FakeKubectl kubectl(Out(ReadData("pod_single.json")));
  PodTargets targets;
  targets.namespace_name = "demo";
  targets.names = {"frontend-7d9c8b7f5-x2x8k", "db-0"};
  ListPods(kubectl, targets, milliseconds(1000));
  EXPECT_EQ(kubectl.calls.at(0),
            (std::vector<std::string>{"get", "pods", "frontend-7d9c8b7f5-x2x8k", "db-0", "-o",
                                      "json", "-n", "demo"}));
}

TEST(ListPodsTest, NamespaceFilledWhenKubectlLeavesItOut) {
  FakeKubectl kubectl(Out(R"({"kind": "Pod", "metadata": {"name": "a"}})"));
  PodTargets targets;
  targets.namespace_name = "demo";
  targets.names = {"a"};
  EXPECT_EQ(ListPods(kubectl, targets, milliseconds(1000)).at(0).display_name(), "demo/a");
}

TEST(ListPodsTest, SelectionMistakesAreUsageErrors) {
  FakeKubectl kubectl(Out("{}"));
  PodTargets none;
  EXPECT_THROW(ListPods(kubectl, none, milliseconds(1000)), UsageError);
  PodTargets both;
  both.names = {"a"};
  both.selector = "app=a";
  EXPECT_THROW(ListPods(kubectl, both, milliseconds(1000)), UsageError);
  PodTargets names_everywhere;
  names_everywhere.names = {"a"};
  names_everywhere.all_namespaces = true;
  EXPECT_THROW(ListPods(kubectl, names_everywhere, milliseconds(1000)), UsageError);
  PodTargets ns_and_all;
  ns_and_all.selector = "app=a";
  ns_and_all.namespace_name = "demo";
  ns_and_all.all_namespaces = true;
  EXPECT_THROW(ListPods(kubectl, ns_and_all, milliseconds(1000)), UsageError);
  EXPECT_TRUE(kubectl.calls.empty());
}

struct Expected {
  std::string reason;
  std::string hint;
};

Expected FailureOf(const KubectlResult& answer, const PodTargets& targets) {
  FakeKubectl kubectl(answer);
  try {
    ListPods(kubectl, targets, milliseconds(10000));
  } catch (const EnvironmentError& e) {
    EXPECT_EQ(e.subject(), "kubectl get pods");
    EXPECT_EQ(std::string(e.what()).find('\n'), std::string::npos);
    return {e.reason(), e.hint()};
  }
  ADD_FAILURE() << "no EnvironmentError";
  return {};
}

PodTargets Selector(const std::string& ns) {
  PodTargets targets;
  targets.namespace_name = ns;
  targets.selector = "app=frontend";
  return targets;
}

TEST(ListPodsTest, Forbidden) {
  Expected e = FailureOf(Err("Error from server (Forbidden): pods is forbidden: User \"alice\" "
                             "cannot list resource \"pods\" in API group \"\" in the namespace "
                             "\"demo\""),
                         Selector("demo"));
  EXPECT_EQ(e.reason,
            "pods is forbidden: User \"alice\" cannot list resource \"pods\" in API group \"\" in "
            "the namespace \"demo\"");
  EXPECT_EQ(e.hint, "check your permissions with `kubectl auth can-i list pods -n demo`");

  PodTargets all;
  all.all_namespaces = true;
  all.selector = "app=x";
  e = FailureOf(Err("Error from server (Forbidden): pods is forbidden: User \"alice\" cannot list "
                    "resource \"pods\" in API group \"\" at the cluster scope"),
                all);
  EXPECT_EQ(e.hint, "check your permissions with `kubectl auth can-i list pods --all-namespaces`");
}

TEST(ListPodsTest, Unreachable) {
  Expected e = FailureOf(Err("The connection to the server 127.0.0.1:6443 was refused - did you "
                             "specify the right host or port?"),
                         Selector("demo"));
  EXPECT_EQ(e.reason,
            "The connection to the server 127.0.0.1:6443 was refused - did you specify the right "
            "host or port?");
  EXPECT_EQ(e.hint,
            "check the context (`kubectl config current-context`, --context, --kubeconfig) and "
            "that the cluster answers (`kubectl cluster-info`)");

  e = FailureOf(Err("Unable to connect to the server: dial tcp 10.0.0.1:6443: i/o timeout"),
                Selector("demo"));
  EXPECT_EQ(e.reason, "Unable to connect to the server: dial tcp 10.0.0.1:6443: i/o timeout");
  EXPECT_NE(e.hint.find("kubectl cluster-info"), std::string::npos);

  e = FailureOf(Err("error: You must be logged in to the server (Unauthorized)"), Selector("demo"));
  EXPECT_EQ(e.reason, "You must be logged in to the server (Unauthorized)");
  EXPECT_NE(e.hint.find("log in again"), std::string::npos);

  e = FailureOf(Err("Unable to connect to the server: tls: failed to verify certificate: x509: "
                    "certificate signed by unknown authority"),
                Selector("demo"));
  EXPECT_NE(e.hint.find("certificate-authority"), std::string::npos);
}

TEST(ListPodsTest, NotFound) {
  PodTargets named;
  named.namespace_name = "demo";
  named.names = {"frontend-x"};
  Expected e = FailureOf(Err("Error from server (NotFound): pods \"frontend-x\" not found"), named);
  EXPECT_EQ(e.reason, "pod frontend-x not found in namespace demo");
  EXPECT_EQ(e.hint, "check the name and -n (`kubectl get pods -n demo`)");

  e = FailureOf(Err("Error from server (NotFound): namespaces \"dmeo\" not found"), named);
  EXPECT_EQ(e.reason, "namespace dmeo not found");
  EXPECT_EQ(e.hint, "check -n (`kubectl get namespaces`)");

  named.namespace_name.clear();
  e = FailureOf(Err("Error from server (NotFound): pods \"frontend-x\" not found"), named);
  EXPECT_EQ(e.reason, "pod frontend-x not found in the current namespace");
}

TEST(ListPodsTest, Timeout) {
  KubectlResult hung;
  hung.end = KubectlResult::End::kTimedOut;
  Expected e = FailureOf(hung, Selector("demo"));
  EXPECT_EQ(e.reason, "no answer within 10s");
  EXPECT_NE(e.hint.find("kubectl cluster-info"), std::string::npos);

  e = FailureOf(Err("Error from server (Timeout): the server was unable to return a response in "
                    "the time allotted, but may still be processing the request (get pods)"),
                Selector("demo"));
  EXPECT_EQ(e.reason,
            "the server was unable to return a response in the time allotted, but may still be "
            "processing the request (get pods)");
}

TEST(ListPodsTest, OtherFailuresAndOddOutput) {
  Expected e = FailureOf(Err("error: unknown flag: --frobnicate"), Selector("demo"));
  EXPECT_EQ(e.reason, "unknown flag: --frobnicate");

  KubectlResult crashed;
  crashed.end = KubectlResult::End::kCrashed;
  e = FailureOf(crashed, Selector("demo"));
  EXPECT_EQ(e.reason, "kubectl died of a signal");

  e = FailureOf(Out("No resources found in demo namespace.\n"), Selector("demo"));
  EXPECT_EQ(e.reason.rfind("unexpected output: not JSON: ", 0), 0u) << e.reason;
}

TEST(ListPodsTest, Interrupted) {
  KubectlResult interrupted;
  interrupted.end = KubectlResult::End::kInterrupted;
  FakeKubectl kubectl(interrupted);
  try {
    ListPods(kubectl, Selector("demo"), milliseconds(1000));
    FAIL() << "no error";
  } catch (const InterruptedError& e) {
    EXPECT_EQ(e.code(), ExitCode::kInterrupted);
  }
}

}  // namespace
}  // namespace hfi::kube

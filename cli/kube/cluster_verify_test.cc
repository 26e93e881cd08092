// VerifyPods over an in-memory kubectl and HTTP client: every way a pod can fail to be read, the
// exec fallback, the deep look when a metric is missing (served by the embedded sidecar's own
// admin handlers, so its /config_dump and /stats shapes are the ones read), order and bounds of
// the pool, Ctrl-C, and the aggregate traffic check.
#include "kube/cluster_verify.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <condition_variable>
#include <csignal>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "kube/fake_kubectl.h"
#include "plugin/metric_names.h"
#include "sidecar/admin_handlers.h"
#include "util/errors.h"
#include "util/interrupt.h"
#include "verify/test_scrape.h"

namespace hfi::kube {
namespace {

using ::testing::ElementsAre;
using testing::FakeKubectl;
using testing::ForwardFails;
using testing::ForwardTo;
using ::testing::HasSubstr;
using Kind = KubectlFailure::Kind;
using verify::CheckStatus;
using verify::testing::HealthyScrape;

// ---------------------------------------------------------------------------------------------
// An HTTP client that answers per local port (one port per forwarded pod).

class FakeHttp final : public net::HttpClient {
 public:
  using Handler = std::function<net::HttpResponse(const std::string& path_and_query)>;

  void Serve(int port, Handler handler) {
    std::lock_guard<std::mutex> lock(mutex_);
    handlers_[port] = std::move(handler);
  }
  void ServeScrape(int port, std::string body) {
    Serve(port, [body](const std::string& path) {
      net::HttpResponse response;
      response.status = path == "/stats/prometheus" ? 200 : 404;
      response.body = path == "/stats/prometheus" ? body : "invalid path. admin commands are:\n";
      return response;
    });
  }

  net::HttpResponse Fetch(const net::HttpRequest& request) override {
    const std::string prefix = "http://127.0.0.1:";
    const std::size_t slash = request.url.find('/', prefix.size());
    const int port = std::stoi(request.url.substr(prefix.size(), slash - prefix.size()));
    Handler handler;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      requests_.push_back(request);
      auto it = handlers_.find(port);
      if (it != handlers_.end())
        handler = it->second;
    }
    if (!handler)
      throw EnvironmentError(request.url, "connection refused");
    return handler(request.url.substr(slash));
  }

  std::vector<net::HttpRequest> requests() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }
  std::vector<std::string> urls() const {
    std::vector<std::string> out;
    for (const auto& request : requests())
      out.push_back(request.url);
    return out;
  }

 private:
  mutable std::mutex mutex_;
  std::map<int, Handler> handlers_;
  std::vector<net::HttpRequest> requests_;
};

// The embedded sidecar's admin API (its real handlers) over a stat store with a given matcher:
// the three metrics defined as the plugin defines them, so a rejecting matcher leaves them out.
class EmbeddedAdmin {
 public:
  explicit EmbeddedAdmin(envoystats::StatsMatcher matcher) : stats_(matcher) {
    config_.plugin_path = "/opt/hfi/hfi_plugin.wasm";
    config_.stats_matcher = matcher;
    config_.host.node_metadata = {{"WORKLOAD_NAME", "web"}, {"NAMESPACE", "demo"}};
    for (const metrics::MetricName& metric : metrics::kAll) {
      const std::string internal = "wasmcustom." + std::string(metric.defined);
      if (metric.kind == metrics::Kind::kHistogram)
        stats_.HistogramNamed(internal);
      else
        stats_.CounterNamed(internal);
    }
    stats_.Flush();
    context_.stats = &stats_;
    context_.config = &config_;
    context_.admin_address = "127.0.0.1:15000";
    context_.listen_address = "127.0.0.1:15006";
  }

  FakeHttp::Handler Handler() {
    return [this](const std::string& path) {
      std::lock_guard<std::mutex> lock(mutex_);
      sidecar::AdminResponse admin = sidecar::HandleAdmin(path, context_);
      net::HttpResponse response;
      response.status = admin.status;
      response.body = admin.body;
      return response;
    };
  }

 private:
  std::mutex mutex_;
  envoystats::StatStore stats_;
  sidecar::SidecarConfig config_;
  sidecar::AdminContext context_;
};

Pod MakePod(const std::string& name, const std::string& ns = "demo") {
  Pod pod;
  pod.namespace_name = ns;
  pod.name = name;
  pod.phase = "Running";
  pod.has_sidecar = true;
  pod.sidecar_ready = true;
  return pod;
}

std::vector<std::string> Codes(const verify::SourceReport& report) {
  std::vector<std::string> codes;
  for (const verify::Check& check : report.checks) {
    for (const verify::Finding& finding : check.findings) {
      codes.push_back(std::string(verify::GetHint(finding.hint).code) + " " +
                      std::string(verify::SeverityName(finding.severity)));
    }
  }
  return codes;
}

const verify::Check* FindCheck(const verify::SourceReport& report, const std::string& id) {
  for (const verify::Check& check : report.checks) {
    if (check.id == id)
      return &check;
  }
  return nullptr;
}

std::vector<std::string> CheckIds(const verify::SourceReport& report) {
  std::vector<std::string> ids;
  for (const verify::Check& check : report.checks)
    ids.push_back(check.id);
  return ids;
}

const std::string kHealthy = HealthyScrape(3, 2, 2);

// A scrape with Envoy's families and none of HFI's.
const std::string kNoHfi = "# TYPE envoy_server_live gauge\nenvoy_server_live{} 1\n";

class VerifyPodsTest : public ::testing::Test {
 protected:
  ClusterVerifyResult Run(const std::vector<Pod>& pods,
                          const std::vector<PodScrape>* baselines = nullptr) {
    return VerifyPods(kubectl_, http_, pods, options_, baselines);
  }

  FakeKubectl kubectl_;
  FakeHttp http_;
  ClusterVerifyOptions options_;
};

// ---------------------------------------------------------------------------------------------

TEST_F(VerifyPodsTest, HealthyPodIsScrapedThroughItsForwardAndPasses) {
  kubectl_.OnForward("demo/web-1", ForwardTo(40001));
  http_.ServeScrape(40001, kHealthy);

  ClusterVerifyResult result = Run({MakePod("web-1")});

  ASSERT_EQ(result.report.sources.size(), 1u);
  const verify::SourceReport& pod = result.report.sources[0];
  EXPECT_EQ(pod.name, "demo/web-1");
  EXPECT_EQ(pod.kind, verify::SourceKind::kPod);
  EXPECT_EQ(pod.ExitStatus(), ExitCode::kOk);
  EXPECT_TRUE(Codes(pod).empty()) << ::testing::PrintToString(Codes(pod));
  ASSERT_FALSE(pod.checks.empty());
  EXPECT_EQ(pod.checks.front().id, "reach");
  EXPECT_EQ(pod.checks.front().status(), CheckStatus::kPass);
  EXPECT_THAT(pod.checks.front().observed, HasSubstr("through kubectl port-forward"));
  EXPECT_EQ(FindCheck(pod, "plugin-loaded"), nullptr);  // nothing missing: no deep look

  EXPECT_THAT(kubectl_.calls(), ElementsAre(std::vector<std::string>{"port-forward", "pod/web-1",
                                                                     "-n", "demo", ":15000"}));
  EXPECT_EQ(kubectl_.timeouts()[0], milliseconds(10'000));
  ASSERT_EQ(http_.requests().size(), 1u);
  const net::HttpRequest request = http_.requests()[0];
  EXPECT_EQ(request.url, "http://127.0.0.1:40001/stats/prometheus");
  EXPECT_THAT(request.headers,
              ElementsAre(std::pair<std::string, std::string>("Accept", "text/plain")));
  EXPECT_LE(request.timeout, options_.pod_timeout);
  EXPECT_EQ(kubectl_.open_forwards(), 0);  // stopped once the pod is done
  ASSERT_EQ(result.scrapes.size(), 1u);
  EXPECT_EQ(result.scrapes[0].pod, "demo/web-1");
  EXPECT_EQ(result.scrapes[0].body, kHealthy);
}

TEST_F(VerifyPodsTest, TheChosenPortIsForwarded) {
  options_.port = StatsPort::kMerged;
  kubectl_.OnForward("demo/web-1", ForwardTo(40001));
  http_.ServeScrape(40001, kHealthy);
  Run({MakePod("web-1")});
  EXPECT_EQ(kubectl_.calls()[0].back(), ":15020");
}

TEST_F(VerifyPodsTest, PodWithoutSidecarIsHfi501WithoutAnyKubectlCall) {
  Pod pod = MakePod("db-0");
  pod.has_sidecar = false;
  ClusterVerifyResult result = Run({pod});
  const verify::SourceReport& report = result.report.sources[0];
  EXPECT_THAT(Codes(report), ElementsAre("HFI501 error"));
  EXPECT_THAT(CheckIds(report), ElementsAre("sidecar"));
  EXPECT_EQ(report.ExitStatus(), ExitCode::kEnvironment);
  EXPECT_TRUE(kubectl_.calls().empty());
  EXPECT_TRUE(result.scrapes[0].body.empty());
  EXPECT_EQ(report.checks[0].findings[0].observed,
            "no istio-proxy container: the pod was not injected");
}

// The finding shows what the pod runs instead, and the pod's own opt-out from injection.
TEST_F(VerifyPodsTest, Hfi501NamesTheContainersAndTheOptOut) {
  Pod pod = MakePod("db-0");
  pod.has_sidecar = false;
  pod.containers = {"postgres", "exporter"};
  pod.init_containers = {"migrate"};
  Pod opted_out = MakePod("batch-0");
  opted_out.has_sidecar = false;
  opted_out.containers = {"job"};
  opted_out.labels["sidecar.istio.io/inject"] = "false";
  Pod annotated = MakePod("batch-1");
  annotated.has_sidecar = false;
  annotated.containers = {"job"};
  annotated.annotations["sidecar.istio.io/inject"] = "false";
  ClusterVerifyResult result = Run({pod, opted_out, annotated});
  ASSERT_EQ(result.report.sources.size(), 3u);
  auto observed = [&](std::size_t i) {
    return result.report.sources[i].checks.at(0).findings.at(0).observed;
  };
  EXPECT_EQ(observed(0),
            "no istio-proxy container (containers: postgres, exporter; init: migrate): the pod "
            "was not injected");
  EXPECT_EQ(observed(1),
            "no istio-proxy container (containers: job): injection is turned off on the pod "
            "(label sidecar.istio.io/inject=false)");
  EXPECT_EQ(observed(2),
            "no istio-proxy container (containers: job): injection is turned off on the pod "
            "(annotation sidecar.istio.io/inject=false)");
}

TEST_F(VerifyPodsTest, PodNotRunningIsHfi502WithPhaseAndWaitingReason) {
  Pod pending = MakePod("web-1");
  pending.phase = "Pending";
  Pod crashing = MakePod("web-2");
  crashing.sidecar_waiting = "CrashLoopBackOff";
  Pod deleting = MakePod("web-3");
  deleting.deleting = true;

  ClusterVerifyResult result = Run({pending, crashing, deleting});

  ASSERT_EQ(result.report.sources.size(), 3u);
  for (const auto& source : result.report.sources)
    EXPECT_THAT(Codes(source), ElementsAre("HFI502 error")) << source.name;
  EXPECT_EQ(result.report.sources[0].checks[0].observed, "phase Pending");
  EXPECT_EQ(result.report.sources[1].checks[0].observed,
            "phase Running, istio-proxy waiting: CrashLoopBackOff");
  EXPECT_EQ(result.report.sources[2].checks[0].observed, "phase Running, terminating");
  EXPECT_EQ(result.report.ExitStatus(), ExitCode::kEnvironment);
  EXPECT_TRUE(kubectl_.calls().empty());
}

TEST_F(VerifyPodsTest, ForwardFailuresBecomeFindingsOnThatPod) {
  struct Case {
    KubectlFailure failure;
    std::string code;
    std::string observed;
  };
  const std::vector<Case> cases = {
      {ForwardFails(Kind::kNotRunning,
                    "error: unable to forward port because pod is not running. Current "
                    "status=Pending")
           .failure,
       "HFI502 error", "kubectl port-forward: error: unable to forward port"},
      {ForwardFails(Kind::kNotFound, "Error from server (NotFound): pods \"p\" not found").failure,
       "HFI502 error", "NotFound"},
      {ForwardFails(Kind::kTimeout, "").failure, "HFI504 error",
       "printed no 'Forwarding from' line within 10s"},
      {ForwardFails(Kind::kUnreachable,
                    "The connection to the server 127.0.0.1:6443 was refused - did you specify "
                    "the right host or port?")
           .failure,
       "HFI504 error", "was refused"},
      {ForwardFails(Kind::kCrashed, "kubectl: signal: killed").failure, "HFI504 error",
       "kubectl port-forward: kubectl: signal: killed"},
      {ForwardFails(Kind::kOther, "error: lost connection to pod").failure, "HFI504 error",
       "lost connection to pod"},
  };
  for (const Case& c : cases) {
    FakeKubectl kubectl;
    testing::ForwardScript script;
    script.failure = c.failure;
    kubectl.OnForward("demo/web-1", script);
    ClusterVerifyResult result = VerifyPods(kubectl, http_, {MakePod("web-1")}, options_);
    const verify::SourceReport& report = result.report.sources[0];
    SCOPED_TRACE(c.observed);
    EXPECT_THAT(Codes(report), ElementsAre(c.code));
    ASSERT_EQ(report.checks.size(), 1u);
    EXPECT_THAT(report.checks[0].findings[0].observed, HasSubstr(c.observed));
    EXPECT_EQ(report.ExitStatus(), ExitCode::kEnvironment);
    EXPECT_TRUE(kubectl.calls("exec").empty());
  }
}

TEST_F(VerifyPodsTest, NoHttpAnswerIsHfi504AndTheForwardIsStopped) {
  kubectl_.OnForward("demo/web-1", ForwardTo(40001));  // nothing serves 40001
  ClusterVerifyResult result = Run({MakePod("web-1")});
  const verify::SourceReport& report = result.report.sources[0];
  EXPECT_THAT(Codes(report), ElementsAre("HFI504 error"));
  EXPECT_EQ(report.checks[0].id, "reach");
  EXPECT_EQ(report.checks[0].observed, "GET /stats/prometheus: connection refused");
  EXPECT_EQ(kubectl_.open_forwards(), 0);
  EXPECT_EQ(kubectl_.max_open_forwards(), 1);
}

TEST_F(VerifyPodsTest, AStatusOtherThan200IsHfi504NamingIt) {
  options_.port = StatsPort::kEnvoyPrometheus;
  kubectl_.OnForward("demo/web-1", ForwardTo(40001));
  http_.Serve(40001, [](const std::string&) {
    net::HttpResponse response;
    response.status = 404;
    response.body = "\nnot found\n";
    return response;
  });
  ClusterVerifyResult result = Run({MakePod("web-1")});
  EXPECT_THAT(Codes(result.report.sources[0]), ElementsAre("HFI504 error"));
  EXPECT_EQ(result.report.sources[0].checks[0].observed,
            "GET /stats/prometheus: HTTP 404 from port 15090: not found");
}

// --- forwarding denied ------------------------------------------------------------------------

const std::string kDenied =
    "error: error upgrading connection: pods \"web-1\" is forbidden: User \"alice\" cannot create "
    "resource \"pods/portforward\" in API group \"\" in the namespace \"demo\"";

const std::vector<std::string> kExecScrape = {
    "exec", "web-1",           "-n", "demo", "-c", "istio-proxy", "--", "pilot-agent", "request",
    "GET",  "stats/prometheus"};

TEST_F(VerifyPodsTest, DeniedForwardFallsBackToExecAndSaysSo) {
  kubectl_.OnForward("demo/web-1",
                     ForwardFails(Kind::kForbidden, kDenied, "create", "pods/portforward"));
  kubectl_.OnRun(kExecScrape, testing::Ok(kHealthy));

  ClusterVerifyResult result = Run({MakePod("web-1")});

  const verify::SourceReport& report = result.report.sources[0];
  EXPECT_THAT(Codes(report), ElementsAre("HFI503 warning"));
  EXPECT_EQ(report.ExitStatus(), ExitCode::kOk);  // the metrics were read and are right
  const verify::Check& reach = report.checks.front();
  EXPECT_EQ(reach.id, "reach");
  EXPECT_EQ(reach.status(), CheckStatus::kWarn);
  EXPECT_THAT(reach.observed, HasSubstr("port-forward denied (needs create pods/portforward)"));
  EXPECT_THAT(reach.observed, HasSubstr("read through kubectl exec"));
  EXPECT_THAT(kubectl_.calls("exec"), ElementsAre(kExecScrape));
  EXPECT_EQ(result.scrapes[0].body, kHealthy);
  EXPECT_TRUE(http_.requests().empty());
}

TEST_F(VerifyPodsTest, ExecFallbackOnAnotherPortSaysTheAdminPortWasRead) {
  options_.port = StatsPort::kEnvoyPrometheus;
  kubectl_.OnForward("demo/web-1",
                     ForwardFails(Kind::kForbidden, kDenied, "create", "pods/portforward"));
  kubectl_.OnRun(kExecScrape, testing::Ok(kHealthy));
  ClusterVerifyResult result = Run({MakePod("web-1")});
  EXPECT_THAT(result.report.sources[0].checks.front().observed,
              HasSubstr("from the admin port 15000, not 15090 as asked"));
}

TEST_F(VerifyPodsTest, DeniedForwardAndFailedExecIsHfi503NamingTheMissingVerb) {
  kubectl_.OnForward("demo/web-1",
                     ForwardFails(Kind::kForbidden, kDenied, "create", "pods/portforward"));
  kubectl_.OnRun({"exec"},
                 testing::Failed("Error from server (Forbidden): pods \"web-1\" is forbidden: "
                                 "User \"alice\" cannot create resource \"pods/exec\"\n"));

  ClusterVerifyResult result = Run({MakePod("web-1")});

  const verify::SourceReport& report = result.report.sources[0];
  EXPECT_THAT(Codes(report), ElementsAre("HFI503 error"));
  EXPECT_EQ(report.ExitStatus(), ExitCode::kEnvironment);
  const std::string& observed = report.checks[0].findings[0].observed;
  EXPECT_THAT(observed, HasSubstr("needs create pods/portforward"));
  EXPECT_THAT(observed, HasSubstr("kubectl exec failed too: "));
  EXPECT_THAT(observed, HasSubstr("pods/exec"));
  EXPECT_TRUE(result.scrapes[0].body.empty());
}

TEST_F(VerifyPodsTest, NoExecMeansDeniedIsFinal) {
  options_.exec_fallback = false;
  kubectl_.OnForward("demo/web-1", ForwardFails(Kind::kForbidden, kDenied));
  ClusterVerifyResult result = Run({MakePod("web-1")});
  EXPECT_THAT(Codes(result.report.sources[0]), ElementsAre("HFI503 error"));
  EXPECT_THAT(result.report.sources[0].checks[0].observed, HasSubstr("(--no-exec)"));
  // Without a verb from kubectl, the one port-forward needs is named.
  EXPECT_THAT(result.report.sources[0].checks[0].observed,
              HasSubstr("needs create pods/portforward"));
  EXPECT_TRUE(kubectl_.calls("exec").empty());
}

// --- the pod's budget -------------------------------------------------------------------------

TEST_F(VerifyPodsTest, ForwardAndRequestsStayWithinThePodTimeout) {
  options_.pod_timeout = milliseconds(3'000);
  kubectl_.OnForward("demo/web-1", ForwardTo(40001));
  http_.ServeScrape(40001, kHealthy);
  Run({MakePod("web-1")});
  EXPECT_LE(kubectl_.timeouts()[0], milliseconds(3'000));
  ASSERT_EQ(http_.requests().size(), 1u);
  EXPECT_LE(http_.requests()[0].timeout, milliseconds(3'000));
  EXPECT_LE(http_.requests()[0].connect_timeout, milliseconds(3'000));
}

// --- deep look --------------------------------------------------------------------------------

TEST_F(VerifyPodsTest, MissingMetricsOnTheAdminPortGetTheDeepLook_RejectingMatcher) {
  EmbeddedAdmin admin(envoystats::StatsMatcher::RejectAll());
  kubectl_.OnForward("demo/web-1", ForwardTo(40001));
  http_.Serve(40001, admin.Handler());

  ClusterVerifyResult result = Run({MakePod("web-1")});

  const verify::SourceReport& report = result.report.sources[0];
  EXPECT_THAT(http_.urls(), ElementsAre("http://127.0.0.1:40001/stats/prometheus",
                                        "http://127.0.0.1:40001/stats?filter=hfi",
                                        "http://127.0.0.1:40001/config_dump"));
  const std::vector<std::string> ids = CheckIds(report);
  ASSERT_GE(ids.size(), 3u);
  EXPECT_THAT(std::vector<std::string>(ids.end() - 3, ids.end()),
              ElementsAre("admin-stats", "plugin-loaded", "stats-matcher"));
  EXPECT_EQ(FindCheck(report, "admin-stats")->observed,
            "no stat name contains 'hfi': none was created");
  EXPECT_EQ(FindCheck(report, "plugin-loaded")->status(), CheckStatus::kPass);
  EXPECT_EQ(FindCheck(report, "plugin-loaded")->observed, "Wasm filter envoy.filters.http.wasm");
  const verify::Check* matcher = FindCheck(report, "stats-matcher");
  ASSERT_NE(matcher, nullptr);
  EXPECT_EQ(matcher->status(), CheckStatus::kFail);
  ASSERT_EQ(matcher->findings.size(), 3u);
  EXPECT_EQ(verify::GetHint(matcher->findings[0].hint).code, "HFI505");
  EXPECT_EQ(matcher->findings[0].metric, "wasmcustom_hfi_faults_aborts_total");
  EXPECT_EQ(matcher->findings[0].observed,
            "rejected by the running bootstrap's reject_all: "
            "wasmcustom.wasmcustom.hfi_faults_aborts_total");
  EXPECT_EQ(report.ExitStatus(), ExitCode::kChecksFailed);
}

TEST_F(VerifyPodsTest, AnnotationAdmittingWhatTheLiveMatcherRejectsIsHfi506) {
  // The bootstrap was generated before the annotation asked for `wasmcustom.`.
  EmbeddedAdmin admin(envoystats::StatsMatcher::Inclusion(
      {{envoystats::Pattern::Kind::kPrefix, "cluster_manager"}}));
  kubectl_.OnForward("demo/web-1", ForwardTo(40001));
  http_.Serve(40001, admin.Handler());
  Pod pod = MakePod("web-1");
  pod.annotations["proxy.istio.io/config"] =
      "proxyStatsMatcher:\n  inclusionPrefixes:\n  - wasmcustom.\n";

  ClusterVerifyResult result = Run({pod});

  const verify::Check* matcher = FindCheck(result.report.sources[0], "stats-matcher");
  ASSERT_NE(matcher, nullptr);
  ASSERT_EQ(matcher->findings.size(), 3u);
  for (const verify::Finding& finding : matcher->findings)
    EXPECT_EQ(verify::GetHint(finding.hint).code, "HFI506");
  EXPECT_EQ(matcher->findings[0].expected,
            "the matcher the pod's annotations ask for (proxy.istio.io/config: inclusionPrefixes "
            "[wasmcustom.]) in effect");
  EXPECT_THAT(matcher->findings[0].observed,
              HasSubstr("the running bootstrap's inclusion list of 1 pattern rejects "
                        "wasmcustom.wasmcustom.hfi_faults_aborts_total"));
}

TEST_F(VerifyPodsTest, ConfigDumpWithoutTheWasmFilterIsHfi508) {
  kubectl_.OnForward("demo/web-1", ForwardTo(40001));
  http_.Serve(40001, [](const std::string& path) {
    net::HttpResponse response;
    response.status = 200;
    if (path == "/stats/prometheus")
      response.body = kNoHfi;
    else if (path == "/config_dump")
      response.body = R"({"configs": [
        {"@type": "type.googleapis.com/envoy.admin.v3.BootstrapConfigDump",
         "bootstrap": {"stats_config": {"stats_matcher": {"inclusion_list": {"patterns": [
           {"prefix": "wasm"}]}}}}},
        {"@type": "type.googleapis.com/envoy.admin.v3.ListenersConfigDump",
         "dynamic_listeners": [{"name": "virtualInbound", "active_state": {"listener": {
           "filter_chains": [{"filters": [{"name": "envoy.filters.network.http_connection_manager",
             "typed_config": {"@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
               "http_filters": [{"name": "envoy.filters.http.router", "typed_config": {
                 "@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router"}}]}}]}]}}}]}]})";
    else
      response.body = "cluster_manager.active_clusters: 3\n";
    return response;
  });

  ClusterVerifyResult result = Run({MakePod("web-1")});

  const verify::SourceReport& report = result.report.sources[0];
  const verify::Check* loaded = FindCheck(report, "plugin-loaded");
  ASSERT_NE(loaded, nullptr);
  ASSERT_EQ(loaded->findings.size(), 1u);
  EXPECT_EQ(verify::GetHint(loaded->findings[0].hint).code, "HFI508");
  EXPECT_THAT(loaded->observed, HasSubstr("no Wasm HTTP filter"));
  EXPECT_EQ(FindCheck(report, "stats-matcher")->status(), CheckStatus::kPass);
  EXPECT_EQ(FindCheck(report, "stats-matcher")->observed,
            "inclusion list of 1 pattern accepts all three");
}

TEST_F(VerifyPodsTest, DeepLookOnlyOnTheAdminPort) {
  options_.port = StatsPort::kEnvoyPrometheus;
  kubectl_.OnForward("demo/web-1", ForwardTo(40001));
  http_.ServeScrape(40001, kNoHfi);
  ClusterVerifyResult result = Run({MakePod("web-1")});
  EXPECT_EQ(http_.requests().size(), 1u);
  EXPECT_EQ(FindCheck(result.report.sources[0], "plugin-loaded"), nullptr);
  EXPECT_EQ(result.report.ExitStatus(), ExitCode::kChecksFailed);
}

TEST_F(VerifyPodsTest, NoDeepLookWhenDiagnoseIsOff) {
  options_.diagnose = false;
  kubectl_.OnForward("demo/web-1", ForwardTo(40001));
  http_.ServeScrape(40001, kNoHfi);
  Run({MakePod("web-1")});
  EXPECT_EQ(http_.requests().size(), 1u);
}

TEST_F(VerifyPodsTest, DeepLookThroughExecWhenForwardingIsDenied) {
  EmbeddedAdmin admin(envoystats::StatsMatcher::RejectAll());
  FakeHttp::Handler serve = admin.Handler();
  kubectl_.OnForward("demo/web-1", ForwardFails(Kind::kForbidden, kDenied));
  kubectl_.OnRun({"exec", "web-1"}, [serve](const std::vector<std::string>& args) {
    return testing::Ok(serve("/" + args.back()).body);
  });

  ClusterVerifyResult result = Run({MakePod("web-1")});

  std::vector<std::string> paths;
  for (const auto& call : kubectl_.calls("exec"))
    paths.push_back(call.back());
  EXPECT_THAT(paths, ElementsAre("stats/prometheus", "stats?filter=hfi", "config_dump"));
  const verify::SourceReport& report = result.report.sources[0];
  EXPECT_EQ(FindCheck(report, "stats-matcher")->status(), CheckStatus::kFail);
  EXPECT_EQ(FindCheck(report, "reach")->status(), CheckStatus::kWarn);
}

TEST_F(VerifyPodsTest, AFailedDeepFetchSkipsOnlyItsCheck) {
  kubectl_.OnForward("demo/web-1", ForwardTo(40001));
  http_.ServeScrape(40001, kNoHfi);  // 404 for /stats and /config_dump
  ClusterVerifyResult result = Run({MakePod("web-1")});
  const verify::SourceReport& report = result.report.sources[0];
  EXPECT_EQ(FindCheck(report, "admin-stats")->status(), CheckStatus::kSkip);
  EXPECT_THAT(FindCheck(report, "plugin-loaded")->skip_reason,
              HasSubstr("GET /config_dump: HTTP 404 from port 15000"));
  EXPECT_EQ(report.ExitStatus(), ExitCode::kChecksFailed);
}

// --- baselines --------------------------------------------------------------------------------

TEST_F(VerifyPodsTest, BaselinesGiveDeltaChecks) {
  std::string error;
  options_.checks.expect_delta.push_back(*verify::ParseExpectation("delays>=1", &error));
  kubectl_.OnForward("demo/web-1", ForwardTo(40001));
  kubectl_.OnForward("demo/web-2", ForwardTo(40002));
  http_.ServeScrape(40001, HealthyScrape(5, 4, 4));
  http_.ServeScrape(40002, HealthyScrape(5, 4, 4));
  const std::vector<PodScrape> baselines = {{"demo/web-1", HealthyScrape(5, 2, 2)},
                                            {"demo/web-2", ""}};

  ClusterVerifyResult result = Run({MakePod("web-1"), MakePod("web-2")}, &baselines);

  const verify::SourceReport& first = result.report.sources[0];
  EXPECT_EQ(first.baseline, "first scrape");
  EXPECT_EQ(first.ExitStatus(), ExitCode::kOk);
  ASSERT_NE(FindCheck(first, "expect-delta"), nullptr);
  EXPECT_EQ(FindCheck(first, "expect-delta")->status(), CheckStatus::kPass);
  const verify::SourceReport& second = result.report.sources[1];
  EXPECT_EQ(second.baseline, "");
  ASSERT_NE(FindCheck(second, "expect-delta"), nullptr);
  EXPECT_THAT(Codes(second), ElementsAre("HFI304 error"));
}

// --- the pool ---------------------------------------------------------------------------------

TEST_F(VerifyPodsTest, ResultsKeepInputOrderWhateverOrderPodsFinishIn) {
  options_.concurrency = 4;
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<std::string> finished;
  std::vector<std::size_t> dones;
  bool third_done = false;
  options_.progress = [&](std::size_t done, std::size_t total, const std::string& pod) {
    std::lock_guard<std::mutex> lock(mutex);
    EXPECT_EQ(total, 8u);
    dones.push_back(done);
    finished.push_back(pod);
    if (pod == "demo/p3")
      third_done = true;
    changed.notify_all();
  };
  std::vector<Pod> pods;
  for (int i = 0; i < 8; ++i) {
    const std::string name = "p" + std::to_string(i);
    pods.push_back(MakePod(name));
    testing::ForwardScript script = ForwardTo(41000 + i);
    if (i == 0) {
      // p0 is held back until p3 has finished: completion order differs from input order.
      script.before = [&] {
        std::unique_lock<std::mutex> lock(mutex);
        const bool released =
            changed.wait_for(lock, std::chrono::seconds(60), [&] { return third_done; });
        EXPECT_TRUE(released);
      };
    }
    kubectl_.OnForward("demo/" + name, script);
    http_.ServeScrape(41000 + i, i % 2 == 0 ? kHealthy : kNoHfi);
  }

  ClusterVerifyResult result = Run(pods);

  ASSERT_EQ(result.report.sources.size(), 8u);
  for (int i = 0; i < 8; ++i) {
    EXPECT_EQ(result.report.sources[i].name, "demo/p" + std::to_string(i));
    EXPECT_EQ(result.scrapes[i].pod, "demo/p" + std::to_string(i));
    EXPECT_EQ(result.report.sources[i].ExitStatus(),
              i % 2 == 0 ? ExitCode::kOk : ExitCode::kChecksFailed);
  }
  const auto p0 = std::find(finished.begin(), finished.end(), "demo/p0");
  const auto p3 = std::find(finished.begin(), finished.end(), "demo/p3");
  EXPECT_LT(p3, p0);
  EXPECT_THAT(dones, ElementsAre(1u, 2u, 3u, 4u, 5u, 6u, 7u, 8u));
  EXPECT_LE(kubectl_.max_open_forwards(), 4);
  EXPECT_GE(kubectl_.max_open_forwards(), 1);
  EXPECT_EQ(kubectl_.open_forwards(), 0);
}

TEST_F(VerifyPodsTest, ConcurrencyOneVisitsPodsOneAtATime) {
  options_.concurrency = 1;
  std::vector<Pod> pods;
  for (int i = 0; i < 3; ++i) {
    pods.push_back(MakePod("p" + std::to_string(i)));
    kubectl_.OnForward("demo/p" + std::to_string(i), ForwardTo(41000 + i));
    http_.ServeScrape(41000 + i, kHealthy);
  }
  Run(pods);
  EXPECT_EQ(kubectl_.max_open_forwards(), 1);
  std::vector<std::string> order;
  for (const auto& call : kubectl_.calls("port-forward"))
    order.push_back(call[1]);
  EXPECT_THAT(order, ElementsAre("pod/p0", "pod/p1", "pod/p2"));
}

TEST_F(VerifyPodsTest, NoPodsNoWork) {
  ClusterVerifyResult result = Run({});
  EXPECT_TRUE(result.report.sources.empty());
  EXPECT_TRUE(result.scrapes.empty());
}

// --- Ctrl-C -----------------------------------------------------------------------------------

TEST_F(VerifyPodsTest, InterruptedForwardStopsEverythingAndThrows) {
  options_.concurrency = 2;
  kubectl_.OnForward("demo/p0", ForwardFails(Kind::kInterrupted, ""));
  for (int i = 1; i < 6; ++i) {
    kubectl_.OnForward("demo/p" + std::to_string(i), ForwardTo(41000 + i));
    http_.ServeScrape(41000 + i, kHealthy);
  }
  std::vector<Pod> pods;
  for (int i = 0; i < 6; ++i)
    pods.push_back(MakePod("p" + std::to_string(i)));
  try {
    Run(pods);
    FAIL() << "expected InterruptedError";
  } catch (const InterruptedError& e) {
    EXPECT_EQ(e.code(), ExitCode::kInterrupted);
    EXPECT_EQ(e.subject(), "verify");
  }
  EXPECT_EQ(kubectl_.open_forwards(), 0);
  // The pool stopped taking pods: at most the one in flight on the other worker went on.
  EXPECT_LE(kubectl_.calls("port-forward").size(), 3u);
}

TEST_F(VerifyPodsTest, InterruptedExecThrows) {
  kubectl_.OnForward("demo/web-1", ForwardFails(Kind::kForbidden, kDenied));
  kubectl_.OnRun({"exec"}, testing::Ended(KubectlResult::End::kInterrupted));
  EXPECT_THROW(Run({MakePod("web-1")}), InterruptedError);
}

TEST_F(VerifyPodsTest, ASignalUnderAnInterruptScopeStopsThePool) {
  ClearInterrupt();
  InterruptScope scope;
  struct sigaction current {};
  ::sigaction(SIGINT, nullptr, &current);
  if (current.sa_handler == SIG_DFL)
    GTEST_SKIP() << "this build records no signals (util/interrupt placeholder)";
  testing::ForwardScript script = ForwardTo(40001);
  script.before = [] { std::raise(SIGINT); };
  kubectl_.OnForward("demo/web-1", script);
  kubectl_.OnForward("demo/web-2", ForwardTo(40002));
  http_.ServeScrape(40001, kHealthy);
  http_.ServeScrape(40002, kHealthy);
  options_.concurrency = 1;
  EXPECT_THROW(Run({MakePod("web-1"), MakePod("web-2")}), InterruptedError);
  EXPECT_EQ(kubectl_.open_forwards(), 0);
  EXPECT_EQ(kubectl_.calls("port-forward").size(), 1u);  // web-2 never started
  ClearInterrupt();
}

// --- traffic ----------------------------------------------------------------------------------

ClusterTraffic Sent(std::size_t aborted, std::size_t delayed, std::size_t passed) {
  ClusterTraffic traffic;
  traffic.url = "http://frontend.demo/api";
  traffic.summary = {aborted + delayed + passed, aborted, delayed, passed, 0};
  return traffic;
}

TEST(TrafficReport, SumsTheIncreaseOverThePods) {
  const std::vector<PodScrape> before = {{"demo/a", HealthyScrape(1, 1, 1)},
                                         {"demo/b", HealthyScrape(0, 0, 0)}};
  const std::vector<PodScrape> after = {{"demo/a", HealthyScrape(5, 3, 3)},
                                        {"demo/b", HealthyScrape(6, 4, 4)}};
  verify::SourceReport report = TrafficReport(before, after, Sent(10, 6, 14));
  EXPECT_EQ(report.name, "traffic");
  EXPECT_EQ(report.kind, verify::SourceKind::kTraffic);
  ASSERT_TRUE(report.traffic);
  EXPECT_EQ(report.traffic->sent, 30u);
  EXPECT_THAT(CheckIds(report), ElementsAre("responses", "traffic"));
  const verify::Check& check = report.checks[1];
  EXPECT_EQ(check.status(), CheckStatus::kPass);
  EXPECT_EQ(check.expected, "aborts +10, delays +6, delay _count +6 (summed over 2 pods)");
  EXPECT_EQ(check.observed, "aborts +10, delays +6, delay _count +6");
  EXPECT_EQ(report.ExitStatus(), ExitCode::kOk);
}

TEST(TrafficReport, DisagreementIsHfi307PerSeries) {
  const std::vector<PodScrape> before = {{"demo/a", HealthyScrape(0, 0, 0)}};
  const std::vector<PodScrape> after = {{"demo/a", HealthyScrape(4, 3, 2)}};
  verify::SourceReport report = TrafficReport(before, after, Sent(5, 3, 0));
  EXPECT_THAT(Codes(report), ElementsAre("HFI307 error", "HFI307 error"));
  const verify::Check& check = report.checks[1];
  EXPECT_EQ(check.findings[0].metric, "wasmcustom_hfi_faults_aborts_total");
  EXPECT_EQ(check.findings[0].expected, "+5 (aborted responses seen, summed over the pods)");
  EXPECT_EQ(check.findings[0].observed, "+4");
  EXPECT_EQ(check.findings[1].metric, "wasmcustom_hfi_faults_delay_duration_milliseconds_count");
  EXPECT_EQ(report.ExitStatus(), ExitCode::kChecksFailed);
}

// Other clients of the same pods hit faults too: more than this run saw is a warning, fewer an
// error, each per series.
TEST(TrafficReport, MoreThanSeenIsHfi309AWarning) {
  const std::vector<PodScrape> before = {{"demo/a", HealthyScrape(0, 0, 0)}};
  const std::vector<PodScrape> after = {{"demo/a", HealthyScrape(7, 3, 4)}};
  verify::SourceReport report = TrafficReport(before, after, Sent(5, 3, 0));
  EXPECT_THAT(Codes(report), ElementsAre("HFI309 warning", "HFI309 warning"));
  const verify::Check& check = report.checks[1];
  EXPECT_EQ(check.findings[0].metric, "wasmcustom_hfi_faults_aborts_total");
  EXPECT_EQ(check.findings[0].observed, "+7");
  EXPECT_EQ(check.findings[1].metric, "wasmcustom_hfi_faults_delay_duration_milliseconds_count");
  EXPECT_EQ(report.ExitStatus(), ExitCode::kOk);

  const std::vector<PodScrape> mixed = {{"demo/a", HealthyScrape(7, 2, 2)}};
  report = TrafficReport(before, mixed, Sent(5, 3, 0));
  EXPECT_THAT(Codes(report), ElementsAre("HFI309 warning", "HFI307 error", "HFI307 error"));
  EXPECT_EQ(report.ExitStatus(), ExitCode::kChecksFailed);
}

TEST(TrafficReport, PodsNotScrapedTwiceAreLeftOutAndNamed) {
  const std::vector<PodScrape> before = {{"demo/a", HealthyScrape(0, 0, 0)}, {"demo/b", ""}};
  const std::vector<PodScrape> after = {{"demo/a", HealthyScrape(2, 1, 1)},
                                        {"demo/b", HealthyScrape(9, 9, 9)}};
  verify::SourceReport report = TrafficReport(before, after, Sent(2, 1, 0));
  EXPECT_EQ(report.checks[1].expected,
            "aborts +2, delays +1, delay _count +1 (summed over 1 pod; left out, not scraped "
            "twice: demo/b)");
  EXPECT_EQ(report.checks[1].status(), CheckStatus::kPass);
}

TEST(TrafficReport, NoFaultSeenWarns) {
  const std::vector<PodScrape> scrapes = {{"demo/a", HealthyScrape(1, 1, 1)}};
  verify::SourceReport report = TrafficReport(scrapes, scrapes, Sent(0, 0, 30));
  EXPECT_THAT(Codes(report), ElementsAre("HFI308 warning"));
  EXPECT_EQ(report.ExitStatus(), ExitCode::kOk);
}

TEST(TrafficReport, RequestsWithoutAResponseAreHfi504) {
  const std::vector<PodScrape> scrapes = {{"demo/a", HealthyScrape(1, 1, 1)}};
  ClusterTraffic traffic = Sent(0, 0, 28);
  traffic.no_response = 2;
  traffic.first_no_response = "http://frontend.demo/api: connection refused";
  verify::SourceReport report = TrafficReport(scrapes, scrapes, traffic);
  const verify::Check& responses = report.checks[0];
  EXPECT_EQ(responses.expected, "a response to each of 30 GET http://frontend.demo/api");
  EXPECT_EQ(responses.observed,
            "2 of 30 got no response (first: http://frontend.demo/api: connection refused)");
  EXPECT_THAT(Codes(report), ElementsAre("HFI504 error", "HFI308 warning"));
  EXPECT_EQ(report.ExitStatus(), ExitCode::kEnvironment);
}

TEST(TrafficReport, NothingToCompareIsSkipped) {
  const std::vector<PodScrape> none = {{"demo/a", ""}};
  verify::SourceReport report = TrafficReport(none, none, Sent(1, 1, 1));
  EXPECT_EQ(report.checks[1].status(), CheckStatus::kSkip);
}

}  // namespace
}  // namespace hfi::kube

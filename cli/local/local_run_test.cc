// RunLocal over a fake sidecar and a fake HTTP client: the report it assembles (source, traffic,
// the plugin check first, the engine's checks, the traffic check), HFI307 and HFI510, and the
// environment failures that end the run with exit 2.
#include "local/local_run.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "local/fake_http_client.h"
#include "util/errors.h"
#include "verify/test_scrape.h"

namespace hfi::local {
namespace {

using testing::FakeHttpClient;
using ::testing::HasSubstr;
using testing::Response;
using verify::testing::HealthyScrape;

class FakeTarget final : public LocalTarget {
 public:
  std::string admin_address() const override { return "127.0.0.1:15000"; }
  std::string listen_address() const override { return "127.0.0.1:15006"; }
  bool WaitForFlush(std::chrono::milliseconds timeout) override {
    flush_timeouts.push_back(timeout);
    return flushes;
  }
  sidecar::PluginStatus plugin_status() const override { return status; }

  bool flushes = true;
  sidecar::PluginStatus status;
  std::vector<std::chrono::milliseconds> flush_timeouts;
};

const verify::Check* Find(const verify::SourceReport& report, const std::string& id) {
  for (const verify::Check& check : report.checks) {
    if (check.id == id)
      return &check;
  }
  return nullptr;
}

LocalRunOptions Options(std::size_t requests = 30) {
  LocalRunOptions options;
  options.requests = requests;
  options.concurrency = 4;
  options.flush_interval = std::chrono::milliseconds(1000);
  return options;
}

TEST(RunLocal, HealthyRunPassesAndCarriesTheTraffic) {
  FakeTarget target;
  FakeHttpClient client;
  client.scrape = Response(200, {}, HealthyScrape(10, 10, 10));
  LocalRunResult result = RunLocal(target, client, Options());

  const verify::SourceReport& report = result.report;
  EXPECT_EQ(report.name, "local sidecar (127.0.0.1:15000)");
  EXPECT_EQ(report.kind, verify::SourceKind::kLocal);
  ASSERT_TRUE(report.traffic);
  EXPECT_EQ(report.traffic->sent, 30u);
  EXPECT_EQ(report.traffic->aborted, 10u);
  EXPECT_EQ(report.traffic->delayed, 10u);
  EXPECT_EQ(report.traffic->passed, 10u);
  EXPECT_EQ(report.traffic->failed, 0u);
  ASSERT_FALSE(report.checks.empty());
  EXPECT_EQ(report.checks.front().id, "plugin");
  EXPECT_EQ(report.checks.front().observed, "running");
  ASSERT_NE(Find(report, "traffic"), nullptr);
  EXPECT_EQ(Find(report, "traffic")->status(), verify::CheckStatus::kPass);
  for (const verify::Check& check : report.checks)
    EXPECT_EQ(check.status(), verify::CheckStatus::kPass) << check.id << " " << check.metric;
  EXPECT_EQ(report.ExitStatus(), ExitCode::kOk);

  // The traffic went to the listener, the scrape to the admin address, last, after one flush
  // waited for with room for three intervals.
  std::vector<net::HttpRequest> requests = client.requests();
  ASSERT_EQ(requests.size(), 31u);
  EXPECT_EQ(requests.back().url, "http://127.0.0.1:15000/stats/prometheus");
  EXPECT_EQ(requests.back().method, "GET");
  for (std::size_t i = 0; i + 1 < requests.size(); ++i)
    EXPECT_THAT(requests[i].url, ::testing::StartsWith("http://127.0.0.1:15006/hfi-local/"));
  EXPECT_EQ(target.flush_timeouts,
            std::vector<std::chrono::milliseconds>{std::chrono::milliseconds(8000)});
}

TEST(RunLocal, CountersThatMissAFaultFailWithHfi307) {
  FakeTarget target;
  FakeHttpClient client;
  client.scrape = Response(200, {}, HealthyScrape(9, 10, 10));
  LocalRunResult result = RunLocal(target, client, Options());
  const verify::Check* traffic = Find(result.report, "traffic");
  ASSERT_NE(traffic, nullptr);
  ASSERT_EQ(traffic->findings.size(), 1u);
  EXPECT_EQ(verify::GetHint(traffic->findings[0].hint).code, "HFI307");
  EXPECT_EQ(traffic->findings[0].expected, "10 (aborted responses seen)");
  EXPECT_EQ(traffic->findings[0].observed, "9");
  EXPECT_EQ(result.report.ExitStatus(), ExitCode::kChecksFailed);
}

TEST(RunLocal, AFailedPluginIsHfi510NamingTheFailure) {
  FakeTarget target;
  target.status.fail_state = wasmhost::FailState::kRuntimeError;
  target.status.failure = "proxy_on_request_headers (context 2) trapped: unreachable executed";
  // Fail closed: every request got a 503 without a fault mark, and nothing was counted.
  FakeHttpClient client([](const net::HttpRequest&) { return Response(503, {}, "failed"); });
  client.scrape = Response(200, {}, HealthyScrape(0, 0, 0));
  LocalRunResult result = RunLocal(target, client, Options(9));

  const verify::Check& plugin = result.report.checks.front();
  EXPECT_EQ(plugin.id, "plugin");
  EXPECT_EQ(plugin.status(), verify::CheckStatus::kFail);
  ASSERT_EQ(plugin.findings.size(), 1u);
  EXPECT_EQ(verify::GetHint(plugin.findings[0].hint).code, "HFI510");
  EXPECT_EQ(plugin.findings[0].observed,
            "runtime error: proxy_on_request_headers (context 2) trapped: unreachable executed");
  EXPECT_EQ(result.report.traffic->failed, 9u);
  // The counters agree with what was seen (nothing, which proves nothing: a warning); only the
  // plugin check fails.
  EXPECT_EQ(Find(result.report, "traffic")->status(), verify::CheckStatus::kWarn);
  EXPECT_EQ(result.report.ExitStatus(), ExitCode::kChecksFailed);
}

TEST(PluginCheck, NamesEachFailState) {
  sidecar::PluginStatus status;
  EXPECT_EQ(PluginCheck(status).status(), verify::CheckStatus::kPass);
  status.fail_state = wasmhost::FailState::kStartFailed;
  status.failure = "proxy_on_vm_start returned 0 (the plugin failed to start)";
  EXPECT_EQ(PluginCheck(status).observed,
            "start failed: proxy_on_vm_start returned 0 (the plugin failed to start)");
  status.fail_state = wasmhost::FailState::kConfigureFailed;
  status.failure = "proxy_on_configure returned 0";
  EXPECT_EQ(PluginCheck(status).findings.at(0).observed,
            "configure failed: proxy_on_configure returned 0");
}

TEST(StatsMatcherCheck, PassesForIstiosDefaultAndNamesEachRejectedName) {
  verify::Check istio = StatsMatcherCheck(envoystats::StatsMatcher::IstioDefault());
  EXPECT_EQ(istio.status(), verify::CheckStatus::kPass);
  EXPECT_THAT(istio.observed, ::testing::EndsWith(" accepts all three"));

  verify::Check none = StatsMatcherCheck(envoystats::StatsMatcher::RejectAll());
  ASSERT_EQ(none.findings.size(), 3u);
  EXPECT_EQ(verify::GetHint(none.findings[0].hint).code, "HFI505");
  EXPECT_EQ(none.findings[0].metric, "wasmcustom_hfi_faults_aborts_total");
  EXPECT_EQ(none.findings[0].observed,
            "rejected by the sidecar's reject_all: wasmcustom.wasmcustom.hfi_faults_aborts_total");

  // A pattern written for the Prometheus name never matches the internal one (facts §3.1), and
  // a prefix for the histogram alone lets only the histogram through.
  envoystats::Pattern histogram_only{envoystats::Pattern::Kind::kPrefix,
                                     "wasmcustom.wasmcustom.hfi_faults_delay_duration"};
  verify::Check one = StatsMatcherCheck(envoystats::StatsMatcher::Inclusion({histogram_only}));
  ASSERT_EQ(one.findings.size(), 2u);
  EXPECT_EQ(one.observed,
            "inclusion list of 1 pattern rejects wasmcustom.wasmcustom.hfi_faults_aborts_total, "
            "wasmcustom.wasmcustom.hfi_faults_delays_total");
}

TEST(RunLocal, TheStatsMatcherCheckFollowsThePluginCheck) {
  FakeTarget target;
  FakeHttpClient client;
  client.scrape = Response(200, {}, "");  // what reject_all serves: nothing at all
  LocalRunOptions options = Options();
  options.stats_matcher = envoystats::StatsMatcher::RejectAll();
  LocalRunResult result = RunLocal(target, client, options);
  ASSERT_GE(result.report.checks.size(), 3u);
  EXPECT_EQ(result.report.checks[0].id, "plugin");
  EXPECT_EQ(result.report.checks[1].id, "stats-matcher");
  EXPECT_EQ(result.report.checks[1].status(), verify::CheckStatus::kFail);
  EXPECT_EQ(result.report.checks[2].id, "exposition");
  EXPECT_EQ(result.report.ExitStatus(), ExitCode::kChecksFailed);
}

TEST(RunLocal, ExpectationsApplyToTheLocalScrape) {
  FakeTarget target;
  FakeHttpClient client;
  client.scrape = Response(200, {}, HealthyScrape(10, 10, 10));
  LocalRunOptions options = Options();
  std::string error;
  options.checks.expect = {*verify::ParseExpectation("aborts>=11", &error)};
  LocalRunResult result = RunLocal(target, client, options);
  const verify::Check* expect = Find(result.report, "expect");
  ASSERT_NE(expect, nullptr);
  EXPECT_EQ(verify::GetHint(expect->findings.at(0).hint).code, "HFI302");
}

TEST(RunLocal, ScrapeWithoutTheMetricsIsReportedByTheEngine) {
  // A stats matcher that rejects the names: the plugin injected faults, nothing was counted.
  FakeTarget target;
  FakeHttpClient client;
  client.scrape = Response(200, {}, "# TYPE envoy_server_live gauge\nenvoy_server_live{} 1\n");
  LocalRunResult result = RunLocal(target, client, Options());
  EXPECT_EQ(result.report.ExitStatus(), ExitCode::kChecksFailed);
  EXPECT_EQ(result.report.traffic->aborted, 10u);
  EXPECT_EQ(result.report.checks.front().id, "plugin");
}

TEST(RunLocal, RequestsWithoutResponseEndTheRunWithExit2) {
  FakeTarget target;
  FakeHttpClient client([](const net::HttpRequest& request) -> net::HttpResponse {
    throw EnvironmentError(request.url, "no complete response within 30000 ms");
  });
  try {
    RunLocal(target, client, Options(3));
    ADD_FAILURE();
  } catch (const EnvironmentError& e) {
    EXPECT_EQ(e.subject(), "local sidecar (127.0.0.1:15000)");
    EXPECT_EQ(e.reason(),
              "3 of 3 requests to 127.0.0.1:15006 got no response (first: no complete response "
              "within 30000 ms)");
    EXPECT_THAT(e.hint(), HasSubstr("30.0 s request timeout"));
  }
}

TEST(RunLocal, NoFlushEndsTheRunWithExit2) {
  FakeTarget target;
  target.flushes = false;
  FakeHttpClient client;
  try {
    RunLocal(target, client, Options(3));
    ADD_FAILURE();
  } catch (const EnvironmentError& e) {
    EXPECT_EQ(e.reason(), "no stats flush within 8.0 s");
  }
}

TEST(RunLocal, AScrapeThatIsNot200EndsTheRunWithExit2) {
  FakeTarget target;
  FakeHttpClient client;
  client.scrape = Response(404, {}, "not found");
  try {
    RunLocal(target, client, Options(3));
    ADD_FAILURE();
  } catch (const EnvironmentError& e) {
    EXPECT_EQ(e.subject(), "http://127.0.0.1:15000/stats/prometheus");
    EXPECT_EQ(e.reason(), "answered HTTP 404");
  }
}

TEST(LocalLogSink, EchoesRecordsAndKeepsThePluginsErrors) {
  char* buffer = nullptr;
  std::size_t size = 0;
  std::FILE* stream = open_memstream(&buffer, &size);
  ASSERT_NE(stream, nullptr);
  {
    LocalLogSink sink(stream);
    sink.Log({wasmhost::LogLevel::kInfo, wasmhost::LogSource::kPlugin, "policy loaded"});
    sink.Log({wasmhost::LogLevel::kError, wasmhost::LogSource::kPlugin, "invalid configuration"});
    sink.Log({wasmhost::LogLevel::kError, wasmhost::LogSource::kHost, "trap"});
    EXPECT_EQ(sink.plugin_errors(), std::vector<std::string>{"invalid configuration"});
  }
  std::fclose(stream);
  EXPECT_EQ(std::string(buffer, size),
            "hfi-metrics: plugin: info: policy loaded\n"
            "hfi-metrics: plugin: error: invalid configuration\n"
            "hfi-metrics: host: error: trap\n");
  std::free(buffer);

  LocalLogSink quiet(nullptr);
  quiet.Log({wasmhost::LogLevel::kError, wasmhost::LogSource::kPlugin, "kept"});
  EXPECT_EQ(quiet.plugin_errors().size(), 1u);
}

}  // namespace
}  // namespace hfi::local

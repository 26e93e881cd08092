// The real HFI plugin (.wasm built by em++) in the embedded host: metrics defined up front, aborts,
// delays on virtual time, percentages, path/method/header matching, and a bad configuration keeping
// the last good policy. Finds the module through $HFI_PLUGIN_WASM, else
// $HFI_BINARY_DIR/plugin/hfi_plugin.wasm; skips when neither exists.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "envoystats/admin_render.h"
#include "plugin/metric_names.h"
#include "wasmhost/metrics.h"
#include "wasmhost/test_support.h"

namespace hfi::wasmhost {
namespace {

using testing::HeaderValue;
using testing::HostFixture;
using testing::Request;
using testing::Response;

constexpr std::int64_t kMs = 1'000'000;

std::optional<std::string> PluginPath() {
  if (const char* path = std::getenv("HFI_PLUGIN_WASM"); path != nullptr && *path != '\0')
    return std::string(path);
  if (const char* dir = std::getenv("HFI_BINARY_DIR"); dir != nullptr && *dir != '\0')
    return std::string(dir) + "/plugin/hfi_plugin.wasm";
#ifdef HFI_TEST_BINARY_DIR
  return std::string(HFI_TEST_BINARY_DIR) + "/plugin/hfi_plugin.wasm";
#else
  return std::nullopt;
#endif
}

// The stat a plugin-defined name becomes: Envoy's namespace in front (facts/envoy-istio.md §1).
std::string StatName(const metrics::MetricName& metric) {
  return std::string(kCustomStatNamespace) + "." + std::string(metric.defined);
}

std::string OneRule(const std::string& rule) {
  return R"({"policies":[{"metadata":{"name":"e2e"},"spec":{"rules":[)" + rule + "]}}]}";
}

class PluginE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::optional<std::string> path = PluginPath();
    std::ifstream in(path.value_or(""), std::ios::binary);
    if (!path || !in)
      GTEST_SKIP() << "no plugin .wasm (set HFI_PLUGIN_WASM or build the plugin)";
    std::ostringstream bytes;
    bytes << in.rdbuf();
    wasm_ = bytes.str();
  }

  PluginHost& Start(const std::string& configuration) {
    HostOptions options = testing::TestOptions();
    options.plugin_configuration = configuration;
    options.node_metadata = {{"WORKLOAD_NAME", "reviews-v1"}, {"NAMESPACE", "demo"}};
    PluginHost& host = fixture_.LoadAndStart(wasm_, options);
    EXPECT_EQ(host.fail_state(), FailState::kNone) << host.failure();
    return host;
  }

  std::uint64_t Counter(const metrics::MetricName& metric) {
    return fixture_.stats.counters().at(StatName(metric)).value();
  }
  const envoystats::Histogram& DelayHistogram() {
    return fixture_.stats.histograms().at(StatName(metrics::kDelayDuration));
  }

  HostFixture fixture_{envoystats::StatsMatcher::IstioDefault()};
  std::string wasm_;
};

TEST_F(PluginE2eTest, WithoutPolicyTheThreeMetricsExistAtZero) {
  PluginHost& host = Start("");
  ASSERT_EQ(fixture_.stats.counters().count(StatName(metrics::kAborts)), 1u);
  ASSERT_EQ(fixture_.stats.counters().count(StatName(metrics::kDelays)), 1u);
  ASSERT_EQ(fixture_.stats.histograms().count(StatName(metrics::kDelayDuration)), 1u);
  for (const metrics::MetricName& metric : metrics::kAll)
    EXPECT_EQ(envoystats::PrometheusName(StatName(metric)), metric.prometheus);

  for (int i = 0; i < 3; ++i) {
    StreamStatus status = host.StartStream(Request("/productpage"));
    ASSERT_EQ(status.state, StreamState::kContinue);
    StreamStatus response = host.OnResponseHeaders(status.id, Response(200));
    EXPECT_EQ(response.state, StreamState::kContinue);
    EXPECT_EQ(HeaderValue(response.message.headers, "x-fault-injected"), "<absent>");
    host.FinishStream(status.id);
  }
  fixture_.stats.Flush();
  EXPECT_EQ(Counter(metrics::kAborts), 0u);
  EXPECT_EQ(Counter(metrics::kDelays), 0u);
  EXPECT_EQ(DelayHistogram().sample_count(), 0u);
  EXPECT_EQ(host.stream_count(), 0u);
}

TEST_F(PluginE2eTest, AbortEveryRequest) {
  PluginHost& host = Start(OneRule(R"({"fault":{"percentage":100,"abort":{"httpStatus":503}}})"));
  constexpr int kRequests = 5;
  for (int i = 0; i < kRequests; ++i) {
    StreamStatus status = host.StartStream(Request("/ratings"));
    ASSERT_EQ(status.state, StreamState::kLocalReply);
    EXPECT_EQ(status.local_reply->status, 503u);
    EXPECT_EQ(HeaderValue(status.message.headers, ":status"), "503");
    EXPECT_EQ(HeaderValue(status.message.headers, "x-fault-injected"), "abort");
    host.FinishStream(status.id);
  }
  EXPECT_EQ(Counter(metrics::kAborts), static_cast<std::uint64_t>(kRequests));
  EXPECT_EQ(Counter(metrics::kDelays), 0u);
}

TEST_F(PluginE2eTest, AbortOnlyWhatMatches) {
  PluginHost& host = Start(OneRule(
      R"({"match":{"path":{"prefix":"/api"}},"fault":{"percentage":100,"abort":{"httpStatus":418}}})"));
  EXPECT_EQ(host.StartStream(Request("/api/v1")).state, StreamState::kLocalReply);
  EXPECT_EQ(host.StartStream(Request("/static")).state, StreamState::kContinue);
  EXPECT_EQ(Counter(metrics::kAborts), 1u);
}

TEST_F(PluginE2eTest, DelayPausesUntilTheTickOnVirtualTime) {
  PluginHost& host =
      Start(OneRule(R"({"fault":{"percentage":100,"delay":{"fixed_delay_ms":500}}})"));
  std::map<StreamId, std::int64_t> started_at;
  StreamStatus a = host.StartStream(Request("/slow"));
  started_at[a.id] = fixture_.clock.MonotonicNanos();
  fixture_.clock.Advance(100 * kMs);
  StreamStatus b = host.StartStream(Request("/slow"));
  started_at[b.id] = fixture_.clock.MonotonicNanos();
  ASSERT_EQ(a.state, StreamState::kPaused);
  ASSERT_EQ(b.state, StreamState::kPaused);

  // Tick by tick, as the plugin sets its timer, noting when each stream is let go.
  std::map<StreamId, std::int64_t> resumed_at;
  for (int ticks = 0; host.paused_stream_count() > 0; ++ticks) {
    ASSERT_LT(ticks, 1000) << "the plugin never resumed its streams";
    std::optional<std::int64_t> next = host.NextTickDeadline();
    ASSERT_TRUE(next) << "paused streams but no tick scheduled";
    fixture_.clock.AdvanceTo(*next);
    for (const StreamStatus& status : host.RunDueTicks()) {
      EXPECT_EQ(status.state, StreamState::kContinue);
      EXPECT_EQ(HeaderValue(status.message.headers, ":path"), "/slow");
      resumed_at[status.id] = fixture_.clock.MonotonicNanos();
    }
  }
  ASSERT_EQ(resumed_at.size(), 2u);
  for (StreamId id : {a.id, b.id}) {
    const std::int64_t waited = resumed_at[id] - started_at[id];
    EXPECT_GE(waited, 500 * kMs) << "stream " << id;
    EXPECT_LT(waited, 1000 * kMs) << "stream " << id;
  }
  EXPECT_EQ(Counter(metrics::kDelays), 2u);
  EXPECT_EQ(Counter(metrics::kAborts), 0u);
  // The histogram shows its samples only after Envoy's stats flush.
  EXPECT_EQ(DelayHistogram().sample_count(), 0u);
  fixture_.stats.Flush();
  EXPECT_EQ(DelayHistogram().sample_count(), 2u);
  EXPECT_GE(DelayHistogram().sample_sum(), 1000.0);

  StreamStatus response = host.OnResponseHeaders(a.id, Response(200));
  EXPECT_EQ(response.state, StreamState::kContinue);
  host.FinishStream(a.id);
  host.FinishStream(b.id);
}

TEST_F(PluginE2eTest, ManyDelaysSettleOnVirtualTime) {
  PluginHost& host =
      Start(OneRule(R"({"fault":{"percentage":100,"delay":{"fixed_delay_ms":250}}})"));
  for (int i = 0; i < 20; ++i) {
    ASSERT_EQ(host.StartStream(Request("/slow")).state, StreamState::kPaused);
    fixture_.clock.Advance(7 * kMs);
  }
  std::vector<StreamStatus> resumed =
      AdvanceUntilNoPausedStreams(host, fixture_.clock, 10'000 * kMs);
  EXPECT_EQ(resumed.size(), 20u);
  EXPECT_EQ(host.paused_stream_count(), 0u);
  EXPECT_EQ(Counter(metrics::kDelays), 20u);
}

TEST_F(PluginE2eTest, ClientLeavingDuringADelayLeavesNothingBehind) {
  PluginHost& host =
      Start(OneRule(R"({"fault":{"percentage":100,"delay":{"fixed_delay_ms":500}}})"));
  StreamStatus status = host.StartStream(Request("/slow"));
  ASSERT_EQ(status.state, StreamState::kPaused);
  host.FinishStream(status.id);
  // Nothing is left to resume: the plugin dropped the stream from its table in proxy_on_delete.
  fixture_.clock.Advance(1000 * kMs);
  EXPECT_TRUE(host.RunDueTicks().empty());
  EXPECT_EQ(host.fail_state(), FailState::kNone) << host.failure();
}

TEST_F(PluginE2eTest, BadConfigurationKeepsThePreviousPolicy) {
  PluginHost& host = Start(OneRule(R"({"fault":{"percentage":100,"abort":{"httpStatus":503}}})"));
  fixture_.log.Clear();
  // The plugin reports the error and accepts the call, so Envoy keeps serving (DESIGN §3.1).
  EXPECT_TRUE(host.Configure(R"({"policies": [)"));
  bool error_logged = false;
  for (const LogRecord& record : fixture_.log.records())
    error_logged |= record.source == LogSource::kPlugin && record.level >= LogLevel::kError;
  EXPECT_TRUE(error_logged);
  StreamStatus status = host.StartStream(Request("/"));
  EXPECT_EQ(status.state, StreamState::kLocalReply);
  EXPECT_EQ(Counter(metrics::kAborts), 1u);
  EXPECT_EQ(host.fail_state(), FailState::kNone);
}

// 50 % of 10,000 requests: the count of aborts is Binomial(n, 0.5), so 5 standard deviations
// (sqrt(n)/2 each) bound it; the seed is fixed (TestOptions), so the run is deterministic.
TEST_F(PluginE2eTest, HalfTheRequestsAbortedAtFiftyPercent) {
  PluginHost& host = Start(OneRule(R"({"fault":{"percentage":50,"abort":{"httpStatus":503}}})"));
  constexpr int kRequests = 10'000;
  int aborted = 0;
  for (int i = 0; i < kRequests; ++i) {
    StreamStatus status = host.StartStream(Request("/reviews/1"));
    if (status.state == StreamState::kLocalReply) {
      ++aborted;
      EXPECT_EQ(status.local_reply->status, 503u);
    } else {
      ASSERT_EQ(status.state, StreamState::kContinue) << "request " << i;
      host.OnResponseHeaders(status.id, Response(200));
    }
    host.FinishStream(status.id);
  }
  RecordProperty("aborted", aborted);
  const double bound = 5.0 * std::sqrt(static_cast<double>(kRequests)) / 2.0;
  EXPECT_LE(std::abs(aborted - kRequests / 2), bound) << aborted << " of " << kRequests;
  EXPECT_EQ(Counter(metrics::kAborts), static_cast<std::uint64_t>(aborted));
  EXPECT_EQ(Counter(metrics::kDelays), 0u);
  EXPECT_EQ(host.stream_count(), 0u);
  EXPECT_EQ(host.fail_state(), FailState::kNone) << host.failure();
}

HttpMessage RequestWith(std::string_view method, std::string_view path, HeaderList extra = {}) {
  HttpMessage request = Request(path, std::move(extra));
  for (auto& [key, value] : request.headers) {
    if (key == ":method")
      value = std::string(method);
  }
  return request;
}

struct MatchCase {
  const char* name;
  HttpMessage request;
  bool aborted;
};

// One host with `match` as its only rule (abort 100 %); each case's request aborted or not.
class PluginMatchTest : public PluginE2eTest {
 protected:
  void ExpectAborts(const std::string& match, const std::vector<MatchCase>& cases) {
    PluginHost& host = Start(OneRule(R"({"match":)" + match +
                                     R"(,"fault":{"percentage":100,"abort":{"httpStatus":503}}})"));
    std::uint64_t expected = 0;
    for (const MatchCase& c : cases) {
      StreamStatus status = host.StartStream(c.request);
      EXPECT_EQ(status.state, c.aborted ? StreamState::kLocalReply : StreamState::kContinue)
          << match << ": " << c.name;
      host.FinishStream(status.id);
      expected += c.aborted ? 1 : 0;
    }
    EXPECT_EQ(Counter(metrics::kAborts), expected) << match;
  }
};

TEST_F(PluginMatchTest, PathExact) {
  ExpectAborts(R"({"path":{"exact":"/api/users"}})",
               {{"same path", Request("/api/users"), true},
                {"longer path", Request("/api/users/7"), false},
                {"shorter path", Request("/api/user"), false},
                {"query string", Request("/api/users?page=2"), false}});
}

TEST_F(PluginMatchTest, PathPrefix) {
  ExpectAborts(R"({"path":{"prefix":"/api/"}})",
               {{"below the prefix", Request("/api/users/7"), true},
                {"the prefix itself", Request("/api/"), true},
                {"without its slash", Request("/api"), false},
                {"elsewhere", Request("/static/api/"), false}});
}

TEST_F(PluginMatchTest, PathRegex) {
  ExpectAborts(R"({"path":{"regex":"^/api/v[0-9]+/users$"}})",
               {{"v1", Request("/api/v1/users"), true},
                {"v42", Request("/api/v42/users"), true},
                {"no version digits", Request("/api/vx/users"), false},
                {"trailing segment", Request("/api/v1/users/7"), false}});
}

TEST_F(PluginMatchTest, MethodExact) {
  ExpectAborts(R"({"method":{"exact":"POST"}})",
               {{"POST", RequestWith("POST", "/"), true},
                {"GET", RequestWith("GET", "/"), false},
                {"lower-case post", RequestWith("post", "/"), false}});
}

TEST_F(PluginMatchTest, MethodPrefix) {
  ExpectAborts(R"({"method":{"prefix":"P"}})", {{"PUT", RequestWith("PUT", "/"), true},
                                                {"PATCH", RequestWith("PATCH", "/"), true},
                                                {"GET", RequestWith("GET", "/"), false}});
}

TEST_F(PluginMatchTest, MethodRegex) {
  ExpectAborts(R"({"method":{"regex":"^(PUT|DELETE)$"}})",
               {{"DELETE", RequestWith("DELETE", "/"), true},
                {"PUT", RequestWith("PUT", "/"), true},
                {"POST", RequestWith("POST", "/"), false}});
}

TEST_F(PluginMatchTest, HeaderExact) {
  ExpectAborts(R"({"headers":[{"name":"x-user-id","exact":"tester"}]})",
               {{"that value", Request("/", {{"x-user-id", "tester"}}), true},
                {"another value", Request("/", {{"x-user-id", "tester2"}}), false},
                {"no such header", Request("/"), false}});
}

TEST_F(PluginMatchTest, HeaderNameIsCaseInsensitiveAndAnyHeaderCounts) {
  // The original matched only an allow-list of headers; x-canary is not on it.
  ExpectAborts(R"({"headers":[{"name":"X-Canary","exact":"yes"}]})",
               {{"lower-case name in the request", Request("/", {{"x-canary", "yes"}}), true},
                {"value differs", Request("/", {{"x-canary", "no"}}), false}});
}

TEST_F(PluginMatchTest, HeaderPrefix) {
  ExpectAborts(R"({"headers":[{"name":"user-agent","prefix":"curl/"}]})",
               {{"curl", Request("/", {{"user-agent", "curl/8.1"}}), true},
                {"a browser", Request("/", {{"user-agent", "Mozilla/5.0"}}), false}});
}

TEST_F(PluginMatchTest, HeaderRegex) {
  ExpectAborts(R"({"headers":[{"name":"x-tenant","regex":"^t-[0-9]{3}$"}]})",
               {{"t-123", Request("/", {{"x-tenant", "t-123"}}), true},
                {"t-12", Request("/", {{"x-tenant", "t-12"}}), false},
                {"absent", Request("/"), false}});
}

TEST_F(PluginMatchTest, HeaderPresenceOnly) {
  ExpectAborts(R"({"headers":[{"name":"x-debug"}]})",
               {{"present, empty", Request("/", {{"x-debug", ""}}), true},
                {"present", Request("/", {{"x-debug", "1"}}), true},
                {"absent", Request("/"), false}});
}

TEST_F(PluginMatchTest, EveryConditionMustHold) {
  ExpectAborts(
      R"({"path":{"prefix":"/api/"},"method":{"exact":"POST"},"headers":[{"name":"x-user-id","exact":"u1"}]})",
      {{"all three", RequestWith("POST", "/api/orders", {{"x-user-id", "u1"}}), true},
       {"wrong method", RequestWith("GET", "/api/orders", {{"x-user-id", "u1"}}), false},
       {"wrong path", RequestWith("POST", "/web/orders", {{"x-user-id", "u1"}}), false},
       {"header missing", RequestWith("POST", "/api/orders"), false}});
}

}  // namespace
}  // namespace hfi::wasmhost

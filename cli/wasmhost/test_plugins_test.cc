// The small test plugins of tests/plugins/ in the host, each showing the one thing it is for: the
// empty plugin passes traffic through, legacy names reach /stats/prometheus under another name, a
// gauge where the histogram belongs renders as a gauge, and a trap fails the VM and its request.
// Finds the modules in $HFI_TEST_PLUGINS, else the build tree's tests/plugins/; skips without them.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "envoystats/admin_render.h"
#include "wasmhost/test_support.h"

namespace hfi::wasmhost {
namespace {

using testing::HeaderValue;
using testing::HostFixture;
using testing::Request;
using testing::Response;

constexpr std::int64_t kMs = 1'000'000;

std::string PluginsDir() {
  if (const char* dir = std::getenv("HFI_TEST_PLUGINS"); dir != nullptr && *dir != '\0')
    return dir;
#ifdef HFI_TEST_BINARY_DIR
  return std::string(HFI_TEST_BINARY_DIR) + "/tests/plugins";
#else
  return "";
#endif
}

std::optional<std::string> ReadPlugin(const std::string& name) {
  std::ifstream in(PluginsDir() + "/" + name + ".wasm", std::ios::binary);
  if (!in)
    return std::nullopt;
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

class TestPluginTest : public ::testing::Test {
 protected:
  // Loads and starts tests/plugins/<name>.wasm; false (the test then skips) when it is absent.
  bool Start(const std::string& name, HostOptions options = testing::TestOptions()) {
    std::optional<std::string> wasm = ReadPlugin(name);
    if (!wasm)
      return false;
    host_ = &fixture_.LoadAndStart(*wasm, options);
    EXPECT_EQ(host_->fail_state(), FailState::kNone) << host_->failure();
    return true;
  }

  // The local traffic convention: one request aborted, one delayed (run to its end on virtual
  // time), each checked as the client sees it; then a stats flush, as Envoy's every 5 s.
  void AbortOneDelayOne() {
    StreamStatus abort = host_->StartStream(Request("/", {{"x-hfi-local", "abort"}}));
    ASSERT_EQ(abort.state, StreamState::kLocalReply);
    EXPECT_EQ(abort.local_reply->status, 503u);
    EXPECT_EQ(HeaderValue(abort.message.headers, "x-fault-injected"), "abort");
    host_->FinishStream(abort.id);

    StreamStatus delay = host_->StartStream(Request("/", {{"x-hfi-local", "delay"}}));
    ASSERT_EQ(delay.state, StreamState::kPaused);
    const std::int64_t paused_at = fixture_.clock.MonotonicNanos();
    std::vector<StreamStatus> resumed =
        AdvanceUntilNoPausedStreams(*host_, fixture_.clock, 1000 * kMs);
    ASSERT_EQ(resumed.size(), 1u);
    EXPECT_EQ(resumed[0].state, StreamState::kContinue);
    EXPECT_GE(fixture_.clock.MonotonicNanos() - paused_at, 20 * kMs);
    StreamStatus response = host_->OnResponseHeaders(delay.id, Response(200));
    EXPECT_EQ(HeaderValue(response.message.headers, "x-fault-injected"), "delay");
    host_->FinishStream(delay.id);

    fixture_.stats.Flush();
    EXPECT_EQ(host_->stream_count(), 0u);
    EXPECT_EQ(host_->fail_state(), FailState::kNone) << host_->failure();
  }

  std::string Prometheus() const { return envoystats::RenderPrometheus(fixture_.stats); }

  HostFixture fixture_{envoystats::StatsMatcher::IstioDefault()};
  PluginHost* host_ = nullptr;
};

constexpr const char* kSkipped =
    "no test plugin .wasm (build the target hfi_test_plugins, or set HFI_TEST_PLUGINS)";

TEST_F(TestPluginTest, EmptyPluginPassesRequestsThrough) {
  if (!Start("empty_plugin"))
    GTEST_SKIP() << kSkipped;
  for (const char* local : {"abort", "delay", "none"}) {
    StreamStatus request = host_->StartStream(Request("/reviews", {{"x-hfi-local", local}}));
    ASSERT_EQ(request.state, StreamState::kContinue) << local;
    EXPECT_EQ(HeaderValue(request.message.headers, ":path"), "/reviews");
    EXPECT_EQ(HeaderValue(request.message.headers, "x-hfi-local"), local);
    StreamStatus response = host_->OnResponseHeaders(request.id, Response(200));
    ASSERT_EQ(response.state, StreamState::kContinue) << local;
    EXPECT_EQ(HeaderValue(response.message.headers, ":status"), "200");
    EXPECT_EQ(HeaderValue(response.message.headers, "x-fault-injected"), "<absent>");
    host_->FinishStream(request.id);
  }
  EXPECT_EQ(host_->stream_count(), 0u);
  EXPECT_FALSE(host_->NextTickDeadline());
  EXPECT_EQ(fixture_.stats.counters().at("wasmcustom.wasmcustom.hfi_faults_aborts_total").value(),
            0u);
}

TEST_F(TestPluginTest, LegacyNamesReachPrometheusUnderTheirOwnName) {
  if (!Start("legacy_names"))
    GTEST_SKIP() << kSkipped;
  AbortOneDelayOne();
  // Envoy's namespace in front of the dotted name; stripped again, and the dots sanitised, for
  // Prometheus: hfi_faults_*, not the expected wasmcustom_hfi_faults_*.
  EXPECT_EQ(fixture_.stats.counters().at("wasmcustom.hfi.faults.aborts_total").value(), 1u);
  EXPECT_EQ(fixture_.stats.counters().at("wasmcustom.hfi.faults.delays_total").value(), 1u);
  const std::string text = Prometheus();
  EXPECT_NE(text.find("# TYPE hfi_faults_aborts_total counter\nhfi_faults_aborts_total{} 1\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("# TYPE hfi_faults_delays_total counter\nhfi_faults_delays_total{} 1\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("# TYPE hfi_faults_delay_duration_milliseconds histogram\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("hfi_faults_delay_duration_milliseconds_count{} 1\n"), std::string::npos)
      << text;
  EXPECT_EQ(text.find("wasmcustom_hfi_faults"), std::string::npos) << text;
}

TEST_F(TestPluginTest, GaugeWhereTheHistogramBelongsRendersAsAGauge) {
  if (!Start("wrong_histogram_type"))
    GTEST_SKIP() << kSkipped;
  AbortOneDelayOne();
  const std::string text = Prometheus();
  EXPECT_NE(text.find("# TYPE wasmcustom_hfi_faults_delay_duration_milliseconds gauge\n"
                      "wasmcustom_hfi_faults_delay_duration_milliseconds{} 20\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("wasmcustom_hfi_faults_delay_duration_milliseconds_bucket"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("wasmcustom_hfi_faults_aborts_total{} 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("wasmcustom_hfi_faults_delays_total{} 1\n"), std::string::npos) << text;
}

TEST_F(TestPluginTest, TrapFailsTheRequestAndTheVmClosed) {
  if (!Start("trapping"))
    GTEST_SKIP() << kSkipped;
  StreamStatus first = host_->StartStream(Request("/"));
  ASSERT_EQ(first.state, StreamState::kLocalReply);
  EXPECT_EQ(first.local_reply->status, 503u);
  EXPECT_EQ(first.local_reply->details, "wasm_fail_stream");
  EXPECT_EQ(host_->fail_state(), FailState::kRuntimeError);
  EXPECT_NE(host_->failure().find("proxy_on_request_headers"), std::string::npos)
      << host_->failure();
  EXPECT_TRUE(fixture_.log.Contains(LogSource::kHost, "proxy_on_request_headers"));
  host_->FinishStream(first.id);

  // The VM is not called again; every later request gets the same answer.
  StreamStatus second = host_->StartStream(Request("/", {{"x-hfi-local", "abort"}}));
  ASSERT_EQ(second.state, StreamState::kLocalReply);
  EXPECT_EQ(second.local_reply->details, "wasm_fail_stream");
  EXPECT_EQ(HeaderValue(second.message.headers, "x-fault-injected"), "<absent>");
  host_->FinishStream(second.id);
  // The metrics were defined before the trap and stay, at zero.
  EXPECT_NE(Prometheus().find("wasmcustom_hfi_faults_aborts_total{} 0\n"), std::string::npos);
}

TEST_F(TestPluginTest, TrapFailsOpenWhenConfiguredSo) {
  HostOptions options = testing::TestOptions();
  options.failure_policy = FailurePolicy::kFailOpen;
  if (!Start("trapping", options))
    GTEST_SKIP() << kSkipped;
  StreamStatus status = host_->StartStream(Request("/ratings"));
  EXPECT_EQ(status.state, StreamState::kContinue);
  EXPECT_EQ(HeaderValue(status.message.headers, ":path"), "/ratings");
  EXPECT_EQ(host_->fail_state(), FailState::kRuntimeError);
  host_->FinishStream(status.id);
}

}  // namespace
}  // namespace hfi::wasmhost

// The sidecar in-process on loopback with the real HFI plugin, spoken to over plain sockets:
// aborts, a delay held on the real clock and seen in the histogram after a flush, and Stop()
// answering a held request. Finds the module through $HFI_PLUGIN_WASM, else the build tree's
// plugin .wasm; skips when neither exists.
#include "sidecar/sidecar.h"

#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <cstdlib>
#include <fstream>
#include <future>
#include <mutex>
#include <optional>
#include <sstream>
#include <thread>
#include <vector>

#include "plugin/metric_names.h"
#include "sidecar/test_http_client.h"
#include "util/errors.h"

namespace hfi::sidecar {
namespace {

using testing::ClientResponse;
using testing::Fetch;

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

// Counts the plugin's "injects its fault" debug lines, which it logs as it decides to hold or
// answer a request, so a test can wait until its requests are held without guessing at sleeps.
class FaultCountingSink final : public wasmhost::LogSink {
 public:
  void Log(const wasmhost::LogRecord& record) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (record.source == wasmhost::LogSource::kPlugin &&
        record.message.find("injects its fault") != std::string::npos) {
      ++faults_;
      cv_.notify_all();
    }
  }
  bool WaitForFaults(int count) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, std::chrono::seconds(30), [&] { return faults_ >= count; });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  int faults_ = 0;
};

std::string OneRule(const std::string& rule) {
  return R"({"policies":[{"metadata":{"name":"test"},"spec":{"rules":[)" + rule + "]}}]}";
}

class SidecarTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::optional<std::string> path = PluginPath();
    std::ifstream in(path.value_or(""), std::ios::binary);
    if (!path || !in)
      GTEST_SKIP() << "no plugin .wasm (set HFI_PLUGIN_WASM or build the plugin)";
    std::ostringstream bytes;
    bytes << in.rdbuf();
    path_ = *path;
    wasm_ = bytes.str();
  }

  SidecarConfig Config(const std::string& policy) {
    SidecarConfig config;
    config.plugin_path = path_;
    config.plugin_wasm = wasm_;
    config.policy = policy;
    config.flush_interval = std::chrono::milliseconds(50);
    config.admin_address = "127.0.0.1:0";
    config.listen_address = "127.0.0.1:0";
    config.host.node_metadata = {{"WORKLOAD_NAME", "reviews-v1"}, {"NAMESPACE", "demo"}};
    return config;
  }

  std::string Prometheus(Sidecar& sidecar) {
    std::optional<ClientResponse> response = Fetch(sidecar.admin_address(), "/stats/prometheus");
    return response ? response->body : "<no answer>";
  }

  std::string path_;
  std::string wasm_;
  // The sidecar never calls it concurrently, so a plain collecting sink will do.
  wasmhost::CollectingLogSink log_;
};

bool Contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST_F(SidecarTest, WithoutPolicyRequestsReachTheUpstream) {
  Sidecar sidecar(Config(""), log_);
  EXPECT_EQ(sidecar.plugin_status().fail_state, wasmhost::FailState::kNone);
  EXPECT_NE(sidecar.admin_address(), "127.0.0.1:0");
  EXPECT_NE(sidecar.listen_address(), "127.0.0.1:0");

  std::optional<ClientResponse> ready = Fetch(sidecar.admin_address(), "/ready");
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->status, 200);
  EXPECT_EQ(ready->body, "LIVE\n");

  std::optional<ClientResponse> response = Fetch(sidecar.listen_address(), "/productpage");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "upstream ok\n");
  EXPECT_EQ(response->headers.count("x-fault-injected"), 0u);

  const std::string scrape = Prometheus(sidecar);
  for (const metrics::MetricName& metric : metrics::kAll) {
    const char* type = metric.kind == metrics::Kind::kHistogram ? " histogram\n" : " counter\n";
    EXPECT_TRUE(Contains(scrape, "# TYPE " + std::string(metric.prometheus) + type)) << scrape;
  }
  EXPECT_TRUE(Contains(scrape, "wasmcustom_hfi_faults_aborts_total{} 0\n")) << scrape;
}

TEST_F(SidecarTest, AnAbortPolicyAnswersWithTheFault) {
  Sidecar sidecar(Config(OneRule(R"({"fault":{"percentage":100,"abort":{"httpStatus":503}}})")),
                  log_);
  for (int i = 0; i < 3; ++i) {
    std::optional<ClientResponse> response = Fetch(sidecar.listen_address(), "/ratings");
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 503);
    EXPECT_EQ(response->headers["x-fault-injected"], "abort");
  }
  EXPECT_TRUE(Contains(Prometheus(sidecar), "wasmcustom_hfi_faults_aborts_total{} 3\n"));
}

TEST_F(SidecarTest, ADelayHoldsTheRequestAndReachesTheHistogramAtAFlush) {
  Sidecar sidecar(Config(OneRule(R"({"fault":{"percentage":100,"delay":{"fixed_delay_ms":100}}})")),
                  log_);
  const auto start = std::chrono::steady_clock::now();
  std::optional<ClientResponse> response = Fetch(sidecar.listen_address(), "/slow");
  const auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "upstream ok\n");
  EXPECT_GE(elapsed, std::chrono::milliseconds(100));

  ASSERT_TRUE(sidecar.WaitForFlush(std::chrono::seconds(10)));
  const std::string scrape = Prometheus(sidecar);
  EXPECT_TRUE(Contains(scrape, "wasmcustom_hfi_faults_delays_total{} 1\n")) << scrape;
  EXPECT_TRUE(Contains(scrape, "wasmcustom_hfi_faults_delay_duration_milliseconds_count{} 1\n"))
      << scrape;
}

TEST_F(SidecarTest, StopAnswersAHeldRequestWith503) {
  SidecarConfig config =
      Config(OneRule(R"({"fault":{"percentage":100,"delay":{"fixed_delay_ms":600000}}})"));
  config.host.log_level = wasmhost::LogLevel::kDebug;
  FaultCountingSink faults;
  Sidecar sidecar(std::move(config), faults);
  const std::string listen = sidecar.listen_address();
  std::future<std::optional<ClientResponse>> held =
      std::async(std::launch::async, [&] { return Fetch(listen, "/held"); });
  EXPECT_TRUE(faults.WaitForFaults(1));

  sidecar.Stop();  // before any assertion can leave the test with the request still held
  std::optional<ClientResponse> response = held.get();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 503);
  sidecar.Stop();  // idempotent
  EXPECT_FALSE(Fetch(listen, "/after"));
  EXPECT_FALSE(sidecar.WaitForFlush(std::chrono::milliseconds(10)));
}

TEST_F(SidecarTest, ABadPolicyLeavesThePluginRunningWithoutFaults) {
  // The plugin logs the mistake and keeps the policy it had (none), as DESIGN §3.1 asks.
  Sidecar sidecar(Config(R"({"policies": 5})"), log_);
  EXPECT_EQ(sidecar.plugin_status().fail_state, wasmhost::FailState::kNone);
  std::optional<ClientResponse> response = Fetch(sidecar.listen_address(), "/");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
}

TEST_F(SidecarTest, AModuleTheHostRefusesIsInputError) {
  SidecarConfig config = Config("");
  config.plugin_wasm = "not wasm";
  EXPECT_THROW(Sidecar(config, log_), InputError);
}

TEST_F(SidecarTest, AnAddressInUseIsAnEnvironmentError) {
  Sidecar first(Config(""), log_);
  SidecarConfig config = Config("");
  config.admin_address = first.admin_address();
  try {
    Sidecar second(config, log_);
    FAIL() << "bound " << first.admin_address() << " twice";
  } catch (const EnvironmentError& e) {
    EXPECT_EQ(e.subject(), first.admin_address());
    EXPECT_EQ(e.reason(), "address in use");
  }
}

TEST_F(SidecarTest, AdminAnswersWhileTrafficIsHeld) {
  SidecarConfig config =
      Config(OneRule(R"({"fault":{"percentage":100,"delay":{"fixed_delay_ms":600000}}})"));
  config.host.log_level = wasmhost::LogLevel::kDebug;
  FaultCountingSink faults;
  Sidecar sidecar(std::move(config), faults);
  const std::string listen = sidecar.listen_address();
  constexpr int kHeld = 20;
  std::vector<std::future<std::optional<ClientResponse>>> held;
  for (int i = 0; i < kHeld; ++i)
    held.push_back(std::async(std::launch::async, [&] { return Fetch(listen, "/held"); }));
  const bool all_held = faults.WaitForFaults(kHeld);
  std::optional<ClientResponse> ready = Fetch(sidecar.admin_address(), "/ready");
  const std::string scrape = Prometheus(sidecar);

  sidecar.Stop();
  EXPECT_TRUE(all_held);
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->status, 200);
  EXPECT_TRUE(Contains(scrape, "wasmcustom_hfi_faults_delays_total{} 0\n")) << scrape;
  for (auto& request : held) {
    std::optional<ClientResponse> response = request.get();
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 503);
  }
}

}  // namespace
}  // namespace hfi::sidecar

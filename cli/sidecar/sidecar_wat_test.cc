// The sidecar with small plugins written in WAT: what the plugin sees of an HTTP request, its
// changes to the response reaching the client, a reset stream, and a plugin that fails to start
// (the sidecar keeps serving, as Envoy does, by the failure policy).
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "sidecar/sidecar.h"
#include "sidecar/test_http_client.h"
#include "wasmhost/test_support.h"

namespace hfi::sidecar {
namespace {

using testing::ClientResponse;
using testing::Fetch;
using testing::SendAndHangUp;
using wasmhost::testing::PluginWat;

SidecarConfig Config(std::string wasm) {
  SidecarConfig config;
  config.plugin_path = "test.wasm";
  config.plugin_wasm = std::move(wasm);
  config.admin_address = "127.0.0.1:0";
  config.listen_address = "127.0.0.1:0";
  return config;
}

TEST(SidecarWatTest, ThePluginSeesEnvoysRequestHeaders) {
  const std::string wasm = PluginWat({"proxy_log", "proxy_get_header_map_value"}, R"(
    (data (i32.const 1024) ":path")
    (data (i32.const 1040) ":authority")
    (data (i32.const 1056) ":method")
    (data (i32.const 1072) ":scheme")
    (data (i32.const 1088) "x-mixed-case")
    (func $show (param $key i32) (param $len i32)
      (if (i32.eqz (call $proxy_get_header_map_value (i32.const 0) (local.get $key)
                                                     (local.get $len) (i32.const 512)
                                                     (i32.const 516)))
        (then (call $say (i32.load (i32.const 512)) (i32.load (i32.const 516))))))
    (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
      (call $show (i32.const 1024) (i32.const 5))
      (call $show (i32.const 1040) (i32.const 10))
      (call $show (i32.const 1056) (i32.const 7))
      (call $show (i32.const 1072) (i32.const 7))
      (call $show (i32.const 1088) (i32.const 12))
      (i32.const 0)))");
  ASSERT_FALSE(wasm.empty());
  wasmhost::CollectingLogSink log;
  Sidecar sidecar(Config(wasm), log);
  std::optional<ClientResponse> response =
      Fetch(sidecar.listen_address(), "/a%20b?x=%2B1", "GET", "X-Mixed-Case: Value\r\n");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "upstream ok\n");
  sidecar.Stop();
  EXPECT_EQ(log.Messages(wasmhost::LogSource::kPlugin),
            (std::vector<std::string>{"/a%20b?x=%2B1", "test.local", "GET", "http", "Value"}));
}

TEST(SidecarWatTest, ResponseHeadersThePluginAddsReachTheClient) {
  const std::string wasm = PluginWat({"proxy_add_header_map_value"},
                                     R"(
    (data (i32.const 1024) "x-added")
    (data (i32.const 1040) "yes")
    (func (export "proxy_on_response_headers") (param i32 i32 i32) (result i32)
      (drop (call $proxy_add_header_map_value (i32.const 2) (i32.const 1024) (i32.const 7)
                                              (i32.const 1040) (i32.const 3)))
      (i32.const 0)))");
  ASSERT_FALSE(wasm.empty());
  wasmhost::CollectingLogSink log;
  Sidecar sidecar(Config(wasm), log);
  std::optional<ClientResponse> response = Fetch(sidecar.listen_address(), "/");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->headers["x-added"], "yes");
  EXPECT_EQ(response->headers["content-type"], "text/plain");
}

TEST(SidecarWatTest, AClosedStreamIsResetWithoutAnAnswer) {
  const std::string wasm = PluginWat({"proxy_close_stream"}, R"(
    (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
      (drop (call $proxy_close_stream (i32.const 0)))
      (i32.const 0)))");
  ASSERT_FALSE(wasm.empty());
  wasmhost::CollectingLogSink log;
  Sidecar sidecar(Config(wasm), log);
  std::optional<ClientResponse> response = Fetch(sidecar.listen_address(), "/");
  ASSERT_TRUE(response);
  EXPECT_FALSE(response->answered);
  // The sidecar goes on serving.
  std::optional<ClientResponse> ready = Fetch(sidecar.admin_address(), "/ready");
  ASSERT_TRUE(ready);
  EXPECT_EQ(ready->status, 200);
}

// Lets a test wait for a plugin log line, which arrives on one of the sidecar's threads.
class WaitingLogSink final : public wasmhost::LogSink {
 public:
  void Log(const wasmhost::LogRecord& record) override {
    std::lock_guard<std::mutex> lock(mu_);
    messages_.push_back(record.message);
    cv_.notify_all();
  }
  bool WaitFor(const std::string& message) {
    std::unique_lock<std::mutex> lock(mu_);
    return cv_.wait_for(lock, std::chrono::seconds(30), [&] {
      return std::find(messages_.begin(), messages_.end(), message) != messages_.end();
    });
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::string> messages_;
};

TEST(SidecarWatTest, AHeldStreamWhoseClientLeftIsFinished) {
  // Holds every request for good; says when a stream starts and when Envoy would log it.
  const std::string wasm = PluginWat({"proxy_log"}, R"(
    (data (i32.const 1024) "held")
    (data (i32.const 1040) "logged")
    (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
      (call $say (i32.const 1024) (i32.const 4))
      (i32.const 1))
    (func (export "proxy_on_log") (param i32)
      (call $say (i32.const 1040) (i32.const 6))))");
  ASSERT_FALSE(wasm.empty());
  WaitingLogSink log;
  Sidecar sidecar(Config(wasm), log);
  ASSERT_TRUE(SendAndHangUp(sidecar.listen_address(), "/held"));
  EXPECT_TRUE(log.WaitFor("held"));
  // Without the client the stream ends (proxy_on_log runs) though the plugin never let it go.
  EXPECT_TRUE(log.WaitFor("logged"));
}

const char* kFailsToStart = R"(
    (func (export "proxy_on_vm_start") (param i32 i32) (result i32) (i32.const 0)))";

TEST(SidecarWatTest, APluginThatFailsToStartServesByTheFailurePolicy) {
  const std::string wasm = PluginWat({}, kFailsToStart);
  ASSERT_FALSE(wasm.empty());
  wasmhost::CollectingLogSink log;
  {
    Sidecar closed(Config(wasm), log);
    EXPECT_EQ(closed.plugin_status().fail_state, wasmhost::FailState::kStartFailed);
    EXPECT_FALSE(closed.plugin_status().failure.empty());
    std::optional<ClientResponse> response = Fetch(closed.listen_address(), "/");
    ASSERT_TRUE(response);
    EXPECT_EQ(response->status, 503);  // Envoy's fail closed: wasm_fail_stream
    std::optional<ClientResponse> ready = Fetch(closed.admin_address(), "/ready");
    ASSERT_TRUE(ready);
    EXPECT_EQ(ready->body, "LIVE\n");  // Envoy stays LIVE with a failed plugin
  }
  SidecarConfig config = Config(wasm);
  config.host.failure_policy = wasmhost::FailurePolicy::kFailOpen;
  Sidecar open(config, log);
  std::optional<ClientResponse> response = Fetch(open.listen_address(), "/");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(response->body, "upstream ok\n");
}

}  // namespace
}  // namespace hfi::sidecar

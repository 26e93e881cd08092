// Envoy's call order (facts/proxy-wasm-abi.md §4.2-4.4): VM start under restricted hostcalls,
// root context, vm_start, configure, then per stream create / headers / response / log / done /
// delete; and what a failed start or configure does.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "wasmhost/test_support.h"

namespace hfi::wasmhost {
namespace {

using ::testing::ElementsAre;
using testing::HostFixture;
using testing::PluginWat;
using testing::Request;
using testing::Response;

// Logs every callback with its arguments (digits).
constexpr const char* kRecorder = R"(
  (data (i32.const 1024) "initialize")
  (data (i32.const 1040) "main ? ?")
  (data (i32.const 1056) "context_create ? ?")
  (data (i32.const 1088) "vm_start ? ?")
  (data (i32.const 1104) "configure ? ?")
  (data (i32.const 1120) "request_headers ? ?")
  (data (i32.const 1152) "request_body ? ?")
  (data (i32.const 1184) "response_headers ? ?")
  (data (i32.const 1216) "log ?")
  (data (i32.const 1232) "done ?")
  (data (i32.const 1248) "delete ?")
  (func (export "_initialize") (call $say (i32.const 1024) (i32.const 10)))
  (func (export "main") (param $argc i32) (param $argv i32) (result i32)
    (call $say2 (i32.const 1040) (i32.const 8) (local.get $argc) (local.get $argv))
    (i32.const 0))
  (func (export "proxy_on_context_create") (param $id i32) (param $parent i32)
    (call $say2 (i32.const 1056) (i32.const 18) (local.get $id) (local.get $parent)))
  (func (export "proxy_on_vm_start") (param $id i32) (param $size i32) (result i32)
    (call $say2 (i32.const 1088) (i32.const 12) (local.get $id) (local.get $size))
    (i32.const 1))
  (func (export "proxy_on_configure") (param $id i32) (param $size i32) (result i32)
    (call $say2 (i32.const 1104) (i32.const 13) (local.get $id) (local.get $size))
    (i32.const 1))
  (func (export "proxy_on_request_headers") (param $id i32) (param $n i32) (param $eos i32)
        (result i32)
    (call $say2 (i32.const 1120) (i32.const 19) (local.get $id) (local.get $n))
    (i32.const 0))
  (func (export "proxy_on_request_body") (param $id i32) (param $size i32) (param $eos i32)
        (result i32)
    (call $say2 (i32.const 1152) (i32.const 16) (local.get $id) (local.get $size))
    (i32.const 0))
  (func (export "proxy_on_response_headers") (param $id i32) (param $n i32) (param $eos i32)
        (result i32)
    (call $say2 (i32.const 1184) (i32.const 20) (local.get $id) (local.get $n))
    (i32.const 0))
  (func (export "proxy_on_log") (param $id i32)
    (call $say1 (i32.const 1216) (i32.const 5) (local.get $id)))
  (func (export "proxy_on_done") (param $id i32) (result i32)
    (call $say1 (i32.const 1232) (i32.const 6) (local.get $id))
    (i32.const 1))
  (func (export "proxy_on_delete") (param $id i32)
    (call $say1 (i32.const 1248) (i32.const 8) (local.get $id)))
)";

TEST(LifecycleTest, CallOrderIsEnvoys) {
  HostFixture fixture;
  HostOptions options = testing::TestOptions();
  options.vm_configuration = "vm";
  options.plugin_configuration = "abc";
  PluginHost& host = fixture.LoadAndStart(PluginWat({"proxy_log"}, kRecorder), options);
  EXPECT_THAT(fixture.PluginLogs(), ElementsAre("initialize", "main 0 0", "context_create 1 0",
                                                "vm_start 1 2", "configure 1 3"));
  fixture.log.Clear();

  StreamStatus started = host.StartStream(Request("/a"));
  EXPECT_EQ(started.id, 2u);
  EXPECT_EQ(started.state, StreamState::kContinue);
  StreamStatus answered = host.OnResponseHeaders(started.id, Response(200));
  EXPECT_EQ(answered.state, StreamState::kContinue);
  EXPECT_EQ(answered.phase, StreamPhase::kResponse);
  host.FinishStream(started.id);
  // A request with a body, and a response with one: body callbacks follow the headers.
  HttpMessage post = Request("/b");
  post.body = "hello";
  StreamStatus second = host.StartStream(post);
  EXPECT_EQ(second.id, 3u);
  host.FinishStream(second.id);

  EXPECT_THAT(
      fixture.PluginLogs(),
      ElementsAre("context_create 2 1", "request_headers 2 4", "response_headers 2 1", "log 2",
                  "done 2", "delete 2", "context_create 3 1", "request_headers 3 4",
                  "request_body 3 5", "log 3", "done 3", "delete 3"));
  EXPECT_EQ(host.stream_count(), 0u);
}

TEST(LifecycleTest, StartRunsOnlyWithoutInitialize) {
  HostFixture fixture;
  fixture.LoadAndStart(PluginWat({"proxy_log"}, R"(
    (data (i32.const 1024) "start")
    (func (export "_start") (call $say (i32.const 1024) (i32.const 5))))"));
  EXPECT_THAT(fixture.PluginLogs(), ElementsAre("start"));
}

TEST(LifecycleTest, RestrictedHostcallDuringInitializeTraps) {
  HostFixture fixture;
  PluginHost& host = fixture.Load(PluginWat({"proxy_log", "proxy_define_metric"}, R"(
    (data (i32.const 1024) "c")
    (func (export "_initialize")
      (drop (call $proxy_define_metric (i32.const 0) (i32.const 1024) (i32.const 1)
                                       (i32.const 512)))))"));
  EXPECT_FALSE(host.Start());
  EXPECT_EQ(host.fail_state(), FailState::kRuntimeError);
  EXPECT_EQ(host.failure(),
            "_initialize (context 0) trap: restricted_callback: env.proxy_define_metric called "
            "while the module starts (start function, _initialize, main), where Envoy allows "
            "only logging, WASI and clocks");
  EXPECT_TRUE(fixture.log.Contains(LogSource::kHost, "restricted_callback"));
  EXPECT_TRUE(fixture.stats.counters().empty());
  // Fail closed by default: every request gets Envoy's 503.
  StreamStatus status = host.StartStream(Request("/"));
  EXPECT_EQ(status.state, StreamState::kLocalReply);
  ASSERT_TRUE(status.local_reply);
  EXPECT_EQ(status.local_reply->status, 503u);
  EXPECT_EQ(status.local_reply->details, "wasm_fail_stream");
}

TEST(LifecycleTest, StartupAllowsLoggingAndClocks) {
  HostFixture fixture;
  fixture.LoadAndStart(PluginWat({"proxy_log", "wasi:clock_time_get", "wasi:fd_write"}, R"(
    (data (i32.const 1024) "started ?")
    (func (export "_initialize")
      (call $say1 (i32.const 1024) (i32.const 9)
        (call $clock_time_get (i32.const 1) (i64.const 0) (i32.const 512)))))"));
  EXPECT_THAT(fixture.PluginLogs(), ElementsAre("started 0"));
}

TEST(LifecycleTest, VmStartReturningZeroFailsTheVm) {
  HostFixture fixture;
  PluginHost& host = fixture.Load(PluginWat({}, R"(
    (func (export "proxy_on_vm_start") (param i32 i32) (result i32) (i32.const 0))
    (func (export "proxy_on_configure") (param i32 i32) (result i32) (unreachable)))"));
  EXPECT_FALSE(host.Start());
  EXPECT_EQ(host.fail_state(), FailState::kStartFailed);
  EXPECT_EQ(host.failure(), "proxy_on_vm_start returned 0 (the plugin failed to start)");
}

TEST(LifecycleTest, ConfigureReturningZeroFailsTheVmAtStartOnly) {
  const std::string wasm = PluginWat({"proxy_log"}, R"(
    ;; accepts only configurations of 3 bytes
    (func (export "proxy_on_configure") (param $id i32) (param $size i32) (result i32)
      (i32.eq (local.get $size) (i32.const 3))))");
  HostFixture rejected;
  HostOptions options = testing::TestOptions();
  options.plugin_configuration = "four";
  PluginHost& failed = rejected.Load(wasm, options);
  EXPECT_FALSE(failed.Start());
  EXPECT_EQ(failed.fail_state(), FailState::kConfigureFailed);

  HostFixture accepted;
  options.plugin_configuration = "abc";
  PluginHost& host = accepted.LoadAndStart(wasm, options);
  EXPECT_FALSE(host.Configure("four"));  // rejected later: the VM keeps running
  EXPECT_EQ(host.fail_state(), FailState::kNone);
  EXPECT_TRUE(accepted.log.Contains(LogSource::kHost, "rejected the new configuration"));
  EXPECT_TRUE(host.Configure("xyz"));
}

TEST(LifecycleTest, PluginConfigurationIsReadableOnlyInConfigure) {
  HostFixture fixture;
  HostOptions options = testing::TestOptions();
  options.vm_configuration = "vm-config";
  options.plugin_configuration = "plugin-config";
  PluginHost& host = fixture.LoadAndStart(PluginWat({"proxy_log", "proxy_get_buffer_bytes"}, R"(
    (func $read (param $type i32) (param $size i32)
      (call $note (call $proxy_get_buffer_bytes (local.get $type) (i32.const 0) (local.get $size)
                                                (i32.const 512) (i32.const 516))))
    (func $show (call $say (i32.load (i32.const 512)) (i32.load (i32.const 516))))
    (func (export "proxy_on_vm_start") (param $id i32) (param $size i32) (result i32)
      (call $read (i32.const 7) (i32.const 100))
      (call $read (i32.const 6) (local.get $size))
      (call $flush) (call $show)
      (i32.const 1))
    (func (export "proxy_on_configure") (param $id i32) (param $size i32) (result i32)
      (call $read (i32.const 7) (local.get $size))
      (call $flush) (call $show)
      ;; a window into the buffer is clamped, and past its end it is empty (0, 0)
      (call $read (i32.const 7) (i32.const 6))
      (call $show)
      (call $read (i32.const 7) (i32.const 100))
      (call $read (i32.const 9) (i32.const 1))
      (call $note (call $proxy_get_buffer_bytes (i32.const 7) (i32.const 100) (i32.const 5)
                                                (i32.const 512) (i32.const 516)))
      (call $note (i32.load (i32.const 516)))
      (call $note (call $proxy_get_buffer_bytes (i32.const 7) (i32.const 1) (i32.const -1)
                                                (i32.const 512) (i32.const 516)))
      (call $flush)
      (i32.const 1))
    (func (export "proxy_on_request_headers") (param $id i32) (param $n i32) (param $eos i32)
          (result i32)
      (call $read (i32.const 7) (i32.const 100))
      (call $read (i32.const 6) (i32.const 100))
      (call $flush)
      (i32.const 0)))"),
                                          options);
  host.StartStream(Request("/"));
  // NotFound (1) outside proxy_on_configure; in it: Ok for a clamped window, Ok again for the
  // whole, BadArgument (2) for type 9, Ok with (0, 0) past the end, BadArgument for a window
  // whose end overflows.
  EXPECT_THAT(fixture.PluginLogs(),
              ElementsAre("10", "vm-config", "0", "plugin-config", "plugin", "002002", "10"));
}

TEST(LifecycleTest, RootWithPendingDoneIsDeletedAfterProxyDone) {
  HostFixture fixture;
  PluginHost& host = fixture.LoadAndStart(
      PluginWat({"proxy_log", "proxy_done", "proxy_set_tick_period_milliseconds"}, R"(
    (data (i32.const 1024) "delete ?")
    (func (export "proxy_on_configure") (param i32 i32) (result i32)
      (drop (call $proxy_set_tick_period_milliseconds (i32.const 10)))
      (i32.const 1))
    (func (export "proxy_on_done") (param $id i32) (result i32)
      (call $note (call $proxy_done))  ;; not pending yet: NotFound
      (call $flush)
      (i32.const 0))
    (func (export "proxy_on_tick") (param $id i32)
      (call $note (call $proxy_done))
      (call $flush))
    (func (export "proxy_on_delete") (param $id i32)
      (call $say1 (i32.const 1024) (i32.const 8) (local.get $id))))"));
  EXPECT_FALSE(host.Shutdown());
  fixture.clock.Advance(10'000'000);
  host.RunDueTicks();
  EXPECT_THAT(fixture.PluginLogs(), ElementsAre("1", "0", "delete 1"));
  EXPECT_EQ(host.NextTickDeadline(), std::nullopt);
}

}  // namespace
}  // namespace hfi::wasmhost

// A plugin that traps, loops or exits: the request fails open or closed as Envoy's fail_open
// says, the VM is failed for good, and the host neither crashes nor hangs (facts §1, §4.6).
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

// Logs each context it creates, and traps in request headers.
constexpr const char* kTrapPlugin = R"(
  (data (i32.const 1024) "create ?")
  (func (export "proxy_on_context_create") (param $id i32) (param i32)
    (call $say1 (i32.const 1024) (i32.const 8) (local.get $id)))
  (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
    (unreachable))
)";

TEST(FailureTest, TrapFailsTheRequestClosedAndTheVmForGood) {
  HostFixture fixture;
  PluginHost& host = fixture.LoadAndStart(PluginWat({"proxy_log"}, kTrapPlugin));
  StreamStatus first = host.StartStream(Request("/"));
  ASSERT_EQ(first.state, StreamState::kLocalReply);
  EXPECT_EQ(first.local_reply->status, 503u);
  EXPECT_EQ(first.local_reply->details, "wasm_fail_stream");
  EXPECT_EQ(first.local_reply->grpc_status, 14u);  // Unavailable
  EXPECT_EQ(first.message.headers, (HeaderList{{":status", "503"}}));
  EXPECT_EQ(host.fail_state(), FailState::kRuntimeError);
  EXPECT_EQ(host.failure(), "proxy_on_request_headers (context 2) trap: unreachable executed");
  EXPECT_TRUE(fixture.log.Contains(
      LogSource::kHost,
      "proxy_on_request_headers (context 2) trap: unreachable executed; the plugin's VM has "
      "failed and is not called again: requests get a local 503, details wasm_fail_stream "
      "(fail closed)"));
  host.FinishStream(first.id);

  StreamStatus second = host.StartStream(Request("/"));
  EXPECT_EQ(second.state, StreamState::kLocalReply);
  EXPECT_EQ(second.local_reply->status, 503u);
  host.FinishStream(second.id);
  // The second request never reached the VM.
  EXPECT_THAT(fixture.PluginLogs(), ElementsAre("create 1", "create 2"));
}

TEST(FailureTest, TrapFailsOpenWhenAskedTo) {
  HostFixture fixture;
  HostOptions options = testing::TestOptions();
  options.failure_policy = FailurePolicy::kFailOpen;
  PluginHost& host = fixture.LoadAndStart(PluginWat({"proxy_log"}, kTrapPlugin), options);
  StreamStatus first = host.StartStream(Request("/a"));
  EXPECT_EQ(first.state, StreamState::kContinue);
  EXPECT_EQ(testing::HeaderValue(first.message.headers, ":path"), "/a");
  StreamStatus response = host.OnResponseHeaders(first.id, Response(204));
  EXPECT_EQ(response.state, StreamState::kContinue);
  EXPECT_EQ(response.message.headers, (HeaderList{{":status", "204"}}));
  StreamStatus second = host.StartStream(Request("/b"));
  EXPECT_EQ(second.state, StreamState::kContinue);
  EXPECT_TRUE(fixture.log.Contains(LogSource::kHost, "(fail open)"));
}

TEST(FailureTest, EndlessLoopIsCutOff) {
  HostFixture fixture;
  HostOptions options = testing::TestOptions();
  options.max_instructions_per_call = 1'000'000;
  PluginHost& host = fixture.LoadAndStart(PluginWat({}, R"(
    (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
      (loop $forever (br $forever))
      (i32.const 0)))"),
                                          options);
  StreamStatus status = host.StartStream(Request("/"));
  EXPECT_EQ(status.state, StreamState::kLocalReply);
  EXPECT_EQ(host.failure(),
            "proxy_on_request_headers (context 2) ran past the limit of 1000000 instructions per "
            "call (an endless loop?)");
}

TEST(FailureTest, RunawayRecursionTraps) {
  HostFixture fixture;
  PluginHost& host = fixture.LoadAndStart(PluginWat({}, R"(
    (func $down (call $down))
    (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
      (call $down)
      (i32.const 0)))"));
  EXPECT_EQ(host.StartStream(Request("/")).state, StreamState::kLocalReply);
  EXPECT_EQ(host.failure(), "proxy_on_request_headers (context 2) trap: call stack exhausted");
}

TEST(FailureTest, TrapInTickEndsThePausedStreams) {
  HostFixture fixture;
  PluginHost& host = fixture.LoadAndStart(PluginWat({"proxy_set_tick_period_milliseconds"}, R"(
    (func (export "proxy_on_configure") (param i32 i32) (result i32)
      (drop (call $proxy_set_tick_period_milliseconds (i32.const 5)))
      (i32.const 1))
    (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32) (i32.const 1))
    (func (export "proxy_on_tick") (param i32) (unreachable)))"));
  StreamStatus a = host.StartStream(Request("/a"));
  StreamStatus b = host.StartStream(Request("/b"));
  ASSERT_EQ(host.paused_stream_count(), 2u);
  fixture.clock.Advance(5'000'000);
  std::vector<StreamStatus> ended = host.RunDueTicks();
  ASSERT_EQ(ended.size(), 2u);
  EXPECT_EQ(ended[0].id, a.id);
  EXPECT_EQ(ended[1].id, b.id);
  EXPECT_EQ(ended[0].state, StreamState::kLocalReply);
  EXPECT_EQ(ended[1].local_reply->details, "wasm_fail_stream");
  EXPECT_EQ(host.paused_stream_count(), 0u);
  EXPECT_EQ(host.NextTickDeadline(), std::nullopt);
}

TEST(FailureTest, TrapInsideTheHostsMallocTrapsTheHostcall) {
  HostFixture fixture;
  PluginHost& host = fixture.LoadAndStart(testing::PluginWithMalloc("(unreachable)"));
  EXPECT_EQ(host.StartStream(Request("/x")).state, StreamState::kLocalReply);
  EXPECT_EQ(host.failure(),
            "proxy_on_request_headers (context 2) trap: malloc(2), called by the host to hand "
            "data over, failed: trap: unreachable executed");
}

TEST(FailureTest, MallocMayNotCallRestrictedHostcalls) {
  HostFixture fixture;
  PluginHost& host = fixture.LoadAndStart(testing::PluginWithMalloc(
      "(call $emscripten_notify_memory_growth (i32.const 0)) (i32.const 2048)",
      testing::Imports({"emscripten_notify_memory_growth"})));
  EXPECT_EQ(host.StartStream(Request("/x")).state, StreamState::kLocalReply);
  EXPECT_THAT(host.failure(),
              ::testing::HasSubstr("restricted_callback: env.emscripten_notify_memory_growth "
                                   "called inside malloc while the host hands data over"));
}

TEST(FailureTest, MallocMayLog) {
  HostFixture fixture;
  PluginHost& host = fixture.LoadAndStart(testing::PluginWithMalloc(
      "(drop (call $proxy_log (i32.const 2) (i32.const 1024) (i32.const 5))) (i32.const 2048)"));
  EXPECT_EQ(host.StartStream(Request("/x")).state, StreamState::kContinue);
  EXPECT_THAT(fixture.PluginLogs(), ElementsAre(":path", "result 0", "/x"));
}

TEST(FailureTest, LoopInsideMallocCountsAgainstTheCallersBudget) {
  HostFixture fixture;
  HostOptions options = testing::TestOptions();
  options.max_instructions_per_call = 200'000;
  PluginHost& host = fixture.LoadAndStart(
      testing::PluginWithMalloc("(loop $l (br $l)) (i32.const 2048)"), options);
  EXPECT_EQ(host.StartStream(Request("/x")).state, StreamState::kLocalReply);
  EXPECT_THAT(host.failure(), ::testing::HasSubstr("ran past the limit of 200000 instructions"));
}

TEST(FailureTest, ProcExitEndsTheCall) {
  HostFixture fixture;
  PluginHost& host = fixture.Load(PluginWat({"wasi:proc_exit"}, R"(
    (func (export "proxy_on_vm_start") (param i32 i32) (result i32)
      (call $proc_exit (i32.const 3))
      (i32.const 1)))"));
  EXPECT_FALSE(host.Start());
  EXPECT_EQ(host.failure(),
            "proxy_on_vm_start (context 1) trap: proc_exit(3) called: the plugin exited");
}

}  // namespace
}  // namespace hfi::wasmhost

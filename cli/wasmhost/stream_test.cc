// Stream control: local replies, pausing and resuming from the root's tick through
// proxy_set_effective_context, and the tick timer itself (facts/proxy-wasm-abi.md §3.3,
// §3.10, §3.11, §3.17, §9.2).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "wasmhost/test_support.h"

namespace hfi::wasmhost {
namespace {

using ::testing::ElementsAre;
using testing::HeaderValue;
using testing::HostFixture;
using testing::PluginWat;
using testing::Request;
using testing::Response;

constexpr std::int64_t kMs = 1'000'000;

// Answers every request with 403 from proxy_on_request_headers, then returns Continue: the local
// reply must win. Its response callback marks what passes through it.
constexpr const char* kAbortPlugin = R"(
  (data (i32.const 1024) "fault abort")
  (data (i32.const 1040) "denied")
  (data (i32.const 1056) "\01\00\00\00\10\00\00\00\05\00\00\00x-fault-injected\00abort\00")
  (data (i32.const 1100) "x-seen")
  (func (export "proxy_on_request_headers") (param $id i32) (param $n i32) (param $eos i32)
        (result i32)
    (call $note (call $proxy_send_local_response (i32.const 403) (i32.const 1024) (i32.const 11)
                      (i32.const 1040) (i32.const 6) (i32.const 1056) (i32.const 35)
                      (i32.const -1)))
    ;; a second reply in the same stream is ignored
    (call $note (call $proxy_send_local_response (i32.const 500) (i32.const 0) (i32.const 0)
                      (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 3)))
    (call $flush)
    (i32.const 0))
  (func (export "proxy_on_response_headers") (param $id i32) (param $n i32) (param $eos i32)
        (result i32)
    (drop (call $proxy_add_header_map_value (i32.const 2) (i32.const 1100) (i32.const 6)
                                            (i32.const 1040) (i32.const 6)))
    (i32.const 1))
)";

const std::vector<std::string_view> kAbortImports = {"proxy_log", "proxy_send_local_response",
                                                     "proxy_add_header_map_value"};

TEST(StreamTest, LocalResponseFromRequestHeaders) {
  HostFixture fixture;
  PluginHost& host = fixture.LoadAndStart(PluginWat(kAbortImports, kAbortPlugin));
  StreamStatus status = host.StartStream(Request("/"));
  ASSERT_EQ(status.state, StreamState::kLocalReply);
  ASSERT_TRUE(status.local_reply);
  EXPECT_EQ(status.local_reply->status, 403u);
  EXPECT_EQ(status.local_reply->body, "denied");
  EXPECT_EQ(status.local_reply->details, "fault_abort");     // white space becomes '_'
  EXPECT_EQ(status.local_reply->grpc_status, std::nullopt);  // -1 means none
  EXPECT_EQ(status.local_reply->headers, (HeaderList{{"x-fault-injected", "abort"}}));
  // The reply as the client sees it went through the filter's response callback, whose
  // StopIteration cannot hold a local reply.
  EXPECT_EQ(status.message.headers, (HeaderList{{":status", "403"},
                                                {"x-fault-injected", "abort"},
                                                {"content-type", "text/plain"},
                                                {"content-length", "6"},
                                                {"x-seen", "denied"}}));
  EXPECT_EQ(status.message.body, "denied");
  EXPECT_THAT(fixture.PluginLogs(), ElementsAre("00"));
  EXPECT_TRUE(fixture.log.Contains(LogSource::kHost, "already has a reply: ignored"));
  // The upstream answer that arrives anyway does not change the reply.
  StreamStatus again = host.OnResponseHeaders(status.id, Response(200));
  EXPECT_EQ(again.state, StreamState::kLocalReply);
  EXPECT_EQ(again.message.headers, status.message.headers);
  host.FinishStream(status.id);
  EXPECT_EQ(host.stream_count(), 0u);
}

TEST(StreamTest, LocalReplyCanSkipTheResponseCallback) {
  HostFixture fixture;
  HostOptions options = testing::TestOptions();
  options.response_headers_on_local_reply = false;
  PluginHost& host = fixture.LoadAndStart(PluginWat(kAbortImports, kAbortPlugin), options);
  StreamStatus status = host.StartStream(Request("/"));
  EXPECT_EQ(HeaderValue(status.message.headers, "x-seen"), "<absent>");
}

// Pauses each request and resumes it from the next tick, as a delay does (§9.2).
constexpr const char* kDelayPlugin = R"(
  (global $paused (mut i32) (i32.const 0))
  (data (i32.const 1024) "x-delay")
  (data (i32.const 1040) "yes")
  (data (i32.const 1056) ":path")
  (func (export "proxy_on_configure") (param i32 i32) (result i32)
    (drop (call $proxy_set_tick_period_milliseconds (i32.const 100)))
    (i32.const 1))
  (func (export "proxy_on_request_headers") (param $id i32) (param $n i32) (param $eos i32)
        (result i32)
    (global.set $paused (local.get $id))
    (i32.const 1))
  (func (export "proxy_on_tick") (param $root i32)
    (if (i32.eqz (global.get $paused))
      (then
        ;; the effective context of an earlier tick is gone: this is the root, with no headers
        (call $note (call $proxy_add_header_map_value (i32.const 0) (i32.const 1024)
                                                      (i32.const 7) (i32.const 1040)
                                                      (i32.const 3)))
        (call $flush)
        (return)))
    (call $note (call $proxy_set_effective_context (i32.const 99)))
    (call $note (call $proxy_set_effective_context (global.get $paused)))
    ;; a paused request's headers can still be changed
    (call $note (call $proxy_add_header_map_value (i32.const 0) (i32.const 1024) (i32.const 7)
                                                  (i32.const 1040) (i32.const 3)))
    (call $note (call $proxy_continue_stream (i32.const 0)))
    (call $note (call $proxy_continue_stream (i32.const 4)))
    (call $note (call $proxy_continue_stream (i32.const 3)))
    (call $flush)
    (global.set $paused (i32.const 0)))
)";

const std::vector<std::string_view> kDelayImports = {
    "proxy_log", "proxy_set_tick_period_milliseconds", "proxy_set_effective_context",
    "proxy_continue_stream", "proxy_add_header_map_value"};

TEST(StreamTest, PausedUntilContinuedFromTick) {
  HostFixture fixture;
  PluginHost& host = fixture.LoadAndStart(PluginWat(kDelayImports, kDelayPlugin));
  StreamStatus status = host.StartStream(Request("/slow"));
  EXPECT_EQ(status.state, StreamState::kPaused);
  EXPECT_EQ(host.paused_stream_count(), 1u);
  EXPECT_EQ(host.NextTickDeadline(), 100 * kMs);

  EXPECT_TRUE(host.RunDueTicks().empty());
  fixture.clock.Advance(99 * kMs);
  EXPECT_TRUE(host.RunDueTicks().empty());
  EXPECT_EQ(host.paused_stream_count(), 1u);

  fixture.clock.Advance(1 * kMs);
  std::vector<StreamStatus> resumed = host.RunDueTicks();
  ASSERT_EQ(resumed.size(), 1u);
  EXPECT_EQ(resumed[0].id, status.id);
  EXPECT_EQ(resumed[0].state, StreamState::kContinue);
  EXPECT_EQ(resumed[0].phase, StreamPhase::kRequest);
  EXPECT_EQ(HeaderValue(resumed[0].message.headers, ":path"), "/slow");
  EXPECT_EQ(HeaderValue(resumed[0].message.headers, "x-delay"), "yes");
  EXPECT_EQ(host.paused_stream_count(), 0u);
  // BadArgument for an unknown context, Ok, Ok, Ok, BadArgument for stream type 4,
  // Unimplemented (12, shown as '<') for the upstream stream.
  EXPECT_THAT(fixture.PluginLogs(), ElementsAre("20002<"));

  // The timer re-arms; the next tick runs on the root again.
  EXPECT_EQ(host.NextTickDeadline(), 200 * kMs);
  fixture.clock.Advance(100 * kMs);
  EXPECT_TRUE(host.RunDueTicks().empty());
  EXPECT_THAT(fixture.PluginLogs(), ElementsAre("20002<", "2"));
  EXPECT_EQ(host.OnResponseHeaders(status.id, Response(200)).state, StreamState::kContinue);
}

TEST(StreamTest, AdvanceUntilNoPausedStreamsMovesVirtualTime) {
  HostFixture fixture;
  PluginHost& host = fixture.LoadAndStart(PluginWat(kDelayImports, kDelayPlugin));
  StreamStatus status = host.StartStream(Request("/slow"));
  ASSERT_EQ(status.state, StreamState::kPaused);
  std::vector<StreamStatus> statuses =
      AdvanceUntilNoPausedStreams(host, fixture.clock, 10'000 * kMs);
  ASSERT_EQ(statuses.size(), 1u);
  EXPECT_EQ(statuses[0].state, StreamState::kContinue);
  EXPECT_EQ(fixture.clock.MonotonicNanos(), 100 * kMs);
}

TEST(StreamTest, AdvanceStopsWhenNothingCanResume) {
  HostFixture fixture;
  PluginHost& host = fixture.LoadAndStart(PluginWat({}, R"(
    (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32) (i32.const 1)))"));
  ASSERT_EQ(host.StartStream(Request("/")).state, StreamState::kPaused);
  EXPECT_TRUE(AdvanceUntilNoPausedStreams(host, fixture.clock, 10'000 * kMs).empty());
  EXPECT_EQ(host.paused_stream_count(), 1u);
  EXPECT_EQ(fixture.clock.MonotonicNanos(), 0);
  host.FinishStream(1 + host.root_context_id());  // a client that gave up
  EXPECT_EQ(host.stream_count(), 0u);
}

TEST(StreamTest, ContinueDuringTheSameCallbackOverridesAStop) {
  HostFixture fixture;
  PluginHost& host = fixture.LoadAndStart(PluginWat({"proxy_continue_stream"}, R"(
    (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
      (drop (call $proxy_continue_stream (i32.const 0)))
      (i32.const 1)))"));
  EXPECT_EQ(host.StartStream(Request("/")).state, StreamState::kContinue);
}

TEST(StreamTest, LocalReplyFromTickAnswersAPausedStream) {
  HostFixture fixture;
  PluginHost& host =
      fixture.LoadAndStart(PluginWat({"proxy_set_tick_period_milliseconds",
                                      "proxy_set_effective_context", "proxy_send_local_response"},
                                     R"(
    (global $paused (mut i32) (i32.const 0))
    (func (export "proxy_on_configure") (param i32 i32) (result i32)
      (drop (call $proxy_set_tick_period_milliseconds (i32.const 10)))
      (i32.const 1))
    (func (export "proxy_on_request_headers") (param $id i32) (param i32 i32) (result i32)
      (global.set $paused (local.get $id))
      (i32.const 1))
    (func (export "proxy_on_tick") (param i32)
      (drop (call $proxy_set_effective_context (global.get $paused)))
      (drop (call $proxy_send_local_response (i32.const 504) (i32.const 0) (i32.const 0)
                  (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 7)))))"));
  StreamStatus status = host.StartStream(Request("/"));
  fixture.clock.Advance(10 * kMs);
  std::vector<StreamStatus> answered = host.RunDueTicks();
  ASSERT_EQ(answered.size(), 1u);
  EXPECT_EQ(answered[0].id, status.id);
  EXPECT_EQ(answered[0].state, StreamState::kLocalReply);
  ASSERT_TRUE(answered[0].local_reply);
  EXPECT_EQ(answered[0].local_reply->status, 504u);
  EXPECT_EQ(answered[0].local_reply->grpc_status, 7u);
  EXPECT_EQ(answered[0].message.headers, (HeaderList{{":status", "504"}}));
}

TEST(StreamTest, CloseStreamResetsIt) {
  HostFixture fixture;
  PluginHost& host = fixture.LoadAndStart(PluginWat({"proxy_close_stream"}, R"(
    (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
      (drop (call $proxy_close_stream (i32.const 0)))
      (i32.const 0)))"));
  StreamStatus status = host.StartStream(Request("/"));
  EXPECT_EQ(status.state, StreamState::kReset);
  EXPECT_EQ(host.OnResponseHeaders(status.id, Response(200)).state, StreamState::kReset);
}

TEST(StreamTest, ResponseForAStreamNotForwardedIsACallerBug) {
  HostFixture fixture;
  PluginHost& host = fixture.LoadAndStart(PluginWat({}, R"(
    (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32) (i32.const 1)))"));
  StreamStatus status = host.StartStream(Request("/"));
  EXPECT_THROW(host.OnResponseHeaders(status.id, Response(200)), std::logic_error);
  EXPECT_THROW(host.OnResponseHeaders(12345, Response(200)), std::logic_error);
}

// A tick counter that changes its own period: 10 ms, then 50 ms after the second tick, then off.
constexpr const char* kTickPlugin = R"(
  (global $ticks (mut i32) (i32.const 0))
  (data (i32.const 1024) "tick ?")
  (func (export "proxy_on_configure") (param i32 i32) (result i32)
    (drop (call $proxy_set_tick_period_milliseconds (i32.const 10)))
    (i32.const 1))
  (func (export "proxy_on_tick") (param $root i32)
    (global.set $ticks (i32.add (global.get $ticks) (i32.const 1)))
    (call $say1 (i32.const 1024) (i32.const 6) (global.get $ticks))
    (if (i32.eq (global.get $ticks) (i32.const 2))
      (then (drop (call $proxy_set_tick_period_milliseconds (i32.const 50)))))
    (if (i32.eq (global.get $ticks) (i32.const 3))
      (then (drop (call $proxy_set_tick_period_milliseconds (i32.const 0))))))
)";

TEST(StreamTest, TickPeriodRearmsChangesAndDisables) {
  HostFixture fixture;
  PluginHost& host = fixture.LoadAndStart(
      PluginWat({"proxy_log", "proxy_set_tick_period_milliseconds"}, kTickPlugin));
  EXPECT_EQ(host.tick_period_ms(), 10u);
  EXPECT_EQ(host.NextTickDeadline(), 10 * kMs);
  fixture.clock.Advance(10 * kMs);
  host.RunDueTicks();
  EXPECT_EQ(host.NextTickDeadline(), 20 * kMs);
  // A late timer fires once and re-arms from when it ran, as Envoy's does.
  fixture.clock.Advance(1000 * kMs);
  host.RunDueTicks();
  host.RunDueTicks();
  EXPECT_EQ(host.tick_period_ms(), 50u);
  EXPECT_EQ(host.NextTickDeadline(), 1060 * kMs);
  fixture.clock.Advance(49 * kMs);
  host.RunDueTicks();
  fixture.clock.Advance(1 * kMs);
  host.RunDueTicks();
  EXPECT_EQ(host.tick_period_ms(), 0u);
  EXPECT_EQ(host.NextTickDeadline(), std::nullopt);
  fixture.clock.Advance(10'000 * kMs);
  host.RunDueTicks();
  EXPECT_THAT(fixture.PluginLogs(), ElementsAre("tick 1", "tick 2", "tick 3"));
}

TEST(StreamTest, NoTickWithoutOnTick) {
  HostFixture fixture;
  PluginHost& host = fixture.LoadAndStart(PluginWat({"proxy_set_tick_period_milliseconds"}, R"(
    (func (export "proxy_on_configure") (param i32 i32) (result i32)
      (drop (call $proxy_set_tick_period_milliseconds (i32.const 10)))
      (i32.const 1)))"));
  EXPECT_EQ(host.tick_period_ms(), 10u);
  EXPECT_EQ(host.NextTickDeadline(), std::nullopt);
}

}  // namespace
}  // namespace hfi::wasmhost

#include "plugin/stream_context.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "plugin/fake_host_api.h"
#include "plugin/fake_random.h"
#include "plugin/root_context.h"

namespace hfi::plugin {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;

constexpr std::int64_t kMs = 1'000'000;
constexpr std::string_view kAborts = "wasmcustom.hfi_faults_aborts_total";
constexpr std::string_view kDelays = "wasmcustom.hfi_faults_delays_total";
constexpr std::string_view kDuration = "wasmcustom.hfi_faults_delay_duration_milliseconds";

// One policy with one rule per given fault JSON; rule i matches paths starting with "/r<i>".
std::string PolicyWithFaults(const std::vector<std::string>& faults) {
  std::string rules;
  for (std::size_t i = 0; i < faults.size(); ++i) {
    rules += (i == 0 ? "" : ",") + std::string(R"({"match":{"path":{"prefix":"/r)") +
             std::to_string(i) + R"("}},"fault":)" + faults[i] + "}";
  }
  return R"({"policies":[{"metadata":{"name":"p"},"spec":{"rules":[)" + rules + "]}}]}";
}

class StreamContextTest : public ::testing::Test {
 protected:
  StreamContextTest() : root_(host_, 1, std::make_unique<FixedRandom>(0)) {
    host_.current_context = 1;
    root_.OnVmStart();
  }

  void Configure(const std::string& text) {
    host_.current_context = 1;
    host_.plugin_configuration = text;
    ASSERT_TRUE(root_.OnConfigure(text.size()));
    ASSERT_EQ(root_.decider().policy().RuleCount(), PolicyRules(text)) << host_.logs.back().message;
  }
  static std::size_t PolicyRules(const std::string& text) {
    Policy policy;
    std::string error;
    return ParsePolicy(text, &policy, &error) ? policy.RuleCount() : 999;
  }

  // A new stream whose request headers arrive at the current fake time.
  std::unique_ptr<StreamContext> Request(std::uint32_t id, const std::string& path,
                                         HeadersStatus expected) {
    auto stream = std::make_unique<StreamContext>(root_, id);
    host_.request_headers = {{":path", path}, {":method", "GET"}};
    host_.current_context = id;
    EXPECT_EQ(stream->OnRequestHeaders(), expected) << path;
    host_.current_context = 0;
    return stream;
  }

  // The host's timer fires at `at_ms` on the root context.
  void TickAt(std::int64_t at_ms) {
    host_.now_ns = at_ms * kMs;
    host_.current_context = 1;
    root_.OnTick();
    host_.current_context = 0;
  }

  std::vector<std::pair<std::string, std::string>> ResponseHeadersOf(StreamContext& stream) {
    host_.response_headers_added.clear();
    host_.current_context = stream.id();
    EXPECT_EQ(stream.OnResponseHeaders(), HeadersStatus::kContinue);
    return host_.response_headers_added;
  }

  FakeHostApi host_;
  RootContext root_;
};

TEST_F(StreamContextTest, NoMatchPassesThroughUntouched) {
  Configure(PolicyWithFaults({R"({"percentage":100,"abort":{"httpStatus":503}})"}));
  const int metric_calls = host_.metric_calls;
  const std::size_t logs = host_.logs.size();
  auto stream = Request(2, "/other", HeadersStatus::kContinue);
  EXPECT_EQ(host_.metric_calls, metric_calls);
  EXPECT_EQ(host_.logs.size(), logs);
  EXPECT_TRUE(host_.local_responses.empty());
  EXPECT_EQ(root_.pending_count(), 0u);
  EXPECT_THAT(ResponseHeadersOf(*stream), IsEmpty());
}

TEST_F(StreamContextTest, WithoutRulesNothingIsAskedOfTheHost) {
  Configure("");
  auto stream = Request(2, "/r0", HeadersStatus::kContinue);
  EXPECT_EQ(host_.header_reads, 0);
}

TEST_F(StreamContextTest, AbortSendsTheLocalReplyAndCounts) {
  Configure(
      PolicyWithFaults({R"({"percentage":100,"abort":{"httpStatus":503}})",
                        R"({"percentage":100,"abort":{"httpStatus":429,"body":"slow down"}})"}));
  auto first = Request(2, "/r0/x", HeadersStatus::kStopIteration);
  ASSERT_EQ(host_.local_responses.size(), 1u);
  const FakeHostApi::LocalResponse& reply = host_.local_responses[0];
  EXPECT_EQ(reply.context, 2u);
  EXPECT_EQ(reply.status, 503u);
  EXPECT_EQ(reply.details, "hfi_fault_abort");
  EXPECT_EQ(reply.body, "fault injected by hfi");
  EXPECT_THAT(reply.headers,
              ElementsAre(Pair("x-fault-injected", "abort"), Pair("content-type", "text/plain")));
  EXPECT_EQ(host_.Counter(kAborts), 1u);
  EXPECT_EQ(host_.Counter(kDelays), 0u);
  EXPECT_THAT(host_.Samples(kDuration), IsEmpty());
  EXPECT_EQ(root_.pending_count(), 0u);

  auto second = Request(3, "/r1", HeadersStatus::kStopIteration);
  EXPECT_EQ(host_.local_responses.back().status, 429u);
  EXPECT_EQ(host_.local_responses.back().body, "slow down");
  EXPECT_EQ(host_.Counter(kAborts), 2u);
  // A local reply may come back through the response callback: no delay header on it.
  EXPECT_THAT(ResponseHeadersOf(*second), IsEmpty());
}

TEST_F(StreamContextTest, FailedAbortFailsOpenAndIsNotCounted) {
  Configure(PolicyWithFaults({R"({"percentage":100,"abort":{"httpStatus":503}})"}));
  host_.local_response_result = WasmResult::kBadArgument;
  auto stream = Request(2, "/r0", HeadersStatus::kContinue);
  EXPECT_EQ(host_.Counter(kAborts), 0u);
  EXPECT_EQ(host_.logs.back().level, LogLevel::kError);
  EXPECT_EQ(host_.logs.back().message, "stream 2: could not send the abort reply (status 2)");
}

TEST_F(StreamContextTest, DelayPausesThenResumesFromTheTick) {
  Configure(PolicyWithFaults({R"({"percentage":100,"delay":{"fixed_delay_ms":500}})"}));
  auto stream = Request(2, "/r0", HeadersStatus::kStopIteration);
  EXPECT_EQ(root_.pending_count(), 1u);
  EXPECT_THAT(host_.tick_periods, ElementsAre(500u));
  // Nothing is counted while the request waits.
  EXPECT_EQ(host_.Counter(kDelays), 0u);

  TickAt(499);  // early: nothing due; the timer is set to the remaining time
  EXPECT_THAT(host_.continued, IsEmpty());
  EXPECT_THAT(host_.tick_periods, ElementsAre(500u, 1u));

  TickAt(500);
  EXPECT_THAT(host_.continued, ElementsAre(2u));  // resumed as stream 2, not as the root
  EXPECT_EQ(host_.Counter(kDelays), 1u);
  EXPECT_THAT(host_.Samples(kDuration), ElementsAre(500u));
  EXPECT_EQ(host_.Counter(kAborts), 0u);
  EXPECT_EQ(root_.pending_count(), 0u);
  EXPECT_THAT(host_.tick_periods, ElementsAre(500u, 1u, 0u));  // timer off when nothing waits

  EXPECT_THAT(ResponseHeadersOf(*stream), ElementsAre(Pair("x-fault-injected", "delay")));
  TickAt(1000);  // a stray tick does nothing more
  EXPECT_EQ(host_.Counter(kDelays), 1u);
  EXPECT_EQ(host_.continued.size(), 1u);
}

TEST_F(StreamContextTest, TickPeriodFollowsTheNearestDeadline) {
  Configure(PolicyWithFaults({R"({"percentage":100,"delay":{"fixed_delay_ms":500}})",
                              R"({"percentage":100,"delay":{"fixed_delay_ms":200}})",
                              R"({"percentage":100,"delay":{"fixed_delay_ms":1000}})"}));
  auto slow = Request(2, "/r0", HeadersStatus::kStopIteration);  // due at 500
  host_.now_ns = 100 * kMs;
  auto fast = Request(3, "/r1", HeadersStatus::kStopIteration);  // due at 300
  host_.now_ns = 150 * kMs;
  auto slowest = Request(4, "/r2", HeadersStatus::kStopIteration);  // due at 1150
  // 500 at 0; 200 at 100 (nearest 300); at 150 the nearest is still 300, i.e. 150 away.
  EXPECT_THAT(host_.tick_periods, ElementsAre(500u, 200u, 150u));

  TickAt(300);
  EXPECT_THAT(host_.continued, ElementsAre(3u));
  EXPECT_EQ(host_.tick_periods.back(), 200u);  // 500 - 300
  TickAt(500);
  EXPECT_THAT(host_.continued, ElementsAre(3u, 2u));
  EXPECT_EQ(host_.tick_periods.back(), 650u);  // 1150 - 500
  TickAt(1150);
  EXPECT_THAT(host_.continued, ElementsAre(3u, 2u, 4u));
  EXPECT_EQ(host_.tick_periods.back(), 0u);
  EXPECT_EQ(host_.Counter(kDelays), 3u);
  EXPECT_THAT(host_.Samples(kDuration), ElementsAre(200u, 500u, 1000u));
}

TEST_F(StreamContextTest, StreamsDueAtTheSameTickAllResume) {
  Configure(PolicyWithFaults({R"({"percentage":100,"delay":{"fixed_delay_ms":50}})"}));
  auto a = Request(2, "/r0", HeadersStatus::kStopIteration);
  auto b = Request(3, "/r0", HeadersStatus::kStopIteration);
  TickAt(60);
  EXPECT_THAT(host_.continued, ElementsAre(2u, 3u));
  EXPECT_EQ(host_.Counter(kDelays), 2u);
  EXPECT_THAT(host_.Samples(kDuration), ElementsAre(50u, 50u));
}

TEST_F(StreamContextTest, SubMillisecondRemainderRoundsUp) {
  Configure(PolicyWithFaults({R"({"percentage":100,"delay":{"fixed_delay_ms":10}})"}));
  host_.now_ns = 3 * kMs + 400'000;  // 3.4 ms: due at 13.4 ms
  auto stream = Request(2, "/r0", HeadersStatus::kStopIteration);
  host_.now_ns = 13 * kMs;
  host_.current_context = 1;
  root_.OnTick();
  EXPECT_THAT(host_.continued, IsEmpty());
  EXPECT_EQ(host_.tick_periods.back(), 1u);  // 0.4 ms left: never 0, which would stop the timer
}

TEST_F(StreamContextTest, DelayThenAbort) {
  Configure(PolicyWithFaults(
      {R"({"percentage":100,"delay":{"fixed_delay_ms":300},"abort":{"httpStatus":504}})"}));
  auto stream = Request(2, "/r0", HeadersStatus::kStopIteration);
  EXPECT_TRUE(host_.local_responses.empty());  // the delay comes first
  TickAt(300);
  ASSERT_EQ(host_.local_responses.size(), 1u);
  EXPECT_EQ(host_.local_responses[0].status, 504u);
  EXPECT_EQ(host_.local_responses[0].context, 2u);
  EXPECT_THAT(host_.continued, IsEmpty());
  EXPECT_EQ(host_.Counter(kDelays), 1u);
  EXPECT_THAT(host_.Samples(kDuration), ElementsAre(300u));
  EXPECT_EQ(host_.Counter(kAborts), 1u);
  EXPECT_THAT(ResponseHeadersOf(*stream), IsEmpty());
}

TEST_F(StreamContextTest, StartDelayThenAbort) {
  Configure(
      PolicyWithFaults({R"({"percentage":100,"start_delay_ms":100,"abort":{"httpStatus":500}})"}));
  auto stream = Request(2, "/r0", HeadersStatus::kStopIteration);
  EXPECT_TRUE(host_.local_responses.empty());
  EXPECT_THAT(host_.tick_periods, ElementsAre(100u));
  TickAt(100);
  ASSERT_EQ(host_.local_responses.size(), 1u);
  EXPECT_EQ(host_.local_responses[0].status, 500u);
  EXPECT_EQ(host_.Counter(kAborts), 1u);
  // Waiting before the fault is not a delay fault.
  EXPECT_EQ(host_.Counter(kDelays), 0u);
  EXPECT_THAT(host_.Samples(kDuration), IsEmpty());
  EXPECT_EQ(host_.tick_periods.back(), 0u);
}

TEST_F(StreamContextTest, StartDelayThenDelay) {
  Configure(PolicyWithFaults(
      {R"({"percentage":100,"start_delay_ms":100,"delay":{"fixed_delay_ms":500}})"}));
  auto stream = Request(2, "/r0", HeadersStatus::kStopIteration);
  TickAt(100);
  EXPECT_THAT(host_.continued, IsEmpty());
  EXPECT_EQ(host_.Counter(kDelays), 0u);
  EXPECT_EQ(root_.pending_count(), 1u);
  EXPECT_EQ(host_.tick_periods.back(), 500u);
  TickAt(599);
  EXPECT_THAT(host_.continued, IsEmpty());
  TickAt(600);
  EXPECT_THAT(host_.continued, ElementsAre(2u));
  EXPECT_EQ(host_.Counter(kDelays), 1u);
  EXPECT_THAT(host_.Samples(kDuration), ElementsAre(500u));  // the configured delay, not 600
  EXPECT_THAT(ResponseHeadersOf(*stream), ElementsAre(Pair("x-fault-injected", "delay")));
}

TEST_F(StreamContextTest, ZeroDelayIsNoDelay) {
  Configure(
      PolicyWithFaults({R"({"percentage":100,"delay":{"fixed_delay_ms":0}})",
                        R"({"percentage":100,"start_delay_ms":20,"delay":{"fixed_delay":"0"}})"}));
  auto now = Request(2, "/r0", HeadersStatus::kContinue);
  EXPECT_EQ(root_.pending_count(), 0u);
  auto later = Request(3, "/r1", HeadersStatus::kStopIteration);
  TickAt(20);
  EXPECT_THAT(host_.continued, ElementsAre(3u));
  EXPECT_EQ(host_.Counter(kDelays), 0u);
  EXPECT_THAT(ResponseHeadersOf(*later), IsEmpty());
}

TEST_F(StreamContextTest, StreamDeletedWhilePausedLeavesThePendingTable) {
  Configure(PolicyWithFaults({R"({"percentage":100,"delay":{"fixed_delay_ms":500}})"}));
  auto stream = Request(2, "/r0", HeadersStatus::kStopIteration);
  auto other = Request(3, "/r0", HeadersStatus::kStopIteration);
  EXPECT_EQ(root_.pending_count(), 2u);
  stream.reset();  // the client went away: on_delete
  EXPECT_EQ(root_.pending_count(), 1u);
  other.reset();
  EXPECT_EQ(root_.pending_count(), 0u);
  EXPECT_EQ(host_.tick_periods.back(), 0u);
  TickAt(500);
  EXPECT_THAT(host_.continued, IsEmpty());
  EXPECT_EQ(host_.Counter(kDelays), 0u);  // never completed, never counted
}

TEST_F(StreamContextTest, StreamTheHostNoLongerKnowsIsDropped) {
  Configure(PolicyWithFaults({R"({"percentage":100,"delay":{"fixed_delay_ms":100}})"}));
  auto gone = Request(2, "/r0", HeadersStatus::kStopIteration);
  auto alive = Request(3, "/r0", HeadersStatus::kStopIteration);
  host_.gone_contexts.insert(2);
  TickAt(100);
  EXPECT_THAT(host_.continued, ElementsAre(3u));
  EXPECT_EQ(host_.Counter(kDelays), 1u);
  EXPECT_EQ(root_.pending_count(), 0u);
  bool warned = false;
  for (const auto& line : host_.logs) {
    warned = warned || line.message == "stream 2 is gone (status 2); its fault is dropped";
  }
  EXPECT_TRUE(warned);
}

TEST_F(StreamContextTest, ReconfigurationDoesNotChangeAWaitingRequest) {
  Configure(PolicyWithFaults(
      {R"({"percentage":100,"delay":{"fixed_delay_ms":100},"abort":{"httpStatus":503,"body":"old"}})"}));
  auto stream = Request(2, "/r0", HeadersStatus::kStopIteration);
  Configure(PolicyWithFaults({R"({"percentage":100,"abort":{"httpStatus":500,"body":"new"}})"}));
  TickAt(100);
  ASSERT_EQ(host_.local_responses.size(), 1u);
  EXPECT_EQ(host_.local_responses[0].status, 503u);
  EXPECT_EQ(host_.local_responses[0].body, "old");
}

TEST_F(StreamContextTest, FailedResumeIsLogged) {
  Configure(PolicyWithFaults({R"({"percentage":100,"delay":{"fixed_delay_ms":10}})"}));
  auto stream = Request(2, "/r0", HeadersStatus::kStopIteration);
  host_.continue_result = WasmResult::kBadArgument;
  TickAt(10);
  EXPECT_EQ(host_.logs.back().message, "stream 2: could not resume the request (status 2)");
  EXPECT_EQ(host_.Counter(kDelays), 1u);  // the delay itself did happen
}

TEST(StreamContextDrawTest, PercentageZeroDrawsButNeverInjects) {
  FakeHostApi host;
  auto random = std::make_unique<FixedRandom>(0);
  FixedRandom* draws = random.get();
  RootContext root(host, 1, std::move(random));
  root.OnVmStart();
  const std::string text = PolicyWithFaults({R"({"percentage":0,"abort":{"httpStatus":503}})"});
  host.plugin_configuration = text;
  root.OnConfigure(text.size());
  StreamContext stream(root, 2);
  host.request_headers = {{":path", "/r0"}, {":method", "GET"}};
  EXPECT_EQ(stream.OnRequestHeaders(), HeadersStatus::kContinue);
  EXPECT_EQ(draws->draws, 1);
  EXPECT_TRUE(host.local_responses.empty());
  EXPECT_TRUE(host.counters.empty());
}

TEST_F(StreamContextTest, DecisionIsLoggedAtDebugOnly) {
  Configure(PolicyWithFaults({R"({"percentage":100,"abort":{"httpStatus":503}})"}));
  host_.log_level = LogLevel::kInfo;
  const std::size_t before = host_.logs.size();
  auto quiet = Request(2, "/r0", HeadersStatus::kStopIteration);
  EXPECT_EQ(host_.logs.size(), before);
  host_.log_level = LogLevel::kDebug;
  auto loud = Request(3, "/r0", HeadersStatus::kStopIteration);
  ASSERT_EQ(host_.logs.size(), before + 1);
  EXPECT_THAT(host_.logs.back().message, HasSubstr("stream 3: policy \"p\" rule 0 injects"));
}

}  // namespace
}  // namespace hfi::plugin

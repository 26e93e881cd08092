// A request that matches no rule must cost no allocation, no metric call and no log formatting
// (DESIGN §3.1). Allocations are counted by replacing the global operator new for this test
// executable; only allocations made while `counting` is set are counted.
#include <gtest/gtest.h>

#include <cstdlib>
#include <new>
#include <string>

#include "plugin/fake_host_api.h"
#include "plugin/root_context.h"
#include "plugin/stream_context.h"

namespace {

bool counting = false;
int allocations = 0;

}  // namespace

// GCC flags free() inside a replaced operator delete as a new/free mismatch; here both sides are
// replaced together, so the warning is a false positive.
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
#endif
void* operator new(std::size_t size) {
  if (counting)
    ++allocations;
  if (void* block = std::malloc(size == 0 ? 1 : size))
    return block;
  throw std::bad_alloc();
}
void operator delete(void* block) noexcept {
  std::free(block);
}
void operator delete(void* block, std::size_t) noexcept {
  std::free(block);
}
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic pop
#endif

namespace hfi::plugin {
namespace {

// 100 rules over every kind of condition, none of which the test request satisfies.
std::string HundredRules() {
  std::string rules;
  for (int i = 0; i < 100; ++i) {
    std::string match;
    switch (i % 6) {
      case 0:
        match = R"({"path":{"exact":"/exact/)" + std::to_string(i) + R"("}})";
        break;
      case 1:
        match = R"({"path":{"prefix":"/prefix/)" + std::to_string(i) + R"("}})";
        break;
      case 2:
        match = R"({"method":{"exact":"DELETE"},"headers":[{"name":"x-user","exact":"u)" +
                std::to_string(i) + R"("}]})";
        break;
      case 3:
        match = R"({"headers":[{"name":"x-absent-)" + std::to_string(i) + R"("}]})";
        break;
      case 4:
        match = R"({"path":{"regex":"^/v[0-9]+/)" + std::to_string(i) + R"("}})";
        break;
      default:
        match = R"({"headers":[{"name":"user-agent","regex":"(bot|spider))" + std::to_string(i) +
                R"("}]})";
        break;
    }
    rules += (i == 0 ? "" : ",") + std::string(R"({"match":)") + match +
             R"(,"fault":{"percentage":100,"abort":{"httpStatus":503},"duration_seconds":3600}})";
  }
  return R"({"policies":[{"metadata":{"name":"many"},"spec":{"rules":[)" + rules + "]}}]}";
}

struct Counted {
  int allocations;
  int metric_calls;
  int log_checks;
  std::size_t logs;
  HeadersStatus status;
};

Counted RunRequest(FakeHostApi& host, StreamContext& stream) {
  const int metric_calls = host.metric_calls;
  const int log_checks = host.log_checks;
  const std::size_t logs = host.logs.size();
  allocations = 0;
  counting = true;
  const HeadersStatus status = stream.OnRequestHeaders();
  counting = false;
  return {allocations, host.metric_calls - metric_calls, host.log_checks - log_checks,
          host.logs.size() - logs, status};
}

TEST(NoMatchTest, CountingSeesAllocations) {
  allocations = 0;
  counting = true;
  auto* probe = new std::string(100, 'x');  // too long for the small-string buffer: two blocks
  counting = false;
  delete probe;
  EXPECT_EQ(allocations, 2);
}

TEST(NoMatchTest, NoAllocationNoMetricNoLogForANoMatchRequest) {
  FakeHostApi host;
  RootContext root(host, 1);
  root.OnVmStart();
  const std::string text = HundredRules();
  host.plugin_configuration = text;
  ASSERT_TRUE(root.OnConfigure(text.size()));
  ASSERT_EQ(root.decider().active_rule_count(), 100u);
  host.request_headers = {{":path", "/v2/items?id=7"},
                          {":method", "GET"},
                          {"x-user", "someone"},
                          {"user-agent", "curl/8"}};
  StreamContext stream(root, 2);
  const Counted counted = RunRequest(host, stream);
  EXPECT_EQ(counted.status, HeadersStatus::kContinue);
  EXPECT_EQ(counted.allocations, 0);
  EXPECT_EQ(counted.metric_calls, 0);
  EXPECT_EQ(counted.log_checks, 0);
  EXPECT_EQ(counted.logs, 0u);
  EXPECT_GT(host.header_reads, 0);  // the rules were really evaluated
}

TEST(NoMatchTest, AMatchingRequestIsSeenByTheSameCounters) {
  FakeHostApi host;
  RootContext root(host, 1);
  root.OnVmStart();
  const std::string text = HundredRules();
  host.plugin_configuration = text;
  ASSERT_TRUE(root.OnConfigure(text.size()));
  host.request_headers = {{":path", "/prefix/1/x"}, {":method", "GET"}};
  StreamContext stream(root, 2);
  const Counted counted = RunRequest(host, stream);
  EXPECT_EQ(counted.status, HeadersStatus::kStopIteration);
  EXPECT_GT(counted.allocations, 0);  // the fault is copied and the reply recorded
  EXPECT_EQ(counted.metric_calls, 1);
}

}  // namespace
}  // namespace hfi::plugin

#include "plugin/dispatcher.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "plugin/fake_host_api.h"

namespace hfi::plugin {
namespace {

using ::testing::ElementsAre;

constexpr const char* kDelayPolicy = R"({"policies":[{"metadata":{"name":"p"},"spec":{"rules":[
    {"fault":{"percentage":100,"delay":{"fixed_delay_ms":200}}}]}}]})";

class DispatcherTest : public ::testing::Test {
 protected:
  // Envoy's start sequence for one plugin: create the root, start the VM, configure.
  void Start(std::uint32_t root_id, const std::string& configuration) {
    host_.current_context = root_id;
    dispatcher_.OnContextCreate(root_id, 0);
    ASSERT_TRUE(dispatcher_.OnVmStart(root_id));
    host_.plugin_configuration = configuration;
    ASSERT_TRUE(dispatcher_.OnConfigure(root_id, configuration.size()));
  }

  HeadersStatus Request(std::uint32_t id, std::uint32_t root_id) {
    host_.current_context = id;
    host_.request_headers = {{":path", "/"}, {":method", "GET"}};
    dispatcher_.OnContextCreate(id, root_id);
    return dispatcher_.OnRequestHeaders(id);
  }

  FakeHostApi host_;
  Dispatcher dispatcher_{host_};
};

TEST_F(DispatcherTest, RequestLifecycle) {
  Start(1, kDelayPolicy);
  ASSERT_NE(dispatcher_.root(1), nullptr);
  EXPECT_EQ(Request(2, 1), HeadersStatus::kStopIteration);
  ASSERT_NE(dispatcher_.stream(2), nullptr);
  host_.now_ns = 200'000'000;
  dispatcher_.OnTick(1);
  EXPECT_THAT(host_.continued, ElementsAre(2u));
  host_.current_context = 2;
  EXPECT_EQ(dispatcher_.OnResponseHeaders(2), HeadersStatus::kContinue);
  EXPECT_EQ(host_.response_headers_added.size(), 1u);
  dispatcher_.OnDelete(2);
  EXPECT_EQ(dispatcher_.stream(2), nullptr);
  EXPECT_EQ(dispatcher_.stream_count(), 0u);
}

TEST_F(DispatcherTest, DeleteWhilePausedDropsThePendingDelay) {
  Start(1, kDelayPolicy);
  EXPECT_EQ(Request(2, 1), HeadersStatus::kStopIteration);
  EXPECT_EQ(dispatcher_.root(1)->pending_count(), 1u);
  dispatcher_.OnDelete(2);
  EXPECT_EQ(dispatcher_.root(1)->pending_count(), 0u);
  host_.now_ns = 500'000'000;
  dispatcher_.OnTick(1);
  EXPECT_TRUE(host_.continued.empty());
}

TEST_F(DispatcherTest, DeletingARootDeletesItsStreamsFirst) {
  Start(1, kDelayPolicy);
  Start(10, kDelayPolicy);
  Request(2, 1);
  Request(3, 10);
  dispatcher_.OnDelete(1);
  EXPECT_EQ(dispatcher_.root(1), nullptr);
  EXPECT_EQ(dispatcher_.stream(2), nullptr);
  ASSERT_NE(dispatcher_.stream(3), nullptr);  // another root's stream stays
  EXPECT_EQ(dispatcher_.root(10)->pending_count(), 1u);
}

TEST_F(DispatcherTest, StreamOfUnknownRootPassesThrough) {
  EXPECT_EQ(Request(5, 99), HeadersStatus::kContinue);
  EXPECT_EQ(dispatcher_.stream(5), nullptr);
  EXPECT_EQ(host_.logs.back().message, "stream 5 names unknown root context 99; not filtered");
}

TEST_F(DispatcherTest, CallbacksForUnknownContextsAreHarmless) {
  EXPECT_EQ(dispatcher_.OnRequestHeaders(7), HeadersStatus::kContinue);
  EXPECT_EQ(dispatcher_.OnResponseHeaders(7), HeadersStatus::kContinue);
  dispatcher_.OnTick(7);
  dispatcher_.OnDelete(7);
  EXPECT_TRUE(host_.tick_periods.empty());
}

TEST_F(DispatcherTest, StartWithoutCreateStillMakesTheRoot) {
  EXPECT_TRUE(dispatcher_.OnVmStart(4));
  ASSERT_NE(dispatcher_.root(4), nullptr);
  EXPECT_EQ(host_.metric_definitions.size(), 3u);
}

}  // namespace
}  // namespace hfi::plugin

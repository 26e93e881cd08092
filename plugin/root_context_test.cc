#include "plugin/root_context.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "plugin/fake_host_api.h"
#include "plugin/fake_random.h"
#include "plugin/metric_names.h"
#include "plugin/stream_context.h"

namespace hfi::plugin {
namespace {

using ::testing::HasSubstr;

constexpr const char* kTwoRules = R"({"policies":[{"metadata":{"name":"p"},"spec":{"rules":[
    {"match":{"path":{"prefix":"/a"}},"fault":{"percentage":100,"abort":{"httpStatus":501}}},
    {"match":{"path":{"prefix":"/b"}},"fault":{"percentage":100,"abort":{"httpStatus":502}}}]}}]})";

class RootContextTest : public ::testing::Test {
 protected:
  RootContextTest() : root_(host_, 1, std::make_unique<FixedRandom>(0)) {
    host_.current_context = 1;
  }

  bool Configure(const std::string& text) {
    host_.plugin_configuration = text;
    return root_.OnConfigure(text.size());
  }

  // The status a request to `path` is aborted with, or 0 when it goes through.
  std::uint32_t AbortStatusFor(const std::string& path) {
    host_.request_headers = {{":path", path}, {":method", "GET"}};
    const std::size_t before = host_.local_responses.size();
    StreamContext stream(root_, 2);
    host_.current_context = 2;
    stream.OnRequestHeaders();
    host_.current_context = 1;
    return host_.local_responses.size() == before ? 0 : host_.local_responses.back().status;
  }

  std::vector<std::string> ErrorLogs() const {
    std::vector<std::string> lines;
    for (const auto& line : host_.logs) {
      if (line.level == LogLevel::kError)
        lines.push_back(line.message);
    }
    return lines;
  }

  FakeHostApi host_;
  RootContext root_;
};

TEST_F(RootContextTest, VmStartDefinesTheThreeMetricsWithTheirExactNames) {
  EXPECT_TRUE(root_.OnVmStart());
  ASSERT_EQ(host_.metric_definitions.size(), 3u);
  EXPECT_EQ(host_.metric_definitions[0].name, "wasmcustom.hfi_faults_aborts_total");
  EXPECT_EQ(host_.metric_definitions[0].type, MetricType::kCounter);
  EXPECT_EQ(host_.metric_definitions[1].name, "wasmcustom.hfi_faults_delays_total");
  EXPECT_EQ(host_.metric_definitions[1].type, MetricType::kCounter);
  EXPECT_EQ(host_.metric_definitions[2].name, "wasmcustom.hfi_faults_delay_duration_milliseconds");
  EXPECT_EQ(host_.metric_definitions[2].type, MetricType::kHistogram);
  // The same names the CLI checks for.
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_EQ(host_.metric_definitions[i].name, metrics::kAll[i].defined);
  }
  // Defined, and nothing counted yet: all three exist at zero before the first request.
  EXPECT_EQ(host_.metric_calls, 3);
  EXPECT_TRUE(host_.counters.empty());
  EXPECT_TRUE(host_.histograms.empty());
}

TEST_F(RootContextTest, MetricsAreDefinedOnceOnly) {
  root_.OnVmStart();
  root_.OnVmStart();
  Configure(kTwoRules);
  Configure(kTwoRules);
  EXPECT_EQ(host_.metric_definitions.size(), 3u);
}

TEST_F(RootContextTest, RefusedMetricIsLoggedAndTrafficStillFlows) {
  host_.define_metric_result = WasmResult::kBadArgument;
  EXPECT_TRUE(root_.OnVmStart());
  EXPECT_THAT(ErrorLogs().at(0),
              HasSubstr("could not define metric wasmcustom.hfi_faults_aborts_total (status 2)"));
  ASSERT_TRUE(Configure(kTwoRules));
  EXPECT_EQ(AbortStatusFor("/a"), 501u);  // aborted, just not counted
  EXPECT_TRUE(host_.counters.empty());
}

TEST_F(RootContextTest, GoodConfigurationIsLoadedAndLogged) {
  root_.OnVmStart();
  EXPECT_TRUE(Configure(kTwoRules));
  EXPECT_EQ(root_.decider().policy().RuleCount(), 2u);
  EXPECT_TRUE(ErrorLogs().empty());
  EXPECT_EQ(host_.logs.back().level, LogLevel::kInfo);
  EXPECT_EQ(host_.logs.back().message,
            "policy loaded: 1 policy, 2 rules, 2 in force for this workload");
  EXPECT_EQ(AbortStatusFor("/b"), 502u);
}

TEST_F(RootContextTest, BadFirstConfigurationLeavesNoPolicyAndStillSucceeds) {
  root_.OnVmStart();
  EXPECT_TRUE(Configure(R"({"policies":[{"metadata":{"name":"p"},"spec":{"rules":[
      {"fault":{"percentage":150,"abort":{"httpStatus":503}}}]}}]})"));
  ASSERT_EQ(ErrorLogs().size(), 1u);
  EXPECT_EQ(ErrorLogs()[0],
            "invalid plugin configuration: policies[0].spec.rules[0].fault.percentage: must be "
            "between 0 and 100, got 150; no policy was loaded before, so none is in force and no "
            "faults are injected");
  EXPECT_EQ(AbortStatusFor("/a"), 0u);
}

TEST_F(RootContextTest, BadConfigurationKeepsTheLastGoodPolicy) {
  root_.OnVmStart();
  ASSERT_TRUE(Configure(kTwoRules));
  EXPECT_TRUE(Configure("{not json"));
  ASSERT_EQ(ErrorLogs().size(), 1u);
  EXPECT_THAT(ErrorLogs()[0], HasSubstr("invalid plugin configuration: configuration is not valid "
                                        "JSON: line 1, column 2: "));
  EXPECT_THAT(ErrorLogs()[0],
              HasSubstr("; the previous policy stays in force (1 policy, 2 rules)"));
  EXPECT_EQ(AbortStatusFor("/a"), 501u);
  EXPECT_EQ(AbortStatusFor("/b"), 502u);
}

TEST_F(RootContextTest, EmptyConfigurationIsValidAndRemovesThePolicy) {
  root_.OnVmStart();
  ASSERT_TRUE(Configure(kTwoRules));
  EXPECT_TRUE(root_.OnConfigure(0));
  EXPECT_TRUE(ErrorLogs().empty());
  EXPECT_EQ(root_.decider().policy().RuleCount(), 0u);
  EXPECT_EQ(AbortStatusFor("/a"), 0u);
}

TEST_F(RootContextTest, OversizedConfigurationIsRefusedUnread) {
  root_.OnVmStart();
  ASSERT_TRUE(Configure(kTwoRules));
  host_.configuration_result = WasmResult::kInternalFailure;  // would show if it were read
  EXPECT_TRUE(root_.OnConfigure(kMaxConfigurationBytes + 1));
  ASSERT_EQ(ErrorLogs().size(), 1u);
  EXPECT_EQ(ErrorLogs()[0],
            "the plugin configuration is 131073 bytes, more than the 131072 allowed; the "
            "previous policy stays in force (1 policy, 2 rules)");
}

TEST_F(RootContextTest, UnreadableConfigurationKeepsThePolicy) {
  root_.OnVmStart();
  ASSERT_TRUE(Configure(kTwoRules));
  host_.configuration_result = WasmResult::kNotFound;
  EXPECT_TRUE(root_.OnConfigure(10));
  ASSERT_EQ(ErrorLogs().size(), 1u);
  EXPECT_EQ(ErrorLogs()[0],
            "could not read the plugin configuration (status 1); the previous policy stays in "
            "force (1 policy, 2 rules)");
  EXPECT_EQ(AbortStatusFor("/a"), 501u);
}

TEST_F(RootContextTest, SelectorsFollowNodeMetadata) {
  host_.SetNodeMetadata("WORKLOAD_NAME", "frontend");
  host_.SetNodeMetadata("NAMESPACE", "demo");
  root_.OnVmStart();
  ASSERT_TRUE(Configure(R"({"policies":[
    {"metadata":{"name":"cart"},"spec":{"selector":{"service":"cart"},"rules":[
      {"fault":{"percentage":100,"abort":{"httpStatus":501}}}]}},
    {"metadata":{"name":"front"},"spec":{"selector":{"service":"frontend","namespace":"demo"},
      "rules":[{"fault":{"percentage":100,"abort":{"httpStatus":502}}}]}}]})"));
  EXPECT_EQ(host_.logs.back().message,
            "policy loaded: 2 policies, 2 rules, 1 in force for this workload");
  EXPECT_EQ(AbortStatusFor("/"), 502u);
}

TEST_F(RootContextTest, WithoutNodeMetadataOnlyWildcardPoliciesApply) {
  host_.SetNodeMetadata("WORKLOAD_NAME", "frontend");
  root_.OnVmStart();
  EXPECT_EQ(host_.logs.back().message,
            "node metadata has no NAMESPACE: only policies whose selector is a wildcard there "
            "apply");
  ASSERT_TRUE(Configure(R"({"policies":[
    {"metadata":{"name":"scoped"},"spec":{"selector":{"service":"frontend","namespace":"demo"},
      "rules":[{"fault":{"percentage":100,"abort":{"httpStatus":501}}}]}},
    {"metadata":{"name":"any"},"spec":{"selector":{"service":"*"},
      "rules":[{"fault":{"percentage":100,"abort":{"httpStatus":503}}}]}}]})"));
  EXPECT_EQ(AbortStatusFor("/"), 503u);
}

TEST_F(RootContextTest, IdentityIsAskedAgainAtConfigureWhenMissingAtStart) {
  root_.OnVmStart();
  host_.SetNodeMetadata("WORKLOAD_NAME", "frontend");
  host_.SetNodeMetadata("NAMESPACE", "demo");
  ASSERT_TRUE(Configure(R"({"policies":[
    {"metadata":{"name":"front"},"spec":{"selector":{"service":"frontend"},
      "rules":[{"fault":{"percentage":100,"abort":{"httpStatus":502}}}]}}]})"));
  EXPECT_EQ(AbortStatusFor("/"), 502u);
}

TEST_F(RootContextTest, TickWithNothingPendingChangesNothing) {
  root_.OnVmStart();
  root_.OnTick();
  EXPECT_TRUE(host_.tick_periods.empty());
  EXPECT_TRUE(host_.continued.empty());
  EXPECT_EQ(root_.pending_count(), 0u);
}

}  // namespace
}  // namespace hfi::plugin

// The "traffic" check (HFI307): counters against the faults the responses showed, with and
// without a baseline, and what the report carries.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "verify/test_scrape.h"
#include "verify/test_support.h"
#include "verify/verify.h"

namespace hfi::verify {
namespace {

using testing::Codes;
using testing::FindCheck;
using testing::HealthyScrape;
using testing::VerifyText;

CheckOptions WithTraffic(std::size_t aborted, std::size_t delayed, std::size_t passed = 0,
                         std::size_t failed = 0) {
  CheckOptions options;
  options.traffic =
      TrafficSummary{aborted + delayed + passed + failed, aborted, delayed, passed, failed};
  return options;
}

TEST(TrafficCheck, PassesWhenEveryCounterEqualsWhatTheResponsesShowed) {
  SourceReport report = VerifyText(HealthyScrape(10, 10, 10), WithTraffic(10, 10, 10));
  const Check& check = FindCheck(report, "traffic");
  EXPECT_EQ(check.status(), CheckStatus::kPass);
  EXPECT_EQ(check.expected, "aborts 10, delays 10, delay _count 10 (30 requests)");
  EXPECT_EQ(check.observed, "aborts 10, delays 10, delay _count 10");
  EXPECT_EQ(report.ExitStatus(), ExitCode::kOk);
  ASSERT_TRUE(report.traffic);
  EXPECT_EQ(report.traffic->sent, 30u);
  EXPECT_EQ(report.traffic->passed, 10u);
  EXPECT_EQ(report.checks.back().id, "traffic");  // after the engine's other checks
}

TEST(TrafficCheck, EachDisagreeingCounterIsAFindingNamingExpectedAndObserved) {
  // One abort not counted, and a histogram that lost a sample (the lag check warns as well).
  SourceReport report = VerifyText(HealthyScrape(9, 10, 8), WithTraffic(10, 10));
  const Check& check = FindCheck(report, "traffic");
  EXPECT_EQ(check.status(), CheckStatus::kFail);
  ASSERT_EQ(check.findings.size(), 2u);
  EXPECT_EQ(GetHint(check.findings[0].hint).code, "HFI307");
  EXPECT_EQ(check.findings[0].metric, "wasmcustom_hfi_faults_aborts_total");
  EXPECT_EQ(check.findings[0].expected, "10 (aborted responses seen)");
  EXPECT_EQ(check.findings[0].observed, "9");
  EXPECT_EQ(check.findings[1].metric, "wasmcustom_hfi_faults_delay_duration_milliseconds_count");
  EXPECT_EQ(check.findings[1].expected, "10 (delayed responses seen)");
  EXPECT_EQ(check.findings[1].observed, "8");
  EXPECT_EQ(Codes(report),
            (std::multiset<std::string>{"HFI210 warning", "HFI307 error", "HFI307 error"}));
  EXPECT_EQ(report.ExitStatus(), ExitCode::kChecksFailed);
}

TEST(TrafficCheck, MoreCountedThanSeenAlsoFails) {
  SourceReport report = VerifyText(HealthyScrape(3, 2, 2), WithTraffic(3, 1));
  const Check& check = FindCheck(report, "traffic");
  ASSERT_EQ(check.findings.size(), 2u);
  EXPECT_EQ(check.findings[0].metric, "wasmcustom_hfi_faults_delays_total");
  EXPECT_EQ(check.findings[0].observed, "2");
  EXPECT_EQ(check.findings[0].expected, "1 (delayed responses seen)");
}

TEST(TrafficCheck, NoFaultsAndZeroCountersAgreeButProveNothing) {
  SourceReport report = VerifyText(HealthyScrape(0, 0, 0), WithTraffic(0, 0, 30));
  const Check& check = FindCheck(report, "traffic");
  EXPECT_EQ(check.status(), CheckStatus::kWarn);
  ASSERT_EQ(check.findings.size(), 1u);
  EXPECT_EQ(GetHint(check.findings[0].hint).code, "HFI308");
  EXPECT_EQ(check.findings[0].observed, "none of 30 responses carried x-fault-injected");
  EXPECT_EQ(report.ExitStatus(), ExitCode::kOk);  // a warning: the run is consistent
}

TEST(TrafficCheck, NoFaultsSeenButCountersMovedIsTheError) {
  SourceReport report = VerifyText(HealthyScrape(2, 0, 0), WithTraffic(0, 0, 30));
  EXPECT_EQ(Codes(report), (std::multiset<std::string>{"HFI307 error"}));
}

TEST(TrafficCheck, AbsentCounterFailsRatherThanPassUnmeasured) {
  // The plugin defines the old plain names: the expected ones are absent.
  std::string scrape =
      "# TYPE envoy_server_live gauge\nenvoy_server_live{} 1\n"
      "# TYPE hfi_faults_aborts_total counter\nhfi_faults_aborts_total{} 4\n";
  SourceReport report = VerifyText(scrape, WithTraffic(4, 0));
  const Check& check = FindCheck(report, "traffic");
  ASSERT_EQ(check.findings.size(), 3u);
  EXPECT_EQ(check.findings[0].observed, "absent from the scrape");
  EXPECT_EQ(check.findings[0].expected, "4 (aborted responses seen)");
  EXPECT_EQ(check.observed,
            "aborts absent from the scrape, delays absent from the scrape, delay _count absent "
            "from the scrape");
}

TEST(TrafficCheck, WithABaselineTheIncreaseCounts) {
  std::string before = HealthyScrape(5, 7, 7);
  SourceReport report = VerifyText(HealthyScrape(15, 17, 17), WithTraffic(10, 10), &before);
  const Check& check = FindCheck(report, "traffic");
  EXPECT_EQ(check.status(), CheckStatus::kPass);
  EXPECT_EQ(check.expected, "aborts +10, delays +10, delay _count +10 (20 requests)");
  EXPECT_EQ(check.observed, "aborts 10 (5 -> 15), delays 10 (7 -> 17), delay _count 10 (7 -> 17)");

  report = VerifyText(HealthyScrape(14, 17, 17), WithTraffic(10, 10), &before);
  const Check& short_one = FindCheck(report, "traffic");
  ASSERT_EQ(short_one.findings.size(), 1u);
  EXPECT_EQ(short_one.findings[0].expected, "10 (aborted responses seen, since the baseline)");
  EXPECT_EQ(short_one.findings[0].observed, "9 (5 -> 14)");
}

TEST(TrafficCheck, UnusableBaselineSkipsIt) {
  std::string before = "not prometheus {{{\n";
  SourceReport report = VerifyText(HealthyScrape(1, 1, 1), WithTraffic(1, 1), &before);
  const Check& check = FindCheck(report, "traffic");
  EXPECT_EQ(check.status(), CheckStatus::kSkip);
  EXPECT_EQ(check.skip_reason, "baseline unusable");
}

TEST(TrafficCheck, UnusableExpositionSkipsItButKeepsTheTraffic) {
  SourceReport report = VerifyText("", WithTraffic(2, 2));
  EXPECT_EQ(FindCheck(report, "traffic").status(), CheckStatus::kSkip);
  ASSERT_TRUE(report.traffic);
  EXPECT_EQ(report.traffic->aborted, 2u);
}

TEST(TrafficCheck, NotRunWithoutTraffic) {
  SourceReport report = VerifyText(HealthyScrape(1, 1, 1));
  EXPECT_FALSE(report.traffic);
  EXPECT_THROW(FindCheck(report, "traffic"), std::runtime_error);
}

TEST(TrafficCheck, HintsForTheLocalRunAreNotOfflineHints) {
  EXPECT_EQ(GetHint(HintId::kTrafficMismatch).code, "HFI307");
  EXPECT_EQ(GetHint(HintId::kTrafficMismatch).detection, Detection::kTraffic);
  EXPECT_EQ(GetHint(HintId::kTrafficMismatch).exit_code, ExitCode::kChecksFailed);
  EXPECT_EQ(GetHint(HintId::kNoFaultsSeen).code, "HFI308");
  EXPECT_EQ(GetHint(HintId::kNoFaultsSeen).severity, Severity::kWarning);
  EXPECT_EQ(GetHint(HintId::kPluginFailed).code, "HFI510");
  EXPECT_EQ(GetHint(HintId::kPluginFailed).detection, Detection::kLocal);
  EXPECT_EQ(DetectionName(Detection::kTraffic), "traffic");
  EXPECT_EQ(DetectionName(Detection::kLocal), "local sidecar");
  EXPECT_EQ(SourceKindName(SourceKind::kLocal), "local");
}

}  // namespace
}  // namespace hfi::verify

#include "verify/report.h"

#include <gtest/gtest.h>

namespace hfi::verify {
namespace {

Check CheckWith(std::initializer_list<HintId> hints) {
  Check check{"presence", "m"};
  for (HintId hint : hints)
    check.findings.emplace_back(hint);
  return check;
}

SourceReport SourceWith(std::initializer_list<HintId> hints) {
  SourceReport source;
  source.name = "s";
  source.checks.push_back(CheckWith(hints));
  return source;
}

TEST(Check, StatusFollowsTheWorstFinding) {
  EXPECT_EQ(CheckWith({}).status(), CheckStatus::kPass);
  EXPECT_EQ(CheckWith({HintId::kMergedOpenMetrics}).status(), CheckStatus::kPass);
  EXPECT_EQ(CheckWith({HintId::kHistogramLags}).status(), CheckStatus::kWarn);
  EXPECT_EQ(CheckWith({HintId::kHistogramLags, HintId::kMetricMissing}).status(),
            CheckStatus::kFail);
  Check lowered = CheckWith({HintId::kPlainName});
  lowered.findings[0].severity = Severity::kWarning;
  EXPECT_EQ(lowered.status(), CheckStatus::kWarn);
  Check skipped = CheckWith({});
  skipped.skip_reason = "metric absent";
  EXPECT_EQ(skipped.status(), CheckStatus::kSkip);
}

TEST(Report, ExitStatusComesFromErrorFindings) {
  Report report;
  EXPECT_EQ(report.ExitStatus(), ExitCode::kOk);
  report.sources.push_back(SourceWith({HintId::kHistogramLags, HintId::kMergedOpenMetrics}));
  EXPECT_EQ(report.ExitStatus(), ExitCode::kOk);  // warnings allowed
  report.sources.push_back(SourceWith({HintId::kMetricMissing}));
  EXPECT_EQ(report.ExitStatus(), ExitCode::kChecksFailed);
  report.sources.push_back(SourceWith({HintId::kEndpointUnreachable}));
  EXPECT_EQ(report.ExitStatus(), ExitCode::kEnvironment);  // 2 outranks 1
  report.sources.push_back(SourceWith({HintId::kUnparseable}));
  EXPECT_EQ(report.ExitStatus(), ExitCode::kInvalidInput);  // 3 outranks 2
  EXPECT_EQ(report.sources[1].ExitStatus(), ExitCode::kChecksFailed);
}

TEST(Report, ALoweredFindingDoesNotFail) {
  SourceReport source = SourceWith({HintId::kPlainName});
  source.checks[0].findings[0].severity = Severity::kWarning;
  EXPECT_EQ(source.ExitStatus(), ExitCode::kOk);
}

TEST(Report, SummaryCountsChecksByStatus) {
  Report report;
  report.sources.push_back(SourceWith({}));
  report.sources[0].checks.push_back(CheckWith({HintId::kHistogramLags}));
  report.sources[0].checks.push_back(CheckWith({HintId::kWrongType}));
  report.sources.push_back(SourceWith({}));
  report.sources[1].checks[0].skip_reason = "x";
  Summary s = report.Summarize();
  EXPECT_EQ(s.sources, 2u);
  EXPECT_EQ(s.checks, 4u);
  EXPECT_EQ(s.passed, 1u);
  EXPECT_EQ(s.warnings, 1u);
  EXPECT_EQ(s.failed, 1u);
  EXPECT_EQ(s.skipped, 1u);
}

TEST(Report, Names) {
  EXPECT_EQ(CheckStatusName(CheckStatus::kWarn), "warn");
  EXPECT_EQ(SourceKindName(SourceKind::kStdin), "stdin");
  EXPECT_EQ(SourceKindName(SourceKind::kPod), "pod");
  EXPECT_EQ(SourceKindName(SourceKind::kTraffic), "traffic");
  EXPECT_EQ(SourceKindName(SourceKind::kPrometheus), "prometheus");
  EXPECT_LT(ExitSeverityRank(ExitCode::kChecksFailed), ExitSeverityRank(ExitCode::kEnvironment));
  EXPECT_LT(ExitSeverityRank(ExitCode::kEnvironment), ExitSeverityRank(ExitCode::kInvalidInput));
}

TEST(ListNames, FiveThenTheCount) {
  EXPECT_EQ(ListNames({}), "");
  EXPECT_EQ(ListNames({"b", "a"}), "a, b");
  EXPECT_EQ(ListNames({"a", "b", "c", "d", "e"}), "a, b, c, d, e");
  EXPECT_EQ(ListNames({"a", "b", "c", "d", "e", "f", "g"}), "a, b, c, d, e, ... (7 in all)");
}

}  // namespace
}  // namespace hfi::verify

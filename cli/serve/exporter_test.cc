#include "serve/exporter.h"

#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include <string>

#include "serve/test_reports.h"

namespace hfi::serve {
namespace {

using testing::AllSeries;
using testing::Passing;
using testing::SeriesOf;
using testing::Source;
using testing::Value;
using testing::WithFinding;
using verify::HintId;

const char* const kAborts = "wasmcustom_hfi_faults_aborts_total";
const char* const kDelays = "wasmcustom_hfi_faults_delays_total";

verify::Report TwoPods() {
  verify::Report report;
  report.sources.push_back(Source(
      "demo/a",
      {Passing("presence", kAborts), WithFinding("histogram", kDelays, HintId::kHistogramLags)}));
  verify::Check skipped = verify::Check::Skipped("traffic", "", "no traffic sent");
  report.sources.push_back(Source(
      "demo/b", {WithFinding("presence", kAborts, HintId::kMetricMissing), std::move(skipped)}));
  return report;
}

TEST(ExporterTest, ExportsEachCheckSourceAndFinding) {
  Exporter exporter(60);
  EXPECT_EQ(exporter.RecordReport(TwoPods(), {1000.5, 2.25}), RunResult::kFailed);
  const auto families = exporter.Collect();

  auto check = [&](const std::string& source, const std::string& id, const std::string& metric) {
    return Value(families, "hfi_metrics_check_status",
                 {{"source", source}, {"kind", "pod"}, {"check", id}, {"metric", metric}});
  };
  EXPECT_EQ(check("demo/a", "presence", kAborts), 1);
  EXPECT_EQ(check("demo/a", "histogram", kDelays), 1) << "a warning still passes";
  EXPECT_EQ(check("demo/b", "presence", kAborts), 0);
  EXPECT_EQ(check("demo/b", "traffic", ""), -1);
  EXPECT_EQ(SeriesOf(families, "hfi_metrics_check_status"), 4u);

  EXPECT_EQ(Value(families, "hfi_metrics_source_status", {{"source", "demo/a"}, {"kind", "pod"}}),
            0);
  EXPECT_EQ(Value(families, "hfi_metrics_source_status", {{"source", "demo/b"}, {"kind", "pod"}}),
            1);
  EXPECT_EQ(Value(families, "hfi_metrics_findings", {{"code", "HFI101"}, {"severity", "error"}}),
            1);
  EXPECT_EQ(Value(families, "hfi_metrics_findings", {{"code", "HFI210"}, {"severity", "warning"}}),
            1);
  EXPECT_EQ(Value(families, "hfi_metrics_checks", {{"status", "pass"}}), 1);
  EXPECT_EQ(Value(families, "hfi_metrics_checks", {{"status", "warn"}}), 1);
  EXPECT_EQ(Value(families, "hfi_metrics_checks", {{"status", "fail"}}), 1);
  EXPECT_EQ(Value(families, "hfi_metrics_checks", {{"status", "skip"}}), 1);
  EXPECT_EQ(Value(families, "hfi_metrics_sources"), 2);
  EXPECT_EQ(Value(families, "hfi_metrics_runs_total", {{"result", "failed"}}), 1);
  EXPECT_EQ(Value(families, "hfi_metrics_runs_total", {{"result", "passed"}}), 0);
  EXPECT_EQ(Value(families, "hfi_metrics_runs_total", {{"result", "error"}}), 0);
  EXPECT_EQ(Value(families, "hfi_metrics_last_run_success"), 0);
  EXPECT_EQ(Value(families, "hfi_metrics_last_run_timestamp_seconds"), 1000.5);
  EXPECT_EQ(Value(families, "hfi_metrics_last_report_timestamp_seconds"), 1000.5);
  EXPECT_EQ(Value(families, "hfi_metrics_last_run_duration_seconds"), 2.25);
  EXPECT_EQ(Value(families, "hfi_metrics_run_interval_seconds"), 60);
}

TEST(ExporterTest, PassingReportSetsSuccess) {
  Exporter exporter(60);
  verify::Report report;
  report.sources.push_back(
      Source("local sidecar", {Passing("presence", kAborts)}, verify::SourceKind::kLocal));
  EXPECT_EQ(exporter.RecordReport(report, {10, 1}), RunResult::kPassed);
  const auto families = exporter.Collect();
  EXPECT_EQ(Value(families, "hfi_metrics_last_run_success"), 1);
  EXPECT_EQ(Value(families, "hfi_metrics_runs_total", {{"result", "passed"}}), 1);
  EXPECT_EQ(Value(families, "hfi_metrics_source_status",
                  {{"source", "local sidecar"}, {"kind", "local"}}),
            0);
}

TEST(ExporterTest, RemovesSourcesAndChecksNoLongerReported) {
  Exporter exporter(60);
  exporter.RecordReport(TwoPods(), {1, 1});
  verify::Report only_a;
  only_a.sources.push_back(Source("demo/a", {Passing("presence", kAborts)}));
  exporter.RecordReport(only_a, {2, 1});
  const auto families = exporter.Collect();

  EXPECT_EQ(SeriesOf(families, "hfi_metrics_check_status"), 1u);
  EXPECT_FALSE(
      Value(families, "hfi_metrics_check_status",
            {{"source", "demo/a"}, {"kind", "pod"}, {"check", "histogram"}, {"metric", kDelays}}));
  EXPECT_EQ(SeriesOf(families, "hfi_metrics_source_status"), 1u);
  EXPECT_FALSE(
      Value(families, "hfi_metrics_source_status", {{"source", "demo/b"}, {"kind", "pod"}}));
  // Codes seen before stay, at 0: a query for them keeps an answer.
  EXPECT_EQ(Value(families, "hfi_metrics_findings", {{"code", "HFI101"}, {"severity", "error"}}),
            0);
  EXPECT_EQ(Value(families, "hfi_metrics_sources"), 1);
  EXPECT_EQ(Value(families, "hfi_metrics_runs_total", {{"result", "failed"}}), 1);
  EXPECT_EQ(Value(families, "hfi_metrics_runs_total", {{"result", "passed"}}), 1);
}

TEST(ExporterTest, SameCheckTwiceShowsTheWorse) {
  Exporter exporter(60);
  verify::Report report;
  report.sources.push_back(Source(
      "f.prom",
      {Passing("expect", kAborts), WithFinding("expect", kAborts, HintId::kExpectationFailed),
       Passing("expect", kAborts)},
      verify::SourceKind::kFile));
  exporter.RecordReport(report, {1, 1});
  const auto families = exporter.Collect();
  EXPECT_EQ(SeriesOf(families, "hfi_metrics_check_status"), 1u);
  EXPECT_EQ(
      Value(families, "hfi_metrics_check_status",
            {{"source", "f.prom"}, {"kind", "file"}, {"check", "expect"}, {"metric", kAborts}}),
      0);
}

TEST(ExporterTest, ErrorRunKeepsTheLastReport) {
  Exporter exporter(30);
  exporter.RecordReport(TwoPods(), {100, 3});
  exporter.RecordError({200, 0.5});
  const auto families = exporter.Collect();
  EXPECT_EQ(Value(families, "hfi_metrics_runs_total", {{"result", "error"}}), 1);
  EXPECT_EQ(Value(families, "hfi_metrics_last_run_success"), 0);
  EXPECT_EQ(Value(families, "hfi_metrics_last_run_timestamp_seconds"), 200);
  EXPECT_EQ(Value(families, "hfi_metrics_last_run_duration_seconds"), 0.5);
  EXPECT_EQ(Value(families, "hfi_metrics_last_report_timestamp_seconds"), 100);
  EXPECT_EQ(SeriesOf(families, "hfi_metrics_check_status"), 4u);
}

TEST(ExporterTest, TextExpositionNamesTypes) {
  Exporter exporter(60);
  exporter.RecordReport(TwoPods(), {1, 1});
  const std::string text = prometheus::TextSerializer().Serialize(exporter.Collect());
  EXPECT_NE(text.find("# TYPE hfi_metrics_runs_total counter"), std::string::npos);
  EXPECT_NE(text.find("# TYPE hfi_metrics_check_status gauge"), std::string::npos);
  EXPECT_NE(text.find("hfi_metrics_runs_total{result=\"failed\"} 1"), std::string::npos);
}

// Days of pods replaced by new ones: the series follow the last report instead of growing with
// every name ever seen. Counted in series, not bytes or time.
TEST(ExporterTest, SeriesStayBoundedOverManyRunsWithChangingSources) {
  Exporter exporter(60);
  std::size_t most = 0;
  for (int run = 0; run < 10'000; ++run) {
    verify::Report report;
    for (int pod = 0; pod < 5; ++pod) {
      const std::string name = "demo/frontend-" + std::to_string(run * 5 + pod);
      report.sources.push_back(
          Source(name, {Passing("presence", kAborts),
                        run % 3 == 0 ? WithFinding("presence", kDelays, HintId::kMetricMissing)
                                     : Passing("presence", kDelays),
                        WithFinding("histogram", kDelays, HintId::kHistogramLags)}));
    }
    if (run % 7 == 0)
      exporter.RecordError({static_cast<double>(run), 1});
    else
      exporter.RecordReport(report, {static_cast<double>(run), 1});
    if (run % 100 == 0 || run == 9'999)
      most = std::max(most, AllSeries(exporter.Collect()));
  }
  const auto families = exporter.Collect();
  EXPECT_EQ(SeriesOf(families, "hfi_metrics_check_status"), 15u);
  EXPECT_EQ(SeriesOf(families, "hfi_metrics_source_status"), 5u);
  EXPECT_EQ(SeriesOf(families, "hfi_metrics_findings"), 2u);
  // 15 checks + 5 sources + 4 by status + 2 codes + 6 single gauges + 3 run results.
  EXPECT_EQ(AllSeries(families), 35u);
  EXPECT_LE(most, 35u);
}

}  // namespace
}  // namespace hfi::serve

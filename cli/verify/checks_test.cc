// The checks on small hand-written expositions: the edge cases of naming, histogram semantics and
// label sets that the data files do not isolate.
#include "verify/checks.h"

#include <gtest/gtest.h>

#include <string>

#include "verify/test_support.h"

namespace hfi::verify {
namespace {

using testing::Codes;
using testing::Expect;
using testing::FindCheck;
using testing::VerifyText;

constexpr const char* kServer = "# TYPE envoy_server_live gauge\nenvoy_server_live{} 1\n";
constexpr const char* kCounters =
    "# TYPE wasmcustom_hfi_faults_aborts_total counter\n"
    "wasmcustom_hfi_faults_aborts_total{} 3\n"
    "# TYPE wasmcustom_hfi_faults_delays_total counter\n"
    "wasmcustom_hfi_faults_delays_total 2\n";

// A histogram of `name` with the given `le` spellings and cumulative counts, then +Inf/_sum/_count.
std::string Histogram(const std::vector<std::pair<std::string, int>>& buckets, int total,
                      const std::string& labels = "") {
  const std::string name = "wasmcustom_hfi_faults_delay_duration_milliseconds";
  std::string pre = labels.empty() ? "" : labels + ",";
  std::string text;
  for (const auto& [le, count] : buckets) {
    text += name + "_bucket{" + pre + "le=\"" + le + "\"} " + std::to_string(count) + "\n";
  }
  text += name + "_bucket{" + pre + "le=\"+Inf\"} " + std::to_string(total) + "\n";
  text += name + "_sum{" + labels + "} 150\n";
  text += name + "_count{" + labels + "} " + std::to_string(total) + "\n";
  return text;
}

std::vector<std::pair<std::string, int>> DefaultBuckets(int count_from_50) {
  std::vector<std::pair<std::string, int>> buckets;
  for (double bound : kEnvoyDefaultBounds) {
    buckets.emplace_back(FormatValue(bound), bound >= 50 ? count_from_50 : 0);
  }
  return buckets;
}

std::string Scrape(const std::string& histogram_lines) {
  return std::string(kServer) + kCounters +
         "# TYPE wasmcustom_hfi_faults_delay_duration_milliseconds histogram\n" + histogram_lines;
}

TEST(Checks, BracesOrNoneAreTheSameSeries) {
  // kCounters writes one counter as `name{} 3` and the other as `name 2`.
  SourceReport report = VerifyText(Scrape(Histogram(DefaultBuckets(2), 2)));
  EXPECT_EQ(Codes(report), std::multiset<std::string>{});
  EXPECT_EQ(report.ExitStatus(), ExitCode::kOk);
}

TEST(Checks, BoundsCompareAsNumbers) {
  // Envoy writes %.32g; other writers may spell the same bounds differently.
  std::vector<std::pair<std::string, int>> buckets = DefaultBuckets(2);
  buckets[0].first = "5e-1";
  buckets[1].first = "1.0";
  buckets[3].first = "1e1";
  buckets[18].first = "3.6e6";
  SourceReport report = VerifyText(Scrape(Histogram(buckets, 2)));
  EXPECT_EQ(Codes(report), std::multiset<std::string>{});
}

TEST(Checks, ARepeatedBoundInAnotherSpellingIsOutOfOrder) {
  std::vector<std::pair<std::string, int>> buckets = DefaultBuckets(2);
  buckets.insert(buckets.begin() + 2, {"1.0", 0});  // after le="1"
  SourceReport report = VerifyText(Scrape(Histogram(buckets, 2)));
  EXPECT_EQ(Codes(report), (std::multiset<std::string>{"HFI203 error"}));
  EXPECT_EQ(FindCheck(report, "histogram-bounds").findings.at(0).observed,
            "le=\"1.0\" (line 10) follows le=\"1\" (line 9)");
}

TEST(Checks, OneSampleOnABoundIsNotAFailure) {
  // Envoy counts a value equal to a bound in that bucket (facts §2); older versions did not. Either
  // way the histogram is consistent, so neither may fail.
  SourceReport report = VerifyText(Scrape(Histogram(DefaultBuckets(1), 1)));
  EXPECT_EQ(report.ExitStatus(), ExitCode::kOk);
}

TEST(Checks, BucketsWithoutLe) {
  std::string text = Scrape("wasmcustom_hfi_faults_delay_duration_milliseconds_bucket{} 1\n" +
                            Histogram(DefaultBuckets(1), 1));
  SourceReport report = VerifyText(text);
  std::multiset<std::string> codes = Codes(report);
  EXPECT_EQ(codes.count("HFI209 error"), 1u);
  EXPECT_EQ(FindCheck(report, "histogram-bounds").findings.at(0).observed, "_bucket without le");
}

TEST(Checks, LabelSetsAreCheckedSeparatelyAndValuesAdded) {
  // With extraStatTags, one metric has several label sets.
  std::string text = std::string(kServer) +
                     "# TYPE wasmcustom_hfi_faults_aborts_total counter\n"
                     "wasmcustom_hfi_faults_aborts_total{policy=\"a\"} 1\n"
                     "wasmcustom_hfi_faults_aborts_total{policy=\"b\"} 2\n"
                     "# TYPE wasmcustom_hfi_faults_delays_total counter\n"
                     "wasmcustom_hfi_faults_delays_total{policy=\"a\"} 2\n"
                     "wasmcustom_hfi_faults_delays_total{policy=\"b\"} 1\n"
                     "# TYPE wasmcustom_hfi_faults_delay_duration_milliseconds histogram\n" +
                     Histogram(DefaultBuckets(2), 2, "policy=\"a\"") +
                     Histogram(DefaultBuckets(1), 0, "policy=\"b\"");
  CheckOptions options;
  options.expect = {Expect("aborts==3"), Expect("delay_count==2")};
  SourceReport report = VerifyText(text, options);
  // Only policy b is broken (+Inf 0 after le="50" 1), and the lag shows in the totals (2 < 3).
  EXPECT_EQ(Codes(report), (std::multiset<std::string>{"HFI204 error", "HFI210 warning"}));
  EXPECT_EQ(FindCheck(report, "histogram-cumulative").findings.at(0).observed,
            "{policy=\"b\"} le=\"+Inf\" has 0, le=\"3600000\" has 1");
}

TEST(Checks, AnotherSpellingBesideTheExpectedOneIsAWarning) {
  std::string text = Scrape(Histogram(DefaultBuckets(2), 2)) +
                     "# TYPE hfi_faults_aborts_total counter\nhfi_faults_aborts_total{} 1\n";
  SourceReport report = VerifyText(text);
  EXPECT_EQ(Codes(report), (std::multiset<std::string>{"HFI102 warning"}));
  EXPECT_EQ(report.ExitStatus(), ExitCode::kOk);
  EXPECT_EQ(FindCheck(report, "presence").status(), CheckStatus::kWarn);
}

TEST(Checks, MissingMetricMentionsUnrecognisedNames) {
  std::string text = std::string(kServer) +
                     "# TYPE wasmcustom_hfi_faults_abort_total counter\n"
                     "wasmcustom_hfi_faults_abort_total{} 1\n";
  SourceReport report = VerifyText(text);
  const Check& presence = FindCheck(report, "presence", "wasmcustom_hfi_faults_aborts_total");
  EXPECT_EQ(presence.findings.at(0).observed,
            "absent; other hfi_faults names: wasmcustom_hfi_faults_abort_total");
}

TEST(Checks, UntypedHistogramSamplesStillFormAHistogram) {
  std::string text = std::string(kServer) + kCounters + Histogram(DefaultBuckets(2), 2);
  SourceReport report = VerifyText(text);
  EXPECT_EQ(Codes(report), (std::multiset<std::string>{"HFI202 warning"}));
  EXPECT_EQ(FindCheck(report, "histogram-inf").observed, "+Inf 2, _count 2");
}

TEST(Checks, HistogramTypedAsSummary) {
  std::string text = std::string(kServer) + kCounters +
                     "# TYPE wasmcustom_hfi_faults_delay_duration_milliseconds summary\n" +
                     Histogram(DefaultBuckets(2), 2);
  SourceReport report = VerifyText(text);
  EXPECT_EQ(Codes(report).count("HFI201 error"), 1u);
  EXPECT_EQ(FindCheck(report, "type", "wasmcustom_hfi_faults_delay_duration_milliseconds").observed,
            "summary");
}

TEST(Checks, InfiniteCounterIsBad) {
  std::string text = std::string(kServer) +
                     "# TYPE wasmcustom_hfi_faults_aborts_total counter\n"
                     "wasmcustom_hfi_faults_aborts_total{} +Inf\n";
  SourceReport report = VerifyText(text);
  EXPECT_EQ(Codes(report).count("HFI301 error"), 1u);
}

TEST(Checks, CommentsOnlyIsEmpty) {
  SourceReport report = VerifyText("# just a comment\n\n");
  EXPECT_EQ(Codes(report), (std::multiset<std::string>{"HFI402 error"}));
}

TEST(Checks, SeveralParseErrorsAreCounted) {
  SourceReport report = VerifyText(std::string(kServer) + "a{\nb{\nc 1 2 3\n");
  ASSERT_EQ(FindCheck(report, "exposition").findings.size(), 1u);
  const std::string& observed = FindCheck(report, "exposition").findings[0].observed;
  EXPECT_EQ(observed.rfind("t.prom:3:", 0), 0u) << observed;
  EXPECT_NE(observed.find("(and 2 more errors)"), std::string::npos) << observed;
  EXPECT_EQ(report.ExitStatus(), ExitCode::kInvalidInput);
}

TEST(Checks, CheckScrapeWorksOnAHandBuiltParse) {
  // The engine needs nothing but the model: a parse built by hand is checked the same way.
  prom::ParseResult result;
  result.lines = 2;
  result.samples = 1;
  prom::Family& family = result.families.emplace_back();
  family.name = "wasmcustom_hfi_faults_aborts_total";
  family.type = prometheus::MetricType::Gauge;
  family.has_type_line = true;
  family.type_line = 1;
  prom::Sample& sample = family.mutable_samples().emplace_back();
  sample.name = family.name;
  sample.value = 1;
  sample.line = 2;
  ParsedScrape scrape{"hand", &result, true};
  SourceReport report = CheckScrape(scrape, nullptr, {});
  EXPECT_EQ(Codes(report),
            (std::multiset<std::string>{"HFI101 error", "HFI101 error", "HFI201 error"}));
  EXPECT_EQ(FindCheck(report, "type").findings.at(0).observed,
            "# TYPE wasmcustom_hfi_faults_aborts_total gauge");
  EXPECT_EQ(FindCheck(report, "type").findings.at(0).line, 1u);
}

}  // namespace
}  // namespace hfi::verify

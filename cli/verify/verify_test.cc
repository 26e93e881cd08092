// The engine on the data files of tests/data/verify: one case per hint code the offline engine can
// emit, each asserting the exact findings and the exit status.
#include "verify/verify.h"

#include <gtest/gtest.h>

#include <cctype>
#include <vector>

#include "verify/test_support.h"

namespace hfi::verify {
namespace {

using testing::Codes;
using testing::DataFile;
using testing::Expect;
using testing::FindCheck;
using testing::VerifyText;

struct FileCase {
  const char* file;
  ExitCode exit;
  std::multiset<std::string> codes;
};

void PrintTo(const FileCase& c, std::ostream* os) {
  *os << c.file;
}

const std::vector<FileCase>& FileCases() {
  static const std::vector<FileCase> cases = {
      {"healthy.prom", ExitCode::kOk, {}},
      {"healthy-later.prom", ExitCode::kOk, {}},
      {"healthy-zero.prom", ExitCode::kOk, {}},
      {"hfi101-missing-delays.prom", ExitCode::kChecksFailed, {"HFI101 error"}},
      {"hfi102-plain-names.prom",
       ExitCode::kChecksFailed,
       {"HFI102 error", "HFI102 error", "HFI102 error"}},
      {"hfi103-istio-1.11.prom",
       ExitCode::kChecksFailed,
       {"HFI103 error", "HFI103 error", "HFI103 error"}},
      {"hfi104-legacy-envoy.prom",
       ExitCode::kChecksFailed,
       {"HFI104 error", "HFI104 error", "HFI104 error"}},
      {"hfi105-cluster-scoped.prom",
       ExitCode::kChecksFailed,
       {"HFI105 error", "HFI105 error", "HFI105 error"}},
      {"hfi106-embedded-tags.prom",
       ExitCode::kChecksFailed,
       {"HFI106 error", "HFI106 error", "HFI106 error"}},
      {"hfi107-unrecognised.prom", ExitCode::kOk, {"HFI107 warning"}},
      {"hfi108-no-hfi.prom", ExitCode::kChecksFailed, {"HFI108 error"}},
      {"hfi201-counter-as-gauge.prom", ExitCode::kChecksFailed, {"HFI201 error"}},
      {"hfi202-untyped.prom",
       ExitCode::kOk,
       {"HFI202 warning", "HFI202 warning", "HFI202 warning"}},
      {"hfi203-bounds-out-of-order.prom", ExitCode::kChecksFailed, {"HFI203 error"}},
      {"hfi204-not-cumulative.prom", ExitCode::kChecksFailed, {"HFI204 error"}},
      {"hfi205-no-inf.prom", ExitCode::kChecksFailed, {"HFI205 error"}},
      {"hfi206-inf-ne-count.prom", ExitCode::kChecksFailed, {"HFI206 error"}},
      {"hfi207-no-sum.prom", ExitCode::kChecksFailed, {"HFI207 error"}},
      {"hfi208-custom-buckets.prom", ExitCode::kOk, {"HFI208 warning"}},
      {"hfi209-bad-le.prom", ExitCode::kChecksFailed, {"HFI209 error", "HFI405 warning"}},
      {"hfi210-histogram-lag.prom", ExitCode::kOk, {"HFI210 warning"}},
      {"hfi211-histogram-ahead.prom", ExitCode::kChecksFailed, {"HFI211 error"}},
      {"hfi301-negative-counter.prom", ExitCode::kChecksFailed, {"HFI301 error"}},
      {"hfi306-nan-sum.prom", ExitCode::kChecksFailed, {"HFI306 error"}},
      {"hfi401-malformed.prom", ExitCode::kInvalidInput, {"HFI401 error"}},
      {"hfi402-empty.prom", ExitCode::kChecksFailed, {"HFI402 error"}},
      {"hfi403-merged-15020.prom", ExitCode::kOk, {"HFI403 info"}},
      {"hfi404-duplicate-series.prom", ExitCode::kChecksFailed, {"HFI404 error"}},
      {"hfi405-parse-warning.prom", ExitCode::kOk, {"HFI405 warning"}},
      {"hfi406-app-metrics.prom", ExitCode::kChecksFailed, {"HFI406 error"}},
  };
  return cases;
}

class DataFileTest : public ::testing::TestWithParam<FileCase> {};

TEST_P(DataFileTest, FindingsAndExitStatus) {
  const FileCase& c = GetParam();
  SourceReport report = VerifyText(DataFile(c.file), {}, nullptr, c.file);
  EXPECT_EQ(Codes(report), c.codes);
  EXPECT_EQ(report.ExitStatus(), c.exit);
  // Every finding names what was expected and what was observed.
  for (const Check& check : report.checks) {
    for (const Finding& finding : check.findings) {
      EXPECT_FALSE(finding.expected.empty()) << GetHint(finding.hint).code;
      EXPECT_FALSE(finding.observed.empty()) << GetHint(finding.hint).code;
    }
  }
}

INSTANTIATE_TEST_SUITE_P(Files, DataFileTest, ::testing::ValuesIn(FileCases()),
                         [](const ::testing::TestParamInfo<FileCase>& info) {
                           std::string name;
                           for (const char* p = info.param.file; *p != '.' || p[1] != 'p'; ++p) {
                             name += std::isalnum(static_cast<unsigned char>(*p)) ? *p : '_';
                           }
                           return name;
                         });

// The same checks run for every scrape, whatever is wrong with it.
TEST(DataFiles, EveryScrapeGetsTheSameChecks) {
  std::size_t healthy = VerifyText(DataFile("healthy.prom")).checks.size();
  for (const FileCase& c : FileCases()) {
    EXPECT_EQ(VerifyText(DataFile(c.file)).checks.size(), healthy) << c.file;
  }
}

TEST(DataFiles, HealthyValues) {
  SourceReport report = VerifyText(DataFile("healthy.prom"));
  EXPECT_EQ(FindCheck(report, "counter-value", "wasmcustom_hfi_faults_aborts_total").observed, "3");
  EXPECT_EQ(FindCheck(report, "counter-value", "wasmcustom_hfi_faults_delays_total").observed, "7");
  EXPECT_EQ(FindCheck(report, "histogram-bounds").observed, "Envoy's 19 default bounds");
  EXPECT_EQ(FindCheck(report, "histogram-inf").observed, "+Inf 7, _count 7");
  EXPECT_EQ(FindCheck(report, "histogram-lag").status(), CheckStatus::kPass);
}

TEST(DataFiles, ParseErrorNamesFileLineAndColumn) {
  SourceReport report = VerifyText(DataFile("hfi401-malformed.prom"), {}, nullptr, "scrape.prom");
  const Finding& finding = FindCheck(report, "exposition").findings.at(0);
  EXPECT_EQ(finding.observed, "scrape.prom:17:37: expected a value after the metric");
  EXPECT_EQ(finding.line, 17u);
  EXPECT_EQ(FindCheck(report, "presence").skip_reason, "exposition unusable");
}

TEST(DataFiles, VariantNamesAreListedByFamily) {
  SourceReport report = VerifyText(DataFile("hfi103-istio-1.11.prom"));
  const Check& check =
      FindCheck(report, "presence", "wasmcustom_hfi_faults_delay_duration_milliseconds");
  EXPECT_EQ(check.findings.at(0).observed,
            "envoy_wasmcustom_hfi_faults_delay_duration_milliseconds");
  EXPECT_EQ(check.observed,
            "absent; found envoy_wasmcustom_hfi_faults_delay_duration_milliseconds");
}

TEST(Expectations, PassAndFail) {
  CheckOptions options;
  options.expect = {Expect("aborts>=1"), Expect("delays==7"), Expect("delay_count>=7"),
                    Expect("delay_sum>=5000"), Expect("aborts>=10")};
  SourceReport report = VerifyText(DataFile("healthy.prom"), options);
  EXPECT_EQ(Codes(report), (std::multiset<std::string>{"HFI302 error"}));
  EXPECT_EQ(report.ExitStatus(), ExitCode::kChecksFailed);
  const Check& failed = report.checks.at(report.checks.size() - 1);
  EXPECT_EQ(failed.id, "expect");
  EXPECT_EQ(failed.metric, "wasmcustom_hfi_faults_aborts_total");
  EXPECT_EQ(failed.expected, "aborts >= 10");
  EXPECT_EQ(failed.observed, "3");
}

TEST(Expectations, OnAnAbsentMetricFail) {
  CheckOptions options;
  options.expect = {Expect("delays>=0")};
  SourceReport report = VerifyText(DataFile("hfi101-missing-delays.prom"), options);
  EXPECT_EQ(FindCheck(report, "expect").observed, "absent");
  EXPECT_EQ(FindCheck(report, "expect").status(), CheckStatus::kFail);
}

TEST(Baseline, DeltasPass) {
  CheckOptions options;
  options.expect_delta = {Expect("aborts>=2"), Expect("delays>=5"), Expect("delay_count==5")};
  std::string before = DataFile("healthy.prom");
  SourceReport report = VerifyText(DataFile("healthy-later.prom"), options, &before);
  EXPECT_EQ(Codes(report), std::multiset<std::string>{});
  EXPECT_EQ(report.baseline, "b.prom");
  EXPECT_EQ(FindCheck(report, "expect-delta", "wasmcustom_hfi_faults_delays_total").observed,
            "5 (7 -> 12)");
  EXPECT_EQ(FindCheck(report, "monotonic", "wasmcustom_hfi_faults_aborts_total").expected,
            ">= 3 (baseline)");
}

TEST(Baseline, CounterDropIsARestart) {  // HFI303
  std::string before = DataFile("healthy.prom");
  SourceReport report = VerifyText(DataFile("healthy-zero.prom"), {}, &before);
  EXPECT_EQ(Codes(report),
            (std::multiset<std::string>{"HFI303 error", "HFI303 error", "HFI303 error"}));
  EXPECT_EQ(report.ExitStatus(), ExitCode::kChecksFailed);
}

TEST(Baseline, DeltaTooSmall) {  // HFI304
  CheckOptions options;
  options.expect_delta = {Expect("delays>=10")};
  std::string before = DataFile("healthy.prom");
  SourceReport report = VerifyText(DataFile("healthy-later.prom"), options, &before);
  EXPECT_EQ(Codes(report), (std::multiset<std::string>{"HFI304 error"}));
}

TEST(Baseline, CountersDidNotMove) {  // HFI305
  CheckOptions options;
  options.expect_delta = {Expect("delays>=1"), Expect("aborts<=0")};
  std::string before = DataFile("healthy.prom");
  SourceReport report = VerifyText(DataFile("healthy.prom"), options, &before);
  EXPECT_EQ(Codes(report), (std::multiset<std::string>{"HFI305 error"}));
}

TEST(Baseline, MissingInTheBaselineFailsTheDelta) {
  CheckOptions options;
  options.expect_delta = {Expect("delays>=1")};
  std::string before = DataFile("hfi101-missing-delays.prom");
  SourceReport report = VerifyText(DataFile("healthy.prom"), options, &before);
  EXPECT_EQ(Codes(report), (std::multiset<std::string>{"HFI304 error"}));
  EXPECT_EQ(FindCheck(report, "expect-delta").observed,
            "baseline has no wasmcustom_hfi_faults_delays_total");
  EXPECT_EQ(FindCheck(report, "monotonic", "wasmcustom_hfi_faults_delays_total").status(),
            CheckStatus::kSkip);
}

TEST(Baseline, UnparseableBaselineIsInvalidInput) {
  CheckOptions options;
  options.expect_delta = {Expect("delays>=1")};
  std::string before = DataFile("hfi401-malformed.prom");
  SourceReport report = VerifyText(DataFile("healthy.prom"), options, &before);
  EXPECT_EQ(Codes(report), (std::multiset<std::string>{"HFI401 error"}));
  EXPECT_EQ(report.ExitStatus(), ExitCode::kInvalidInput);
  EXPECT_EQ(FindCheck(report, "expect-delta").skip_reason, "baseline unusable");
  EXPECT_EQ(FindCheck(report, "baseline").findings.at(0).observed,
            "b.prom:17:37: expected a value after the metric");
}

TEST(Baseline, EmptyBaselineFails) {
  std::string before;
  SourceReport report = VerifyText(DataFile("healthy.prom"), {}, &before);
  EXPECT_EQ(Codes(report), (std::multiset<std::string>{"HFI402 error"}));
  EXPECT_EQ(FindCheck(report, "monotonic").skip_reason, "baseline unusable");
}

// Every hint the offline engine can emit is produced by one of the cases above.
TEST(Coverage, EveryAnySourceHintIsEmittedFromTheDataFiles) {
  std::set<std::string> emitted;
  auto collect = [&](const SourceReport& report) {
    for (const std::string& code : Codes(report))
      emitted.insert(code.substr(0, 6));
  };
  for (const FileCase& c : FileCases())
    collect(VerifyText(DataFile(c.file)));
  CheckOptions options;
  options.expect = {Expect("aborts>=10")};
  options.expect_delta = {Expect("delays>=10"), Expect("aborts>=1")};
  std::string healthy = DataFile("healthy.prom");
  collect(VerifyText(DataFile("healthy-later.prom"), options, &healthy));
  collect(VerifyText(healthy, options, &healthy));
  collect(VerifyText(DataFile("healthy-zero.prom"), {}, &healthy));
  for (const Hint& hint : AllHints()) {
    if (hint.detection != Detection::kAnySource)
      continue;
    EXPECT_TRUE(emitted.count(std::string(hint.code))) << hint.code << " is never emitted";
  }
}

}  // namespace
}  // namespace hfi::verify

#include "prom/parser.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <string>
#include <vector>

namespace hfi::prom {
namespace {

using prometheus::MetricType;

ParseResult ParseIn(std::string_view text, Mode mode) {
  ParseOptions options;
  options.mode = mode;
  return Parse(text, options);
}

std::vector<std::string> Errors(const ParseResult& r) {
  std::vector<std::string> out;
  for (const Diagnostic& d : r.diagnostics) {
    if (d.error)
      out.push_back(d.Format("f"));
  }
  return out;
}

// Envoy's `/stats/prometheus` as its own test `OutputWithAllMetricTypes` shows it
// (facts/envoy-istio.md §2): `{}` for no labels, no HELP, no blank lines, the 19 default bucket
// bounds printed with %.32g, `_sum` approximate with 32 significant digits. Recorded values:
// 50, 20, 30, 70, 100, 5000, 200.
constexpr std::string_view kEnvoyOutput =
    "# TYPE wasmcustom_hfi_faults_aborts_total counter\n"
    "wasmcustom_hfi_faults_aborts_total{} 3\n"
    "# TYPE wasmcustom_hfi_faults_delays_total counter\n"
    "wasmcustom_hfi_faults_delays_total{} 7\n"
    "# TYPE envoy_cluster_upstream_cx_active gauge\n"
    "envoy_cluster_upstream_cx_active{envoy_cluster_name=\"xds-grpc\"} 1\n"
    "envoy_cluster_upstream_cx_active{envoy_cluster_name=\"inbound|8080||\"} 0\n"
    "# TYPE wasmcustom_hfi_faults_delay_duration_milliseconds histogram\n"
    "wasmcustom_hfi_faults_delay_duration_milliseconds_bucket{le=\"0.5\"} 0\n"
    "wasmcustom_hfi_faults_delay_duration_milliseconds_bucket{le=\"1\"} 0\n"
    "wasmcustom_hfi_faults_delay_duration_milliseconds_bucket{le=\"5\"} 0\n"
    "wasmcustom_hfi_faults_delay_duration_milliseconds_bucket{le=\"10\"} 0\n"
    "wasmcustom_hfi_faults_delay_duration_milliseconds_bucket{le=\"25\"} 1\n"
    "wasmcustom_hfi_faults_delay_duration_milliseconds_bucket{le=\"50\"} 3\n"
    "wasmcustom_hfi_faults_delay_duration_milliseconds_bucket{le=\"100\"} 5\n"
    "wasmcustom_hfi_faults_delay_duration_milliseconds_bucket{le=\"250\"} 6\n"
    "wasmcustom_hfi_faults_delay_duration_milliseconds_bucket{le=\"500\"} 6\n"
    "wasmcustom_hfi_faults_delay_duration_milliseconds_bucket{le=\"1000\"} 6\n"
    "wasmcustom_hfi_faults_delay_duration_milliseconds_bucket{le=\"2500\"} 6\n"
    "wasmcustom_hfi_faults_delay_duration_milliseconds_bucket{le=\"5000\"} 7\n"
    "wasmcustom_hfi_faults_delay_duration_milliseconds_bucket{le=\"10000\"} 7\n"
    "wasmcustom_hfi_faults_delay_duration_milliseconds_bucket{le=\"30000\"} 7\n"
    "wasmcustom_hfi_faults_delay_duration_milliseconds_bucket{le=\"60000\"} 7\n"
    "wasmcustom_hfi_faults_delay_duration_milliseconds_bucket{le=\"300000\"} 7\n"
    "wasmcustom_hfi_faults_delay_duration_milliseconds_bucket{le=\"600000\"} 7\n"
    "wasmcustom_hfi_faults_delay_duration_milliseconds_bucket{le=\"1800000\"} 7\n"
    "wasmcustom_hfi_faults_delay_duration_milliseconds_bucket{le=\"3600000\"} 7\n"
    "wasmcustom_hfi_faults_delay_duration_milliseconds_bucket{le=\"+Inf\"} 7\n"
    "wasmcustom_hfi_faults_delay_duration_milliseconds_sum{} "
    "5531.1160155998386471765115857124\n"
    "wasmcustom_hfi_faults_delay_duration_milliseconds_count{} 7\n";

const double kEnvoyBounds[] = {0.5,   1,      5,      10,      25,     50,    100,
                               250,   500,    1000,   2500,    5000,   10000, 30000,
                               60000, 300000, 600000, 1800000, 3600000};

// line_offset: lines before the Envoy text in the input.
void ExpectEnvoyFamilies(const ParseResult& r, std::size_t line_offset = 0) {
  ASSERT_EQ(r.families.size(), 4u);
  const Family* aborts = r.Find("wasmcustom_hfi_faults_aborts_total");
  ASSERT_NE(aborts, nullptr);
  EXPECT_EQ(aborts->type, MetricType::Counter);
  EXPECT_TRUE(aborts->has_type_line);
  EXPECT_EQ(aborts->type_line, 1 + line_offset);
  EXPECT_EQ(aborts->help, "");
  ASSERT_EQ(aborts->samples().size(), 1u);
  EXPECT_EQ(aborts->samples()[0].name, "wasmcustom_hfi_faults_aborts_total");
  EXPECT_TRUE(aborts->samples()[0].labels.empty());
  EXPECT_EQ(aborts->samples()[0].line, 2 + line_offset);
  EXPECT_EQ(aborts->model().name, "wasmcustom_hfi_faults_aborts_total");
  EXPECT_EQ(aborts->model().type, MetricType::Counter);
  ASSERT_EQ(aborts->model().metric.size(), 1u);
  EXPECT_EQ(aborts->model().metric[0].counter.value, 3);

  const Family* active = r.Find("envoy_cluster_upstream_cx_active");
  ASSERT_NE(active, nullptr);
  EXPECT_EQ(active->type, MetricType::Gauge);
  ASSERT_EQ(active->model().metric.size(), 2u);
  EXPECT_EQ(active->model().metric[1].label[0].value, "inbound|8080||");
  EXPECT_EQ(active->model().metric[1].gauge.value, 0);

  const Family* delay = r.Find("wasmcustom_hfi_faults_delay_duration_milliseconds");
  ASSERT_NE(delay, nullptr);
  EXPECT_EQ(delay->type, MetricType::Histogram);
  EXPECT_EQ(delay->samples().size(), 22u);
  EXPECT_EQ(delay->samples()[0].labels[0].name, "le");
  EXPECT_EQ(delay->samples()[0].labels[0].value, "0.5");
  ASSERT_EQ(delay->model().metric.size(), 1u);
  const auto& h = delay->model().metric[0].histogram;
  EXPECT_TRUE(delay->model().metric[0].label.empty()) << "le is not a series label";
  EXPECT_EQ(h.sample_count, 7u);
  EXPECT_DOUBLE_EQ(h.sample_sum, 5531.1160155998386);
  ASSERT_EQ(h.bucket.size(), 20u);
  for (std::size_t i = 0; i < 19; ++i)
    EXPECT_EQ(h.bucket[i].upper_bound, kEnvoyBounds[i]);
  EXPECT_EQ(h.bucket[19].upper_bound, std::numeric_limits<double>::infinity());
  EXPECT_EQ(h.bucket[4].cumulative_count, 1u);   // le=25
  EXPECT_EQ(h.bucket[5].cumulative_count, 3u);   // le=50
  EXPECT_EQ(h.bucket[11].cumulative_count, 7u);  // le=5000
  EXPECT_EQ(h.bucket[19].cumulative_count, 7u);
}

TEST(Parse, EnvoyOutputInBothModes) {
  for (Mode mode : {Mode::kStrict, Mode::kScrape}) {
    const ParseResult r = ParseIn(kEnvoyOutput, mode);
    EXPECT_TRUE(r.ok()) << (r.diagnostics.empty() ? "" : r.diagnostics[0].Format("envoy"));
    EXPECT_TRUE(r.diagnostics.empty());
    EXPECT_EQ(r.format, Format::kText);
    EXPECT_EQ(r.lines, 30u);
    EXPECT_EQ(r.samples, 26u);
    ExpectEnvoyFamilies(r);
  }
}

// Istio's merged port 15020 adopts the application's content type, so the same Envoy text can
// arrive inside an OpenMetrics body ending in `# EOF` (facts/anchors.md §0.4).
TEST(Parse, OpenMetricsBodyFromMergedPort) {
  const std::string body =
      "# HELP istio_agent_startup_seconds Time the agent took.\n"
      "# TYPE istio_agent_startup_seconds gauge\n"
      "istio_agent_startup_seconds 1.5\n" +
      std::string(kEnvoyOutput) + "# EOF\n";
  for (Mode mode : {Mode::kStrict, Mode::kScrape}) {
    const ParseResult r = ParseIn(body, mode);
    EXPECT_TRUE(r.ok()) << (r.diagnostics.empty() ? "" : r.diagnostics[0].Format("15020"));
    EXPECT_EQ(r.format, Format::kOpenMetrics);
    const Family* agent = r.Find("istio_agent_startup_seconds");
    ASSERT_NE(agent, nullptr);
    EXPECT_EQ(agent->help, "Time the agent took.");
    ASSERT_EQ(r.families.size(), 5u);
    ParseResult envoy_only = r;
    envoy_only.families.erase(envoy_only.families.begin());
    ExpectEnvoyFamilies(envoy_only, 3);
  }
}

TEST(Parse, OpenMetricsSuffixesAndTimestamps) {
  const ParseResult r = Parse(
      "# TYPE requests counter\n"
      "# UNIT requests requests\n"
      "requests_total{code=\"200\"} 10 1700000000.25 # {trace_id=\"abc\"} 1 1700000000\n"
      "requests_created{code=\"200\"} 1600000000\n"
      "# TYPE build info\n"
      "build_info{version=\"1.2\"} 1\n"
      "# TYPE q summary\n"
      "q{quantile=\"0.5\"} 2\n"
      "q_sum 10\n"
      "q_count 4\n"
      "# EOF");
  ASSERT_TRUE(r.ok()) << r.diagnostics[0].Format("om");
  ASSERT_EQ(r.families.size(), 3u);
  const Family& requests = r.families[0];
  EXPECT_EQ(requests.type, MetricType::Counter);
  ASSERT_EQ(requests.samples().size(), 2u);
  EXPECT_TRUE(requests.samples()[0].has_timestamp);
  EXPECT_EQ(requests.samples()[0].timestamp_ms, 1700000000250);
  ASSERT_EQ(requests.model().metric.size(), 1u);
  EXPECT_EQ(requests.model().metric[0].counter.value, 10) << "_created is not the counter value";
  const Family& build = r.families[1];
  EXPECT_EQ(build.type, MetricType::Gauge);
  ASSERT_EQ(build.model().metric.size(), 1u);
  EXPECT_EQ(build.model().metric[0].gauge.value, 1);
  const Family& q = r.families[2];
  ASSERT_EQ(q.model().metric.size(), 1u);
  EXPECT_EQ(q.model().metric[0].summary.sample_count, 4u);
  EXPECT_EQ(q.model().metric[0].summary.sample_sum, 10);
  ASSERT_EQ(q.model().metric[0].summary.quantile.size(), 1u);
  EXPECT_EQ(q.model().metric[0].summary.quantile[0].quantile, 0.5);
}

TEST(Parse, EmptyBracesAndNoBracesAreOneSeries) {
  const ParseResult r = Parse("a{} 1\na 2\na{x=\"1\",y=\"2\"} 3\na{y=\"2\",x=\"1\"} 4\n");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.families.size(), 1u);
  EXPECT_EQ(r.families[0].samples().size(), 4u) << "samples stay as written";
  ASSERT_EQ(r.families[0].model().metric.size(), 2u);
  // As in a Prometheus scrape, the first sample of a series wins.
  EXPECT_EQ(r.families[0].model().metric[0].untyped.value, 1);
  EXPECT_EQ(r.families[0].model().metric[1].untyped.value, 3);
}

TEST(Parse, GroupsSamplesUnderTheirTypeLine) {
  const ParseResult r = Parse(
      "# TYPE s summary\n"
      "s{quantile=\"0.9\"} 5\n"
      "s{quantile=\"0.5\"} 2\n"
      "s_sum 10\n"
      "s_count 4\n"
      "x_sum 1\n"
      "x_count 2\n"
      "# TYPE h histogram\n"
      "h_count{a=\"1\"} 2\n"
      "h_sum{a=\"1\"} 3\n"
      "h_bucket{a=\"1\",le=\"1\"} 1\n"
      "h_bucket{a=\"1\",le=\"+Inf\"} 2\n"
      "h_bucket{a=\"2\",le=\"+Inf\"} 0\n");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.families.size(), 4u);
  EXPECT_EQ(r.families[0].name, "s");
  EXPECT_EQ(r.families[0].samples().size(), 4u);
  const auto& summary = r.families[0].model().metric.at(0).summary;
  ASSERT_EQ(summary.quantile.size(), 2u);
  EXPECT_EQ(summary.quantile[0].quantile, 0.5) << "sorted";
  EXPECT_EQ(summary.sample_count, 4u);
  // Without a TYPE line, `_sum` and `_count` are families of their own (as in expfmt).
  EXPECT_EQ(r.families[1].name, "x_sum");
  EXPECT_EQ(r.families[1].type, MetricType::Untyped);
  EXPECT_FALSE(r.families[1].has_type_line);
  EXPECT_EQ(r.families[2].name, "x_count");
  const Family& h = r.families[3];
  ASSERT_EQ(h.model().metric.size(), 2u);
  EXPECT_EQ(h.model().metric[0].label.size(), 1u);
  EXPECT_EQ(h.model().metric[0].histogram.sample_count, 2u);
  EXPECT_EQ(h.model().metric[0].histogram.bucket.size(), 2u);
  EXPECT_EQ(h.model().metric[1].histogram.bucket.size(), 1u);
}

TEST(Parse, OutOfOrderBucketsAreSortedInTheModelButNotInSamples) {
  const ParseResult r = Parse(
      "# TYPE h histogram\nh_bucket{le=\"+Inf\"} 3\nh_bucket{le=\"2\"} 2\nh_bucket{le=\"1e-04\"} "
      "1\n");
  ASSERT_TRUE(r.ok());
  const Family& h = r.families[0];
  EXPECT_EQ(h.samples()[0].labels[0].value, "+Inf");
  const auto& buckets = h.model().metric[0].histogram.bucket;
  ASSERT_EQ(buckets.size(), 3u);
  EXPECT_EQ(buckets[0].upper_bound, 1e-4);
  EXPECT_EQ(buckets[1].upper_bound, 2);
  EXPECT_TRUE(std::isinf(buckets[2].upper_bound));
}

TEST(Parse, LabelValuesAreUnescaped) {
  const ParseResult r = ParseIn(
      "a{q=\"\\\"bar\\\"\",b=\"b\\\"a\\\\z\",n=\"x\\ny\",t=\"\\t\",w=\"domain\\somelogin\"} 1\n",
      Mode::kScrape);
  ASSERT_TRUE(r.ok());
  const auto& labels = r.families[0].samples()[0].labels;
  ASSERT_EQ(labels.size(), 5u);
  EXPECT_EQ(labels[0].value, "\"bar\"");
  EXPECT_EQ(labels[1].value, "b\"a\\z");
  EXPECT_EQ(labels[2].value, "x\ny");
  EXPECT_EQ(labels[3].value, "\\t") << "unknown escapes are kept as written";
  EXPECT_EQ(labels[4].value, "domain\\somelogin");
  EXPECT_EQ(r.families[0].model().metric[0].label[2].value, "x\ny");
  ASSERT_EQ(r.diagnostics.size(), 2u);
  EXPECT_FALSE(r.diagnostics[0].error);
  EXPECT_EQ(r.diagnostics[0].Format("f"),
            "f:1:39: unknown escape sequence '\\t' in label value kept as written");
}

TEST(Parse, QuotedUtf8NamesInScrapeMode) {
  const ParseResult r =
      ParseIn("{\"my.metric\",\"http.status\"=\"200\"} 1\n{\"my.metric\"} 2\n", Mode::kScrape);
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.families.size(), 1u);
  EXPECT_EQ(r.families[0].name, "my.metric");
  ASSERT_EQ(r.families[0].samples().size(), 2u);
  EXPECT_EQ(r.families[0].samples()[0].labels.at(0).name, "http.status");
}

TEST(Parse, ValuesAndTimestamps) {
  const ParseResult r = ParseIn("a NaN\nb -Inf 429496729600\nc 1e-3 -5\n", Mode::kStrict);
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(std::isnan(r.families[0].samples()[0].value));
  EXPECT_FALSE(r.families[0].samples()[0].has_timestamp);
  EXPECT_EQ(r.families[1].samples()[0].value, -std::numeric_limits<double>::infinity());
  EXPECT_EQ(r.families[1].samples()[0].timestamp_ms, 429496729600);
  EXPECT_EQ(r.families[1].model().metric[0].timestamp_ms, 429496729600);
  EXPECT_EQ(r.families[2].samples()[0].value, 1e-3);
  EXPECT_EQ(r.families[2].samples()[0].timestamp_ms, -5);
}

TEST(Parse, HelpIsUnescaped) {
  const ParseResult r = Parse("# HELP a with \\\\ and \\n ok\n# TYPE a gauge\na 1\n");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.families[0].help, "with \\ and \n ok");
  EXPECT_EQ(r.families[0].model().help, "with \\ and \n ok");
}

TEST(Parse, KeepFilterLimitsSamplesAndModelsButChecksEverything) {
  ParseOptions options;
  options.mode = Mode::kScrape;
  int calls = 0;
  options.keep = [&calls](std::string_view name) {
    ++calls;
    return name == "wasmcustom_hfi_faults_aborts_total";
  };
  std::string input(kEnvoyOutput);
  input += "broken{ 1\n";
  const ParseResult r = Parse(input, options);
  EXPECT_EQ(calls, 4) << "keep is asked once per family";
  ASSERT_EQ(r.families.size(), 4u);
  EXPECT_EQ(r.samples, 26u) << "samples of every family are counted";
  for (const Family& f : r.families) {
    if (f.name == "wasmcustom_hfi_faults_aborts_total") {
      EXPECT_EQ(f.samples().size(), 1u);
      EXPECT_EQ(f.model().metric.size(), 1u);
    } else {
      EXPECT_TRUE(f.samples().empty()) << f.name;
      EXPECT_TRUE(f.model().metric.empty()) << f.name;
      EXPECT_TRUE(f.has_type_line) << f.name;
    }
  }
  EXPECT_EQ(Errors(r), std::vector<std::string>{"f:31:9: expected a label name, found \"1\""});
}

TEST(Parse, ScrapeModeSkipsBadLinesAndReportsEach) {
  const ParseResult r = ParseIn(
      "# TYPE a counter\n"
      "a{x=\"1\"} 1\n"
      "a{x=\"2\" 2\n"
      "a{x=\"3\"} three\n"
      "a{x=\"4\"} 4\n"
      "@bad 5\n"
      "a{x=\"5\"} 5",
      Mode::kScrape);
  EXPECT_FALSE(r.ok());
  EXPECT_EQ(Errors(r), (std::vector<std::string>{
                           "f:3:9: expected ',' or '}' after label value, found \"2\"",
                           "f:4:10: expected a float as value, got \"three\" (Go float syntax: "
                           "1, -2.5e3, NaN, +Inf)",
                           "f:6:1: expected a metric name, found \"@\""}));
  ASSERT_EQ(r.families.size(), 1u);
  ASSERT_EQ(r.families[0].samples().size(), 3u);
  EXPECT_EQ(r.families[0].samples()[2].line, 7u);
  EXPECT_EQ(r.samples, 3u);
  EXPECT_EQ(r.lines, 7u);

  const ParseResult strict =
      ParseIn("# TYPE a counter\na{x=\"1\"} 1\na{x=\"2\" 2\na{x=\"3\"} three\n", Mode::kStrict);
  EXPECT_EQ(Errors(strict),
            std::vector<std::string>{"f:3:9: expected ',' or '}' after label value, found \"2\""});
}

TEST(Parse, DiagnosticCarriesLocationAndExcerpt) {
  const std::string long_line = "a{x=\"" + std::string(100, 'v') + "\"} 1_000\n";
  const ParseResult r = Parse("ok 1\n" + long_line);
  ASSERT_EQ(r.diagnostics.size(), 1u);
  const Diagnostic& d = r.diagnostics[0];
  EXPECT_TRUE(d.error);
  EXPECT_EQ(d.line, 2u);
  EXPECT_EQ(d.column, 109u);
  EXPECT_EQ(d.excerpt, long_line.substr(0, 80) + "...");
  EXPECT_EQ(d.Format("stats.prom"),
            "stats.prom:2:109: expected a float as value, got \"1_000\" (Go float syntax: 1, "
            "-2.5e3, NaN, +Inf)");
}

TEST(Parse, ExcerptIsPrintable) {
  const ParseResult r = Parse("a{b=\"\xff\"}\t1\r\n");
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].excerpt, "a{b=\"?\"}\t1?");
}

TEST(Parse, DiagnosticsAreCapped) {
  std::string input;
  for (int i = 0; i < 1500; ++i)
    input += "bad{\n";
  const ParseResult r = ParseIn(input, Mode::kScrape);
  ASSERT_EQ(r.diagnostics.size(), 1001u);
  EXPECT_EQ(r.diagnostics.back().message, "500 more problems not listed");
  EXPECT_TRUE(r.diagnostics.back().error);
  EXPECT_FALSE(r.ok());
}

TEST(Parse, EmptyInput) {
  for (Mode mode : {Mode::kStrict, Mode::kScrape}) {
    const ParseResult r = ParseIn("", mode);
    EXPECT_TRUE(r.ok());
    EXPECT_TRUE(r.families.empty());
    EXPECT_EQ(r.lines, 0u);
    EXPECT_EQ(r.Find("a"), nullptr);
  }
}

TEST(Parse, MetadataWithoutSamplesKeepsTheFamily) {
  const ParseResult r = Parse("# HELP a Some help.\n# TYPE a gauge\n");
  ASSERT_TRUE(r.ok());
  ASSERT_EQ(r.families.size(), 1u);
  EXPECT_EQ(r.families[0].type, MetricType::Gauge);
  EXPECT_EQ(r.families[0].type_line, 2u);
  EXPECT_TRUE(r.families[0].model().metric.empty());
}

TEST(Parse, NegativeBucketCountIsAWarning) {
  const ParseResult r = Parse("# TYPE h histogram\nh_bucket{le=\"1\"} -1\n");
  EXPECT_TRUE(r.ok());
  ASSERT_EQ(r.diagnostics.size(), 1u);
  EXPECT_EQ(r.diagnostics[0].Format("f"), "f:2:18: negative histogram bucket count");
  EXPECT_EQ(r.families[0].model().metric[0].histogram.bucket[0].cumulative_count, 0u);
}

}  // namespace
}  // namespace hfi::prom

#include "envoystats/admin_render.h"

#include <gtest/gtest.h>

#include "envoystats/stat_store.h"

namespace hfi::envoystats {
namespace {

// Expected outputs are written from Envoy's documented format (facts/envoy-istio.md §2 and the
// Envoy tests it cites), not produced by this code.

TEST(PrometheusNameTest, NamespaceStrippingAndSanitising) {
  EXPECT_EQ(PrometheusName("wasmcustom.hfi_faults_aborts_total"), "hfi_faults_aborts_total");
  EXPECT_EQ(PrometheusName("wasmcustom.wasmcustom.hfi_faults_aborts_total"),
            "wasmcustom_hfi_faults_aborts_total");
  EXPECT_EQ(PrometheusName("wasmcustom.hfi.faults.aborts_total"), "hfi_faults_aborts_total");
  EXPECT_EQ(PrometheusName("wasmcustom.myapp.test.foo"), "myapp_test_foo");
  EXPECT_EQ(PrometheusName("An.artist.plays-violin@019street"),
            "envoy_An_artist_plays_violin_019street");
  EXPECT_EQ(PrometheusName("server.live"), "envoy_server_live");
  // A custom name that starts with a digit after stripping is dropped, not renamed.
  EXPECT_EQ(PrometheusName("wasmcustom.1234abcd.test.bar"), std::nullopt);
  EXPECT_EQ(PrometheusName("wasmcustom."), std::nullopt);
  // Only the first segment is a namespace; "wasmcustomx" is not the namespace.
  EXPECT_EQ(PrometheusName("wasmcustomx.a"), "envoy_wasmcustomx_a");
}

TEST(RenderPrometheusTest, TheThreeHfiMetricsBeforeAnyRequest) {
  StatStore store(StatsMatcher::IstioDefault());
  store.CounterNamed("wasmcustom.wasmcustom.hfi_faults_aborts_total");
  store.CounterNamed("wasmcustom.wasmcustom.hfi_faults_delays_total");
  store.HistogramNamed("wasmcustom.wasmcustom.hfi_faults_delay_duration_milliseconds");
  const char* kExpected =
      "# TYPE wasmcustom_hfi_faults_aborts_total counter\n"
      "wasmcustom_hfi_faults_aborts_total{} 0\n"
      "# TYPE wasmcustom_hfi_faults_delays_total counter\n"
      "wasmcustom_hfi_faults_delays_total{} 0\n"
      "# TYPE wasmcustom_hfi_faults_delay_duration_milliseconds histogram\n"
      "wasmcustom_hfi_faults_delay_duration_milliseconds_bucket{le=\"0.5\"} 0\n"
      "wasmcustom_hfi_faults_delay_duration_milliseconds_bucket{le=\"1\"} 0\n"
      "wasmcustom_hfi_faults_delay_duration_milliseconds_bucket{le=\"5\"} 0\n"
      "wasmcustom_hfi_faults_delay_duration_milliseconds_bucket{le=\"10\"} 0\n"
      "wasmcustom_hfi_faults_delay_duration_milliseconds_bucket{le=\"25\"} 0\n"
      "wasmcustom_hfi_faults_delay_duration_milliseconds_bucket{le=\"50\"} 0\n"
      "wasmcustom_hfi_faults_delay_duration_milliseconds_bucket{le=\"100\"} 0\n"
      "wasmcustom_hfi_faults_delay_duration_milliseconds_bucket{le=\"250\"} 0\n"
      "wasmcustom_hfi_faults_delay_duration_milliseconds_bucket{le=\"500\"} 0\n"
      "wasmcustom_hfi_faults_delay_duration_milliseconds_bucket{le=\"1000\"} 0\n"
      "wasmcustom_hfi_faults_delay_duration_milliseconds_bucket{le=\"2500\"} 0\n"
      "wasmcustom_hfi_faults_delay_duration_milliseconds_bucket{le=\"5000\"} 0\n"
      "wasmcustom_hfi_faults_delay_duration_milliseconds_bucket{le=\"10000\"} 0\n"
      "wasmcustom_hfi_faults_delay_duration_milliseconds_bucket{le=\"30000\"} 0\n"
      "wasmcustom_hfi_faults_delay_duration_milliseconds_bucket{le=\"60000\"} 0\n"
      "wasmcustom_hfi_faults_delay_duration_milliseconds_bucket{le=\"300000\"} 0\n"
      "wasmcustom_hfi_faults_delay_duration_milliseconds_bucket{le=\"600000\"} 0\n"
      "wasmcustom_hfi_faults_delay_duration_milliseconds_bucket{le=\"1800000\"} 0\n"
      "wasmcustom_hfi_faults_delay_duration_milliseconds_bucket{le=\"3600000\"} 0\n"
      "wasmcustom_hfi_faults_delay_duration_milliseconds_bucket{le=\"+Inf\"} 0\n"
      "wasmcustom_hfi_faults_delay_duration_milliseconds_sum{} 0\n"
      "wasmcustom_hfi_faults_delay_duration_milliseconds_count{} 0\n";
  EXPECT_EQ(RenderPrometheus(store), kExpected);
}

TEST(RenderPrometheusTest, BucketsAreCumulativeWithTheBoundInclusive) {
  // Envoy's OutputWithAllMetricTypes test records 50, 20, 30, 70, 100, 5000, 200 and expects
  // le=25 → 1, le=50 → 3, le=100 → 5, le=250 → 6, le=5000 → 7.
  StatStore store(StatsMatcher::AcceptAll());
  Histogram& h = store.HistogramNamed("wasmcustom.h");
  for (int v : {50, 20, 30, 70, 100, 5000, 200})
    h.Record(v);
  store.Flush();
  std::string out = RenderPrometheus(store);
  EXPECT_NE(out.find("h_bucket{le=\"10\"} 0\n"), std::string::npos) << out;
  EXPECT_NE(out.find("h_bucket{le=\"25\"} 1\n"), std::string::npos) << out;
  EXPECT_NE(out.find("h_bucket{le=\"50\"} 3\n"), std::string::npos) << out;
  EXPECT_NE(out.find("h_bucket{le=\"100\"} 5\n"), std::string::npos) << out;
  EXPECT_NE(out.find("h_bucket{le=\"250\"} 6\n"), std::string::npos) << out;
  EXPECT_NE(out.find("h_bucket{le=\"2500\"} 6\n"), std::string::npos) << out;
  EXPECT_NE(out.find("h_bucket{le=\"5000\"} 7\n"), std::string::npos) << out;
  EXPECT_NE(out.find("h_bucket{le=\"+Inf\"} 7\n"), std::string::npos) << out;
  EXPECT_NE(out.find("h_count{} 7\n"), std::string::npos) << out;
  EXPECT_NE(out.find("h_sum{} 5470\n"), std::string::npos) << out;
}

TEST(RenderPrometheusTest, CountersThenGaugesThenHistogramsEachInNameOrder) {
  StatStore store(StatsMatcher::AcceptAll());
  store.HistogramNamed("wasmcustom.a_hist");
  store.GaugeNamed("wasmcustom.b_gauge").Set(7);
  store.CounterNamed("wasmcustom.z_counter").Add(1);
  store.CounterNamed("server.c").Add(2);
  store.CounterNamed("wasmcustom.9lives").Add(1);  // dropped: starts with a digit
  std::string out = RenderPrometheus(store);
  std::size_t c1 = out.find("# TYPE envoy_server_c counter\nenvoy_server_c{} 2\n");
  std::size_t c2 = out.find("# TYPE z_counter counter\nz_counter{} 1\n");
  std::size_t g = out.find("# TYPE b_gauge gauge\nb_gauge{} 7\n");
  std::size_t h = out.find("# TYPE a_hist histogram\n");
  ASSERT_NE(c1, std::string::npos) << out;
  ASSERT_NE(c2, std::string::npos) << out;
  ASSERT_NE(g, std::string::npos) << out;
  ASSERT_NE(h, std::string::npos) << out;
  EXPECT_LT(c1, c2);
  EXPECT_LT(c2, g);
  EXPECT_LT(g, h);
  EXPECT_EQ(out.find("9lives"), std::string::npos);
  EXPECT_EQ(out.find("\n\n"), std::string::npos) << "Envoy writes no blank lines";
}

TEST(RenderPrometheusTest, UsedOnlyAndFilter) {
  StatStore store(StatsMatcher::AcceptAll());
  store.CounterNamed("wasmcustom.hfi.faults.aborts_total").Add(1);
  store.CounterNamed("wasmcustom.hfi_faults_delays_total");
  store.HistogramNamed("wasmcustom.hfi_faults_delay_duration_milliseconds");
  RenderOptions used_only;
  used_only.used_only = true;
  EXPECT_EQ(RenderPrometheus(store, used_only),
            "# TYPE hfi_faults_aborts_total counter\nhfi_faults_aborts_total{} 1\n");
  // filter is a partial match against the internal (dotted) name: `hfi_faults` misses the dotted
  // spelling, `hfi.faults` (where `.` is any character) finds both (facts §2, C15).
  re::Regex underscore, dotted;
  std::string error;
  ASSERT_TRUE(re::Regex::Compile("hfi_faults", &underscore, &error)) << error;
  ASSERT_TRUE(re::Regex::Compile("hfi.faults", &dotted, &error)) << error;
  RenderOptions f1;
  f1.filter = &underscore;
  std::string out1 = RenderPrometheus(store, f1);
  EXPECT_EQ(out1.find("aborts_total"), std::string::npos) << out1;
  EXPECT_NE(out1.find("hfi_faults_delays_total{} 0"), std::string::npos) << out1;
  RenderOptions f2;
  f2.filter = &dotted;
  std::string out2 = RenderPrometheus(store, f2);
  EXPECT_NE(out2.find("hfi_faults_aborts_total{} 1"), std::string::npos) << out2;
  EXPECT_NE(out2.find("hfi_faults_delays_total{} 0"), std::string::npos) << out2;
}

TEST(RenderStatsTextTest, FullInternalNamesCountersAndGaugesTogetherThenHistograms) {
  StatStore store(StatsMatcher::AcceptAll());
  store.CounterNamed("wasmcustom.wasmcustom.hfi_faults_aborts_total").Add(3);
  store.GaugeNamed("server.live").Set(1);
  store.HistogramNamed("wasmcustom.wasmcustom.hfi_faults_delay_duration_milliseconds");
  EXPECT_EQ(RenderStatsText(store),
            "server.live: 1\n"
            "wasmcustom.wasmcustom.hfi_faults_aborts_total: 3\n"
            "wasmcustom.wasmcustom.hfi_faults_delay_duration_milliseconds: No recorded values\n");
}

TEST(RenderStatsTextTest, HistogramQuantilesAfterFlush) {
  StatStore store(StatsMatcher::AcceptAll());
  Histogram& h = store.HistogramNamed("wasmcustom.h");
  h.Record(500);
  store.Flush();
  std::string out = RenderStatsText(store);
  ASSERT_EQ(out.rfind("wasmcustom.h: P0(", 0), 0u) << out;
  EXPECT_NE(out.find(" P100("), std::string::npos) << out;
  // One sample of 500 lies in the [500, 510) bin.
  EXPECT_NE(out.find("P0(500,500)"), std::string::npos) << out;
}

TEST(RenderStatsJsonTest, Shape) {
  StatStore store(StatsMatcher::AcceptAll());
  store.CounterNamed("wasmcustom.a").Add(2);
  store.HistogramNamed("wasmcustom.h");
  EXPECT_EQ(RenderStatsJson(store),
            "{\"stats\":[{\"name\":\"wasmcustom.a\",\"value\":2},{\"histograms\":{"
            "\"supported_quantiles\":[0,25,50,75,90,95,99,99.5,99.9,100],\"computed_quantiles\":[{"
            "\"name\":\"wasmcustom.h\",\"values\":[{\"interval\":null,\"cumulative\":null},"
            "{\"interval\":null,\"cumulative\":null},{\"interval\":null,\"cumulative\":null},"
            "{\"interval\":null,\"cumulative\":null},{\"interval\":null,\"cumulative\":null},"
            "{\"interval\":null,\"cumulative\":null},{\"interval\":null,\"cumulative\":null},"
            "{\"interval\":null,\"cumulative\":null},{\"interval\":null,\"cumulative\":null},"
            "{\"interval\":null,\"cumulative\":null}]}]}}]}\n");
}

}  // namespace
}  // namespace hfi::envoystats

// RenderPrometheus output against two independent readers: Debian's `promtool check metrics`
// (Prometheus' own expfmt text parser, 2.42) and this project's strict parser. promtool exits 0
// when clean, 3 when the text parsed but has lint findings (Envoy writes no HELP and no `_total`
// suffixes, so some are expected) and 1 with "error while linting: text format parsing error ..."
// when the text does not parse: only the latter is a failure here.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "envoystats/admin_render.h"
#include "envoystats/stat_store.h"
#include "prom/parser.h"

namespace hfi::envoystats {
namespace {

bool PromtoolOnPath() {
  return std::system("command -v promtool >/dev/null 2>&1") == 0;
}

struct PromtoolResult {
  int status = -1;     // exit status, -1 when promtool could not be run
  std::string output;  // stdout and stderr together (promtool reports on stderr)
};

PromtoolResult CheckMetrics(const std::string& text, const std::string& tag) {
  const std::string dir = ::testing::TempDir();
  const std::string in = dir + "hfi_render_" + tag + ".prom";
  const std::string out = dir + "hfi_render_" + tag + ".out";
  {
    std::ofstream f(in, std::ios::binary);
    f << text;
  }
  const std::string cmd = "promtool check metrics <'" + in + "' >'" + out + "' 2>&1";
  PromtoolResult r;
  const int raw = std::system(cmd.c_str());
  if (raw != -1 && WIFEXITED(raw))
    r.status = WEXITSTATUS(raw);
  std::ifstream f(out, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  r.output = s.str();
  std::remove(in.c_str());
  std::remove(out.c_str());
  return r;
}

// No parse error: status 0 or 3 and none of the parser's error texts.
void ExpectPromtoolParses(const std::string& text, const std::string& tag) {
  const PromtoolResult r = CheckMetrics(text, tag);
  ASSERT_NE(r.status, -1) << "could not run promtool";
  EXPECT_TRUE(r.status == 0 || r.status == 3) << "promtool exit " << r.status << "\n" << r.output;
  EXPECT_EQ(r.output.find("parsing error"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("error while linting"), std::string::npos) << r.output;
}

prom::ParseResult ParseStrict(const std::string& text) {
  prom::ParseOptions options;
  options.mode = prom::Mode::kStrict;
  return prom::Parse(text, options);
}

std::string Diagnostics(const prom::ParseResult& r) {
  std::string out;
  for (const auto& d : r.diagnostics)
    out += d.Format("render") + "\n";
  return out;
}

// What an Istio sidecar's admin store holds after some traffic, plus the HFI plugin's three stats
// and names that only survive sanitising.
void FillRealisticStore(StatStore& store) {
  const std::string reviews = "cluster.outbound|9080||reviews.default.svc.cluster.local.";
  store.CounterNamed(reviews + "upstream_rq_total").Add(42);
  store.CounterNamed(reviews + "upstream_rq_503").Add(3);
  store.CounterNamed(reviews + "upstream_cx_total").Add(7);
  store.CounterNamed("cluster.xds-grpc.upstream_cx_total").Add(1);
  store.CounterNamed("cluster_manager.cds.update_success").Add(5);
  store.CounterNamed("listener.0.0.0.0_15006.downstream_cx_total").Add(44);
  store.CounterNamed("http.inbound_0.0.0.0_8080.downstream_rq_2xx").Add(39);
  store.CounterNamed("server.watchdog_miss");
  // Istio's tag convention left in the name when no extractor takes it out.
  store.CounterNamed("reporter=.=destination;.;istio_requests_total").Add(12);
  store.CounterNamed("wasmcustom.wasmcustom.hfi_faults_aborts_total").Add(3);
  store.CounterNamed("wasmcustom.wasmcustom.hfi_faults_delays_total").Add(5);
  store.CounterNamed("wasmcustom.my-app.requests@edge").Add(2);
  store.CounterNamed("wasmcustom.9lives_total").Add(9);  // starts with a digit: dropped

  store.GaugeNamed("server.live").Set(1);
  store.GaugeNamed("server.memory_allocated").Set(123'456'789);
  store.GaugeNamed("server.uptime").Set(3600);
  store.GaugeNamed(reviews + "membership_healthy").Set(3);
  store.GaugeNamed("listener_manager.total_listeners_active").Set(4);
  store.GaugeNamed("server.hot_restart_epoch");
  store.GaugeNamed("wasmcustom.1st_gauge").Set(1);  // dropped

  Histogram& delay =
      store.HistogramNamed("wasmcustom.wasmcustom.hfi_faults_delay_duration_milliseconds");
  for (std::uint64_t v : {20, 20, 25, 500, 0, 3'600'000, 7'200'000})
    delay.Record(v);
  Histogram& rq_time = store.HistogramNamed(reviews + "upstream_rq_time");
  for (std::uint64_t v : {1, 2, 3, 5, 8, 13, 21, 34, 55, 89})
    rq_time.Record(v);
  store.HistogramNamed("listener.0.0.0.0_15006.downstream_cx_length_ms").Record(12);
  store.HistogramNamed("server.initialization_time_ms");  // never recorded: all zero
  store.Flush();
}

const prom::Family* Find(const prom::ParseResult& r, const char* name) {
  for (const auto& f : r.families) {
    if (f.name == name)
      return &f;
  }
  return nullptr;
}

TEST(RenderPromtoolTest, RealisticStoreParsesInPromtoolAndStrictMode) {
  StatStore store(StatsMatcher::AcceptAll());
  FillRealisticStore(store);
  const std::string text = RenderPrometheus(store);

  const prom::ParseResult r = ParseStrict(text);
  ASSERT_TRUE(r.ok()) << Diagnostics(r) << text;
  EXPECT_TRUE(r.diagnostics.empty()) << Diagnostics(r);
  // 13 counters, 7 gauges, 4 histograms in the store; two custom names start with a digit.
  EXPECT_EQ(r.families.size(), 12u + 6u + 4u) << text;
  EXPECT_EQ(text.find("9lives"), std::string::npos);
  EXPECT_EQ(text.find("1st_gauge"), std::string::npos);

  const prom::Family* aborts = Find(r, "wasmcustom_hfi_faults_aborts_total");
  ASSERT_NE(aborts, nullptr) << text;
  EXPECT_EQ(aborts->type, prometheus::MetricType::Counter);
  ASSERT_EQ(aborts->model().metric.size(), 1u);
  EXPECT_EQ(aborts->model().metric[0].counter.value, 3);
  const prom::Family* delays = Find(r, "wasmcustom_hfi_faults_delays_total");
  ASSERT_NE(delays, nullptr) << text;
  EXPECT_EQ(delays->model().metric[0].counter.value, 5);
  const prom::Family* delay = Find(r, "wasmcustom_hfi_faults_delay_duration_milliseconds");
  ASSERT_NE(delay, nullptr) << text;
  EXPECT_EQ(delay->type, prometheus::MetricType::Histogram);
  ASSERT_EQ(delay->model().metric.size(), 1u);
  const auto& hist = delay->model().metric[0].histogram;
  EXPECT_EQ(hist.sample_count, 7u);
  ASSERT_EQ(hist.bucket.size(), 20u);               // 19 bounds and +Inf
  EXPECT_EQ(hist.bucket[0].cumulative_count, 1u);   // le=0.5: the 0
  EXPECT_EQ(hist.bucket[4].cumulative_count, 4u);   // le=25: 0, 20, 20 and 25 on the bound
  EXPECT_EQ(hist.bucket[18].cumulative_count, 6u);  // le=3600000, on the bound
  EXPECT_EQ(hist.bucket[19].cumulative_count, 7u);  // +Inf

  // Sanitised names as Envoy writes them.
  EXPECT_NE(
      Find(r, "envoy_cluster_outbound_9080__reviews_default_svc_cluster_local_upstream_rq_total"),
      nullptr)
      << text;
  EXPECT_NE(Find(r, "envoy_reporter___destination___istio_requests_total"), nullptr) << text;
  EXPECT_NE(Find(r, "my_app_requests_edge"), nullptr) << text;
  EXPECT_NE(Find(r, "envoy_listener_0_0_0_0_15006_downstream_cx_total"), nullptr) << text;

  if (!PromtoolOnPath())
    GTEST_SKIP() << "promtool is not on PATH";
  const PromtoolResult pt = CheckMetrics(text, "realistic");
  ASSERT_NE(pt.status, -1) << "could not run promtool";
  EXPECT_EQ(pt.status, 3) << "expected lint findings only\n" << pt.output;
  EXPECT_EQ(pt.output.find("parsing error"), std::string::npos) << pt.output;
  EXPECT_EQ(pt.output.find("error while linting"), std::string::npos) << pt.output;
  // promtool lints only after the whole text parsed; a finding on one of ours shows it read it.
  EXPECT_NE(pt.output.find("envoy_server_initialization_time_ms no help text"), std::string::npos)
      << pt.output;
}

TEST(RenderPromtoolTest, UsedOnlyAndEmptyRenderingsParse) {
  StatStore store(StatsMatcher::AcceptAll());
  FillRealisticStore(store);
  RenderOptions used_only;
  used_only.used_only = true;
  const std::string used = RenderPrometheus(store, used_only);
  EXPECT_EQ(used.find("server_watchdog_miss"), std::string::npos) << used;
  const prom::ParseResult r = ParseStrict(used);
  EXPECT_TRUE(r.ok()) << Diagnostics(r) << used;

  StatStore empty(StatsMatcher::AcceptAll());
  const std::string nothing = RenderPrometheus(empty);
  EXPECT_EQ(nothing, "");
  EXPECT_TRUE(ParseStrict(nothing).ok());

  if (!PromtoolOnPath())
    GTEST_SKIP() << "promtool is not on PATH";
  ExpectPromtoolParses(used, "usedonly");
  ExpectPromtoolParses(nothing, "empty");
}

// Arbitrary stat names (dots, punctuation, spaces, bytes >= 0x80, custom and plain) with
// arbitrary values: whatever survives sanitising must parse. Names whose family collides with an
// earlier one are left out: Envoy groups by internal name and would print a second TYPE line for
// them too, which no parser accepts.
TEST(RenderPromtoolTest, ArbitraryNamesAndValuesParse) {
  std::mt19937_64 rng(20240611);
  const std::string alphabet = "abcxyzABZ019_.-|@=;:/ \t\"\\{}#,+\x7f\xc3\xa9\xff";
  auto random_name = [&] {
    std::string name = rng() % 3 == 0 ? "wasmcustom." : "";
    const std::size_t len = 1 + rng() % 24;
    for (std::size_t i = 0; i < len; ++i)
      name += alphabet[rng() % alphabet.size()];
    return name;
  };
  StatStore store(StatsMatcher::AcceptAll());
  // Every sample name a family writes: `p` for a counter or gauge, and `p`, `p_bucket`, `p_sum`
  // and `p_count` for a histogram (the text format finds a histogram's family by those suffixes).
  std::set<std::string> sample_names;
  auto claim = [&](const std::string& name, bool histogram) {
    auto prom = PrometheusName(name);
    if (!prom)
      return true;  // dropped from the output: nothing to collide with
    std::vector<std::string> names = {*prom};
    if (histogram) {
      for (const char* suffix : {"_bucket", "_sum", "_count"})
        names.push_back(*prom + suffix);
    }
    for (const auto& n : names) {
      if (sample_names.count(n) != 0)
        return false;
    }
    sample_names.insert(names.begin(), names.end());
    return true;
  };
  for (int i = 0; i < 150; ++i) {
    const std::string name = random_name();
    if (store.counters().count(name) != 0 || !claim(name, false))
      continue;
    store.CounterNamed(name).Add(rng() % 4 == 0 ? ~std::uint64_t{0} - rng() % 10 : rng() % 1000);
  }
  for (int i = 0; i < 100; ++i) {
    const std::string name = random_name();
    if (store.gauges().count(name) != 0 || !claim(name, false))
      continue;
    store.GaugeNamed(name).Set(rng());
  }
  for (int i = 0; i < 40; ++i) {
    const std::string name = random_name();
    if (store.histograms().count(name) != 0 || !claim(name, true))
      continue;
    Histogram& h = store.HistogramNamed(name);
    const int samples = static_cast<int>(rng() % 6);
    for (int s = 0; s < samples; ++s)
      h.Record(rng() % 10'000'000);
  }
  store.Flush();
  const std::string text = RenderPrometheus(store);
  ASSERT_FALSE(text.empty());

  const prom::ParseResult r = ParseStrict(text);
  EXPECT_TRUE(r.ok()) << Diagnostics(r) << text;

  if (!PromtoolOnPath())
    GTEST_SKIP() << "promtool is not on PATH";
  ExpectPromtoolParses(text, "arbitrary");
}

}  // namespace
}  // namespace hfi::envoystats

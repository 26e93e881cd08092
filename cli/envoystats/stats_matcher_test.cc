#include "envoystats/stats_matcher.h"

#include <gtest/gtest.h>

#include "envoystats/stat_store.h"

namespace hfi::envoystats {
namespace {

TEST(StatsMatcherTest, IstioDefaultAdmitsEveryWasmcustomSpellingThroughTheWasmPrefix) {
  // facts/envoy-istio.md §3.1: the required prefix "wasm" is a plain string prefix.
  StatsMatcher m = StatsMatcher::IstioDefault();
  EXPECT_TRUE(m.Accepts("wasmcustom.hfi_faults_aborts_total"));
  EXPECT_TRUE(m.Accepts("wasmcustom.wasmcustom.hfi_faults_aborts_total"));
  EXPECT_TRUE(m.Accepts("wasmcustom.hfi.faults.delays_total"));
  EXPECT_TRUE(m.Accepts("wasm.envoy.wasm.runtime.v8.active"));
  EXPECT_TRUE(m.Accepts("server.live"));
  EXPECT_TRUE(m.Accepts("istio_requests_total"));
  EXPECT_TRUE(m.Accepts("http.inbound.rbac.allowed"));
  EXPECT_TRUE(m.Accepts("vhost.x.route.y.upstream_rq_total"));
}

TEST(StatsMatcherTest, IstioDefaultRejectsNamesOutsideItsList) {
  // A pre-1.20 Envoy stored the plugin's name without `wasmcustom.`: the default list hid it.
  StatsMatcher m = StatsMatcher::IstioDefault();
  EXPECT_FALSE(m.Accepts("hfi_faults_aborts_total"));
  EXPECT_FALSE(m.Accepts("http.inbound_0.0.0.0_8080.fault.aborts_injected"));
  // Regexes must match the whole name: "vhost" alone is not a match.
  EXPECT_FALSE(m.Accepts("vhost.x"));
}

TEST(StatsMatcherTest, ExtraPatternsAreAdded) {
  StatsMatcher m = StatsMatcher::IstioDefault({"hfi"}, {"_injected"}, {".*fault.*"});
  EXPECT_TRUE(m.Accepts("hfi_faults_aborts_total"));
  EXPECT_TRUE(m.Accepts("http.x.aborts_injected"));
  EXPECT_TRUE(m.Accepts("http.inbound.fault.delays"));
}

TEST(StatsMatcherTest, ModesAndPatternKinds) {
  EXPECT_TRUE(StatsMatcher::AcceptAll().Accepts("anything"));
  EXPECT_FALSE(StatsMatcher::RejectAll().Accepts("wasmcustom.x"));
  using K = Pattern::Kind;
  StatsMatcher inc = StatsMatcher::Inclusion({{K::kExact, "a.b"}, {K::kContains, "mid"}});
  EXPECT_TRUE(inc.Accepts("a.b"));
  EXPECT_FALSE(inc.Accepts("a.bc"));
  EXPECT_TRUE(inc.Accepts("x.mid.y"));
  StatsMatcher exc = StatsMatcher::Exclusion({{K::kPrefix, "wasmcustom."}});
  EXPECT_FALSE(exc.Accepts("wasmcustom.hfi_faults_aborts_total"));
  EXPECT_TRUE(exc.Accepts("server.live"));
  // The original project's EnvoyFilter prefix does not match the double-prefixed internal name
  // (facts/envoy-istio.md §5): a plain prefix is compared against the whole internal name.
  StatsMatcher original = StatsMatcher::Inclusion({{K::kPrefix, "wasmcustom.hfi_faults"}});
  EXPECT_FALSE(original.Accepts("wasmcustom.wasmcustom.hfi_faults_aborts_total"));
}

TEST(StatsMatcherTest, ParsePattern) {
  Pattern p;
  std::string error;
  ASSERT_TRUE(ParsePattern("prefix:wasmcustom.", &p, &error)) << error;
  EXPECT_EQ(p.kind, Pattern::Kind::kPrefix);
  EXPECT_EQ(p.value, "wasmcustom.");
  EXPECT_EQ(p.Describe(), "prefix:wasmcustom.");
  ASSERT_TRUE(ParsePattern("regex:.*hfi.*", &p, &error)) << error;
  EXPECT_EQ(p.kind, Pattern::Kind::kSafeRegex);
  EXPECT_FALSE(ParsePattern("wasmcustom", &p, &error));
  EXPECT_EQ(error,
            "'wasmcustom': expected KIND:VALUE with KIND prefix, suffix, exact, contains or regex");
  EXPECT_FALSE(ParsePattern("glob:x*", &p, &error));
  EXPECT_EQ(error,
            "'glob:x*': unknown pattern kind 'glob' (use prefix, suffix, exact, contains or "
            "regex)");
  EXPECT_FALSE(ParsePattern("regex:(", &p, &error));
  EXPECT_EQ(error.rfind("'regex:(': ", 0), 0u) << error;
}

TEST(StatStoreTest, RejectedNamesGetANullStatWhoseUpdatesVanish) {
  StatStore store(StatsMatcher::RejectAll());
  Counter& c = store.CounterNamed("wasmcustom.hfi_faults_aborts_total");
  c.Add(3);
  EXPECT_EQ(c.value(), 0u);
  EXPECT_TRUE(c.is_null());
  Histogram& h = store.HistogramNamed("wasmcustom.hfi_faults_delay_duration_milliseconds");
  h.Record(500);
  store.Flush();
  EXPECT_EQ(h.sample_count(), 0u);
  EXPECT_TRUE(store.counters().empty());
  EXPECT_TRUE(store.histograms().empty());
}

TEST(StatStoreTest, DefiningTheSameNameAgainReturnsTheSameStat) {
  StatStore store(StatsMatcher::AcceptAll());
  Counter& a = store.CounterNamed("wasmcustom.x");
  a.Add(2);
  Counter& b = store.CounterNamed("wasmcustom.x");
  EXPECT_EQ(&a, &b);
  EXPECT_EQ(b.value(), 2u);
}

TEST(StatStoreTest, HistogramDataBecomesVisibleAtFlush) {
  StatStore store(StatsMatcher::AcceptAll());
  Histogram& h = store.HistogramNamed("wasmcustom.h");
  h.Record(500);
  EXPECT_EQ(h.sample_count(), 0u);
  EXPECT_EQ(h.pending_count(), 1u);
  store.Flush();
  EXPECT_EQ(h.sample_count(), 1u);
  EXPECT_EQ(h.pending_count(), 0u);
  EXPECT_DOUBLE_EQ(h.sample_sum(), 500);
}

TEST(StatStoreTest, GaugeSubtractionSaturatesAtZero) {
  StatStore store(StatsMatcher::AcceptAll());
  Gauge& g = store.GaugeNamed("wasmcustom.g");
  g.Add(2);
  g.Sub(5);
  EXPECT_EQ(g.value(), 0u);
}

}  // namespace
}  // namespace hfi::envoystats

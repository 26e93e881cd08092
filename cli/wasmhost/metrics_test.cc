// Metric semantics (facts/proxy-wasm-abi.md §8.3), first on the table itself, then through the
// hostcalls of a plugin, into the Envoy-like stat store.
#include "wasmhost/metrics.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

#include "wasmhost/test_support.h"

namespace hfi::wasmhost {
namespace {

using envoystats::StatsMatcher;
using envoystats::StatStore;
using ::testing::ElementsAre;
using testing::HostFixture;
using testing::PluginWat;

constexpr std::uint32_t kCounter = 0, kGauge = 1, kHistogram = 2;

class MetricTableTest : public ::testing::Test {
 protected:
  std::uint32_t Define(std::uint32_t type, std::string_view name) {
    std::uint32_t id = 0;
    EXPECT_EQ(table_.Define(type, name, &id), WasmResult::kOk);
    return id;
  }

  StatStore store_{StatsMatcher::AcceptAll()};
  MetricTable table_{store_};
};

TEST_F(MetricTableTest, IdsAreFourKPlusType) {
  EXPECT_EQ(Define(kCounter, "c"), 4u);
  EXPECT_EQ(Define(kGauge, "g"), 5u);
  EXPECT_EQ(Define(kHistogram, "h"), 6u);
  EXPECT_EQ(Define(kCounter, "c2"), 8u);
  std::uint32_t id = 99;
  EXPECT_EQ(table_.Define(3, "x", &id), WasmResult::kBadArgument);
  EXPECT_EQ(id, 99u);
}

TEST_F(MetricTableTest, NamesGetTheWasmcustomNamespace) {
  Define(kCounter, "wasmcustom.hfi_faults_aborts_total");
  Define(kHistogram, "hfi.faults.delay");
  EXPECT_EQ(store_.counters().count("wasmcustom.wasmcustom.hfi_faults_aborts_total"), 1u);
  EXPECT_EQ(store_.histograms().count("wasmcustom.hfi.faults.delay"), 1u);
}

TEST_F(MetricTableTest, CounterIncrementRecordAndGet) {
  const std::uint32_t c = Define(kCounter, "c");
  EXPECT_EQ(table_.Increment(c, 2), WasmResult::kOk);
  EXPECT_EQ(table_.Increment(c, 0), WasmResult::kBadArgument);  // zero is refused too
  EXPECT_EQ(table_.Increment(c, -1), WasmResult::kBadArgument);
  EXPECT_EQ(table_.Record(c, 5), WasmResult::kOk);  // record adds to a counter
  std::uint64_t value = 0;
  EXPECT_EQ(table_.Get(c, &value), WasmResult::kOk);
  EXPECT_EQ(value, 7u);
  EXPECT_EQ(store_.counters().at("wasmcustom.c").value(), 7u);
}

TEST_F(MetricTableTest, GaugeIncrementSubtractsAndRecordSets) {
  const std::uint32_t g = Define(kGauge, "g");
  EXPECT_EQ(table_.Record(g, 10), WasmResult::kOk);
  EXPECT_EQ(table_.Increment(g, 5), WasmResult::kOk);
  EXPECT_EQ(table_.Increment(g, -3), WasmResult::kOk);
  EXPECT_EQ(table_.Increment(g, 0), WasmResult::kOk);
  std::uint64_t value = 0;
  EXPECT_EQ(table_.Get(g, &value), WasmResult::kOk);
  EXPECT_EQ(value, 12u);
  EXPECT_EQ(table_.Record(g, 4), WasmResult::kOk);
  EXPECT_EQ(table_.Get(g, &value), WasmResult::kOk);
  EXPECT_EQ(value, 4u);
  // INT64_MIN has no int64 negation; it must still subtract (saturating at 0 in this store).
  EXPECT_EQ(table_.Increment(g, std::numeric_limits<std::int64_t>::min()), WasmResult::kOk);
  EXPECT_EQ(table_.Get(g, &value), WasmResult::kOk);
  EXPECT_EQ(value, 0u);
}

TEST_F(MetricTableTest, HistogramRecordsButCannotBeIncrementedOrRead) {
  const std::uint32_t h = Define(kHistogram, "h");
  EXPECT_EQ(table_.Record(h, 500), WasmResult::kOk);
  EXPECT_EQ(table_.Increment(h, 1), WasmResult::kBadArgument);
  std::uint64_t value = 0;
  EXPECT_EQ(table_.Get(h, &value), WasmResult::kBadArgument);
  store_.Flush();
  EXPECT_EQ(store_.histograms().at("wasmcustom.h").sample_count(), 1u);
  EXPECT_EQ(store_.histograms().at("wasmcustom.h").sample_sum(), 500.0);
}

TEST_F(MetricTableTest, UnknownIdsFollowTheirTypeBits) {
  Define(kCounter, "c");
  std::uint64_t value = 0;
  EXPECT_EQ(table_.Increment(8, 1), WasmResult::kNotFound);  // counter bits, never defined
  EXPECT_EQ(table_.Increment(8, 0), WasmResult::kNotFound);  // NotFound before the delta check
  EXPECT_EQ(table_.Increment(9, 1), WasmResult::kNotFound);
  EXPECT_EQ(table_.Increment(10, 1), WasmResult::kBadArgument);
  EXPECT_EQ(table_.Increment(7, 1), WasmResult::kBadArgument);
  EXPECT_EQ(table_.Record(8, 1), WasmResult::kNotFound);
  EXPECT_EQ(table_.Record(9, 1), WasmResult::kNotFound);
  EXPECT_EQ(table_.Record(10, 1), WasmResult::kNotFound);
  EXPECT_EQ(table_.Record(7, 1), WasmResult::kNotFound);
  EXPECT_EQ(table_.Get(8, &value), WasmResult::kNotFound);
  EXPECT_EQ(table_.Get(9, &value), WasmResult::kNotFound);
  EXPECT_EQ(table_.Get(10, &value), WasmResult::kBadArgument);
  EXPECT_EQ(table_.Get(7, &value), WasmResult::kBadArgument);
}

TEST_F(MetricTableTest, RedefiningANameGivesANewIdOnTheSameStat) {
  const std::uint32_t first = Define(kCounter, "c");
  const std::uint32_t second = Define(kCounter, "c");
  EXPECT_NE(first, second);
  EXPECT_EQ(table_.Increment(first, 1), WasmResult::kOk);
  EXPECT_EQ(table_.Increment(second, 1), WasmResult::kOk);
  std::uint64_t value = 0;
  EXPECT_EQ(table_.Get(first, &value), WasmResult::kOk);
  EXPECT_EQ(value, 2u);
}

// The hostcalls: ids written to plugin memory, the i64 argument arriving signed, values read
// back as u64.
constexpr const char* kMetricPlugin = R"(
  (data (i32.const 1024) "wasmcustom.hfi_faults_aborts_total")
  (data (i32.const 1072) "gauge")
  (data (i32.const 1088) "histo")
  (func (export "proxy_on_vm_start") (param i32 i32) (result i32)
    (call $note (call $proxy_define_metric (i32.const 0) (i32.const 1024) (i32.const 34)
                                           (i32.const 512)))
    (call $note (call $proxy_define_metric (i32.const 1) (i32.const 1072) (i32.const 5)
                                           (i32.const 516)))
    (call $note (call $proxy_define_metric (i32.const 2) (i32.const 1088) (i32.const 5)
                                           (i32.const 520)))
    (call $note (call $proxy_define_metric (i32.const 3) (i32.const 1088) (i32.const 5)
                                           (i32.const 524)))
    (call $note (i32.load (i32.const 512)))
    (call $note (i32.load (i32.const 516)))
    (call $note (i32.load (i32.const 520)))
    (call $flush)
    (i32.const 1))
  (func (export "proxy_on_configure") (param i32 i32) (result i32)
    (local $c i32) (local $g i32) (local $h i32)
    (local.set $c (i32.load (i32.const 512)))
    (local.set $g (i32.load (i32.const 516)))
    (local.set $h (i32.load (i32.const 520)))
    (call $note (call $proxy_increment_metric (local.get $c) (i64.const 2)))
    (call $note (call $proxy_increment_metric (local.get $c) (i64.const 0)))
    (call $note (call $proxy_increment_metric (local.get $c) (i64.const -1)))
    (call $note (call $proxy_record_metric (local.get $c) (i64.const 5)))
    (call $note (call $proxy_get_metric (local.get $c) (i32.const 600)))
    (call $note (i32.wrap_i64 (i64.load (i32.const 600))))
    (call $note (call $proxy_record_metric (local.get $g) (i64.const 8)))
    (call $note (call $proxy_increment_metric (local.get $g) (i64.const -3)))
    (call $note (call $proxy_get_metric (local.get $g) (i32.const 600)))
    (call $note (i32.wrap_i64 (i64.load (i32.const 600))))
    (call $note (call $proxy_record_metric (local.get $h) (i64.const 500)))
    (call $note (call $proxy_increment_metric (local.get $h) (i64.const 1)))
    (call $note (call $proxy_get_metric (local.get $h) (i32.const 600)))
    (call $note (call $proxy_get_metric (i32.const 40) (i32.const 600)))
    (call $note (call $proxy_record_metric (i32.const 7) (i64.const 1)))
    (call $flush)
    (i32.const 1))
)";

const std::vector<std::string_view> kMetricImports = {"proxy_log", "proxy_define_metric",
                                                      "proxy_increment_metric",
                                                      "proxy_record_metric", "proxy_get_metric"};

TEST(MetricHostcallTest, SemanticsThroughThePlugin) {
  HostFixture fixture;
  fixture.LoadAndStart(PluginWat(kMetricImports, kMetricPlugin));
  EXPECT_THAT(
      fixture.PluginLogs(),
      ElementsAre("0002456",  // three defines Ok, type 3 BadArgument; ids 4, 5, 6
                              // counter: +2 Ok, +0 and -1 BadArgument, record adds, get 7;
                              // gauge: set 8, -3, get 5; histogram: record Ok, increment and get
                              // BadArgument; unknown counter id NotFound; type 3 record NotFound
                  "022007000502211"));
  EXPECT_EQ(fixture.stats.counters().at("wasmcustom.wasmcustom.hfi_faults_aborts_total").value(),
            7u);
  EXPECT_EQ(fixture.stats.gauges().at("wasmcustom.gauge").value(), 5u);
  const envoystats::Histogram& histogram = fixture.stats.histograms().at("wasmcustom.histo");
  EXPECT_EQ(histogram.pending_count(), 1u);  // visible after the next stats flush
  fixture.stats.Flush();
  EXPECT_EQ(histogram.sample_count(), 1u);
}

TEST(MetricHostcallTest, RejectedNameDefinesButUpdatesVanish) {
  // Istio's default inclusion list admits `wasmcustom.`; this one admits nothing of ours.
  HostFixture fixture(StatsMatcher::Inclusion({{envoystats::Pattern::Kind::kPrefix, "cluster."}}));
  fixture.LoadAndStart(PluginWat(kMetricImports, kMetricPlugin));
  // Every call still succeeds; the counter and gauge read 0.
  EXPECT_THAT(fixture.PluginLogs(), ElementsAre("0002456", "022000000002211"));
  const envoystats::Counter& counter =
      fixture.stats.CounterNamed("wasmcustom.wasmcustom.hfi_faults_aborts_total");
  EXPECT_TRUE(counter.is_null());
  EXPECT_EQ(counter.value(), 0u);
  EXPECT_TRUE(fixture.stats.counters().empty());
}

TEST(MetricHostcallTest, IstioDefaultMatcherKeepsWasmcustomNames) {
  HostFixture fixture(StatsMatcher::IstioDefault());
  fixture.LoadAndStart(PluginWat(kMetricImports, kMetricPlugin));
  EXPECT_EQ(fixture.stats.counters().at("wasmcustom.wasmcustom.hfi_faults_aborts_total").value(),
            7u);
}

}  // namespace
}  // namespace hfi::wasmhost

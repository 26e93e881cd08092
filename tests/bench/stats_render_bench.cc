// One `/stats/prometheus` render (envoystats::RenderPrometheus) of a store holding 10,000
// Envoy-like stats plus HFI's three. Goal: the stats endpoint stays under 500 ms under load.
//
// The store models a sidecar that keeps every stat (stats matcher accepting all, as with
// `sidecar.istio.io/statsInclusionPrefixes` set wide): 50 upstream clusters of 180 stats each
// (130 counters, 46 gauges, 4 histograms), 10 listeners of 55 (45, 8, 2) and 10 HTTP connection
// managers of 45 (37, 5, 3), named as Envoy names them. Each histogram holds samples from two
// flushes; counters and gauges hold values of various widths.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "envoystats/admin_render.h"
#include "envoystats/stat_store.h"
#include "plugin/metric_names.h"

namespace hfi::envoystats {
namespace {

struct Shape {
  int counters;
  int gauges;
  int histograms;
};

// Real Envoy stat names first; past them, the numbered response-code and retry stats Envoy also
// keeps per cluster (upstream_rq_200, ...), which is where the bulk of a big store comes from.
const std::vector<std::string> kCounterNames = {"upstream_cx_total",
                                                "upstream_cx_http1_total",
                                                "upstream_cx_http2_total",
                                                "upstream_cx_connect_fail",
                                                "upstream_cx_destroy",
                                                "upstream_cx_destroy_local",
                                                "upstream_cx_destroy_remote",
                                                "upstream_cx_rx_bytes_total",
                                                "upstream_cx_tx_bytes_total",
                                                "upstream_rq_total",
                                                "upstream_rq_2xx",
                                                "upstream_rq_4xx",
                                                "upstream_rq_5xx",
                                                "upstream_rq_timeout",
                                                "upstream_rq_retry",
                                                "upstream_rq_retry_success",
                                                "upstream_rq_pending_total",
                                                "upstream_rq_cancelled",
                                                "lb_healthy_panic",
                                                "update_attempt",
                                                "update_success",
                                                "update_no_rebuild",
                                                "membership_change",
                                                "retry_or_shadow_abandoned"};
const std::vector<std::string> kGaugeNames = {"upstream_cx_active",
                                              "upstream_cx_rx_bytes_buffered",
                                              "upstream_cx_tx_bytes_buffered",
                                              "upstream_rq_active",
                                              "upstream_rq_pending_active",
                                              "membership_healthy",
                                              "membership_degraded",
                                              "membership_total",
                                              "max_host_weight",
                                              "version"};
const std::vector<std::string> kHistogramNames = {"upstream_cx_connect_ms", "upstream_cx_length_ms",
                                                  "upstream_rq_time", "downstream_rq_time"};

std::string NameAt(const std::vector<std::string>& names, int i, const char* numbered) {
  if (i < static_cast<int>(names.size()))
    return names[static_cast<std::size_t>(i)];
  return std::string(numbered) + std::to_string(100 + i);
}

void AddScope(StatStore& store, std::mt19937_64& rng, const std::string& scope,
              const Shape& shape) {
  for (int i = 0; i < shape.counters; ++i)
    store.CounterNamed(scope + NameAt(kCounterNames, i, "upstream_rq_"))
        .Add(rng() % (std::uint64_t{1} << (rng() % 40)) + 1);
  for (int i = 0; i < shape.gauges; ++i)
    store.GaugeNamed(scope + NameAt(kGaugeNames, i, "circuit_breakers.priority_"))
        .Set(rng() % 100000);
  for (int i = 0; i < shape.histograms; ++i) {
    Histogram& histogram = store.HistogramNamed(scope + NameAt(kHistogramNames, i, "rq_time_"));
    for (int sample = 0; sample < 50; ++sample)
      histogram.Record(rng() % 5000);
  }
}

const StatStore& BigStore() {
  static StatStore* store = [] {
    auto* s = new StatStore(StatsMatcher::AcceptAll());
    std::mt19937_64 rng(42);
    for (int c = 0; c < 50; ++c) {
      AddScope(*s, rng,
               "cluster.outbound|9080||reviews-" + std::to_string(c) + ".demo.svc.cluster.local.",
               {130, 46, 4});
    }
    for (int l = 0; l < 10; ++l)
      AddScope(*s, rng, "listener.10.0." + std::to_string(l) + ".7_15006.", {45, 8, 2});
    for (int h = 0; h < 10; ++h)
      AddScope(*s, rng, "http.inbound_0.0.0.0_" + std::to_string(9080 + h) + ".", {37, 5, 3});
    s->Flush();
    // HFI's three, as the plugin leaves them after some traffic.
    const std::string ns = "wasmcustom.";
    s->CounterNamed(ns + std::string(metrics::kAborts.defined)).Add(12);
    s->CounterNamed(ns + std::string(metrics::kDelays.defined)).Add(7);
    Histogram& delays = s->HistogramNamed(ns + std::string(metrics::kDelayDuration.defined));
    for (int i = 0; i < 7; ++i)
      delays.Record(500);
    for (int i = 0; i < 50; ++i)
      s->HistogramNamed("cluster.outbound|9080||reviews-0.demo.svc.cluster.local.upstream_rq_time")
          .Record(rng() % 5000);
    s->Flush();
    return s;
  }();
  return *store;
}

void BM_RenderPrometheus(benchmark::State& state) {
  const StatStore& store = BigStore();
  const std::size_t stats =
      store.counters().size() + store.gauges().size() + store.histograms().size();
  std::size_t bytes = 0;
  for (auto _ : state) {
    std::string text = RenderPrometheus(store);
    bytes = text.size();
    benchmark::DoNotOptimize(text.data());
  }
  state.counters["stats"] = static_cast<double>(stats);
  state.counters["output_bytes"] = static_cast<double>(bytes);
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * bytes));
}
BENCHMARK(BM_RenderPrometheus)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace hfi::envoystats

BENCHMARK_MAIN();

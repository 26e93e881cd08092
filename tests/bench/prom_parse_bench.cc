// Parser throughput and memory on a synthetic ~50 MB Envoy-shaped exposition.
// Goal (cli/prom): >= 300 MB/s, peak memory <= 3x the input, in scrape and strict modes, for the
// parse plus prometheus-cpp's model of every family (`*_keep_all`: all models built and held at
// once, as a caller serialising the whole scrape would). `*_keep_hfi` keeps only the three HFI
// families, as `verify` does; `scrape_keep_all_lazy` is the parse alone (samples stored
// compactly, no model asked for); `scrape_keep_all_streamed` builds every model but holds one at
// a time (Family::BuildModel). Peak memory is the process's: run one benchmark per process
// (tests/bench/prom_parse_rss.sh does) to read a single configuration's figure.
//
// The input models what `/stats/prometheus` of a busy Istio sidecar returns
// (facts/envoy-istio.md §2): every counter family first, then gauges, then histograms; one
// `# TYPE` per family, no HELP, no blank lines, `{}` for stats without tags. Per upstream cluster
// there are eight stats that tag extraction left in the name (so tens of thousands of families,
// as with many clusters and no `cluster_name` extractor), and two histograms with Envoy's 19
// default bounds plus `+Inf`, `_sum` printed with %.32g and `_count`. Istio's
// `istio_requests_total` and `istio_request_duration_milliseconds` carry their ~20 standard
// labels. The three HFI families are among them, so a `keep` filter for just those is measured
// too. tests/bench/make_big_prom.py writes the same shape to a file.
#include <benchmark/benchmark.h>
#include <sys/resource.h>
#include <time.h>

#include <algorithm>
#include <cstdio>
#include <random>
#include <string>
#include <string_view>

#include "prom/parser.h"

namespace hfi::prom {
namespace {

constexpr std::size_t kTargetBytes = 50u << 20;

const char* const kBounds[] = {"0.5",   "1",      "5",      "10",      "25",     "50",    "100",
                               "250",   "500",    "1000",   "2500",    "5000",   "10000", "30000",
                               "60000", "300000", "600000", "1800000", "3600000"};

const char* const kClusterCounters[] = {"upstream_cx_total",   "upstream_rq_total",
                                        "upstream_rq_2xx",     "upstream_rq_5xx",
                                        "upstream_cx_destroy", "upstream_rq_retry"};
const char* const kClusterGauges[] = {"upstream_cx_active", "membership_healthy"};
const char* const kClusterHistograms[] = {"upstream_cx_length_ms", "upstream_rq_time"};

struct Generator {
  std::mt19937_64 rng{12345};
  std::string out;

  std::string Count() { return std::to_string(rng() % 1000000); }

  // %.32g of a sum, as Envoy prints it: up to 32 significant digits.
  std::string Sum() {
    char buf[64];
    std::snprintf(buf, sizeof(buf), "%.32g",
                  static_cast<double>(rng() % 100000000) / 7.0 + 0.000123456789);
    return buf;
  }

  static std::string Cluster(int c) {
    return "outbound_9080_v1_reviews" + std::to_string(c) + "_default_svc_cluster_local";
  }

  static std::string IstioLabels(int s) {
    const std::string n = std::to_string(s);
    return "reporter=\"destination\",source_workload=\"productpage-v1\",source_canonical_service="
           "\"productpage\",source_canonical_revision=\"v1\",source_workload_namespace=\"default\","
           "source_principal=\"spiffe://cluster.local/ns/default/sa/bookinfo-productpage\","
           "source_app=\"productpage\",source_version=\"v1\",source_cluster=\"Kubernetes\","
           "destination_workload=\"reviews-v" +
           n +
           "\",destination_workload_namespace=\"default\",destination_principal=\"spiffe://"
           "cluster.local/ns/default/sa/bookinfo-reviews\",destination_app=\"reviews\","
           "destination_version=\"v" +
           n +
           "\",destination_service=\"reviews.default.svc.cluster.local\","
           "destination_canonical_service=\"reviews\",destination_canonical_revision=\"v" +
           n +
           "\",destination_service_name=\"reviews\",destination_service_namespace=\"default\","
           "destination_cluster=\"Kubernetes\",request_protocol=\"http\",response_code=\"" +
           std::to_string(200 + (s % 5) * 100) +
           "\",grpc_response_status=\"\",response_flags=\"-\",connection_security_policy="
           "\"mutual_tls\"";
  }

  void Histogram(const std::string& name, const std::string& labels) {
    const std::string sep = labels.empty() ? "" : ",";
    std::uint64_t cumulative = 0;
    for (const char* bound : kBounds) {
      cumulative += rng() % 50;
      out += name + "_bucket{" + labels + sep + "le=\"" + bound + "\"} " +
             std::to_string(cumulative) + "\n";
    }
    out += name + "_bucket{" + labels + sep + "le=\"+Inf\"} " + std::to_string(cumulative) + "\n";
    out += name + "_sum{" + labels + "} " + Sum() + "\n";
    out += name + "_count{" + labels + "} " + std::to_string(cumulative) + "\n";
  }

  // Clusters are sized so the whole exposition lands near `target` bytes.
  std::string Make(std::size_t target) {
    constexpr int kIstioSeries = 2000;
    constexpr int kIstioHistogramSeries = 150;
    const std::size_t fixed = static_cast<std::size_t>(kIstioSeries) * 800 +
                              static_cast<std::size_t>(kIstioHistogramSeries) * 22 * 850;
    const int clusters = static_cast<int>((target - fixed) / 6300);
    out.reserve(target + target / 8);

    out += "# TYPE istio_requests_total counter\n";
    for (int s = 0; s < kIstioSeries; ++s) {
      out += "istio_requests_total{" + IstioLabels(s) + "} " + Count() + "\n";
    }
    out += "# TYPE wasmcustom_hfi_faults_aborts_total counter\n";
    out += "wasmcustom_hfi_faults_aborts_total{} 3\n";
    out += "# TYPE wasmcustom_hfi_faults_delays_total counter\n";
    out += "wasmcustom_hfi_faults_delays_total{} 7\n";
    for (const char* stat : kClusterCounters) {
      for (int c = 0; c < clusters; ++c) {
        const std::string name = "envoy_cluster_" + Cluster(c) + "_" + stat;
        out += "# TYPE " + name + " counter\n" + name + "{} " + Count() + "\n";
      }
    }
    for (const char* stat : kClusterGauges) {
      for (int c = 0; c < clusters; ++c) {
        const std::string name = "envoy_cluster_" + Cluster(c) + "_" + stat;
        out += "# TYPE " + name + " gauge\n" + name + "{} " + Count() + "\n";
      }
    }
    out += "# TYPE istio_request_duration_milliseconds histogram\n";
    for (int s = 0; s < kIstioHistogramSeries; ++s) {
      Histogram("istio_request_duration_milliseconds", IstioLabels(s));
    }
    out += "# TYPE wasmcustom_hfi_faults_delay_duration_milliseconds histogram\n";
    Histogram("wasmcustom_hfi_faults_delay_duration_milliseconds", "");
    for (const char* stat : kClusterHistograms) {
      for (int c = 0; c < clusters; ++c) {
        const std::string name = "envoy_cluster_" + Cluster(c) + "_" + stat;
        out += "# TYPE " + name + " histogram\n";
        Histogram(name, "");
      }
    }
    return std::move(out);
  }
};

const std::string& Input() {
  static const std::string input = Generator().Make(kTargetBytes);
  return input;
}

bool KeepHfi(std::string_view name) {
  return name == "wasmcustom_hfi_faults_aborts_total" ||
         name == "wasmcustom_hfi_faults_delays_total" ||
         name == "wasmcustom_hfi_faults_delay_duration_milliseconds";
}

// CPU time, as the benchmark's own figures (the machine is shared, wall time is noisy).
double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

enum class Models {
  kNone,      // the parse alone
  kHeld,      // model() of every kept family, all held until the result goes
  kStreamed,  // BuildModel() of every kept family, one at a time
};

void BM_Parse(benchmark::State& state, Mode mode, bool keep_hfi_only, Models models) {
  const std::string& input = Input();
  ParseOptions options;
  options.mode = mode;
  if (keep_hfi_only)
    options.keep = KeepHfi;
  rusage before{};
  getrusage(RUSAGE_SELF, &before);
  std::size_t families = 0, samples = 0, series = 0;
  double destroy_seconds = 0;
  for (auto _ : state) {
    ParseResult result = Parse(input, options);
    if (!result.ok()) {
      state.SkipWithError(result.diagnostics[0].Format("synthetic").c_str());
      return;
    }
    families = result.families.size();
    samples = result.samples;
    series = 0;
    for (const Family& f : result.families) {
      if (models == Models::kHeld) {
        series += f.model().metric.size();
      } else if (models == Models::kStreamed) {
        series += f.BuildModel().metric.size();
      }
    }
    benchmark::DoNotOptimize(result);
    // Freeing the result is part of the timing (every caller pays it), and reported apart.
    const double destroy_begin = ThreadCpuSeconds();
    { const ParseResult gone = std::move(result); }
    destroy_seconds += ThreadCpuSeconds() - destroy_begin;
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(input.size()) *
                          static_cast<std::int64_t>(state.iterations()));
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  // ru_maxrss is the process-wide peak in KiB (it includes the input itself and whatever an
  // earlier benchmark in the same run needed): run one benchmark per process
  // (--benchmark_filter) to read a single configuration's figure.
  const double peak_mb = static_cast<double>(usage.ru_maxrss) / 1024.0;
  state.counters["input_MB"] = static_cast<double>(input.size()) / (1 << 20);
  state.counters["rss_before_MB"] = static_cast<double>(before.ru_maxrss) / 1024.0;
  state.counters["peak_rss_MB"] = peak_mb;
  state.counters["peak_over_input"] = peak_mb / (static_cast<double>(input.size()) / (1 << 20));
  state.counters["families"] = static_cast<double>(families);
  state.counters["samples"] = static_cast<double>(samples);
  state.counters["series"] = static_cast<double>(series);
  state.counters["destroy_ms"] =
      destroy_seconds * 1000 /
      static_cast<double>(std::max<benchmark::IterationCount>(1, state.iterations()));
}

BENCHMARK_CAPTURE(BM_Parse, scrape_keep_hfi, Mode::kScrape, true, Models::kHeld)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Parse, strict_keep_hfi, Mode::kStrict, true, Models::kHeld)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Parse, scrape_keep_all, Mode::kScrape, false, Models::kHeld)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Parse, strict_keep_all, Mode::kStrict, false, Models::kHeld)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Parse, scrape_keep_all_lazy, Mode::kScrape, false, Models::kNone)
    ->Unit(benchmark::kMillisecond);
BENCHMARK_CAPTURE(BM_Parse, scrape_keep_all_streamed, Mode::kScrape, false, Models::kStreamed)
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace hfi::prom

BENCHMARK_MAIN();

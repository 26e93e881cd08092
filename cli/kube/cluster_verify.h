// `verify` against a cluster, without the command line: for every selected pod, in a bounded
// parallel pool, reach the sidecar (kubectl port-forward, or kubectl exec when forwarding is
// denied), scrape /stats/prometheus, run the verify engine, and when a metric is missing look
// deeper (/stats for internal names, /config_dump for the Wasm filter and the bootstrap stats
// matcher, the pod's annotations) for the hints only a live proxy can give. One SourceReport per
// pod, in the order the pods were given, whatever order they finish in.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "kube/kubectl.h"
#include "kube/pods.h"
#include "net/http_client.h"
#include "verify/checks.h"
#include "verify/report.h"

namespace hfi::kube {

// Which sidecar port to read: the admin API (everything), Envoy's Prometheus listener (only
// /stats/prometheus) or the agent's merged endpoint (agent + Envoy + application metrics).
enum class StatsPort { kAdmin = 15000, kEnvoyPrometheus = 15090, kMerged = 15020 };

struct ClusterVerifyOptions {
  StatsPort port = StatsPort::kAdmin;
  std::size_t concurrency = 8;
  // Everything for one pod: forward, scrapes, deep look. Past it the pod gets HFI504.
  milliseconds pod_timeout{20'000};
  // How long kubectl port-forward may take to print its Forwarding line (within pod_timeout).
  milliseconds forward_timeout{10'000};
  // Use `kubectl exec -c istio-proxy -- pilot-agent request GET stats/prometheus` when the
  // port-forward is denied.
  bool exec_fallback = true;
  // Look deeper (admin /stats and /config_dump, the annotations) when a metric is missing and
  // the port is the admin port. Off for a scrape taken only as a baseline.
  bool diagnose = true;
  verify::CheckOptions checks;
  // Called from worker threads (serialised by the pool) as pods finish: (done, total, pod).
  std::function<void(std::size_t, std::size_t, const std::string&)> progress;
  // -v: one line per HTTP request (kubectl logs its own commands), serialised by the pool.
  std::function<void(const std::string&)> log;
};

// A scrape of one pod, kept for --traffic (the baseline of the second pass).
struct PodScrape {
  std::string pod;   // display name
  std::string body;  // /stats/prometheus; empty when the pod could not be scraped
};

struct ClusterVerifyResult {
  verify::Report report;           // one source per pod, in input order
  std::vector<PodScrape> scrapes;  // same order
};

// `baselines`, when given, holds one earlier scrape per pod (same order): the checks then include
// the deltas (counters monotonic, --expect-delta). Throws only InterruptedError (exit 130) on
// Ctrl-C, after every forwarder is stopped; everything pod-specific becomes a finding on that
// pod: HFI501 no sidecar, HFI502 not running, HFI503 port-forward denied (and kubectl exec too,
// or --no-exec), HFI504 no answer in time. A pod read through kubectl exec carries a warning
// (HFI503) saying so.
ClusterVerifyResult VerifyPods(Kubectl& kubectl, net::HttpClient& http,
                               const std::vector<Pod>& pods, const ClusterVerifyOptions& options,
                               const std::vector<PodScrape>* baselines = nullptr);

// The requests `verify --traffic URL` sent and what came back.
struct ClusterTraffic {
  std::string url;
  verify::TrafficSummary summary;  // the responses (requests without one are not in it)
  std::size_t no_response = 0;
  std::string first_no_response;  // why the first request without a response failed
};

// The source "traffic" (kind traffic): one check comparing the SUM over the pods of each
// counter's increase between `before` and `after` (same order as the pods) with the faults the
// responses showed (HFI307; HFI308 when no response carried a fault), and one check that every
// request got a response (HFI504). Pods without both scrapes are left out and named.
verify::SourceReport TrafficReport(const std::vector<PodScrape>& before,
                                   const std::vector<PodScrape>& after,
                                   const ClusterTraffic& traffic);

}  // namespace hfi::kube

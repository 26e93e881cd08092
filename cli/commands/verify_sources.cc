#include "commands/verify_sources.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "commands/progress.h"
#include "commands/sidecar_flags.h"
#include "commands/verify_prometheus.h"
#include "kube/cluster_verify.h"
#include "kube/kubectl.h"
#include "kube/pods.h"
#include "kube/traffic_exec.h"
#include "local/builtin_policy.h"
#include "local/local_run.h"
#include "net/http_client.h"
#include "report/render.h"
#include "sidecar/sidecar.h"
#include "util/duration.h"
#include "util/errors.h"
#include "util/file.h"
#include "util/interrupt.h"
#include "util/output.h"
#include "util/parallel.h"
#include "util/terminal.h"

namespace hfi {
namespace {

// The scrape waits for one flush after the traffic; a short interval keeps the run short.
constexpr const char* kLocalFlushInterval = "1s";
// Far above the built-in policy's 20 ms delay: past it a request has no response.
constexpr std::chrono::milliseconds kLocalRequestTimeout{30'000};
// A request of --traffic without a response by then counts as none.
constexpr std::chrono::milliseconds kTrafficRequestTimeout{30'000};
// After the traffic, the second scrape waits out one stats flush of the proxies (Envoy's default
// stats_flush_interval is 5 s, facts §2, unless --flush-interval says otherwise): histograms
// reach the admin output only then. The margin covers the scrape's own start.
constexpr std::chrono::milliseconds kProxyFlushInterval{5'000};
constexpr std::chrono::milliseconds kProxyFlushMargin{500};

std::string DisplayName(const std::string& path) {
  return path == "-" ? "<stdin>" : path;
}

verify::Source ReadSource(const std::string& path) {
  return verify::Source{DisplayName(path),
                        path == "-" ? verify::SourceKind::kStdin : verify::SourceKind::kFile,
                        ReadFileOrStdin(path)};
}

std::string Statuses(const local::TrafficTally& tally) {
  std::string text;
  for (const auto& [status, count] : tally.statuses())
    text += (text.empty() ? "" : ", ") + std::to_string(status) + " x" + std::to_string(count);
  return text.empty() ? "none" : text;
}

verify::Report RunLocal(const GlobalOptions& global, const VerifyFlags& flags,
                        const verify::CheckOptions& checks) {
  SidecarFlags sidecar_flags = flags.sidecar;
  if (flags.namespace_option != nullptr && flags.namespace_option->count() > 0)
    sidecar_flags.namespace_name = flags.namespace_name;
  sidecar::SidecarConfig config =
      MakeSidecarConfig(sidecar_flags, std::string(local::kBuiltinPolicy), kLocalFlushInterval);
  // Free loopback ports: several runs (CI jobs, a developer's sidecar) never collide.
  config.admin_address = "127.0.0.1:0";
  config.listen_address = "127.0.0.1:0";

  local::LocalRunOptions options;
  options.requests = flags.requests;
  options.concurrency = flags.concurrency;
  options.request_timeout = kLocalRequestTimeout;
  options.flush_interval = config.flush_interval;
  options.stats_matcher = config.stats_matcher;
  options.checks = checks;
  Progress progress(!global.quiet && IsTerminal(stderr));
  options.progress = [&progress](std::size_t finished, std::size_t total) {
    progress.Update("sending " + std::to_string(total) + " requests", finished, total);
  };

  local::LocalLogSink log(global.verbose > 0 ? stderr : nullptr);
  sidecar::Sidecar sidecar(std::move(config), log);
  local::SidecarTarget target(sidecar);
  if (global.verbose > 0) {
    std::fprintf(stderr, "hfi-metrics: local sidecar: admin %s, traffic %s\n",
                 sidecar.admin_address().c_str(), sidecar.listen_address().c_str());
  }
  net::CurlHttpClient client;
  const auto start = std::chrono::steady_clock::now();
  local::LocalRunResult result = local::RunLocal(target, client, options);
  progress.Done();
  sidecar.Stop();
  if (global.verbose > 0) {
    const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::steady_clock::now() - start);
    std::fprintf(
        stderr, "hfi-metrics: traffic: %s (statuses %s); traffic, flush and scrape took %.1f s\n",
        report::TrafficLine(result.report.traffic.value_or(verify::TrafficSummary{})).c_str(),
        Statuses(result.tally).c_str(), static_cast<double>(ms.count()) / 1000.0);
  }
  verify::Report report;
  report.sources.push_back(std::move(result.report));
  return report;
}

verify::Report RunFiles(const VerifyFlags& flags, const verify::CheckOptions& options) {
  // Read every input first: a missing or unreadable file ends the command with one line naming
  // it (exit 3) before any report is written.
  std::vector<verify::Source> sources, baselines;
  for (const std::string& path : flags.files)
    sources.push_back(ReadSource(path));
  for (const std::string& path : flags.baselines)
    baselines.push_back(ReadSource(path));

  verify::Report report;
  for (std::size_t i = 0; i < sources.size(); ++i) {
    report.sources.push_back(
        verify::VerifySource(sources[i], baselines.empty() ? nullptr : &baselines[i], options));
  }
  return report;
}

// --- cluster ------------------------------------------------------------------------------------

// Writes -v lines from any thread, one whole line at a time.
void LogLine(const std::string& line) {
  std::fprintf(stderr, "hfi-metrics: %s\n", line.c_str());
}

// GET --traffic URL `requests` times from `concurrency` threads; each response tallied by its
// x-fault-injected mark. Stops early on Ctrl-C (InterruptedError once every thread is back).
local::TrafficTally SendClusterTraffic(net::HttpClient& client, const GlobalOptions& global,
                                       const VerifyFlags& flags, Progress& progress) {
  local::TrafficTally tally;
  std::mutex mutex;  // guards tally, finished and the progress and log lines
  std::size_t finished = 0;
  ForEachIndex(
      flags.requests, flags.concurrency,
      [&](std::size_t) {
        net::HttpRequest request;
        request.url = flags.traffic;
        request.timeout = kTrafficRequestTimeout;
        std::optional<net::HttpResponse> response;
        std::string no_response;
        try {
          response = client.Fetch(request);
        } catch (const EnvironmentError& e) {
          no_response = e.reason();
        }
        std::lock_guard<std::mutex> lock(mutex);
        if (global.verbose > 0) {
          const std::string mark =
              response ? std::string(response->Header("x-fault-injected")) : "";
          LogLine("GET " + request.url + ": " +
                  (response ? "HTTP " + std::to_string(response->status) +
                                  (mark.empty() ? "" : ", x-fault-injected: " + mark)
                            : no_response));
        }
        if (response)
          tally.Add(*response);
        else
          tally.AddNoResponse(no_response);
        ++finished;
        progress.Update("sending " + std::to_string(flags.requests) + " requests", finished,
                        flags.requests);
      },
      "traffic");
  progress.Done();
  return tally;
}

// --traffic-from: the same requests, sent by curl inside a pod of the mesh through kubectl exec.
local::TrafficTally SendPodTraffic(kube::Kubectl& kubectl, const GlobalOptions& global,
                                   const VerifyFlags& flags, Progress& progress) {
  kube::PodRef pod;
  const std::size_t slash = flags.traffic_from.find('/');
  if (slash == std::string::npos) {
    pod.namespace_name = flags.namespace_name;
    pod.name = flags.traffic_from;
  } else {
    pod.namespace_name = flags.traffic_from.substr(0, slash);
    pod.name = flags.traffic_from.substr(slash + 1);
  }
  local::TrafficTally tally;
  std::mutex mutex;  // guards tally, finished and the progress and log lines
  std::size_t finished = 0;
  kube::PodTrafficOptions options;
  options.url = flags.traffic;
  options.requests = flags.requests;
  options.concurrency = flags.concurrency;
  options.request_timeout = kTrafficRequestTimeout;
  options.on_response = [&](const kube::ExecResponse& outcome) {
    std::lock_guard<std::mutex> lock(mutex);
    if (global.verbose > 0) {
      const std::string mark =
          outcome.response ? std::string(outcome.response->Header("x-fault-injected")) : "";
      LogLine("GET " + flags.traffic + " from " + pod.name + ": " +
              (outcome.response ? "HTTP " + std::to_string(outcome.response->status) +
                                      (mark.empty() ? "" : ", x-fault-injected: " + mark)
                                : outcome.no_response));
    }
    if (outcome.response)
      tally.Add(*outcome.response);
    else
      tally.AddNoResponse(outcome.no_response);
    ++finished;
    progress.Update("sending " + std::to_string(flags.requests) + " requests from " + pod.name,
                    finished, flags.requests);
  };
  kube::SendTrafficFromPod(kubectl, pod, options);
  progress.Done();
  return tally;
}

// Sleeps, waking up for Ctrl-C.
void WaitInterruptibly(std::chrono::milliseconds duration) {
  const auto until = std::chrono::steady_clock::now() + duration;
  while (std::chrono::steady_clock::now() < until) {
    if (Interrupted())
      throw InterruptedError("verify");
    std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
        std::chrono::milliseconds(100), until - std::chrono::steady_clock::now()));
  }
}

verify::Report RunCluster(const GlobalOptions& global, const VerifyFlags& flags,
                          const verify::CheckOptions& checks) {
  InterruptScope interrupts;
  kube::KubectlConfig config;
  config.path = global.kubectl;
  config.kubeconfig = global.kubeconfig;
  config.context = global.context;
  config.log = global.verbose > 0 ? stderr : nullptr;
  std::unique_ptr<kube::Kubectl> kubectl = kube::MakeRealKubectl(config);

  kube::ClusterVerifyOptions options;
  options.port = static_cast<kube::StatsPort>(flags.port);
  options.concurrency = flags.concurrency;
  options.pod_timeout = ParseDuration("--pod-timeout", flags.pod_timeout);
  options.forward_timeout = ParseDuration("--forward-timeout", flags.forward_timeout);
  options.exec_fallback = !flags.no_exec;
  options.checks = checks;

  const std::vector<kube::Pod> pods = ListSelectedPods(*kubectl, flags, options.pod_timeout);

  Progress progress(!global.quiet && IsTerminal(stderr));
  options.progress = [&progress](std::size_t done, std::size_t total, const std::string&) {
    progress.Update("verifying pods", done, total);
  };
  if (global.verbose > 0)
    options.log = LogLine;
  net::CurlHttpClient http;

  if (flags.traffic.empty()) {
    kube::ClusterVerifyResult result = kube::VerifyPods(*kubectl, http, pods, options);
    progress.Done();
    return std::move(result.report);
  }

  // --traffic: a first scrape of every pod, the requests, one stats flush, the checked scrape.
  kube::ClusterVerifyOptions first_options = options;
  first_options.diagnose = false;
  first_options.checks = {};
  first_options.progress = [&progress](std::size_t done, std::size_t total, const std::string&) {
    progress.Update("scraping pods before the traffic", done, total);
  };
  kube::ClusterVerifyResult first = kube::VerifyPods(*kubectl, http, pods, first_options);
  progress.Done();
  const bool any = std::any_of(first.scrapes.begin(), first.scrapes.end(),
                               [](const kube::PodScrape& scrape) { return !scrape.body.empty(); });
  if (!any)  // no pod could be read: the first pass says why, and no traffic is worth sending
    return std::move(first.report);

  local::TrafficTally tally = flags.traffic_from.empty()
                                  ? SendClusterTraffic(http, global, flags, progress)
                                  : SendPodTraffic(*kubectl, global, flags, progress);
  const std::chrono::milliseconds flush_wait =
      (flags.sidecar.flush_interval.empty() ? kProxyFlushInterval
                                            : ParseFlushInterval(flags.sidecar.flush_interval)) +
      kProxyFlushMargin;
  progress.Line("waiting " + FormatDuration(flush_wait) + " for the proxies' stats flush...");
  WaitInterruptibly(flush_wait);
  kube::ClusterVerifyResult second =
      kube::VerifyPods(*kubectl, http, pods, options, &first.scrapes);
  progress.Done();

  kube::ClusterTraffic traffic;
  traffic.url = flags.traffic;
  traffic.summary = tally.Summary();
  traffic.no_response = tally.no_response();
  traffic.first_no_response = tally.first_no_response();
  if (global.verbose > 0) {
    LogLine("traffic: " + report::TrafficLine(traffic.summary) + " (statuses " + Statuses(tally) +
            ")");
  }
  verify::Report report = std::move(second.report);
  report.sources.push_back(kube::TrafficReport(first.scrapes, second.scrapes, traffic));
  return report;
}

}  // namespace

namespace {

// "in namespace demo", "in any namespace", "in the current namespace".
std::string Where(const kube::PodTargets& targets) {
  if (targets.all_namespaces)
    return "in any namespace";
  if (!targets.namespace_name.empty())
    return "in namespace " + targets.namespace_name;
  return "in kubectl's current namespace";
}

std::string GetPodsCommand(const kube::PodTargets& targets) {
  std::string command = "kubectl get pods";
  if (targets.all_namespaces)
    command += " -A";
  else if (!targets.namespace_name.empty())
    command += " -n " + targets.namespace_name;
  return command + " -l " + targets.selector;
}

}  // namespace

std::vector<kube::Pod> ListSelectedPods(kube::Kubectl& kubectl, const VerifyFlags& flags,
                                        std::chrono::milliseconds timeout) {
  kube::PodTargets targets;
  targets.namespace_name = flags.namespace_name;
  targets.all_namespaces = flags.all_namespaces;
  targets.selector = flags.selector;
  targets.names = flags.pods;
  std::vector<kube::Pod> pods = kube::ListPods(kubectl, targets, timeout);
  if (Interrupted())
    throw InterruptedError("verify");
  if (pods.empty()) {
    if (!targets.selector.empty()) {
      throw EnvironmentError("verify",
                             "no pods match -l " + targets.selector + " " + Where(targets),
                             "check the selector: " + GetPodsCommand(targets));
    }
    throw EnvironmentError("verify", "no pods found " + Where(targets),
                           "check the names: kubectl get pods");
  }
  return pods;
}

verify::Report CollectReport(const GlobalOptions& global, const VerifyFlags& flags,
                             const verify::CheckOptions& checks) {
  if (!flags.prometheus.url.empty())
    return RunPrometheus(global, flags, checks);
  if (flags.local)
    return RunLocal(global, flags, checks);
  if (ClusterMode(flags))
    return RunCluster(global, flags, checks);
  return RunFiles(flags, checks);
}

}  // namespace hfi

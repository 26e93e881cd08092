// `hfi-metrics verify`: get the bytes (saved scrapes, the embedded sidecar of --local scraped
// over HTTP after traffic, or the pods of a cluster through kubectl), hand them to the verify
// engine (what is checked), render the report in the chosen format and return its exit code.
#include "verify/verify.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cstdio>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "commands/commands.h"
#include "commands/sidecar_flags.h"
#include "kube/cluster_verify.h"
#include "kube/kubectl.h"
#include "kube/pods.h"
#include "local/builtin_policy.h"
#include "local/local_run.h"
#include "net/http_client.h"
#include "report/render.h"
#include "sidecar/sidecar.h"
#include "util/errors.h"
#include "util/file.h"
#include "util/interrupt.h"
#include "util/output.h"
#include "util/terminal.h"

namespace hfi {
namespace {

struct VerifyFlags {
  std::vector<std::string> files;
  std::vector<std::string> baselines;
  std::vector<std::string> expect;
  std::vector<std::string> expect_delta;

  bool local = false;
  std::size_t requests = 30;
  std::size_t concurrency = 8;
  SidecarFlags sidecar;

  // Cluster mode: pod names, or a selector (in one namespace, or all with -A).
  std::vector<std::string> pods;
  std::string selector;
  std::string namespace_name;  // also the embedded sidecar's NAMESPACE with --local
  bool all_namespaces = false;
  int port = 15000;
  std::string pod_timeout = "20s";
  std::string forward_timeout = "10s";
  bool no_exec = false;
  std::string traffic;

  // Which mode an option belongs to, for the checks that refuse it elsewhere.
  std::vector<const CLI::Option*> local_only;       // the embedded sidecar's flags
  std::vector<const CLI::Option*> cluster_only;     // --port, --pod-timeout, --traffic, ...
  const CLI::Option* requests_option = nullptr;     // --local or --traffic
  const CLI::Option* concurrency_option = nullptr;  // --local or the cluster
  const CLI::Option* namespace_option = nullptr;    // --local or the cluster
};

// The scrape waits for one flush after the traffic; a short interval keeps the run short.
constexpr const char* kLocalFlushInterval = "1s";
// Far above the built-in policy's 20 ms delay: past it a request has no response.
constexpr std::chrono::milliseconds kLocalRequestTimeout{30'000};
// A request of --traffic without a response by then counts as none.
constexpr std::chrono::milliseconds kTrafficRequestTimeout{30'000};
// After the traffic, the second scrape waits out one stats flush of the proxies (Envoy's default
// stats_flush_interval is 5 s, facts §2): histograms reach the admin output only then.
constexpr std::chrono::milliseconds kProxyFlushWait{5'500};

constexpr const char* kFooter =
    "Examples:\n"
    "  hfi-metrics verify -l app=frontend -n demo\n"
    "  hfi-metrics verify frontend-7d9c8b7f5-x2x9k reviews-v1-5b4d9c7f8-q7kqp -n demo -o json\n"
    "  hfi-metrics verify -A -l app=frontend --concurrency 16 -o junit > hfi-metrics.xml\n"
    "  hfi-metrics verify -l app=frontend -n demo --port 15090 --no-exec\n"
    "  hfi-metrics verify -l app=frontend -n demo --traffic http://frontend.demo/api/ \\\n"
    "      --requests 100 --expect-delta 'aborts>=1'\n"
    "\n"
    "  kubectl port-forward pod/<pod> 15000 -n <ns> &\n"
    "  curl -s localhost:15000/stats/prometheus > scrape.prom\n"
    "  hfi-metrics verify --file scrape.prom\n"
    "  curl -s localhost:15000/stats/prometheus | hfi-metrics verify --file - -o json\n"
    "  hfi-metrics verify --file a.prom --file b.prom -o junit > hfi-metrics.xml\n"
    "  hfi-metrics verify --file scrape.prom --expect 'aborts>=1' --expect 'delay_count>=1'\n"
    "  hfi-metrics verify --file after.prom --baseline before.prom --expect-delta 'delays>=5'\n"
    "\n"
    "  hfi-metrics verify --local\n"
    "  hfi-metrics verify --local --policy k8s/policies/abort-50-percent-api.json --requests 200\n"
    "  hfi-metrics verify --local --stats-matcher none    # a matcher that drops the metrics\n"
    "  hfi-metrics verify --local -o junit > hfi-metrics-local.xml\n"
    "\n"
    "In a cluster (pod names, -l, or -A -l), each pod's sidecar is read through kubectl\n"
    "(--kubectl, --kubeconfig, --context), --concurrency pods at a time: kubectl port-forward to\n"
    "--port, GET /stats/prometheus, the checks below. A pod denied port-forward is read with\n"
    "'kubectl exec -c istio-proxy -- pilot-agent request GET stats/prometheus' unless --no-exec\n"
    "(HFI503 says so). When a metric is missing on the admin port 15000, /stats?filter=hfi and\n"
    "/config_dump tell whether the Wasm filter is loaded (HFI508), whether the bootstrap stats\n"
    "matcher drops the names (HFI505), and whether the pod's proxy.istio.io/config asks for a\n"
    "matcher only a restart applies (HFI506). --traffic scrapes every pod, sends --requests GETs\n"
    "to URL (--concurrency at a time), waits 5.5 s for the proxies' stats flush, scrapes again\n"
    "and checks the deltas: the sum over the pods of each counter's increase must equal the\n"
    "responses marked x-fault-injected (source 'traffic', HFI307/HFI308); --expect-delta applies\n"
    "to each pod.\n"
    "\n"
    "--local starts the embedded sidecar on loopback (the plugin this build produced, or\n"
    "--plugin; the built-in policy, or --policy; stats flushed every 1s unless\n"
    "--flush-interval), sends --requests requests that cycle through GET /hfi-local/abort with\n"
    "'x-hfi-local: abort', /hfi-local/delay with 'x-hfi-local: delay' and /hfi-local/pass,\n"
    "waits for a stats flush, scrapes /stats/prometheus over HTTP and runs the same checks,\n"
    "plus: the plugin kept running (HFI510), the stats matcher creates the three names\n"
    "(HFI505), and the counters equal the aborted and delayed responses seen (HFI307; HFI308\n"
    "warns when no response was aborted or delayed, as with the policy above, whose rule\n"
    "wants /api/ on workload frontend). The built-in policy aborts (503) every request with\n"
    "'x-hfi-local: abort' and delays every one with 'x-hfi-local: delay' by 20 ms.\n"
    "\n"
    "Keys for --expect and --expect-delta: aborts, delays (the two counters), delay_count and\n"
    "delay_sum (the histogram's _count and _sum); operators: >= <= == > <. delay_sum is\n"
    "approximate in Envoy, so it takes no ==.\n"
    "\n"
    "Exit codes, the same under every -o: 0 all checks passed (warnings allowed), 1 a check\n"
    "failed, 2 the environment: a pod without sidecar, not running, denied or unreachable,\n"
    "kubectl missing, the cluster unreachable, no pod matching, requests without response, or\n"
    "the local sidecar could not start or bind, 3 an input (scrape, plugin, policy) could not\n"
    "be read or parsed, 64 usage error, 130 interrupted (Ctrl-C; every kubectl stopped first).\n"
    "With several sources the highest applicable code wins: 3, then 2, then 1, then 0. Every\n"
    "finding carries a hint code explained in docs/hints.md.\n";

std::string DisplayName(const std::string& path) {
  return path == "-" ? "<stdin>" : path;
}

verify::Source ReadSource(const std::string& path) {
  return verify::Source{DisplayName(path),
                        path == "-" ? verify::SourceKind::kStdin : verify::SourceKind::kFile,
                        ReadFileOrStdin(path)};
}

std::vector<verify::Expectation> ParseExpectations(const std::vector<std::string>& texts,
                                                   const std::string& flag) {
  std::vector<verify::Expectation> out;
  for (const std::string& text : texts) {
    std::string error;
    std::optional<verify::Expectation> expectation = verify::ParseExpectation(text, &error);
    if (!expectation)
      throw UsageError(flag + " '" + text + "'", error);
    out.push_back(*expectation);
  }
  return out;
}

// The first long name of an option, as the user would type it: "--plugin".
std::string FlagName(const CLI::Option& option) {
  if (!option.get_lnames().empty())
    return "--" + option.get_lnames().front();
  return option.get_name();
}

bool Given(const CLI::Option* option) {
  return option != nullptr && option->count() > 0;
}

bool ClusterMode(const VerifyFlags& flags) {
  return !flags.pods.empty() || !flags.selector.empty() || flags.all_namespaces;
}

// "10s", "500ms", "2m": more than 0, at most an hour.
std::chrono::milliseconds ParseDuration(const std::string& flag, const std::string& text) {
  const std::string hint = "use e.g. 10s, 500ms or 2m (more than 0, at most 1h)";
  std::uint64_t number = 0;
  const char* begin = text.data();
  const char* end = begin + text.size();
  auto [unit, ec] = std::from_chars(begin, end, number);
  const std::string_view suffix(unit, static_cast<std::size_t>(end - unit));
  const std::uint64_t ms_per_unit = suffix == "ms"  ? 1
                                    : suffix == "s" ? 1000
                                    : suffix == "m" ? 60'000
                                    : suffix == "h" ? 3'600'000
                                                    : 0;
  if (ec != std::errc() || unit == begin || ms_per_unit == 0)
    throw UsageError(flag, "'" + text + "' is not a duration", hint);
  if (number == 0 || number > 3'600'000 / ms_per_unit)
    throw UsageError(flag, "'" + text + "' is out of range", hint);
  return std::chrono::milliseconds(number * ms_per_unit);
}

void CheckLocalFlags(const VerifyFlags& flags) {
  if (!flags.local) {
    for (const CLI::Option* option : flags.local_only) {
      if (option->count() > 0) {
        throw UsageError(FlagName(*option), "applies only to the embedded sidecar",
                         "add --local, or leave it out when verifying --file scrapes or pods");
      }
    }
    return;
  }
  if (!flags.files.empty()) {
    throw UsageError("--local", "cannot be combined with --file",
                     "verify the embedded sidecar and saved scrapes in separate runs");
  }
  if (ClusterMode(flags)) {
    throw UsageError("--local", "cannot be combined with pod names, -l or -A",
                     "verify the embedded sidecar and the cluster in separate runs");
  }
  if (!flags.baselines.empty() || !flags.expect_delta.empty()) {
    throw UsageError(flags.baselines.empty() ? "--expect-delta" : "--baseline",
                     "has no meaning with --local: the local sidecar starts from zero",
                     "use --expect on its values; the traffic check compares them with the "
                     "faults seen");
  }
}

void CheckClusterFlags(const VerifyFlags& flags) {
  if (!ClusterMode(flags)) {
    for (const CLI::Option* option : flags.cluster_only) {
      if (option->count() > 0) {
        throw UsageError(FlagName(*option), "applies only to pods in a cluster",
                         "name the pods, or select them with -l SELECTOR");
      }
    }
    if (!flags.local && Given(flags.namespace_option)) {
      throw UsageError("--namespace", "names the namespace of pods or of the embedded sidecar",
                       "name the pods or select them with -l SELECTOR, or add --local");
    }
    return;
  }
  if (!flags.files.empty() || !flags.baselines.empty()) {
    throw UsageError(flags.files.empty() ? "--baseline" : "--file",
                     "cannot be combined with pod names, -l or -A",
                     "verify saved scrapes and pods in separate runs");
  }
  if (flags.all_namespaces && flags.selector.empty()) {
    throw UsageError("--all-namespaces", "needs -l SELECTOR",
                     "select the pods of every namespace by label, e.g. -A -l app=frontend");
  }
  if (flags.all_namespaces && Given(flags.namespace_option)) {
    throw UsageError("--all-namespaces", "cannot be combined with --namespace", "pass one of them");
  }
  if (!flags.pods.empty() && !flags.selector.empty()) {
    throw UsageError("--selector", "cannot be combined with pod names",
                     "name the pods, or select them with -l, not both");
  }
  if (flags.port != 15000 && flags.port != 15090 && flags.port != 15020) {
    throw UsageError("--port", "'" + std::to_string(flags.port) + "' is not a sidecar stats port",
                     "use 15000 (Envoy admin), 15090 (Envoy Prometheus) or 15020 (Istio agent, "
                     "merged)");
  }
  ParseDuration("--pod-timeout", flags.pod_timeout);
  ParseDuration("--forward-timeout", flags.forward_timeout);
  if (!flags.traffic.empty() && !flags.traffic.starts_with("http://") &&
      !flags.traffic.starts_with("https://")) {
    throw UsageError("--traffic", "'" + flags.traffic + "' is not an http:// or https:// URL",
                     "pass the URL the requests go to, e.g. http://frontend.demo/api/");
  }
  if (!flags.expect_delta.empty() && flags.traffic.empty()) {
    throw UsageError("--expect-delta", "needs a baseline to subtract",
                     "add --traffic URL: each pod is scraped before and after the requests");
  }
}

// Everything that can be wrong with the flags is found before any file is read or any kubectl
// runs.
void CheckFlags(const VerifyFlags& flags) {
  CheckLocalFlags(flags);
  CheckClusterFlags(flags);
  if (Given(flags.requests_option) && !flags.local && flags.traffic.empty()) {
    throw UsageError("--requests", "applies only to --local and --traffic",
                     "add --local, or --traffic URL with pods");
  }
  if (Given(flags.concurrency_option) && !flags.local && !ClusterMode(flags)) {
    throw UsageError("--concurrency", "applies only to --local and to pods in a cluster",
                     "add --local, or name the pods or select them with -l SELECTOR");
  }
  if (flags.local || ClusterMode(flags))
    return;
  if (flags.files.empty()) {
    throw UsageError("verify", "no source given",
                     "pass --file FILE, --file - for standard input, pod names or -l SELECTOR, "
                     "or --local");
  }
  if (!flags.baselines.empty() && flags.baselines.size() != flags.files.size()) {
    throw UsageError("--baseline",
                     "given " + std::to_string(flags.baselines.size()) + " time(s) for " +
                         std::to_string(flags.files.size()) + " --file source(s)",
                     "pass one --baseline per --file, in the same order");
  }
  if (!flags.expect_delta.empty() && flags.baselines.empty()) {
    throw UsageError("--expect-delta", "needs a baseline to subtract",
                     "add --baseline FILE, an earlier scrape of the same source");
  }
  std::size_t stdin_uses = 0;
  for (const auto* list : {&flags.files, &flags.baselines}) {
    for (const std::string& path : *list)
      stdin_uses += path == "-" ? 1 : 0;
  }
  if (stdin_uses > 1) {
    throw UsageError("-", "standard input can be read only once",
                     "save all but one of the scrapes to files");
  }
}

// "sending 30 requests... 12/30" or "verifying pods... 12/40" on one line, redrawn; only for a
// person watching a terminal.
class Progress {
 public:
  explicit Progress(bool show) : show_(show) {}
  ~Progress() { Done(); }
  void Update(const std::string& what, std::size_t finished, std::size_t total) {
    if (!show_)
      return;
    std::fprintf(stderr, "\r%s... %zu/%zu", what.c_str(), finished, total);
    std::fflush(stderr);
    drawn_ = true;
  }
  void Line(const std::string& text) {
    if (!show_)
      return;
    Done();
    std::fprintf(stderr, "%s\n", text.c_str());
  }
  void Done() {
    if (drawn_)
      std::fputc('\n', stderr);
    drawn_ = false;
  }

 private:
  bool show_;
  bool drawn_ = false;
};

std::string Statuses(const local::TrafficTally& tally) {
  std::string text;
  for (const auto& [status, count] : tally.statuses())
    text += (text.empty() ? "" : ", ") + std::to_string(status) + " x" + std::to_string(count);
  return text.empty() ? "none" : text;
}

verify::Report RunLocal(const GlobalOptions& global, const VerifyFlags& flags,
                        const verify::CheckOptions& checks) {
  SidecarFlags sidecar_flags = flags.sidecar;
  if (Given(flags.namespace_option))
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
  std::atomic<std::size_t> next{0};

  auto worker = [&] {
    for (;;) {
      const std::size_t index = next++;
      if (index >= flags.requests || Interrupted())
        return;
      net::HttpRequest request;
      request.url = flags.traffic;
      request.timeout = kTrafficRequestTimeout;
      std::optional<net::HttpResponse> response;
      std::string no_response;
      try {
        response = client.Fetch(request);
      } catch (const InterruptedError&) {
        return;  // Ctrl-C: nothing may leave a thread; the caller throws after the join
      } catch (const EnvironmentError& e) {
        no_response = e.reason();
      }
      std::lock_guard<std::mutex> lock(mutex);
      if (global.verbose > 0) {
        LogLine("GET " + request.url + ": " +
                (response ? "HTTP " + std::to_string(response->status) +
                                (response->Header("x-fault-injected").empty()
                                     ? ""
                                     : ", x-fault-injected: " +
                                           std::string(response->Header("x-fault-injected")))
                          : no_response));
      }
      if (response)
        tally.Add(*response);
      else
        tally.AddNoResponse(no_response);
      ++finished;
      progress.Update("sending " + std::to_string(flags.requests) + " requests", finished,
                      flags.requests);
    }
  };

  const std::size_t threads = std::clamp<std::size_t>(flags.concurrency, 1, flags.requests);
  std::vector<std::thread> pool;
  pool.reserve(threads);
  try {
    for (std::size_t i = 0; i < threads; ++i)
      pool.emplace_back(worker);
  } catch (const std::system_error& e) {
    if (pool.empty())
      throw EnvironmentError("traffic", std::string("cannot start a thread: ") + e.what());
  }
  for (std::thread& thread : pool)
    thread.join();
  progress.Done();
  if (Interrupted())
    throw InterruptedError("verify");
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

verify::Report RunCluster(const GlobalOptions& global, const VerifyFlags& flags,
                          const verify::CheckOptions& checks) {
  ClearInterrupt();
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

  kube::PodTargets targets;
  targets.namespace_name = flags.namespace_name;
  targets.all_namespaces = flags.all_namespaces;
  targets.selector = flags.selector;
  targets.names = flags.pods;
  const std::vector<kube::Pod> pods = kube::ListPods(*kubectl, targets, options.pod_timeout);
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

  local::TrafficTally tally = SendClusterTraffic(http, global, flags, progress);
  progress.Line("waiting " + std::to_string(kProxyFlushWait.count() / 1000) + "." +
                std::to_string(kProxyFlushWait.count() % 1000 / 100) +
                " s for the proxies' stats flush...");
  WaitInterruptibly(kProxyFlushWait);
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

ExitCode RunVerify(const GlobalOptions& global, const VerifyFlags& flags) {
  CheckFlags(flags);
  verify::CheckOptions options;
  options.expect = ParseExpectations(flags.expect, "--expect");
  options.expect_delta = ParseExpectations(flags.expect_delta, "--expect-delta");

  const verify::Report report = flags.local          ? RunLocal(global, flags, options)
                                : ClusterMode(flags) ? RunCluster(global, flags, options)
                                                     : RunFiles(flags, options);

  // The exit code is decided from the report, before and independently of the format.
  const ExitCode code = report.ExitStatus();
  switch (global.output) {
    case OutputFormat::kText:
      WriteOut(report::RenderText(report, UseColor(global.no_color, stdout)));
      break;
    case OutputFormat::kJson:
      WriteOut(report::RenderJson(report));
      break;
    case OutputFormat::kJunit:
      WriteOut(report::RenderJunit(report));
      break;
  }
  return code;
}

// The options registered on `cmd` since `before` was taken.
std::vector<const CLI::Option*> AddedSince(const CLI::App* cmd,
                                           const std::vector<CLI::Option*>& before) {
  const std::set<const CLI::Option*> earlier(before.begin(), before.end());
  std::vector<const CLI::Option*> added;
  for (const CLI::Option* option : cmd->get_options()) {
    if (!earlier.count(option))
      added.push_back(option);
  }
  return added;
}

}  // namespace

Runner AddVerify(CLI::App& root, const GlobalOptions& global) {
  auto flags = std::make_shared<VerifyFlags>();
  CLI::App* cmd = root.add_subcommand(
      "verify",
      "Verify the three HFI metrics in a cluster's pods (through kubectl), in saved "
      "/stats/prometheus scrapes or in the embedded sidecar (--local): names, types, histogram "
      "consistency, values and changes, with a hint code for every problem");
  cmd->add_option("pods", flags->pods, "Pods to verify, by name (in --namespace)")
      ->option_text("POD ...");
  cmd->add_option("--file", flags->files,
                  "A saved scrape of a sidecar's /stats/prometheus ('-' for standard input); "
                  "repeat for several sources")
      ->option_text("FILE")
      ->allow_extra_args(false);
  cmd->add_option("--expect", flags->expect,
                  "A condition on this scrape's values, e.g. 'aborts>=1' (repeatable)")
      ->option_text("EXPR")
      ->allow_extra_args(false);
  cmd->add_option("--baseline", flags->baselines,
                  "An earlier scrape of the same source: counters must not have dropped; one per "
                  "--file, in the same order")
      ->option_text("FILE")
      ->allow_extra_args(false);
  cmd->add_option("--expect-delta", flags->expect_delta,
                  "A condition on (scrape - baseline), e.g. 'delays>=5' (repeatable; needs "
                  "--baseline, or --traffic for pods)")
      ->option_text("EXPR")
      ->allow_extra_args(false);

  // Shared by two modes; each is checked against the mode in CheckFlags.
  flags->requests_option =
      cmd->add_option("--requests", flags->requests,
                      "With --local or --traffic: how many requests to send (default 30)")
          ->option_text("N")
          ->check(CLI::Range(1, 100'000));
  flags->concurrency_option =
      cmd->add_option("--concurrency", flags->concurrency,
                      "With --local or --traffic: requests in flight at once; with pods: how "
                      "many pods are verified at once (default 8)")
          ->option_text("N")
          ->check(CLI::Range(1, 64));

  // Cluster mode.
  std::vector<CLI::Option*> before = cmd->get_options();
  cmd->add_option("-l,--selector", flags->selector,
                  "Verify the pods with these labels, e.g. app=frontend (as kubectl -l)")
      ->option_text("SELECTOR");
  cmd->add_flag("-A,--all-namespaces", flags->all_namespaces,
                "With -l: select pods in every namespace");
  cmd->add_option("--port", flags->port,
                  "The sidecar port to read: 15000 (Envoy admin, default), 15090 (Envoy "
                  "Prometheus) or 15020 (Istio agent, merged with the application's metrics)")
      ->option_text("PORT");
  cmd->add_option("--pod-timeout", flags->pod_timeout,
                  "Everything for one pod (forward, scrapes, deeper look) within this (default "
                  "20s)")
      ->option_text("DURATION");
  cmd->add_option("--forward-timeout", flags->forward_timeout,
                  "How long kubectl port-forward may take to listen (default 10s)")
      ->option_text("DURATION");
  cmd->add_flag("--no-exec", flags->no_exec,
                "When port-forward is denied, do not read the pod through kubectl exec");
  cmd->add_option("--traffic", flags->traffic,
                  "Scrape the pods, send --requests GETs to URL, scrape again and check the "
                  "counters grew by the faults the responses showed")
      ->option_text("URL");
  for (const CLI::Option* option : AddedSince(cmd, before))
    flags->cluster_only.push_back(option);

  cmd->add_flag("--local", flags->local,
                "Verify the embedded sidecar: run the plugin on loopback, send requests through "
                "it, scrape its /stats/prometheus over HTTP");
  before = cmd->get_options();
  AddSidecarFlags(cmd, flags->sidecar);
  // The sidecar's --namespace (its node metadata) and the pods' -n/--namespace are one option.
  if (CLI::Option* sidecar_namespace = cmd->get_option_no_throw("--namespace"))
    cmd->remove_option(sidecar_namespace);
  // Whatever AddSidecarFlags registers needs --local too, without this file naming each flag.
  flags->local_only = AddedSince(cmd, before);
  flags->namespace_option =
      cmd->add_option("-n,--namespace", flags->namespace_name,
                      "The pods' namespace (default: kubectl's current one); with --local, the "
                      "namespace the embedded sidecar reports (default: default)")
          ->option_text("NS");
  cmd->footer(kFooter);
  return [&global, flags]() { return RunVerify(global, *flags); };
}

}  // namespace hfi

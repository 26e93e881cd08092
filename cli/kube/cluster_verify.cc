#include "kube/cluster_verify.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <system_error>
#include <thread>
#include <utility>

#include "kube/deep_diagnosis.h"
#include "plugin/metric_names.h"
#include "prom/parser.h"
#include "util/errors.h"
#include "util/interrupt.h"
#include "verify/scrape_index.h"
#include "verify/verify.h"

namespace hfi::kube {
namespace {

using Clock = std::chrono::steady_clock;
using verify::Check;
using verify::Finding;
using verify::HintId;

constexpr const char* kScrapePath = "/stats/prometheus";
constexpr int kAdminPort = static_cast<int>(StatsPort::kAdmin);

// Thrown inside one pod's work once Ctrl-C is seen; the pool stops, every forwarder is destroyed
// on the way out, and VerifyPods throws InterruptedError.
struct PodInterrupted {};

void StopIfInterrupted() {
  if (Interrupted())
    throw PodInterrupted{};
}

// The first non-empty line, trimmed, at most 300 bytes: how kubectl's stderr is quoted.
std::string FirstLine(std::string_view text) {
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find('\n', pos);
    if (end == std::string_view::npos)
      end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    const auto first = line.find_first_not_of(" \t\r");
    if (first == std::string_view::npos)
      continue;
    const auto last = line.find_last_not_of(" \t\r");
    std::string out(line.substr(first, last - first + 1));
    return out.size() > 300 ? out.substr(0, 297) + "..." : out;
  }
  return "";
}

std::string KubectlError(const KubectlResult& result) {
  if (result.end == KubectlResult::End::kTimedOut)
    return "no answer within " + DurationText(result.elapsed);
  if (result.end == KubectlResult::End::kCrashed)
    return "kubectl died of a signal";
  std::string message = ClassifyFailure(result).message;
  if (message.empty())
    message = FirstLine(result.err);
  if (message.empty())
    message = "kubectl exited with status " + std::to_string(result.exit_code);
  return message;
}

Finding MakeFinding(HintId hint, std::string expected, std::string observed) {
  Finding finding(hint);
  finding.expected = std::move(expected);
  finding.observed = std::move(observed);
  return finding;
}

Check FailedCheck(std::string id, HintId hint, std::string expected, std::string observed) {
  Check check{std::move(id), ""};
  check.expected = std::move(expected);
  check.observed = observed;
  check.findings.push_back(MakeFinding(hint, check.expected, std::move(observed)));
  return check;
}

// What a pod without the sidecar runs instead, and the pod's own opt-out when it has one (the
// label, or the older annotation, that Istio's injector honours).
std::string NoSidecar(const Pod& pod) {
  auto names = [](const std::vector<std::string>& list) {
    std::string text;
    for (const std::string& name : list)
      text += (text.empty() ? "" : ", ") + name;
    return text;
  };
  std::string text = "no istio-proxy container";
  if (!pod.containers.empty())
    text += " (containers: " + names(pod.containers) +
            (pod.init_containers.empty() ? "" : "; init: " + names(pod.init_containers)) + ")";
  for (const auto* where : {&pod.labels, &pod.annotations}) {
    const auto it = where->find("sidecar.istio.io/inject");
    if (it != where->end() && it->second == "false") {
      return text + ": injection is turned off on the pod (" +
             (where == &pod.labels ? "label" : "annotation") + " sidecar.istio.io/inject=false)";
    }
  }
  return text + ": the pod was not injected";
}

std::string NotRunning(const Pod& pod) {
  std::string observed = "phase " + (pod.phase.empty() ? std::string("unknown") : pod.phase);
  if (pod.deleting)
    observed += ", terminating";
  if (!pod.sidecar_waiting.empty())
    observed += ", istio-proxy waiting: " + pod.sidecar_waiting;
  return observed;
}

// A metric is missing: a presence check failed, or the scrape has no HFI series or no series at
// all (a reject_all matcher empties the page; the exposition check says so and the presence
// checks are skipped).
bool MetricMissing(const verify::SourceReport& report) {
  for (const Check& check : report.checks) {
    if (check.id == "presence" && check.status() == verify::CheckStatus::kFail)
      return true;
    for (const Finding& finding : check.findings) {
      if (finding.hint == HintId::kNoHfiMetrics || finding.hint == HintId::kMetricMissing ||
          finding.hint == HintId::kEmptyInput)
        return true;
    }
  }
  return false;
}

struct PodOutcome {
  verify::SourceReport report;
  std::string body;  // the scrape, "" when there is none
};

// One pod's visit, on one worker thread. The forwarder lives as long as the visit.
class PodVisit {
 public:
  PodVisit(Kubectl& kubectl, net::HttpClient& http, const ClusterVerifyOptions& options,
           const std::function<void(const std::string&)>& log, const Pod& pod)
      : kubectl_(kubectl),
        http_(http),
        options_(options),
        log_(log),
        pod_(pod),
        port_(static_cast<int>(options.port)),
        deadline_(Clock::now() + options.pod_timeout) {}

  PodOutcome Run(const PodScrape* baseline) {
    PodOutcome outcome;
    outcome.report.name = pod_.display_name();
    outcome.report.kind = verify::SourceKind::kPod;
    std::vector<Check>& checks = outcome.report.checks;

    if (!pod_.has_sidecar) {
      checks.push_back(FailedCheck("sidecar", HintId::kNoSidecar,
                                   "an istio-proxy container (regular or native sidecar)",
                                   NoSidecar(pod_)));
      return outcome;
    }
    if (!pod_.running() || !pod_.sidecar_waiting.empty()) {
      checks.push_back(FailedCheck("pod", HintId::kPodNotRunning,
                                   "phase Running, istio-proxy started", NotRunning(pod_)));
      return outcome;
    }
    StopIfInterrupted();

    std::optional<Check> reach = Connect();
    if (reach)  // the pod could not be reached: that check says why
      return Fail(std::move(outcome), std::move(*reach));
    std::string error;
    std::optional<std::string> body = Get(kScrapePath, &error);
    if (!body) {
      return Fail(std::move(outcome),
                  FailedCheck("reach", HintId::kEndpointUnreachable, ReachExpected(),
                              "GET " + std::string(kScrapePath) + ": " + error));
    }
    outcome.body = *body;
    StopIfInterrupted();

    verify::Source source{pod_.display_name(), verify::SourceKind::kPod, *body};
    verify::Source before{"first scrape", verify::SourceKind::kPod,
                          baseline != nullptr ? baseline->body : std::string()};
    const bool has_baseline = baseline != nullptr && !baseline->body.empty();
    outcome.report =
        verify::VerifySource(source, has_baseline ? &before : nullptr, options_.checks);
    if (baseline != nullptr && !has_baseline) {
      // A change asked for cannot pass when it cannot be measured.
      for (const verify::Expectation& expectation : options_.checks.expect_delta) {
        outcome.report.checks.push_back(FailedCheck(
            "expect-delta", HintId::kDeltaFailed, expectation.ToString() + " (scrape - baseline)",
            "the pod could not be scraped before the traffic"));
      }
    }
    outcome.report.checks.insert(outcome.report.checks.begin(), ReachCheck(*body));

    if (options_.diagnose && port_ == kAdminPort && MetricMissing(outcome.report)) {
      AdminEvidence evidence;
      evidence.scrape = *body;
      evidence.annotations = pod_.annotations;
      evidence.stats = Get("/stats?filter=hfi", &evidence.stats_error);
      StopIfInterrupted();
      evidence.config_dump = Get("/config_dump", &evidence.config_dump_error);
      for (Check& check : DiagnoseMissingMetrics(evidence))
        outcome.report.checks.push_back(std::move(check));
    }
    return outcome;
  }

 private:
  milliseconds Remaining() const {
    return std::max(milliseconds(0),
                    std::chrono::duration_cast<milliseconds>(deadline_ - Clock::now()));
  }

  std::string ReachExpected() const {
    return "GET " + std::string(kScrapePath) + " on port " + std::to_string(port_) +
           " answers 200 within --pod-timeout " + DurationText(options_.pod_timeout);
  }

  PodOutcome Fail(PodOutcome outcome, Check check) {
    outcome.report.checks.push_back(std::move(check));
    return outcome;
  }

  // Starts the port-forward (or settles for kubectl exec). nullopt when the pod can be read;
  // otherwise the failed "reach" (or "pod", "sidecar") check.
  std::optional<Check> Connect() {
    KubectlFailure failure;
    const milliseconds forward_timeout = std::min(options_.forward_timeout, Remaining());
    forward_ = kubectl_.StartPortForward(pod_.ref(), port_, forward_timeout, &failure);
    if (forward_)
      return std::nullopt;
    const std::string said =
        failure.message.empty() ? std::string(FailureKindName(failure.kind)) : failure.message;
    using Kind = KubectlFailure::Kind;
    switch (failure.kind) {
      case Kind::kInterrupted:
        throw PodInterrupted{};
      case Kind::kForbidden:
        return Denied(failure);
      case Kind::kNotRunning:
      case Kind::kNotFound:
        return FailedCheck("pod", HintId::kPodNotRunning, "phase Running, istio-proxy started",
                           "kubectl port-forward: " + said);
      case Kind::kNoContainer:
        return FailedCheck("sidecar", HintId::kNoSidecar, "an istio-proxy container",
                           "kubectl port-forward: " + said);
      case Kind::kTimeout:
        return FailedCheck("reach", HintId::kEndpointUnreachable, ReachExpected(),
                           // The runner's message already says what did not happen in time.
                           failure.message.empty()
                               ? "kubectl port-forward printed no 'Forwarding from' line within " +
                                     DurationText(forward_timeout)
                               : "kubectl port-forward: " + failure.message);
      case Kind::kUnreachable:
      case Kind::kCrashed:
      case Kind::kOther:
        break;
    }
    return FailedCheck("reach", HintId::kEndpointUnreachable, ReachExpected(),
                       "kubectl port-forward: " + said);
  }

  static std::string Permission(const KubectlFailure& failure) {
    return (failure.verb.empty() ? std::string("create") : failure.verb) + " " +
           (failure.resource.empty() ? std::string("pods/portforward") : failure.resource);
  }

  std::vector<std::string> ExecArgs(const std::string& path) const {
    // pilot-agent request talks to the admin port on localhost inside the pod.
    return {"exec",
            pod_.name,
            "-n",
            pod_.namespace_name,
            "-c",
            "istio-proxy",
            "--",
            "pilot-agent",
            "request",
            "GET",
            path.substr(path.starts_with('/') ? 1 : 0)};
  }

  // Forwarding denied: read through kubectl exec when allowed, and say so either way.
  std::optional<Check> Denied(const KubectlFailure& failure) {
    const std::string denied = "port-forward denied (needs " + Permission(failure) + ")" +
                               (failure.message.empty() ? "" : ": " + failure.message);
    const std::string expected = "kubectl port-forward allowed (" + Permission(failure) + ")";
    if (!options_.exec_fallback) {
      return FailedCheck("reach", HintId::kPortForwardDenied, expected,
                         denied + "; kubectl exec not tried (--no-exec)");
    }
    StopIfInterrupted();
    const KubectlResult result = kubectl_.Run(ExecArgs(kScrapePath), Remaining());
    if (result.end == KubectlResult::End::kInterrupted)
      throw PodInterrupted{};
    if (!result.ok()) {
      return FailedCheck("reach", HintId::kPortForwardDenied, expected,
                         denied + "; kubectl exec failed too: " + KubectlError(result));
    }
    exec_ = true;
    exec_body_ready_ = true;
    exec_body_ = result.out;
    exec_denied_ = denied;
    exec_expected_ = expected;
    return std::nullopt;
  }

  // GET `path` from the sidecar through whatever reached it; nullopt with *error set on failure.
  std::optional<std::string> Get(const std::string& path, std::string* error) {
    const milliseconds remaining = Remaining();
    if (remaining.count() == 0) {
      *error = "--pod-timeout " + DurationText(options_.pod_timeout) + " spent";
      return std::nullopt;
    }
    if (exec_)
      return Exec(path, remaining, error);
    net::HttpRequest request;
    request.url = "http://127.0.0.1:" + std::to_string(forward_->local_port()) + path;
    request.headers = {{"Accept", "text/plain"}};
    request.timeout = remaining;
    request.connect_timeout = std::min(request.connect_timeout, remaining);
    try {
      net::HttpResponse response = http_.Fetch(request);
      Log("GET " + request.url + " (" + pod_.display_name() + "): HTTP " +
          std::to_string(response.status) + ", " + std::to_string(response.body.size()) + " bytes");
      if (response.status != 200) {
        std::string line = FirstLine(response.body);
        *error = "HTTP " + std::to_string(response.status) + " from port " + std::to_string(port_) +
                 (line.empty() ? "" : ": " + line);
        return std::nullopt;
      }
      return std::move(response.body);
    } catch (const EnvironmentError& e) {
      StopIfInterrupted();
      Log("GET " + request.url + " (" + pod_.display_name() + "): " + e.reason());
      *error = e.reason();
      return std::nullopt;
    }
  }

  std::optional<std::string> Exec(const std::string& path, milliseconds remaining,
                                  std::string* error) {
    if (path == kScrapePath && exec_body_ready_) {
      exec_body_ready_ = false;
      return std::move(exec_body_);
    }
    const KubectlResult result = kubectl_.Run(ExecArgs(path), remaining);
    if (result.end == KubectlResult::End::kInterrupted)
      throw PodInterrupted{};
    if (!result.ok()) {
      *error = "kubectl exec: " + KubectlError(result);
      return std::nullopt;
    }
    return result.out;
  }

  // First in the report: how the bytes were read, so a scrape through exec is never taken for
  // one from the port asked for.
  Check ReachCheck(const std::string& body) const {
    Check check{"reach", ""};
    if (!exec_) {
      check.expected = ReachExpected();
      check.observed =
          "HTTP 200, " + std::to_string(body.size()) + " bytes, through kubectl port-forward";
      return check;
    }
    check.expected = exec_expected_;
    std::string observed = exec_denied_ +
                           "; read through kubectl exec -c istio-proxy -- pilot-agent request GET "
                           "stats/prometheus instead";
    if (port_ != kAdminPort)
      observed += ", from the admin port 15000, not " + std::to_string(port_) + " as asked";
    check.observed = observed;
    Finding finding = MakeFinding(HintId::kPortForwardDenied, check.expected, observed);
    // The metrics were still read: the denial is worth knowing, not a failure of the pod.
    finding.severity = Severity::kWarning;
    check.findings.push_back(std::move(finding));
    return check;
  }

  void Log(const std::string& line) const {
    if (log_)
      log_(line);
  }

  Kubectl& kubectl_;
  net::HttpClient& http_;
  const ClusterVerifyOptions& options_;
  const std::function<void(const std::string&)>& log_;
  const Pod& pod_;
  const int port_;
  const Clock::time_point deadline_;
  std::unique_ptr<PortForward> forward_;
  bool exec_ = false;
  bool exec_body_ready_ = false;  // the scrape the fallback already read, not yet handed out
  std::string exec_body_, exec_denied_, exec_expected_;
};

struct Totals {
  std::optional<double> aborts, delays, delay_count;
};

std::optional<Totals> ReadTotals(const std::string& body) {
  if (body.empty())
    return std::nullopt;
  prom::ParseOptions options;
  options.mode = prom::Mode::kScrape;
  options.keep = [](std::string_view family) {
    return family.find("hfi_faults") != std::string_view::npos;
  };
  const prom::ParseResult result = prom::Parse(body, options);
  if (!result.ok())
    return std::nullopt;
  const verify::ScrapeIndex index(result);
  return Totals{index.Total(metrics::kAborts, verify::Part::kValue),
                index.Total(metrics::kDelays, verify::Part::kValue),
                index.Total(metrics::kDelayDuration, verify::Part::kCount)};
}

std::string Number(double value) {
  if (value == static_cast<double>(static_cast<long long>(value)))
    return std::to_string(static_cast<long long>(value));
  return std::to_string(value);
}

std::string Signed(double value) {
  return (value >= 0 ? "+" : "") + Number(value);
}

}  // namespace

ClusterVerifyResult VerifyPods(Kubectl& kubectl, net::HttpClient& http,
                               const std::vector<Pod>& pods, const ClusterVerifyOptions& options,
                               const std::vector<PodScrape>* baselines) {
  const std::size_t total = pods.size();
  std::vector<PodOutcome> outcomes(total);
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false}, interrupted{false};
  std::mutex mutex;  // serialises the callbacks and guards `done` and `failure`
  std::size_t done = 0;
  std::exception_ptr failure;
  const std::function<void(const std::string&)> log = [&](const std::string& line) {
    if (!options.log)
      return;
    std::lock_guard<std::mutex> lock(mutex);
    options.log(line);
  };

  auto worker = [&] {
    while (!stop) {
      if (Interrupted()) {
        interrupted = true;
        stop = true;
        break;
      }
      const std::size_t i = next++;
      if (i >= total)
        break;
      const PodScrape* baseline =
          baselines != nullptr && i < baselines->size() ? &(*baselines)[i] : nullptr;
      try {
        outcomes[i] = PodVisit(kubectl, http, options, log, pods[i]).Run(baseline);
      } catch (const PodInterrupted&) {
        interrupted = true;
        stop = true;
        break;
      } catch (...) {
        std::lock_guard<std::mutex> lock(mutex);
        if (!failure)
          failure = std::current_exception();
        stop = true;
        break;
      }
      std::lock_guard<std::mutex> lock(mutex);
      ++done;
      if (options.progress)
        options.progress(done, total, pods[i].display_name());
    }
  };

  const std::size_t workers = std::max<std::size_t>(1, std::min(options.concurrency, total));
  std::vector<std::thread> threads;
  threads.reserve(workers);
  try {
    for (std::size_t t = 0; t < workers; ++t)
      threads.emplace_back(worker);
  } catch (const std::system_error& e) {
    // Started threads are joined before anything leaves; with none the run is impossible, with
    // some it goes on with fewer.
    if (threads.empty())
      throw EnvironmentError("verify", std::string("cannot start a thread: ") + e.what());
  }
  for (std::thread& thread : threads)
    thread.join();

  if (interrupted || Interrupted())
    throw InterruptedError("verify");
  if (failure)
    std::rethrow_exception(failure);

  ClusterVerifyResult result;
  for (std::size_t i = 0; i < total; ++i) {
    result.scrapes.push_back({pods[i].display_name(), std::move(outcomes[i].body)});
    result.report.sources.push_back(std::move(outcomes[i].report));
  }
  return result;
}

verify::SourceReport TrafficReport(const std::vector<PodScrape>& before,
                                   const std::vector<PodScrape>& after,
                                   const ClusterTraffic& traffic) {
  verify::SourceReport report;
  report.name = "traffic";
  report.kind = verify::SourceKind::kTraffic;
  report.traffic = traffic.summary;
  const verify::TrafficSummary& seen = traffic.summary;
  const std::size_t requests = seen.sent + traffic.no_response;

  Check responses{"responses", ""};
  responses.expected = "a response to each of " + std::to_string(requests) + " GET " + traffic.url;
  if (traffic.no_response == 0) {
    responses.observed = std::to_string(seen.sent) + " responses";
  } else {
    responses.observed = std::to_string(traffic.no_response) + " of " + std::to_string(requests) +
                         " got no response (first: " + traffic.first_no_response + ")";
    responses.findings.push_back(
        MakeFinding(HintId::kEndpointUnreachable, responses.expected, responses.observed));
  }
  report.checks.push_back(std::move(responses));

  // Sum each counter's increase over the pods scraped both times.
  double aborts = 0, delays = 0, delay_count = 0;
  std::size_t with_aborts = 0, with_delays = 0, with_count = 0, counted = 0;
  std::vector<std::string> left_out;
  for (std::size_t i = 0; i < after.size(); ++i) {
    std::optional<Totals> then = i < before.size() ? ReadTotals(before[i].body) : std::nullopt;
    std::optional<Totals> now = ReadTotals(after[i].body);
    if (!then || !now) {
      left_out.push_back(after[i].pod);
      continue;
    }
    ++counted;
    auto add = [](const std::optional<double>& a, const std::optional<double>& b, double* sum,
                  std::size_t* pods) {
      if (a && b) {
        *sum += *b - *a;
        ++*pods;
      }
    };
    add(then->aborts, now->aborts, &aborts, &with_aborts);
    add(then->delays, now->delays, &delays, &with_delays);
    add(then->delay_count, now->delay_count, &delay_count, &with_count);
  }
  if (counted == 0) {
    report.checks.push_back(
        Check::Skipped("traffic", "", "no pod was scraped both before and after the traffic"));
    return report;
  }

  Check check{"traffic", ""};
  check.expected = "aborts +" + std::to_string(seen.aborted) + ", delays +" +
                   std::to_string(seen.delayed) + ", delay _count +" +
                   std::to_string(seen.delayed) + " (summed over " + std::to_string(counted) +
                   (counted == 1 ? " pod" : " pods");
  if (!left_out.empty()) {
    check.expected +=
        "; left out, not scraped twice: " + left_out.front() +
        (left_out.size() > 1 ? " and " + std::to_string(left_out.size() - 1) + " more" : "");
  }
  check.expected += ")";
  struct Row {
    const metrics::MetricName& metric;
    const char* label;
    const char* series_suffix;
    double sum;
    std::size_t pods;
    std::size_t seen;
    const char* what;
  };
  const Row rows[] = {
      {metrics::kAborts, "aborts ", "", aborts, with_aborts, seen.aborted,
       "aborted responses seen"},
      {metrics::kDelays, "delays ", "", delays, with_delays, seen.delayed,
       "delayed responses seen"},
      {metrics::kDelayDuration, "delay _count ", "_count", delay_count, with_count, seen.delayed,
       "delayed responses seen"},
  };
  std::string observed;
  for (const Row& row : rows) {
    std::string value;
    bool agrees = false;
    if (row.pods == 0) {
      value = "absent from every pod's scrape";
    } else {
      value = Signed(row.sum);
      if (row.pods < counted)
        value += " (absent on " + std::to_string(counted - row.pods) + " pods)";
      agrees = row.sum == static_cast<double>(row.seen);
    }
    observed += (observed.empty() ? "" : ", ") + std::string(row.label) + value;
    if (!agrees) {
      // The pods serve other clients too: faults beyond this run's are theirs (a warning), while
      // fewer than seen means lost updates.
      const bool exceeded = row.pods > 0 && row.sum > static_cast<double>(row.seen);
      Finding finding = MakeFinding(
          exceeded ? HintId::kTrafficExceeded : HintId::kTrafficMismatch,
          "+" + std::to_string(row.seen) + " (" + row.what + ", summed over the pods)", value);
      finding.metric = std::string(row.metric.prometheus) + row.series_suffix;
      check.findings.push_back(std::move(finding));
    }
  }
  check.observed = observed;
  if (check.findings.empty() && seen.aborted == 0 && seen.delayed == 0) {
    check.findings.push_back(MakeFinding(
        HintId::kNoFaultsSeen, "at least one aborted or delayed response",
        "none of " + std::to_string(seen.sent) + " responses carried x-fault-injected"));
  }
  report.checks.push_back(std::move(check));
  return report;
}

}  // namespace hfi::kube

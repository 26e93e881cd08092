#include "local/local_run.h"

#include <utility>

#include "plugin/metric_names.h"
#include "util/errors.h"
#include "verify/verify.h"

namespace hfi::local {
namespace {

std::string_view FailStateName(wasmhost::FailState state) {
  switch (state) {
    case wasmhost::FailState::kNone:
      return "running";
    case wasmhost::FailState::kStartFailed:
      return "start failed";
    case wasmhost::FailState::kConfigureFailed:
      return "configure failed";
    case wasmhost::FailState::kRuntimeError:
      return "runtime error";
  }
  return "failed";
}

std::string MatcherName(const envoystats::StatsMatcher& matcher) {
  const std::string patterns = std::to_string(matcher.patterns().size()) +
                               (matcher.patterns().size() == 1 ? " pattern" : " patterns");
  switch (matcher.mode()) {
    case envoystats::StatsMatcher::Mode::kAcceptAll:
      return "no matcher";
    case envoystats::StatsMatcher::Mode::kRejectAll:
      return "reject_all";
    case envoystats::StatsMatcher::Mode::kInclusion:
      return "inclusion list of " + patterns;
    case envoystats::StatsMatcher::Mode::kExclusion:
      return "exclusion list of " + patterns;
  }
  return "matcher";
}

std::string Seconds(std::chrono::milliseconds ms) {
  return std::to_string(ms.count() / 1000) + "." + std::to_string(ms.count() % 1000 / 100) + " s";
}

}  // namespace

std::string LocalSourceName(const std::string& admin_address) {
  return "local sidecar (" + admin_address + ")";
}

verify::Check PluginCheck(const sidecar::PluginStatus& status) {
  verify::Check check{"plugin", ""};
  check.expected = "running (started, configured, no trap)";
  if (status.fail_state == wasmhost::FailState::kNone) {
    check.observed = "running";
    return check;
  }
  check.observed = std::string(FailStateName(status.fail_state)) + ": " + status.failure;
  verify::Finding finding(verify::HintId::kPluginFailed);
  finding.expected = check.expected;
  finding.observed = check.observed;
  check.findings.push_back(std::move(finding));
  return check;
}

verify::Check StatsMatcherCheck(const envoystats::StatsMatcher& matcher) {
  verify::Check check{"stats-matcher", ""};
  check.expected = "the three names created (internal wasmcustom.wasmcustom.hfi_faults_*)";
  std::string rejected;
  for (const metrics::MetricName& metric : metrics::kAll) {
    // Envoy puts what a plugin defines under its own `wasmcustom.` namespace; matchers see that
    // full name (facts/envoy-istio.md §1, §3.1).
    const std::string internal = "wasmcustom." + std::string(metric.defined);
    if (matcher.Accepts(internal))
      continue;
    rejected += (rejected.empty() ? "" : ", ") + internal;
    verify::Finding finding(verify::HintId::kStatsMatcherRejects);
    finding.metric = std::string(metric.prometheus);
    finding.expected = "created";
    finding.observed = "rejected by the sidecar's " + MatcherName(matcher) + ": " + internal;
    check.findings.push_back(std::move(finding));
  }
  check.observed = rejected.empty() ? MatcherName(matcher) + " accepts all three"
                                    : MatcherName(matcher) + " rejects " + rejected;
  return check;
}

LocalRunResult RunLocal(LocalTarget& target, net::HttpClient& client,
                        const LocalRunOptions& options) {
  const std::string listen = target.listen_address();
  const std::string admin = target.admin_address();

  // 1. Traffic: the plan's requests through the plugin, each response tallied.
  TrafficOptions traffic;
  traffic.base_url = "http://" + listen;
  traffic.requests = options.requests;
  traffic.concurrency = options.concurrency;
  traffic.request_timeout = options.request_timeout;
  traffic.progress = options.progress;
  LocalRunResult result{{}, SendTraffic(client, traffic)};
  const TrafficTally& tally = result.tally;
  if (tally.no_response() > 0) {
    throw EnvironmentError(
        LocalSourceName(admin),
        std::to_string(tally.no_response()) + " of " + std::to_string(tally.sent()) +
            " requests to " + listen + " got no response (first: " + tally.first_no_response() +
            ")",
        "a policy delay longer than the " + Seconds(options.request_timeout) +
            " request timeout holds requests past it; rerun with -v to see the plugin's log");
  }

  // 2. One flush after the traffic: histograms reach /stats/prometheus only at a flush.
  const auto flush_timeout = 3 * options.flush_interval + std::chrono::milliseconds(5'000);
  if (!target.WaitForFlush(flush_timeout)) {
    throw EnvironmentError(LocalSourceName(admin),
                           "no stats flush within " + Seconds(flush_timeout),
                           "the sidecar's timer is stuck; rerun with -v to see the plugin's log");
  }

  // 3. The scrape, over HTTP like any sidecar's.
  net::HttpRequest scrape;
  scrape.url = "http://" + admin + "/stats/prometheus";
  scrape.timeout = options.request_timeout;
  net::HttpResponse response = client.Fetch(scrape);
  if (response.status != 200) {
    throw EnvironmentError(scrape.url, "answered HTTP " + std::to_string(response.status),
                           "a sidecar's admin endpoint answers 200");
  }

  // 4. The engine's checks, the traffic check among them; in front, the plugin's state and the
  // stats matcher, which explain everything below them when they fail.
  verify::CheckOptions checks = options.checks;
  checks.traffic = tally.Summary();
  verify::Source source{LocalSourceName(admin), verify::SourceKind::kLocal,
                        std::move(response.body)};
  result.report = verify::VerifySource(source, nullptr, checks);
  auto front = result.report.checks.begin();
  if (options.stats_matcher)
    front = result.report.checks.insert(front, StatsMatcherCheck(*options.stats_matcher));
  result.report.checks.insert(front, PluginCheck(target.plugin_status()));
  return result;
}

void LocalLogSink::Log(const wasmhost::LogRecord& record) {
  const bool plugin = record.source == wasmhost::LogSource::kPlugin;
  if (plugin && record.level >= wasmhost::LogLevel::kError)
    plugin_errors_.push_back(record.message);
  if (echo_ != nullptr) {
    std::fprintf(echo_, "hfi-metrics: %s: %.*s: %s\n", plugin ? "plugin" : "host",
                 static_cast<int>(wasmhost::LogLevelName(record.level).size()),
                 wasmhost::LogLevelName(record.level).data(), record.message.c_str());
  }
}

}  // namespace hfi::local

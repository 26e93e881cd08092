#include "commands/verify_prometheus.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <memory>
#include <mutex>
#include <set>
#include <string>
#include <vector>

#include "commands/progress.h"
#include "commands/verify_sources.h"
#include "kube/cluster_verify.h"
#include "kube/kubectl.h"
#include "kube/pods.h"
#include "net/http_client.h"
#include "promapi/api.h"
#include "promapi/fleet.h"
#include "util/base64.h"
#include "util/errors.h"
#include "util/file.h"
#include "util/interrupt.h"
#include "util/parallel.h"
#include "util/terminal.h"

namespace hfi {
namespace {

// Renamed series are looked for over this window: a rename that dropped the documented names a
// few minutes ago still shows.
constexpr std::chrono::seconds kRenameLookback{600};
// Metadata is asked for per family name; more HFI-like names than this are not worth a request.
constexpr std::size_t kMaxMetadataNames = 10;
// Credentials are a line; a larger file is a mistake.
constexpr std::size_t kMaxCredentialBytes = 64 * 1024;

void LogLine(const std::string& line) {
  std::fprintf(stderr, "hfi-metrics: %s\n", line.c_str());
}

// A token or password file: one line, the trailing newline not part of it.
std::string ReadCredential(const std::string& path, const std::string& flag) {
  std::string text = ReadFileOrStdin(path, kMaxCredentialBytes);
  while (!text.empty() && (text.back() == '\n' || text.back() == '\r'))
    text.pop_back();
  if (text.empty())
    throw InputError(path, "is empty", "write the credential for " + flag + " into it");
  if (text.find('\n') != std::string::npos) {
    throw InputError(path, "holds more than one line",
                     flag + " takes a file with the credential alone on one line");
  }
  return text;
}

promapi::ApiOptions MakeApiOptions(const GlobalOptions& global, const PrometheusFlags& prom) {
  promapi::ApiOptions api;
  api.base_url = prom.url;
  api.timeout = ParseDuration("--prometheus-timeout", prom.timeout);
  api.insecure_skip_tls_verify = prom.insecure_skip_tls_verify;
  if (!prom.ca_file.empty()) {
    // Read now so that a wrong path is named as a file (exit 3), not as a TLS failure.
    ReadFileOrStdin(prom.ca_file, kDefaultMaxFileBytes);
    api.ca_file = prom.ca_file;
  }
  if (!prom.token_file.empty()) {
    api.headers.emplace_back(
        "Authorization", "Bearer " + ReadCredential(prom.token_file, "--prometheus-token-file"));
    api.auth_description = "the bearer token in " + prom.token_file;
  } else if (!prom.user.empty()) {
    const std::string password =
        prom.password_file.empty()
            ? std::string()
            : ReadCredential(prom.password_file, "--prometheus-password-file");
    api.headers.emplace_back("Authorization", "Basic " + Base64Encode(prom.user + ":" + password));
    api.auth_description = "basic auth user " + prom.user;
  }
  if (global.verbose > 0)
    api.log = LogLine;
  return api;
}

struct Fleet {
  std::vector<promapi::Expected> expected;
  std::string restriction;  // matchers every query adds (namespaces, or --match)
  std::unique_ptr<kube::Kubectl> kubectl;
  std::vector<kube::Pod> pods;  // kubectl mode, same order as expected
};

Fleet ExpectedFromCluster(const GlobalOptions& global, const VerifyFlags& flags) {
  kube::KubectlConfig config;
  config.path = global.kubectl;
  config.kubeconfig = global.kubeconfig;
  config.context = global.context;
  config.log = global.verbose > 0 ? stderr : nullptr;
  Fleet fleet;
  fleet.kubectl = kube::MakeRealKubectl(config);

  fleet.pods =
      ListSelectedPods(*fleet.kubectl, flags, ParseDuration("--pod-timeout", flags.pod_timeout));
  std::vector<std::string> namespaces;
  for (const kube::Pod& pod : fleet.pods) {
    promapi::Expected e;
    e.name = pod.display_name();
    e.namespace_name = pod.namespace_name;
    e.pod = pod.name;
    if (!pod.running())
      e.not_running = pod.deleting ? "being deleted" : "phase " + pod.phase;
    fleet.expected.push_back(std::move(e));
    namespaces.push_back(pod.namespace_name);
  }
  const PrometheusFlags& prom = flags.prometheus;
  fleet.restriction = prom.namespace_label + "=~" +
                      promapi::PromQlString(promapi::RegexAlternation(namespaces)) + "," +
                      prom.pod_label + "!=\"\"";
  return fleet;
}

// --match mode: GET each chosen target's scrape URL, a few at a time.
std::vector<std::optional<promapi::DirectScrape>> ScrapeUrls(net::HttpClient& http,
                                                             const promapi::FleetPlan& plan,
                                                             const GlobalOptions& global,
                                                             std::chrono::milliseconds timeout,
                                                             std::size_t concurrency) {
  std::vector<std::optional<promapi::DirectScrape>> direct(plan.pods.size());
  std::vector<std::size_t> chosen;
  for (std::size_t i = 0; i < plan.pods.size(); ++i) {
    if (plan.pods[i].scrape && plan.pods[i].target)
      chosen.push_back(i);
  }
  std::mutex mutex;  // guards the log lines
  ForEachIndex(
      chosen.size(), concurrency,
      [&](std::size_t n) {
        const std::size_t i = chosen[n];
        net::HttpRequest request;
        request.url = plan.pods[i].target->scrape_url;
        request.timeout = timeout;
        request.connect_timeout = std::min(timeout, std::chrono::milliseconds(5'000));
        promapi::DirectScrape scrape;
        std::string log;
        try {
          net::HttpResponse response = http.Fetch(request);
          log =
              "HTTP " + std::to_string(response.status) + ", " +
              std::to_string(
                  std::chrono::duration_cast<std::chrono::milliseconds>(response.elapsed).count()) +
              " ms";
          if (response.status == 200 && !response.body.empty())
            scrape.body = std::move(response.body);
          else
            scrape.error = "HTTP " + std::to_string(response.status) + " from " + request.url;
        } catch (const EnvironmentError& e) {
          scrape.error = e.reason();
          log = e.reason();
        }
        if (global.verbose > 0) {
          std::lock_guard<std::mutex> lock(mutex);
          LogLine("GET " + request.url + ": " + log);
        }
        direct[i] = std::move(scrape);  // each index is written by one thread only
      },
      "verify");
  return direct;
}

// kubectl mode: the chosen pods through the cluster path (port-forward, exec, deep look).
std::vector<std::optional<promapi::DirectScrape>> ScrapePods(net::HttpClient& http, Fleet& fleet,
                                                             const promapi::FleetPlan& plan,
                                                             const GlobalOptions& global,
                                                             const VerifyFlags& flags) {
  std::vector<std::optional<promapi::DirectScrape>> direct(plan.pods.size());
  std::vector<kube::Pod> subset;
  std::vector<std::size_t> index;
  for (std::size_t i = 0; i < plan.pods.size(); ++i) {
    if (plan.pods[i].scrape) {
      subset.push_back(fleet.pods[i]);
      index.push_back(i);
    }
  }
  if (subset.empty())
    return direct;
  kube::ClusterVerifyOptions options;
  options.port = static_cast<kube::StatsPort>(flags.port);
  options.concurrency = flags.concurrency;
  options.pod_timeout = ParseDuration("--pod-timeout", flags.pod_timeout);
  options.forward_timeout = ParseDuration("--forward-timeout", flags.forward_timeout);
  options.exec_fallback = !flags.no_exec;
  Progress progress(!global.quiet && IsTerminal(stderr));
  options.progress = [&progress](std::size_t done, std::size_t total, const std::string&) {
    progress.Update("scraping pods directly", done, total);
  };
  if (global.verbose > 0)
    options.log = LogLine;
  kube::ClusterVerifyResult result = kube::VerifyPods(*fleet.kubectl, http, subset, options);
  progress.Done();
  for (std::size_t j = 0; j < subset.size(); ++j) {
    promapi::DirectScrape scrape;
    scrape.body = result.scrapes[j].body;
    scrape.report = result.report.sources[j];
    if (scrape.body.empty()) {
      scrape.error = "the pod could not be scraped";
      for (const verify::Check& check : scrape.report->checks) {
        if (!check.findings.empty()) {
          scrape.error = check.findings.front().observed;
          break;
        }
      }
    }
    direct[index[j]] = std::move(scrape);
  }
  return direct;
}

}  // namespace

verify::Report RunPrometheus(const GlobalOptions& global, const VerifyFlags& flags,
                             const verify::CheckOptions& checks) {
  InterruptScope interrupts;
  const PrometheusFlags& prom = flags.prometheus;
  // Credentials and the CA are read before anything is sent: a wrong path ends the run at once.
  promapi::ApiOptions api = MakeApiOptions(global, prom);
  net::CurlHttpClient http;
  promapi::Client client(http, api);

  promapi::FleetOptions options;
  options.pod_label = prom.pod_label;
  options.namespace_label = prom.namespace_label;
  options.max_scrape_age_seconds =
      static_cast<double>(ParseDuration("--max-scrape-age", prom.max_scrape_age).count()) / 1000.0;
  options.sample = prom.sample;
  options.checks = checks;

  const promapi::BuildInfo info = client.GetBuildInfo();
  if (global.verbose > 0)
    LogLine("Prometheus " + info.version + " at " + prom.url);

  // The pods come first in kubectl mode: no pods, no queries.
  Fleet fleet;
  promapi::FleetData data;
  const std::string hfi_names = "__name__=~\".*hfi_faults.*\"";
  if (prom.match.empty()) {
    fleet = ExpectedFromCluster(global, flags);
    data.up = client.Query("up" + promapi::Selector("", fleet.restriction));
  } else {
    fleet.restriction = promapi::MatcherList(prom.match);
    data.up = client.Query("up" + promapi::Selector("", fleet.restriction));
    fleet.expected = promapi::ExpectedFromUp(data.up, prom.pod_label, prom.namespace_label);
    if (fleet.expected.empty()) {
      throw EnvironmentError("--match", "no target in Prometheus has up{" + fleet.restriction + "}",
                             "list the jobs: curl -s " + prom.url +
                                 "/api/v1/label/job/values, and check the labels in " + prom.url +
                                 "/api/v1/targets");
    }
  }
  if (Interrupted())
    throw InterruptedError("verify");
  data.targets = client.ActiveTargets();
  data.series = client.Query(promapi::Selector(hfi_names, fleet.restriction));
  if (!global.quiet) {
    for (const std::string& warning : client.warnings()) {
      std::fprintf(stderr,
                   "hfi-metrics: note: Prometheus warned that its answer may be partial: %s\n",
                   warning.c_str());
    }
    for (const std::string& name : client.native_histograms()) {
      std::fprintf(stderr,
                   "hfi-metrics: note: Prometheus holds %s as a native histogram; verify reads "
                   "the classic _bucket, _sum and _count series, so it finds none\n",
                   name.c_str());
    }
  }
  for (const std::string& family : promapi::FamilyNames(data.series, kMaxMetadataNames)) {
    for (const auto& [name, entries] : client.Metadata(family)) {
      if (name == family && !entries.empty())
        data.types[name] = entries.front().type;
    }
  }
  data.now = !data.up.empty()
                 ? data.up.front().timestamp
                 : static_cast<double>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                           std::chrono::system_clock::now().time_since_epoch())
                                           .count()) /
                       1000.0;
  if (Interrupted())
    throw InterruptedError("verify");

  promapi::FleetPlan plan = promapi::PlanFleet(fleet.expected, data, options);
  if (plan.wants_renamed) {
    data.renamed = client.Series(
        promapi::Selector(
            "__name__=~\".*(aborts_total|delays_total|delay_duration_milliseconds).*\","
            "__name__!~\".*hfi_faults.*\"",
            fleet.restriction),
        kRenameLookback);
  }
  if (global.verbose > 0)
    LogLine(std::to_string(client.requests()) + " Prometheus API requests for " +
            std::to_string(plan.pods.size()) + " expected pods");

  std::vector<std::optional<promapi::DirectScrape>> direct =
      prom.match.empty() ? ScrapePods(http, fleet, plan, global, flags)
                         : ScrapeUrls(http, plan, global, api.timeout, flags.concurrency);
  if (Interrupted())
    throw InterruptedError("verify");
  return promapi::BuildReport(plan, data, direct, options);
}

}  // namespace hfi

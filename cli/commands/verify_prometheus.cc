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

// `job="x"` or `{job="x"}` as the inside of a selector.
std::string Matchers(std::string match) {
  const auto first = match.find_first_not_of(" \t");
  const auto last = match.find_last_not_of(" \t");
  match = first == std::string::npos ? "" : match.substr(first, last - first + 1);
  if (match.size() >= 2 && match.front() == '{' && match.back() == '}')
    match = match.substr(1, match.size() - 2);
  return match;
}

std::string Selector(const std::string& name_matcher, const std::string& rest) {
  std::string inside = name_matcher;
  if (!rest.empty())
    inside += (inside.empty() ? "" : ",") + rest;
  return "{" + inside + "}";
}

// "in namespace demo", "in any namespace", "in the current namespace".
std::string Where(const kube::PodTargets& targets) {
  if (targets.all_namespaces)
    return "in any namespace";
  if (!targets.namespace_name.empty())
    return "in namespace " + targets.namespace_name;
  return "in kubectl's current namespace";
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

  kube::PodTargets targets;
  targets.namespace_name = flags.namespace_name;
  targets.all_namespaces = flags.all_namespaces;
  targets.selector = flags.selector;
  targets.names = flags.pods;
  fleet.pods =
      kube::ListPods(*fleet.kubectl, targets, ParseDuration("--pod-timeout", flags.pod_timeout));
  if (Interrupted())
    throw InterruptedError("verify");
  if (fleet.pods.empty()) {
    if (!targets.selector.empty()) {
      throw EnvironmentError("verify",
                             "no pods match -l " + targets.selector + " " + Where(targets),
                             "check the selector: kubectl get pods -l " + targets.selector);
    }
    throw EnvironmentError("verify", "no pods found " + Where(targets),
                           "check the names: kubectl get pods");
  }
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

std::string LabelSetText(const promapi::Labels& labels) {
  std::string text;
  for (const auto& [name, value] : labels)
    text += (text.empty() ? "" : ",") + name + "=" + promapi::PromQlString(value);
  return "{" + text + "}";
}

std::vector<promapi::Expected> ExpectedFromUp(const std::vector<promapi::Sample>& up,
                                              const PrometheusFlags& prom) {
  std::vector<promapi::Expected> expected;
  for (const promapi::Sample& sample : up) {
    promapi::Expected e;
    e.target = sample.labels;
    e.target.erase("__name__");
    auto get = [&](const std::string& name) {
      auto it = e.target.find(name);
      return it == e.target.end() ? std::string() : it->second;
    };
    e.namespace_name = get(prom.namespace_label);
    e.pod = get(prom.pod_label);
    if (!e.namespace_name.empty() && !e.pod.empty())
      e.name = e.namespace_name + "/" + e.pod;
    else if (!get("instance").empty())
      e.name = get("instance");
    else
      e.name = LabelSetText(e.target);
    expected.push_back(std::move(e));
  }
  std::stable_sort(
      expected.begin(), expected.end(),
      [](const promapi::Expected& a, const promapi::Expected& b) { return a.name < b.name; });
  return expected;
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
    data.up = client.Query("up" + Selector("", fleet.restriction));
  } else {
    fleet.restriction = Matchers(prom.match);
    data.up = client.Query("up" + Selector("", fleet.restriction));
    fleet.expected = ExpectedFromUp(data.up, prom);
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
  data.series = client.Query(Selector(hfi_names, fleet.restriction));
  if (!global.quiet) {
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
        Selector("__name__=~\".*(aborts_total|delays_total|delay_duration_milliseconds).*\","
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

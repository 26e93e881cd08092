#include "commands/verify_flags.h"

#include <CLI/CLI.hpp>
#include <charconv>
#include <optional>
#include <set>
#include <string_view>
#include <system_error>

#include "util/duration.h"
#include "util/errors.h"

namespace hfi {
namespace {

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

}  // namespace

bool ClusterMode(const VerifyFlags& flags) {
  return !flags.pods.empty() || !flags.selector.empty() || flags.all_namespaces;
}

std::chrono::milliseconds ParseDuration(const std::string& flag, const std::string& text) {
  return ParseDurationFlag(text, flag, {std::chrono::milliseconds(1), std::chrono::hours(1)});
}

namespace {

void CheckLocalFlags(const VerifyFlags& flags) {
  if (!flags.local) {
    for (const CLI::Option* option : flags.local_only) {
      // With --traffic it tells how long the proxies take to flush their stats.
      if (option == flags.flush_interval_option && !flags.traffic.empty()) {
        if (option->count() > 0)
          ParseFlushInterval(flags.sidecar.flush_interval);  // a bad value fails before any scrape
        continue;
      }
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
  if (!flags.traffic_from.empty()) {
    if (flags.traffic.empty()) {
      throw UsageError("--traffic-from", "needs --traffic URL",
                       "name the URL the pod requests, e.g. --traffic http://frontend.demo:8080/");
    }
    const std::size_t slash = flags.traffic_from.find('/');
    if (slash == 0 || slash + 1 == flags.traffic_from.size() ||
        (slash != std::string::npos &&
         flags.traffic_from.find('/', slash + 1) != std::string::npos)) {
      throw UsageError("--traffic-from", "'" + flags.traffic_from + "' is not POD or NS/POD",
                       "e.g. --traffic-from curl-7c9d8 or --traffic-from demo/curl-7c9d8");
    }
    if (slash == std::string::npos && flags.all_namespaces) {
      throw UsageError("--traffic-from", "needs the pod's namespace with --all-namespaces",
                       "write NS/POD, e.g. --traffic-from demo/curl-7c9d8");
    }
  }
  if (!flags.expect_delta.empty() && flags.traffic.empty()) {
    throw UsageError("--expect-delta", "needs a baseline to subtract",
                     "add --traffic URL: each pod is scraped before and after the requests");
  }
}

void CheckPrometheusFlags(const VerifyFlags& flags) {
  const PrometheusFlags& prom = flags.prometheus;
  if (prom.url.empty()) {
    for (const CLI::Option* option : flags.prometheus_only) {
      if (option->count() > 0) {
        throw UsageError(FlagName(*option), "applies only to --prometheus",
                         "add --prometheus URL, the Prometheus server to query");
      }
    }
    return;
  }
  if (!prom.url.starts_with("http://") && !prom.url.starts_with("https://")) {
    throw UsageError("--prometheus", "'" + prom.url + "' is not an http:// or https:// URL",
                     "pass the server's base URL, e.g. http://prometheus.istio-system:9090");
  }
  if (flags.local || !flags.files.empty() || !flags.baselines.empty()) {
    throw UsageError("--prometheus",
                     std::string("cannot be combined with ") + (flags.local ? "--local" : "--file"),
                     "verify through Prometheus and the other sources in separate runs");
  }
  if (!flags.traffic.empty() || !flags.expect_delta.empty()) {
    throw UsageError(flags.traffic.empty() ? "--expect-delta" : "--traffic",
                     "cannot be combined with --prometheus",
                     "send traffic and check deltas against the pods directly (leave out "
                     "--prometheus)");
  }
  if (prom.match.empty() && !ClusterMode(flags)) {
    throw UsageError("--prometheus", "needs the pods to expect",
                     "name the pods, select them with -l SELECTOR (through kubectl), or choose "
                     "targets with --match 'job=\"envoy-stats\"'");
  }
  if (!prom.match.empty() && ClusterMode(flags)) {
    throw UsageError("--match", "cannot be combined with pod names, -l or -A",
                     "choose the expected pods one way: through kubectl, or with --match");
  }
  if (prom.pod_label.empty() || prom.namespace_label.empty()) {
    throw UsageError(prom.pod_label.empty() ? "--pod-label" : "--namespace-label", "is empty",
                     "name the label, e.g. pod or kubernetes_pod_name");
  }
  if (!prom.password_file.empty() && prom.user.empty()) {
    throw UsageError("--prometheus-password-file", "needs --prometheus-user",
                     "pass the basic auth user too");
  }
  if (!prom.user.empty() && !prom.token_file.empty()) {
    throw UsageError("--prometheus-user", "cannot be combined with --prometheus-token-file",
                     "use basic auth or a bearer token, not both");
  }
  if ((!prom.ca_file.empty() || prom.insecure_skip_tls_verify) &&
      !prom.url.starts_with("https://")) {
    throw UsageError(prom.ca_file.empty() ? "--insecure-skip-tls-verify" : "--prometheus-ca",
                     "applies only to an https:// URL",
                     "use https:// in --prometheus, or leave it out");
  }
  if (prom.ca_file == "-") {
    // libcurl opens the bundle by its path; standard input has none.
    throw UsageError("--prometheus-ca", "needs a file, not standard input",
                     "save the PEM bundle to a file and name it");
  }
  ParseDuration("--prometheus-timeout", prom.timeout);
  ParseDuration("--max-scrape-age", prom.max_scrape_age);
}

}  // namespace

void CheckVerifyFlags(const VerifyFlags& flags) {
  CheckLocalFlags(flags);
  CheckClusterFlags(flags);
  CheckPrometheusFlags(flags);
  if (Given(flags.requests_option) && !flags.local && flags.traffic.empty()) {
    throw UsageError("--requests", "applies only to --local and --traffic",
                     "add --local, or --traffic URL with pods");
  }
  if (Given(flags.concurrency_option) && !flags.local && !ClusterMode(flags)) {
    throw UsageError("--concurrency", "applies only to --local and to pods in a cluster",
                     "add --local, or name the pods or select them with -l SELECTOR");
  }
  if (flags.local || ClusterMode(flags) || !flags.prometheus.url.empty())
    return;
  if (flags.files.empty()) {
    throw UsageError("verify", "no source given",
                     "pass --file FILE, --file - for standard input, pod names or -l SELECTOR, "
                     "--local, or --prometheus URL");
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

namespace {

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

verify::CheckOptions MakeCheckOptions(const VerifyFlags& flags) {
  verify::CheckOptions options;
  options.expect = ParseExpectations(flags.expect, "--expect");
  options.expect_delta = ParseExpectations(flags.expect_delta, "--expect-delta");
  return options;
}

void AddVerifySourceFlags(CLI::App* cmd, VerifyFlags& flags) {
  cmd->add_option("pods", flags.pods, "Pods to verify, by name (in --namespace)")
      ->option_text("POD ...");
  cmd->add_option("--file", flags.files,
                  "A saved scrape of a sidecar's /stats/prometheus ('-' for standard input); "
                  "repeat for several sources")
      ->option_text("FILE")
      ->allow_extra_args(false);
  cmd->add_option("--expect", flags.expect,
                  "A condition on this scrape's values, e.g. 'aborts>=1' (repeatable)")
      ->option_text("EXPR")
      ->allow_extra_args(false);
  cmd->add_option("--baseline", flags.baselines,
                  "An earlier scrape of the same source: counters must not have dropped; one per "
                  "--file, in the same order")
      ->option_text("FILE")
      ->allow_extra_args(false);
  cmd->add_option("--expect-delta", flags.expect_delta,
                  "A condition on (scrape - baseline), e.g. 'delays>=5' (repeatable; needs "
                  "--baseline, or --traffic for pods)")
      ->option_text("EXPR")
      ->allow_extra_args(false);

  // Shared by two modes; each is checked against the mode in CheckFlags.
  flags.requests_option =
      cmd->add_option("--requests", flags.requests,
                      "With --local or --traffic: how many requests to send (default 30)")
          ->option_text("N")
          ->check(CLI::Range(1, 100'000));
  flags.concurrency_option =
      cmd->add_option("--concurrency", flags.concurrency,
                      "With --local or --traffic: requests in flight at once; with pods: how "
                      "many pods are verified at once (default 8)")
          ->option_text("N")
          ->check(CLI::Range(1, 64));

  // Cluster mode.
  std::vector<CLI::Option*> before = cmd->get_options();
  cmd->add_option("-l,--selector", flags.selector,
                  "Verify the pods with these labels, e.g. app=frontend (as kubectl -l)")
      ->option_text("SELECTOR");
  cmd->add_flag("-A,--all-namespaces", flags.all_namespaces,
                "With -l: select pods in every namespace");
  cmd->add_option("--port", flags.port,
                  "The sidecar port to read: 15000 (Envoy admin, default), 15090 (Envoy "
                  "Prometheus) or 15020 (Istio agent, merged with the application's metrics)")
      ->option_text("PORT");
  cmd->add_option("--pod-timeout", flags.pod_timeout,
                  "Everything for one pod (forward, scrapes, deeper look) within this (default "
                  "20s)")
      ->option_text("DURATION");
  cmd->add_option("--forward-timeout", flags.forward_timeout,
                  "How long kubectl port-forward may take to listen (default 10s)")
      ->option_text("DURATION");
  cmd->add_flag("--no-exec", flags.no_exec,
                "When port-forward is denied, do not read the pod through kubectl exec");
  cmd->add_option("--traffic", flags.traffic,
                  "Scrape the pods, send --requests GETs to URL, scrape again and check the "
                  "counters grew by the faults the responses showed")
      ->option_text("URL");
  cmd->add_option("--traffic-from", flags.traffic_from,
                  "Send the --traffic requests from inside POD ([NS/]POD; kubectl exec, curl in "
                  "its default container), for URLs only reachable in the cluster")
      ->option_text("POD");
  for (const CLI::Option* option : AddedSince(cmd, before))
    flags.cluster_only.push_back(option);

  // Prometheus mode.
  before = cmd->get_options();
  cmd->add_option(
         "--prometheus", flags.prometheus.url,
         "Verify through the Prometheus server at URL (its HTTP API): the three series for "
         "every pod named, selected with -l or matched with --match, their targets up and "
         "recently scraped, the histograms complete, values agreeing with a direct scrape "
         "of --sample pods")
      ->option_text("URL");
  cmd->add_option("--match", flags.prometheus.match,
                  "With --prometheus and no pods: PromQL label matchers choosing the expected "
                  "targets, e.g. 'job=\"envoy-stats\",namespace=\"demo\"'")
      ->option_text("MATCHERS");
  cmd->add_option("--pod-label", flags.prometheus.pod_label,
                  "With --prometheus: the label naming a series' pod (default pod)")
      ->option_text("NAME");
  cmd->add_option("--namespace-label", flags.prometheus.namespace_label,
                  "With --prometheus: the label naming a series' namespace (default namespace)")
      ->option_text("NAME");
  cmd->add_option("--sample", flags.prometheus.sample,
                  "With --prometheus: how many pods are also scraped directly to compare values "
                  "(default 3; 0: none)")
      ->option_text("N")
      ->check(CLI::Range(0, 1000));
  cmd->add_option("--prometheus-timeout", flags.prometheus.timeout,
                  "With --prometheus: the limit for each API request (default 10s)")
      ->option_text("DURATION");
  cmd->add_option("--max-scrape-age", flags.prometheus.max_scrape_age,
                  "With --prometheus: a target last scraped longer ago than this is stale "
                  "(default 2m)")
      ->option_text("DURATION");
  cmd->add_option("--prometheus-token-file", flags.prometheus.token_file,
                  "With --prometheus: send the bearer token in FILE")
      ->option_text("FILE");
  cmd->add_option(
         "--prometheus-user", flags.prometheus.user,
         "With --prometheus: basic auth user (the password from --prometheus-password-file)")
      ->option_text("USER");
  cmd->add_option("--prometheus-password-file", flags.prometheus.password_file,
                  "With --prometheus-user: the basic auth password, read from FILE")
      ->option_text("FILE");
  cmd->add_option("--prometheus-ca", flags.prometheus.ca_file,
                  "With an https --prometheus URL: trust the CA certificates in FILE (PEM)")
      ->option_text("FILE");
  cmd->add_flag("--insecure-skip-tls-verify", flags.prometheus.insecure_skip_tls_verify,
                "With an https --prometheus URL: do not check the server's certificate");
  for (const CLI::Option* option : AddedSince(cmd, before)) {
    if (FlagName(*option) != "--prometheus")
      flags.prometheus_only.push_back(option);
  }

  cmd->add_flag("--local", flags.local,
                "Verify the embedded sidecar: run the plugin on loopback, send requests through "
                "it, scrape its /stats/prometheus over HTTP");
  before = cmd->get_options();
  AddSidecarFlags(cmd, flags.sidecar);
  // The sidecar's --namespace (its node metadata) and the pods' -n/--namespace are one option.
  if (CLI::Option* sidecar_namespace = cmd->get_option_no_throw("--namespace"))
    cmd->remove_option(sidecar_namespace);
  // Whatever AddSidecarFlags registers needs --local too, without this file naming each flag.
  flags.local_only = AddedSince(cmd, before);
  flags.flush_interval_option = cmd->get_option("--flush-interval");
  flags.flush_interval_option->description(
      "Envoy's stats_flush_interval (e.g. 5s, 250ms, 1m): with --local, the embedded sidecar's "
      "(default 1s); with --traffic, the proxies' (default 5s, Envoy's), waited out with 0.5 s "
      "to spare before the second scrape");
  flags.namespace_option =
      cmd->add_option("-n,--namespace", flags.namespace_name,
                      "The pods' namespace (default: kubectl's current one); with --local, the "
                      "namespace the embedded sidecar reports (default: default)")
          ->option_text("NS");
}

}  // namespace hfi

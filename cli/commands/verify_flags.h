// The flags of `verify` (and of `serve`, which runs the same verification on an interval): what
// to verify (saved scrapes, the embedded sidecar, pods through kubectl, or a Prometheus server),
// registered on a CLI11 command, and the checks that refuse a combination before any work starts.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <vector>

#include "commands/sidecar_flags.h"
#include "verify/verify.h"

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace hfi {

// `verify --prometheus URL`: the fleet as Prometheus sees it.
struct PrometheusFlags {
  std::string url;  // http(s)://HOST:PORT[/prefix]; empty: not this mode
  // PromQL label matchers choosing the expected targets without kubectl, e.g.
  // `job="envoy-stats",namespace="demo"`.
  std::string match;
  std::string pod_label = "pod";              // the label naming a series' pod
  std::string namespace_label = "namespace";  // the label naming its namespace
  std::size_t sample = 3;                     // pods also scraped directly to compare values
  std::string timeout = "10s";                // each API request
  std::string max_scrape_age = "2m";          // a target scraped longer ago is stale
  std::string token_file;                     // bearer token, read from a file
  std::string user;                           // basic auth user ...
  std::string password_file;                  // ... and the password, read from a file
  std::string ca_file;                        // PEM bundle to trust for https
  bool insecure_skip_tls_verify = false;
};

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
  std::string traffic_from;  // [NS/]POD sending the --traffic requests through kubectl exec

  PrometheusFlags prometheus;

  // Which mode an option belongs to, for the checks that refuse it elsewhere.
  std::vector<const CLI::Option*> local_only;       // the embedded sidecar's flags
  CLI::Option* flush_interval_option = nullptr;     // one of them, also allowed with --traffic
  std::vector<const CLI::Option*> cluster_only;     // --port, --pod-timeout, --traffic, ...
  std::vector<const CLI::Option*> prometheus_only;  // --match, --sample, --prometheus-*, ...
  const CLI::Option* requests_option = nullptr;     // --local or --traffic
  const CLI::Option* concurrency_option = nullptr;  // --local or the cluster
  const CLI::Option* namespace_option = nullptr;    // --local or the cluster
};

// Registers every source flag of `verify` on `cmd` (not -o, which is global).
void AddVerifySourceFlags(CLI::App* cmd, VerifyFlags& flags);

// Everything that can be wrong with the flags, found before any file is read or any kubectl
// runs. Throws UsageError.
void CheckVerifyFlags(const VerifyFlags& flags);

// --expect and --expect-delta parsed. Throws UsageError.
verify::CheckOptions MakeCheckOptions(const VerifyFlags& flags);

// Pods named or selected: the cluster is involved (directly, or to list pods for --prometheus).
bool ClusterMode(const VerifyFlags& flags);

// "10s", "500ms", "2m": more than 0, at most an hour. Throws UsageError naming `flag`.
std::chrono::milliseconds ParseDuration(const std::string& flag, const std::string& text);

}  // namespace hfi

// `verify --local` without the command line: traffic through an embedded sidecar, a scrape of
// its admin endpoint over HTTP (as a real sidecar is scraped), the verify engine on that scrape,
// and the checks only a local run can make (the traffic, the plugin's state). The sidecar and the
// HTTP client sit behind interfaces so that all of it is tested with fakes.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "envoystats/stats_matcher.h"
#include "local/traffic.h"
#include "net/http_client.h"
#include "sidecar/sidecar.h"
#include "verify/checks.h"
#include "verify/report.h"
#include "wasmhost/log_sink.h"

namespace hfi::local {

// What the run needs of a sidecar.
class LocalTarget {
 public:
  virtual ~LocalTarget() = default;
  virtual std::string admin_address() const = 0;   // "127.0.0.1:PORT"
  virtual std::string listen_address() const = 0;  // "127.0.0.1:PORT"
  virtual bool WaitForFlush(std::chrono::milliseconds timeout) = 0;
  virtual sidecar::PluginStatus plugin_status() const = 0;
};

class SidecarTarget final : public LocalTarget {
 public:
  explicit SidecarTarget(sidecar::Sidecar& sidecar) : sidecar_(sidecar) {}
  std::string admin_address() const override { return sidecar_.admin_address(); }
  std::string listen_address() const override { return sidecar_.listen_address(); }
  bool WaitForFlush(std::chrono::milliseconds timeout) override {
    return sidecar_.WaitForFlush(timeout);
  }
  sidecar::PluginStatus plugin_status() const override { return sidecar_.plugin_status(); }

 private:
  sidecar::Sidecar& sidecar_;
};

struct LocalRunOptions {
  std::size_t requests = 30;
  std::size_t concurrency = 8;
  std::chrono::milliseconds request_timeout{30'000};
  // The sidecar's stats flush interval: the scrape waits for a flush after the traffic, so that
  // the histogram holds every delay.
  std::chrono::milliseconds flush_interval{1'000};
  // --expect; the run fills in the traffic.
  verify::CheckOptions checks;
  // The sidecar's stats matcher, when known: the "stats-matcher" check says whether it lets the
  // three names through.
  std::optional<envoystats::StatsMatcher> stats_matcher;
  // (finished, total), see SendTraffic.
  std::function<void(std::size_t, std::size_t)> progress;
};

struct LocalRunResult {
  verify::SourceReport report;
  TrafficTally tally;
};

// Sends the traffic, waits for a stats flush, scrapes /stats/prometheus and checks it. Throws
// EnvironmentError (exit 2) when a request or the scrape gets no response, when no flush comes,
// or when the scrape is not a 200.
LocalRunResult RunLocal(LocalTarget& target, net::HttpClient& client,
                        const LocalRunOptions& options);

// How the report names the source: "local sidecar (127.0.0.1:PORT)".
std::string LocalSourceName(const std::string& admin_address);

// "plugin": passes while the plugin runs; fails with HFI510 naming the failure once the host
// has stopped running it (start or configure failed, or a trap).
verify::Check PluginCheck(const sidecar::PluginStatus& status);

// "stats-matcher": the matcher creates the three metrics under their internal names
// (`wasmcustom.wasmcustom.hfi_faults_...`); fails with HFI505 naming each one it rejects.
verify::Check StatsMatcherCheck(const envoystats::StatsMatcher& matcher);

// The host's and the plugin's log records: echoed to `echo` (-v) as
// "hfi-metrics: plugin: info: ...", and the plugin's errors kept.
class LocalLogSink final : public wasmhost::LogSink {
 public:
  explicit LocalLogSink(std::FILE* echo) : echo_(echo) {}
  void Log(const wasmhost::LogRecord& record) override;
  const std::vector<std::string>& plugin_errors() const { return plugin_errors_; }

 private:
  std::FILE* echo_;
  std::vector<std::string> plugin_errors_;
};

}  // namespace hfi::local

// `hfi-metrics serve`: the verification of `verify` (same source flags, same report) repeated on
// an interval, its results exposed to Prometheus on /metrics, with /healthz beside it.
#include <prometheus/text_serializer.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <csignal>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "commands/commands.h"
#include "commands/verify_flags.h"
#include "commands/verify_sources.h"
#include "serve/endpoint.h"
#include "serve/exporter.h"
#include "serve/health.h"
#include "serve/scheduler.h"
#include "sidecar/http_server.h"
#include "util/duration.h"
#include "util/errors.h"
#include "util/interrupt.h"
#include "util/output.h"

namespace hfi {
namespace {

constexpr const char* kFooter =
    "Examples:\n"
    "  hfi-metrics serve --local --interval 30s\n"
    "  hfi-metrics serve -l app=frontend -n demo --listen 0.0.0.0:9464\n"
    "  hfi-metrics serve --prometheus http://127.0.0.1:9090 --match 'job=\"envoy-stats\"'\n"
    "  hfi-metrics serve --file scrape.prom --listen 127.0.0.1:0 -o json\n"
    "  hfi-metrics serve --once --local | promtool check metrics\n"
    "  hfi-metrics serve --once -l app=frontend -n demo > /var/lib/node_exporter/hfi.prom\n"
    "  curl -s http://127.0.0.1:9464/metrics; curl -si http://127.0.0.1:9464/healthz\n"
    "\n"
    "Runs the verification of 'hfi-metrics verify' with the same source flags (pods, -l,\n"
    "--local, --prometheus, --file) now and then every --interval (at once after a run longer\n"
    "than that), and serves the last results on /metrics (prometheus-cpp's exposer) once\n"
    "listening; it prints 'metrics http://HOST:PORT/metrics' and 'health\n"
    "http://HOST:PORT/healthz' (one JSON object with -o json). Each run's problems are in the\n"
    "metrics, not on stderr; a run that produces no report (kubectl missing, Prometheus\n"
    "unreachable) prints its one-line error on stderr; -v adds a line per run.\n"
    "\n"
    "Metrics (gauges unless said; source and check series of the last report, those of sources\n"
    "no longer reported are dropped):\n"
    "  hfi_metrics_check_status{source,kind,check,metric}  1 passed (warnings allowed),\n"
    "      0 failed, -1 skipped\n"
    "  hfi_metrics_source_status{source,kind}  the source's exit status: 0 ok, 1 checks\n"
    "      failed, 2 unreachable or no sidecar, 3 unparseable\n"
    "  hfi_metrics_checks{status}  checks by status: pass, fail, warn, skip\n"
    "  hfi_metrics_findings{code,severity}  findings by hint code (docs/hints.md); codes seen\n"
    "      before stay at 0\n"
    "  hfi_metrics_sources  sources in the last report\n"
    "  hfi_metrics_runs_total{result}  counter: runs passed, failed or error (no report)\n"
    "  hfi_metrics_last_run_success  1 when the last run's checks all passed\n"
    "  hfi_metrics_last_run_timestamp_seconds, hfi_metrics_last_run_duration_seconds\n"
    "  hfi_metrics_last_report_timestamp_seconds  end of the last run with a report\n"
    "  hfi_metrics_run_interval_seconds  --interval\n"
    "kind is file, stdin, local, pod, traffic or prometheus. k8s/monitoring/ has alerting\n"
    "rules, PromQL queries and a Deployment.\n"
    "\n"
    "/healthz answers 200 while the last report (passed or failed) is younger than three\n"
    "intervals, else 503 with the reason in one line, also before the first report: use it as\n"
    "readiness probe, and as liveness probe behind a startupProbe.\n"
    "\n"
    "--once runs one verification without listening, prints the metrics in the Prometheus text\n"
    "format on stdout (for promtool or node_exporter's textfile collector) and exits with\n"
    "verify's status.\n"
    "\n"
    "Exit codes: 0 stopped by SIGTERM or SIGINT (the current run aborted, every kubectl\n"
    "stopped), 2 cannot listen on --listen, 64 usage error; with --once those of verify.\n";

struct ServeOptions {
  VerifyFlags verify;
  std::string listen = "127.0.0.1:9464";
  std::string interval = "60s";
  bool once = false;
};

void LogLine(const std::string& line) {
  std::fprintf(stderr, "%s\n", line.c_str());
  std::fflush(stderr);
}

bool IsStdin(const std::string& path) {
  return path == "-" || path == "/dev/stdin" || path == "/proc/self/fd/0" || path == "/dev/fd/0";
}

void CheckServeFlags(const GlobalOptions& global, const ServeOptions& options) {
  RequireTextOrJson(global, "serve");
  CheckVerifyFlags(options.verify);
  // Each run reads its inputs again; standard input has them only once.
  const std::pair<std::string, const std::string*> rereads[] = {
      {"--prometheus-token-file", &options.verify.prometheus.token_file},
      {"--prometheus-password-file", &options.verify.prometheus.password_file}};
  for (const std::string& path : options.verify.files) {
    if (IsStdin(path) && !options.once) {
      throw UsageError("--file " + path,
                       "standard input can be read only once, not on every interval",
                       "save the scrape to a file, or add --once");
    }
  }
  for (const auto& [flag, path] : rereads) {
    if (IsStdin(*path) && !options.once) {
      throw UsageError(flag + " " + *path,
                       "standard input can be read only once, not on every interval",
                       "name a file, such as a mounted Secret's /var/run/secrets/prometheus/token");
    }
  }
  if (options.once && global.output == OutputFormat::kJson) {
    throw UsageError("-o json", "--once prints the metrics in the Prometheus text format",
                     "drop -o json, or drop --once to serve them over HTTP");
  }
}

std::string PrintedHost(const sidecar::ListenAddress& address) {
  return address.ipv6 ? "[" + address.host + "]" : address.host;
}

ExitCode RunServe(const GlobalOptions& global, const ServeOptions& options) {
  CheckServeFlags(global, options);
  const verify::CheckOptions checks = MakeCheckOptions(options.verify);
  const std::chrono::milliseconds interval = ParseDurationFlag(
      options.interval, "--interval", {std::chrono::seconds(1), std::chrono::hours(24)});
  sidecar::ListenAddress address;
  std::string error;
  if (!sidecar::ParseListenAddress(options.listen, &address, &error))
    throw UsageError("--listen", error);

  auto exporter =
      std::make_shared<serve::Exporter>(std::chrono::duration<double>(interval).count());
  auto health = std::make_shared<serve::Health>(interval);
  // From here a signal is only recorded: the loop notices it between runs, the sources within.
  ClearInterrupt();
  InterruptScope interrupts;

  serve::ScheduleOptions schedule;
  schedule.interval = interval;
  schedule.once = options.once;
  schedule.log = LogLine;
  if (global.verbose > 0)
    schedule.trace = LogLine;
  auto run = [&] { return CollectReport(global, options.verify, checks); };

  if (options.once) {
    const std::optional<serve::RunOutcome> outcome =
        serve::RunSchedule(run, *exporter, *health, serve::RealClock(), schedule);
    if (!outcome)
      throw InterruptedError("serve");
    WriteOut(prometheus::TextSerializer().Serialize(exporter->Collect()));
    return outcome->code;
  }

  std::unique_ptr<serve::Endpoint> endpoint =
      std::make_unique<serve::Endpoint>(sidecar::FormatAddress(address), exporter, health);
  address.port = static_cast<std::uint16_t>(endpoint->port());
  const std::string base = "http://" + PrintedHost(address) + ":" + std::to_string(address.port);
  if (global.output == OutputFormat::kJson) {
    const nlohmann::ordered_json line = {{"metrics", base + "/metrics"},
                                         {"health", base + "/healthz"}};
    WriteOut(line.dump() + "\n");
  } else {
    WriteOut("metrics " + base + "/metrics\nhealth " + base + "/healthz\n");
  }

  serve::RunSchedule(run, *exporter, *health, serve::RealClock(), schedule);
  if (!global.quiet) {
    const int signal = InterruptSignal();
    LogLine(std::string("hfi-metrics: ") +
            (signal == SIGINT    ? "SIGINT"
             : signal == SIGTERM ? "SIGTERM"
                                 : "signal") +
            ": stopping");
  }
  endpoint.reset();
  return ExitCode::kOk;
}

}  // namespace

Runner AddServe(CLI::App& root, const GlobalOptions& global) {
  auto options = std::make_shared<ServeOptions>();
  CLI::App* cmd = root.add_subcommand(
      "serve",
      "Run verify on an interval (pods through kubectl, Prometheus, --local or saved scrapes) "
      "and expose the results to Prometheus on /metrics, with a /healthz endpoint");
  AddVerifySourceFlags(cmd, options->verify);
  CLI::Option* listen =
      cmd->add_option("--listen", options->listen,
                      "Where /metrics and /healthz listen (HOST:PORT, port 0 for any free one); "
                      "default 127.0.0.1:9464")
          ->option_text("ADDR");
  CLI::Option* interval =
      cmd->add_option("--interval", options->interval,
                      "Time from the start of one run to the start of the next (1s to 24h); "
                      "default 60s")
          ->option_text("DURATION");
  cmd->add_flag("--once", options->once,
                "Run once without listening, print the metrics on stdout and exit with "
                "verify's status")
      ->excludes(listen)
      ->excludes(interval);
  cmd->footer(kFooter);
  return [&global, options]() { return RunServe(global, *options); };
}

}  // namespace hfi

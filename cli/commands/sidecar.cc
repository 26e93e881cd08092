// hfi-metrics sidecar: the embedded Envoy-like sidecar in the foreground (DESIGN §3.2, §4), for
// trying a plugin and a policy with curl. Runs until SIGINT or SIGTERM.
#include "sidecar/sidecar.h"

#include <signal.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "commands/commands.h"
#include "commands/sidecar_flags.h"
#include "sidecar/http_server.h"

namespace hfi {
namespace {

constexpr const char* kFooter =
    "Prints two lines on stdout once both listeners are bound (or one JSON object with -o json):\n"
    "  admin  http://HOST:PORT\n"
    "  listen http://HOST:PORT\n"
    "then serves until SIGINT or SIGTERM. Log records go to stderr, one line each (-q: warnings\n"
    "and errors only, -v: debug). Histograms reach /stats/prometheus at each stats flush\n"
    "(--flush-interval, default 5s as in Envoy). Without --policy the plugin runs with none.\n"
    "\n"
    "Examples:\n"
    "  hfi-metrics sidecar --policy k8s/policies/delay-500ms-on-header.json --namespace demo\n"
    "  curl -si -H 'x-user-id: test' http://127.0.0.1:15006/   # delayed 500 ms, then 200\n"
    "  curl -s http://127.0.0.1:15000/stats/prometheus | grep wasmcustom_hfi\n"
    "  curl -s 'http://127.0.0.1:15000/stats?filter=hfi&format=json'\n"
    "  curl -s http://127.0.0.1:15000/config_dump   # the stats matcher and the Wasm filter\n"
    "  hfi-metrics sidecar --admin 127.0.0.1:0 --listen 127.0.0.1:0 --stats-matcher none\n"
    "\n"
    "Exit status: 0 after SIGINT/SIGTERM; 2 when an address cannot be bound or there is no\n"
    "plugin .wasm; 3 when the plugin or the policy is invalid; 64 for a usage error.";

class StderrLogSink final : public wasmhost::LogSink {
 public:
  explicit StderrLogSink(wasmhost::LogLevel min) : min_(min) {}

  void Log(const wasmhost::LogRecord& record) override {
    if (record.level < min_)
      return;
    std::string line = "[" + std::string(wasmhost::LogLevelName(record.level)) + "] ";
    line += record.source == wasmhost::LogSource::kPlugin ? "plugin: " : "host: ";
    for (char c : record.message)
      line += c == '\n' ? ' ' : c;
    line += '\n';
    std::fputs(line.c_str(), stderr);
    std::fflush(stderr);
  }

 private:
  wasmhost::LogLevel min_;
};

std::string_view PluginStatusName(wasmhost::FailState state) {
  switch (state) {
    case wasmhost::FailState::kNone:
      return "running";
    case wasmhost::FailState::kStartFailed:
      return "start_failed";
    case wasmhost::FailState::kConfigureFailed:
      return "configure_failed";
    case wasmhost::FailState::kRuntimeError:
      return "runtime_error";
  }
  return "running";
}

sidecar::ListenAddress CheckAddress(const std::string& text, const std::string& flag) {
  sidecar::ListenAddress address;
  std::string why;
  if (!sidecar::ParseListenAddress(text, &address, &why))
    throw UsageError(flag, why, "pass HOST:PORT with an IP address, port 0 for any free one");
  return address;
}

// Blocks SIGINT and SIGTERM in this thread and, since the sidecar's threads start after this,
// in all of them; the signals then wait for sigwait. Restores the old mask when it goes.
class BlockedSignals {
 public:
  BlockedSignals() {
    sigemptyset(&set_);
    sigaddset(&set_, SIGINT);
    sigaddset(&set_, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &set_, &old_);
  }
  ~BlockedSignals() { pthread_sigmask(SIG_SETMASK, &old_, nullptr); }
  BlockedSignals(const BlockedSignals&) = delete;
  BlockedSignals& operator=(const BlockedSignals&) = delete;

  int Wait() {
    int signal = 0;
    while (sigwait(&set_, &signal) != 0) {
    }
    return signal;
  }

 private:
  sigset_t set_{};
  sigset_t old_{};
};

struct SidecarOptions {
  SidecarFlags flags;
  std::string admin = "127.0.0.1:15000";
  std::string listen = "127.0.0.1:15006";
};

ExitCode RunSidecar(const GlobalOptions& global, const SidecarOptions& options) {
  RequireTextOrJson(global, "sidecar");
  const sidecar::ListenAddress admin = CheckAddress(options.admin, "--admin");
  const sidecar::ListenAddress listen = CheckAddress(options.listen, "--listen");

  sidecar::SidecarConfig config = MakeSidecarConfig(options.flags, "", "5s");
  config.admin_address = options.admin;
  config.listen_address = options.listen;
  wasmhost::LogLevel level = wasmhost::LogLevel::kInfo;
  if (global.quiet)
    level = wasmhost::LogLevel::kWarn;
  else if (global.verbose >= 2)
    level = wasmhost::LogLevel::kTrace;
  else if (global.verbose == 1)
    level = wasmhost::LogLevel::kDebug;
  config.host.log_level = level;
  const std::string plugin_path = config.plugin_path;
  const std::string policy_path = config.policy_path;

  StderrLogSink log(level);
  BlockedSignals signals;
  std::unique_ptr<sidecar::Sidecar> running;
  try {
    running = std::make_unique<sidecar::Sidecar>(std::move(config), log);
  } catch (const EnvironmentError& e) {
    // Say which flag picks the address that could not be bound.
    for (const auto& [address, flag] :
         {std::pair{admin, "--admin"}, std::pair{listen, "--listen"}}) {
      if (e.subject() != sidecar::FormatAddress(address))
        continue;
      sidecar::ListenAddress any = address;
      any.port = 0;
      if (e.reason() == "address in use") {
        throw EnvironmentError(
            e.subject(), e.reason(),
            std::string("pass ") + flag + " " + sidecar::FormatAddress(any) + " for any free port");
      }
      throw EnvironmentError(e.subject(), e.reason(),
                             std::string("pass ") + flag + " with an address of this host, e.g. " +
                                 (address.ipv6 ? "[::1]:0" : "127.0.0.1:0"));
    }
    throw;
  }

  const sidecar::PluginStatus status = running->plugin_status();
  if (status.fail_state != wasmhost::FailState::kNone) {
    // As Envoy does, the sidecar serves anyway; requests follow --fail.
    std::fprintf(stderr, "hfi-metrics: %s: plugin %s: %s (serving anyway: requests %s)\n",
                 plugin_path.c_str(), std::string(PluginStatusName(status.fail_state)).c_str(),
                 status.failure.c_str(),
                 options.flags.fail_policy == "open" ? "pass through (--fail open)"
                                                     : "get 503 (--fail closed)");
  }
  if (global.output == OutputFormat::kJson) {
    nlohmann::ordered_json line = {
        {"admin", running->admin_address()},
        {"listen", running->listen_address()},
        {"plugin", plugin_path},
        {"policy", policy_path.empty() ? nlohmann::ordered_json(nullptr)
                                       : nlohmann::ordered_json(policy_path)},
        {"plugin_status", PluginStatusName(status.fail_state)}};
    std::printf(
        "%s\n",
        line.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace).c_str());
  } else {
    std::printf("admin  http://%s\nlisten http://%s\n", running->admin_address().c_str(),
                running->listen_address().c_str());
  }
  if (std::fflush(stdout) != 0) {
    running->Stop();
    throw EnvironmentError("stdout", "write failed");
  }

  const int signal = signals.Wait();
  if (!global.quiet)
    std::fprintf(stderr, "hfi-metrics: %s: stopping\n", signal == SIGINT ? "SIGINT" : "SIGTERM");
  running->Stop();
  return ExitCode::kOk;
}

}  // namespace

Runner AddSidecar(CLI::App& root, const GlobalOptions& global) {
  CLI::App* cmd = root.add_subcommand(
      "sidecar",
      "Run the embedded Envoy-like sidecar in the foreground: the plugin in the embedded "
      "proxy-wasm host, Envoy's admin endpoints (/stats, /stats/prometheus, /server_info, "
      "/config_dump, /ready) and a listener that runs each request through the plugin to a "
      "built-in upstream");
  auto options = std::make_shared<SidecarOptions>();
  AddSidecarFlags(cmd, options->flags);
  cmd->add_option("--admin", options->admin,
                  "Where the admin endpoints listen (HOST:PORT, port 0 for any free one); default "
                  "127.0.0.1:15000")
      ->option_text("ADDR");
  cmd->add_option("--listen", options->listen,
                  "Where traffic to run through the plugin is accepted (HOST:PORT); default "
                  "127.0.0.1:15006")
      ->option_text("ADDR");
  cmd->footer(kFooter);
  return [&global, options]() { return RunSidecar(global, *options); };
}

}  // namespace hfi

// `hfi-metrics verify`: get the bytes (saved scrapes, or the embedded sidecar of --local scraped
// over HTTP after traffic), hand them to the verify engine (what is checked), render the report
// in the chosen format and return its exit code.
#include "verify/verify.h"

#include <CLI/CLI.hpp>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "commands/commands.h"
#include "commands/sidecar_flags.h"
#include "local/builtin_policy.h"
#include "local/local_run.h"
#include "net/http_client.h"
#include "report/render.h"
#include "sidecar/sidecar.h"
#include "util/errors.h"
#include "util/file.h"
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
  // The options that mean something only with --local (the sidecar's, --requests, ...).
  std::vector<const CLI::Option*> local_only;
};

// The scrape waits for one flush after the traffic; a short interval keeps the run short.
constexpr const char* kLocalFlushInterval = "1s";
// Far above the built-in policy's 20 ms delay: past it a request has no response.
constexpr std::chrono::milliseconds kLocalRequestTimeout{30'000};

constexpr const char* kFooter =
    "Examples:\n"
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
    "failed, 2 the local sidecar could not start or bind, or requests got no response, 3 an\n"
    "input (scrape, plugin, policy) could not be read or parsed, 64 usage error. With several\n"
    "sources the highest applicable code wins: 3, then 2, then 1, then 0. Every finding\n"
    "carries a hint code explained in docs/hints.md.\n";

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

void CheckLocalFlags(const VerifyFlags& flags) {
  if (!flags.local) {
    for (const CLI::Option* option : flags.local_only) {
      if (option->count() > 0) {
        throw UsageError(FlagName(*option), "applies only to the embedded sidecar",
                         "add --local, or leave it out when verifying --file scrapes");
      }
    }
    return;
  }
  if (!flags.files.empty()) {
    throw UsageError("--local", "cannot be combined with --file",
                     "verify the embedded sidecar and saved scrapes in separate runs");
  }
  if (!flags.baselines.empty() || !flags.expect_delta.empty()) {
    throw UsageError(flags.baselines.empty() ? "--expect-delta" : "--baseline",
                     "has no meaning with --local: the local sidecar starts from zero",
                     "use --expect on its values; the traffic check compares them with the "
                     "faults seen");
  }
}

// Everything that can be wrong with the flags is found before any file is read.
void CheckFlags(const VerifyFlags& flags) {
  CheckLocalFlags(flags);
  if (flags.local)
    return;
  if (flags.files.empty()) {
    throw UsageError("verify", "no source given",
                     "pass --file FILE, --file - for standard input, or --local");
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

void WriteStdout(const std::string& text) {
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0) {
    throw EnvironmentError("standard output", std::string("write failed: ") + std::strerror(errno));
  }
}

// "sending 30 requests... 12/30" on one line, redrawn; only for a person watching a terminal.
class Progress {
 public:
  explicit Progress(bool show) : show_(show) {}
  ~Progress() { Done(); }
  void Update(std::size_t finished, std::size_t total) {
    if (!show_)
      return;
    std::fprintf(stderr, "\rsending %zu requests... %zu/%zu", total, finished, total);
    std::fflush(stderr);
    drawn_ = true;
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
  sidecar::SidecarConfig config =
      MakeSidecarConfig(flags.sidecar, std::string(local::kBuiltinPolicy), kLocalFlushInterval);
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
    progress.Update(finished, total);
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

ExitCode RunVerify(const GlobalOptions& global, const VerifyFlags& flags) {
  CheckFlags(flags);
  verify::CheckOptions options;
  options.expect = ParseExpectations(flags.expect, "--expect");
  options.expect_delta = ParseExpectations(flags.expect_delta, "--expect-delta");

  const verify::Report report =
      flags.local ? RunLocal(global, flags, options) : RunFiles(flags, options);

  // The exit code is decided from the report, before and independently of the format.
  const ExitCode code = report.ExitStatus();
  switch (global.output) {
    case OutputFormat::kText:
      WriteStdout(report::RenderText(report, UseColor(global.no_color, stdout)));
      break;
    case OutputFormat::kJson:
      WriteStdout(report::RenderJson(report));
      break;
    case OutputFormat::kJunit:
      WriteStdout(report::RenderJunit(report));
      break;
  }
  return code;
}

}  // namespace

Runner AddVerify(CLI::App& root, const GlobalOptions& global) {
  auto flags = std::make_shared<VerifyFlags>();
  CLI::App* cmd = root.add_subcommand(
      "verify",
      "Verify the three HFI metrics in saved /stats/prometheus scrapes or in the embedded sidecar "
      "(--local): names, types, histogram consistency, values and changes, with a hint code for "
      "every problem");
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
                  "--baseline)")
      ->option_text("EXPR")
      ->allow_extra_args(false);

  cmd->add_flag("--local", flags->local,
                "Verify the embedded sidecar: run the plugin on loopback, send requests through "
                "it, scrape its /stats/prometheus over HTTP");
  const std::vector<CLI::Option*> before = cmd->get_options();
  cmd->add_option("--requests", flags->requests,
                  "With --local: how many requests to send (default 30)")
      ->option_text("N")
      ->check(CLI::Range(1, 100'000));
  cmd->add_option("--concurrency", flags->concurrency,
                  "With --local: how many requests are in flight at once (default 8)")
      ->option_text("N")
      ->check(CLI::Range(1, 64));
  AddSidecarFlags(cmd, flags->sidecar);
  // Whatever AddSidecarFlags registers needs --local too, without this file naming each flag.
  const std::set<const CLI::Option*> earlier(before.begin(), before.end());
  for (const CLI::Option* option : cmd->get_options()) {
    if (!earlier.count(option))
      flags->local_only.push_back(option);
  }
  cmd->footer(kFooter);
  return [&global, flags]() { return RunVerify(global, *flags); };
}

}  // namespace hfi

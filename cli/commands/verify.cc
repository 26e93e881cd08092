// `hfi-metrics verify`: read saved scrapes (where the bytes come from), hand them to the verify
// engine (what is checked), render the report in the chosen format and return its exit code.
#include "verify/verify.h"

#include <CLI/CLI.hpp>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "commands/commands.h"
#include "report/render.h"
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
};

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
    "Keys for --expect and --expect-delta: aborts, delays (the two counters), delay_count and\n"
    "delay_sum (the histogram's _count and _sum); operators: >= <= == > <. delay_sum is\n"
    "approximate in Envoy, so it takes no ==.\n"
    "\n"
    "Exit codes, the same under every -o: 0 all checks passed (warnings allowed), 1 a check\n"
    "failed, 3 an input could not be read or parsed, 64 usage error (2, a source that cannot\n"
    "be reached, concerns live sources, not files). With several sources the highest\n"
    "applicable code wins: 3, then 2, then 1, then 0. Every finding carries a hint code\n"
    "explained in docs/hints.md.\n";

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

// Everything that can be wrong with the flags is found before any file is read.
void CheckFlags(const VerifyFlags& flags) {
  if (flags.files.empty()) {
    throw UsageError("verify", "no source given",
                     "pass --file FILE, or --file - for standard input");
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

ExitCode RunVerify(const GlobalOptions& global, const VerifyFlags& flags) {
  CheckFlags(flags);
  verify::CheckOptions options;
  options.expect = ParseExpectations(flags.expect, "--expect");
  options.expect_delta = ParseExpectations(flags.expect_delta, "--expect-delta");

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
      "Verify the three HFI metrics in saved /stats/prometheus scrapes: names, types, histogram "
      "consistency, values and changes, with a hint code for every problem");
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
  cmd->footer(kFooter);
  return [&global, flags]() { return RunVerify(global, *flags); };
}

}  // namespace hfi

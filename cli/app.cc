#include "app.h"

#include <CLI/CLI.hpp>
#include <cctype>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <exception>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "commands/commands.h"
#include "util/deadline.h"
#include "util/duration.h"
#include "util/errors.h"
#include "util/interrupt.h"
#include "util/output.h"
#include "util/suggest.h"

namespace hfi {
namespace {

constexpr const char* kExitCodes =
    "Exit codes (the same under every -o):\n"
    "  0   all checks passed\n"
    "  1   checks failed: metrics missing or wrong\n"
    "  2   environment not ready: tool missing, cluster/pod/endpoint unreachable, RBAC, timeout\n"
    "  3   invalid input: unparseable stats text, invalid wasm, invalid policy or values\n"
    "  64  usage error\n"
    "  130 interrupted (Ctrl-C, SIGTERM): every kubectl child stopped first\n"
    "  141 standard output closed early (... | head): stops quietly\n";

// -o is read as text and resolved after parsing (ResolveOutput): `yaml` exists for `render` only,
// and commands that switch over OutputFormat never see it.
void AddGlobalOptions(CLI::App& app, GlobalOptions& global, std::string& output) {
  app.add_option("-o,--output", output, "Output format: text, json or junit (yaml: render only)")
      ->check(CLI::IsMember({"text", "json", "junit", "yaml"}, CLI::ignore_case))
      ->option_text("FORMAT");
  app.add_flag("--no-color", global.no_color, "Never colour the output (also: NO_COLOR=1)");
  app.add_flag("-q,--quiet", global.quiet, "Print only the result, no progress or banners");
  app.add_flag("-v,--verbose", global.verbose, "Show the external commands and HTTP calls made");
  app.add_option("--kubectl", global.kubectl,
                 "The kubectl program to run (default: $HFI_KUBECTL, then kubectl on PATH)")
      ->option_text("PATH");
  app.add_option("--kubeconfig", global.kubeconfig, "Passed to kubectl: the kubeconfig file")
      ->option_text("FILE");
  app.add_option("--context", global.context, "Passed to kubectl: the kubeconfig context")
      ->option_text("NAME");
  app.add_option("--timeout", global.timeout,
                 "Stop the command after DURATION (e.g. 90s, 5m) with exit code 2, every kubectl "
                 "stopped first; with apply and deploy it also bounds the rollout waits (default: "
                 "no limit; rollouts wait 180s each)")
      ->option_text("DURATION");
}

// Past --timeout, commands stop as on Ctrl-C; a command that bounds its own waits by the
// deadline (a rollout) gets this much longer to report its own, more precise message.
constexpr std::chrono::milliseconds kDeadlineGrace{3'000};

int TimedOut(const std::string& command, const std::string& timeout) {
  const EnvironmentError error(command, "did not finish within --timeout " + timeout,
                               "raise --timeout; -v shows the calls that were slow");
  std::fprintf(stderr, "%s\n", FormatError(error).c_str());
  return static_cast<int>(ExitCode::kEnvironment);
}

// "--values" and "-f" for every option a command takes (hidden ones have no names to offer).
std::vector<std::string> FlagNames(const CLI::App& command) {
  std::vector<std::string> names;
  for (const CLI::Option* option : command.get_options()) {
    for (const std::string& name : option->get_lnames())
      names.push_back("--" + name);
    for (const std::string& name : option->get_snames())
      names.push_back("-" + name);
  }
  return names;
}

// The first argument CLI11 left over that looks like a flag, without any "=value".
std::optional<std::string> UnknownFlag(const CLI::App& app, const CLI::App& command) {
  std::vector<std::string> left = command.remaining();
  if (&command != &app) {
    for (const std::string& arg : app.remaining())
      left.push_back(arg);
  }
  for (const std::string& arg : left) {
    if (arg.size() > 1 && arg[0] == '-' && arg != "--")
      return arg.substr(0, arg.find('='));
  }
  return std::nullopt;
}

// CLI11 reports parse errors in several shapes; users get one line and a pointer to --help.
int UsageFailure(CLI::App& app, const CLI::ParseError& e) {
  if (app.get_subcommands().empty()) {
    // CLI11 only says a subcommand is required; kubectl names the word it did not know.
    std::vector<std::string> commands;
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
      if (!sub->get_name().starts_with("__"))
        commands.push_back(sub->get_name());
    }
    std::string typed;
    for (const std::string& arg : app.remaining()) {
      if (!arg.starts_with("-")) {
        typed = arg;
        break;
      }
    }
    std::string list;
    for (const std::string& name : commands)
      list += (list.empty() ? "" : ", ") + name;
    if (!typed.empty()) {
      const std::optional<std::string> near = ClosestName(typed, commands);
      const std::string hint = near ? "did you mean \"" + *near + "\"?" : "commands: " + list + ";";
      std::fprintf(stderr,
                   "hfi-metrics: usage: unknown command \"%s\" (%s run 'hfi-metrics --help')\n",
                   typed.c_str(), hint.c_str());
      return static_cast<int>(ExitCode::kUsage);
    }
    if (dynamic_cast<const CLI::RequiredError*>(&e) != nullptr) {
      std::fprintf(stderr,
                   "hfi-metrics: usage: no command given (one of %s; run 'hfi-metrics --help')\n",
                   list.c_str());
      return static_cast<int>(ExitCode::kUsage);
    }
  }
  std::string where = "hfi-metrics";
  const CLI::App* command = &app;
  for (const CLI::App* sub : app.get_subcommands()) {
    where += " " + sub->get_name();
    command = sub;
  }
  if (dynamic_cast<const CLI::ExtrasError*>(&e) != nullptr) {
    if (const std::optional<std::string> flag = UnknownFlag(app, *command)) {
      std::vector<std::string> known = FlagNames(*command);
      if (command != &app) {
        for (std::string& name : FlagNames(app))
          known.push_back(std::move(name));
      }
      // Any two one-letter flags are one edit apart: only long ones get a suggestion.
      const std::optional<std::string> near =
          flag->starts_with("--") ? ClosestName(*flag, known) : std::nullopt;
      std::fprintf(stderr, "hfi-metrics: usage: unknown flag %s for '%s' (%srun '%s --help')\n",
                   flag->c_str(), where.c_str(),
                   near ? ("did you mean " + *near + "? ").c_str() : "", where.c_str());
      return static_cast<int>(ExitCode::kUsage);
    }
  }
  std::fprintf(stderr, "hfi-metrics: usage: %s (run '%s --help')\n", e.what(), where.c_str());
  return static_cast<int>(ExitCode::kUsage);
}

void ResolveOutput(std::string output, GlobalOptions& global) {
  for (char& c : output)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  global.output = output == "json"    ? OutputFormat::kJson
                  : output == "junit" ? OutputFormat::kJunit
                                      : OutputFormat::kText;
  global.output_yaml = output == "yaml";
}

}  // namespace

void RequireTextOrJson(const GlobalOptions& global, const std::string& command) {
  if (global.output == OutputFormat::kJunit) {
    throw UsageError("-o junit", "'" + command + "' has no JUnit form", "use -o text or -o json");
  }
}

int RunApp(int argc, char** argv) {
  CLI::App app{
      "hfi-metrics: build the HFI fault-injection plugin, deploy what makes its metrics "
      "visible, and verify them.",
      "hfi-metrics"};
  app.require_subcommand(1);
  app.fallthrough();  // global flags may follow the subcommand, as with kubectl
  app.footer(kExitCodes);
  app.set_help_all_flag("--help-all", "Show help for every command");

  GlobalOptions global;
  std::string output = "text";
  AddGlobalOptions(app, global, output);

  std::vector<std::pair<std::string, Runner>> runners;
  runners.emplace_back("build", AddBuild(app, global));
  runners.emplace_back("inspect", AddInspect(app, global));
  runners.emplace_back("verify", AddVerify(app, global));
  runners.emplace_back("sidecar", AddSidecar(app, global));
  runners.emplace_back("version", AddVersion(app, global));
  runners.emplace_back("render", AddRender(app, global));
  runners.emplace_back("apply", AddApply(app, global));
  runners.emplace_back("deploy", AddDeploy(app, global));
  runners.emplace_back("serve", AddServe(app, global));
  runners.emplace_back("completion", AddCompletion(app, global));
  runners.emplace_back("__complete", AddComplete(app, global));
  runners.emplace_back("__man", AddMan(app, global));

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    return UsageFailure(app, e);
  }
  ResolveOutput(output, global);

  try {
    for (auto& [name, run] : runners) {
      if (!app.got_subcommand(name))
        continue;
      if (global.output_yaml && name != "render")
        throw UsageError("-o yaml", "'" + name + "' has no YAML form", "use -o text or -o json");
      std::optional<CommandDeadline> deadline;
      if (!global.timeout.empty()) {
        if (name == "sidecar") {
          throw UsageError("--timeout", "'sidecar' runs until it is stopped",
                           "stop it with SIGTERM (e.g. timeout 60s hfi-metrics sidecar)");
        }
        deadline.emplace(ParseDurationFlag(global.timeout, "--timeout"), kDeadlineGrace);
        global.deadline = &*deadline;
      }
      try {
        const ExitCode code = run();
        global.deadline = nullptr;
        // A command that ends on its own once the deadline stopped it (serve, whose loop ends on
        // an interrupt) still ran out of time.
        if (deadline && DeadlinePassed())
          return TimedOut(name, FormatDuration(deadline->limit()));
        // printf-style output is flushed here, where a reader that went away is still noticed.
        if (std::fflush(stdout) != 0 && errno == EPIPE)
          return kBrokenPipeStatus;
        return static_cast<int>(code);
      } catch (const Error& e) {
        global.deadline = nullptr;
        // Whatever a command threw once the deadline stopped it (interrupted, a kubectl killed),
        // the cause is the deadline.
        if (DeadlinePassed() && e.code() != ExitCode::kUsage && e.code() != ExitCode::kInvalidInput)
          return TimedOut(name, FormatDuration(deadline->limit()));
        throw;
      }
    }
    throw UsageError("command", "no command given", "run 'hfi-metrics --help'");
  } catch (const BrokenPipe&) {
    return kBrokenPipeStatus;
  } catch (const Error& e) {
    std::fprintf(stderr, "%s\n", FormatError(e).c_str());
    return static_cast<int>(e.code());
  } catch (const std::bad_alloc&) {
    std::fprintf(stderr, "hfi-metrics: out of memory\n");
    return static_cast<int>(ExitCode::kEnvironment);
  } catch (const std::exception& e) {
    // A bug, not a user error: say so rather than pretend it was one of the documented causes.
    std::fprintf(stderr, "hfi-metrics: internal error: %s (please report it)\n", e.what());
    return static_cast<int>(ExitCode::kEnvironment);
  }
}

}  // namespace hfi

// The subcommands. Each Add<Name> registers its flags on the root app and returns the function
// that runs it once parsing succeeded; the function returns an exit code or throws hfi::Error.
// Keeping flag binding apart from running lets tests call the runners without argv.
#pragma once

#include <functional>
#include <string>

#include "util/deadline.h"
#include "util/errors.h"

namespace CLI {
class App;
}

namespace hfi {

enum class OutputFormat { kText, kJson, kJunit };

struct GlobalOptions {
  OutputFormat output = OutputFormat::kText;
  // `-o yaml`, which only `render` accepts (app.cc refuses it for the others); `output` is then
  // kText.
  bool output_yaml = false;
  bool no_color = false;
  bool quiet = false;
  int verbose = 0;
  // For the commands that reach a cluster through kubectl (DESIGN §4 global flags).
  std::string kubectl;     // --kubectl PATH; empty: $HFI_KUBECTL, then kubectl on PATH
  std::string kubeconfig;  // --kubeconfig, passed to kubectl
  std::string context;     // --context, passed to kubectl
  std::string timeout;     // --timeout DURATION as given; empty: no limit
  // Set while a command runs under --timeout: commands with waits of their own (rollouts) bound
  // them by what is left.
  const CommandDeadline* deadline = nullptr;
};

using Runner = std::function<ExitCode()>;

Runner AddBuild(CLI::App& root, const GlobalOptions& global);
Runner AddInspect(CLI::App& root, const GlobalOptions& global);
Runner AddSidecar(CLI::App& root, const GlobalOptions& global);
Runner AddVerify(CLI::App& root, const GlobalOptions& global);
Runner AddVersion(CLI::App& root, const GlobalOptions& global);
Runner AddRender(CLI::App& root, const GlobalOptions& global);
Runner AddApply(CLI::App& root, const GlobalOptions& global);
Runner AddDeploy(CLI::App& root, const GlobalOptions& global);
Runner AddServe(CLI::App& root, const GlobalOptions& global);
// Generated documents (completion.cc, complete.cc, man.cc): they walk `root` when they run, so
// they see every command registered before and after them.
Runner AddCompletion(CLI::App& root, const GlobalOptions& global);
Runner AddComplete(CLI::App& root, const GlobalOptions& global);  // hidden: __complete
Runner AddMan(CLI::App& root, const GlobalOptions& global);       // hidden: __man

// For commands that have no JUnit form: throws UsageError naming the command.
void RequireTextOrJson(const GlobalOptions& global, const std::string& command);

}  // namespace hfi

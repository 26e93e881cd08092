// `hfi-metrics deploy`: placeholder registration until the deploy workflow lands.
#include <CLI/CLI.hpp>

#include "commands/commands.h"

namespace hfi {

Runner AddDeploy(CLI::App& root, const GlobalOptions& global) {
  root.add_subcommand("deploy", "Build, apply and verify")->group("");
  return [&global]() -> ExitCode {
    (void)global;
    throw UsageError("deploy", "not available in this build");
  };
}

}  // namespace hfi

// `hfi-metrics apply`: placeholder registration until the apply workflow lands.
#include <CLI/CLI.hpp>

#include "commands/commands.h"

namespace hfi {

Runner AddApply(CLI::App& root, const GlobalOptions& global) {
  root.add_subcommand("apply", "Render the manifests and apply them to the cluster")->group("");
  return [&global]() -> ExitCode {
    (void)global;
    throw UsageError("apply", "not available in this build");
  };
}

}  // namespace hfi

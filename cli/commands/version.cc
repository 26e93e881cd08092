#include <CLI/CLI.hpp>
#include <cstdio>

#include "build_info.h"
#include "commands/commands.h"

namespace hfi {

Runner AddVersion(CLI::App& root, const GlobalOptions& global) {
  CLI::App* cmd = root.add_subcommand("version", "Print the version and build information");
  (void)cmd;
  return [&global]() {
    RequireTextOrJson(global, "version");
    if (global.output == OutputFormat::kJson) {
      std::printf("{\"version\":\"%s\",\"gitCommit\":\"%s\"}\n", build_info::kVersion,
                  build_info::kGitCommit);
    } else {
      std::printf("hfi-metrics %s (commit %s)\n", build_info::kVersion, build_info::kGitCommit);
    }
    return ExitCode::kOk;
  };
}

}  // namespace hfi

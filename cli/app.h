// The command tree: global flags, the subcommands, and the parse → run → exit-code path.
#pragma once

namespace hfi {

// Runs hfi-metrics with argv and returns the process exit status. Never throws.
int RunApp(int argc, char** argv);

}  // namespace hfi

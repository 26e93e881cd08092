// The em++ stage that `build` and `deploy` share: what is said when compiling starts, the
// compiler's own output, and the failed outcomes turned into errors, so both commands report a
// failing build with the same lines and exit codes.
#pragma once

#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "commands/commands.h"
#include "util/subprocess.h"
#include "wasm/plugin_build.h"

namespace hfi {

// For BuildOptions::on_start: one stderr line naming the source, the compiler and the profile
// (unless -q), and with -v the em++ command line, shell-quoted so it can be pasted.
std::function<void(const std::vector<std::string>&)> AnnounceCompile(const GlobalOptions& global,
                                                                     const std::string& source,
                                                                     const std::string& emxx,
                                                                     bool debug);

// em++'s messages on stderr, ending in a line break, with a note of what was cut off.
void PrintCompilerOutput(const ProcessResult& compiler);

// Returns when the module was built; otherwise prints what explains the failure (em++'s output,
// or `print_findings` for a module that fails its checks) and throws the error the command exits
// with. `consequence` ends each message: "nothing was written", "nothing was deployed".
void ThrowIfBuildFailed(const wasm::BuildResult& result, const std::string& output,
                        std::string_view consequence, const std::function<void()>& print_findings);

// `arg` as a POSIX shell word: unchanged when it is safe bare, else single-quoted.
std::string ShellQuote(const std::string& arg);

}  // namespace hfi

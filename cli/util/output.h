// Writing a command's result to stdout. A reader that goes away early (`hfi-metrics ... | head`)
// is not an error worth a message: the write fails with EPIPE (main() ignores SIGPIPE so that
// sockets and children never kill us) and the command ends quietly with 141, the status a shell
// shows for a program killed by SIGPIPE, as `kubectl ... | head` does.
#pragma once

#include <cstdio>
#include <string_view>

#include "util/errors.h"

namespace hfi {

// The exit status of a command whose stdout reader went away.
inline constexpr int kBrokenPipeStatus = 141;

// Thrown by WriteOut when the reader is gone; app.cc turns it into kBrokenPipeStatus, silently.
struct BrokenPipe : Error {
  BrokenPipe() : Error(ExitCode::kEnvironment, "standard output", "reader went away") {}
};

// Writes and flushes all of `text`. Throws BrokenPipe on EPIPE and EnvironmentError naming
// standard output for any other failure (a full disk).
void WriteOut(std::string_view text, std::FILE* out = stdout);

}  // namespace hfi

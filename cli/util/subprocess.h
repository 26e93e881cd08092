// Running one external program (em++, kubectl) with a deadline: its stdout and stderr captured
// (together, or apart), optional input fed to its stdin, the whole process group killed on timeout
// or on our own SIGINT/SIGTERM/SIGHUP (util/interrupt.h), and the child always reaped. Knows
// nothing about what it runs.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <utility>
#include <vector>

namespace hfi {

struct ProcessSpec {
  std::vector<std::string> argv;                         // argv[0] is the path of the program
  std::string cwd;                                       // empty: this process's working directory
  std::vector<std::pair<std::string, std::string>> env;  // set (or replaced) in the child
  std::chrono::milliseconds timeout{std::chrono::minutes(10)};
  std::size_t max_output = std::size_t{4} << 20;  // bytes kept per stream; the rest is counted
  bool separate_stderr = false;  // stderr into ProcessResult::error_output instead of `output`
  std::string stdin_data;        // written to the child's stdin; empty: stdin is /dev/null
};

struct ProcessResult {
  enum class End {
    kExited,       // exit_code is valid
    kSignaled,     // the child died of signal `signal`
    kTimedOut,     // killed at the deadline
    kInterrupted,  // we received `signal` and stopped the child
  };
  End end = End::kExited;
  int exit_code = 0;
  int signal = 0;
  std::string output;             // stdout and stderr interleaved as written, or only stdout
  std::string error_output;       // stderr, with separate_stderr
  std::size_t dropped_bytes = 0;  // output beyond max_output (both streams)
  std::chrono::milliseconds elapsed{0};

  bool Succeeded() const { return end == End::kExited && exit_code == 0; }
};

// Starts argv[0] (a path; no PATH search) in its own process group. A child that stops reading
// its stdin early is not an error: the rest of stdin_data is dropped. Returns kInterrupted without
// starting anything when Interrupted() is already true. Throws EnvironmentError naming argv[0]
// when it cannot be started.
ProcessResult RunProcess(const ProcessSpec& spec);

// Looks `name` up on PATH (or returns it when it contains a '/'); empty when not found.
std::string FindExecutable(const std::string& name);

}  // namespace hfi

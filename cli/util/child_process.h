// A program that keeps running while we talk to it (`kubectl port-forward`): started in its own
// process group with stdin from /dev/null and stdout+stderr on one pipe we read line by line.
// Whatever happens (success, error, timeout, Ctrl-C, an exception), the destructor stops the whole
// group and reaps it: no orphan, ever.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>

#include "util/interrupt.h"
#include "util/subprocess.h"

namespace hfi {

class ChildProcess {
 public:
  using Clock = std::chrono::steady_clock;

  // Throws EnvironmentError naming argv[0] when it cannot be started. spec.timeout,
  // spec.separate_stderr, spec.stdin_data and spec.max_output are ignored (the caller decides how
  // long to wait for what).
  static std::unique_ptr<ChildProcess> Start(const ProcessSpec& spec);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  enum class Read {
    kLine,         // *line holds the next line, without its newline
    kEof,          // the child closed its output (it exited, or is about to); no more lines
    kTimeout,      // the deadline passed first
    kInterrupted,  // Interrupted() became true while waiting
  };
  // Waits for the next complete line of output (a last unterminated line is returned at EOF).
  Read ReadLine(std::string* line, Clock::time_point deadline);

  // Everything read so far (lines returned by ReadLine included), at most 64 KiB of it.
  const std::string& output() const { return output_; }

  // Drains what the child has written without blocking, so a chatty child never blocks on a full
  // pipe; call it now and then while the child is used for something else. Lines drained and not
  // yet read are kept up to 64 KiB (the oldest go first).
  void Drain();

  // SIGTERM to the group, up to `grace` for it to go, SIGKILL to the group, reap. Idempotent.
  // Returns how it ended (kExited or kSignaled), with output() as `output`.
  ProcessResult Stop(std::chrono::milliseconds grace = std::chrono::milliseconds(1000));

  // Whether the child has already exited. It is reaped only by Stop(): until then its id, which
  // is also its group's, cannot be reused, so Stop() signals no stranger.
  bool Exited();

  pid_t pid() const { return pid_; }

 private:
  ChildProcess(pid_t pid, int read_fd);
  // Held as long as the child may run: Ctrl-C is recorded rather than ending us before the
  // destructor has stopped the child (which the terminal's Ctrl-C does not reach in its own group).
  InterruptScope interrupt_scope_;
  // One non-blocking read() into pending_ and output_; false when nothing came (nothing there yet,
  // or EOF: then eof_ is set).
  bool ReadSome();
  pid_t pid_;
  int fd_;
  bool reaped_ = false;
  ProcessResult result_;  // valid once reaped_
  bool eof_ = false;
  std::string output_;
  std::string pending_;  // read but not yet returned as a line
  Clock::time_point started_;
};

}  // namespace hfi

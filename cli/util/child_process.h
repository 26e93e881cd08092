// A program that keeps running while we talk to it (`kubectl port-forward`): started in its own
// process group with stdin from /dev/null and stdout+stderr on one pipe we read line by line.
// Whatever happens (success, error, timeout, Ctrl-C, an exception), the destructor stops the whole
// group and reaps it: no orphan, ever.
#pragma once

#include <sys/types.h>

#include <chrono>
#include <memory>
#include <string>

#include "util/subprocess.h"

namespace hfi {

class ChildProcess {
 public:
  using Clock = std::chrono::steady_clock;

  // Throws EnvironmentError naming argv[0] when it cannot be started. spec.timeout and
  // spec.separate_stderr are ignored (the caller decides how long to wait for what).
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
  // pipe; call it now and then while the child is used for something else.
  void Drain();

  // SIGTERM to the group, up to `grace` for it to go, SIGKILL, reap. Idempotent. Returns how it
  // ended.
  ProcessResult Stop(std::chrono::milliseconds grace = std::chrono::milliseconds(1000));

  // Whether the child has already exited (it is reaped, and the result kept for Stop()).
  bool Exited();

  pid_t pid() const { return pid_; }

 private:
  ChildProcess(pid_t pid, int read_fd);
  pid_t pid_;
  int fd_;
  bool reaped_ = false;
  int status_ = 0;
  bool eof_ = false;
  std::string output_;
  std::string pending_;  // read but not yet returned as a line
  Clock::time_point started_;
};

}  // namespace hfi

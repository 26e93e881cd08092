// What RunProcess and ChildProcess share: starting a program in a process group of its own, and
// stopping that whole group. Internal to hfi_util.
#pragma once

#include <sys/types.h>

#include <chrono>

#include "util/subprocess.h"

namespace hfi::spawn {

// A file descriptor closed when it goes out of scope.
class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() { Close(); }
  Fd(Fd&& other) noexcept : fd_(other.Release()) {}
  Fd& operator=(Fd&& other) noexcept;
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  bool open() const { return fd_ >= 0; }
  int Release();
  void Close();

 private:
  int fd_;
};

struct Pipe {
  Fd read, write;
};
// Both ends close-on-exec. Throws EnvironmentError naming `program` on failure.
Pipe MakePipe(const std::string& program);
void SetNonBlocking(int fd);

// The child's standard streams: `in` < 0 means /dev/null.
struct StdFds {
  int in = -1;
  int out = -1;
  int err = -1;
};

// Starts spec.argv[0] (no PATH search) with spec.cwd and spec.env, as the leader of a new process
// group, with SIGPIPE back at its default and no blocked signals. Throws EnvironmentError naming
// argv[0] when it cannot be started.
pid_t Start(const ProcessSpec& spec, const StdFds& fds);

// Whether `pid` has exited, without reaping it (a gone child counts as exited).
bool Exited(pid_t pid);

// Non-blocking reap: true (with the wait status) once `pid` has exited. A child reaped elsewhere
// (SIGCHLD ignored) gives status 0.
bool TryReap(pid_t pid, int* status);

// SIGTERM to the group, up to `grace` for the leader to go, SIGKILL to whatever is left of the
// group, then reap the leader. Until that last step the leader's id, which is also the group's,
// cannot be reused, so the signals reach no stranger. Returns the wait status.
int StopGroup(pid_t pid, std::chrono::milliseconds grace);

// ProcessResult's end, exit code and signal from a wait status.
void SetEnd(int wait_status, ProcessResult* result);

}  // namespace hfi::spawn

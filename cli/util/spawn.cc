#include "util/spawn.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "util/errors.h"

extern char** environ;

namespace hfi::spawn {
namespace {

std::vector<std::string> ChildEnvironment(const ProcessSpec& spec) {
  std::vector<std::string> env;
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view entry(*e);
    std::string_view key = entry.substr(0, entry.find('='));
    bool replaced = std::any_of(spec.env.begin(), spec.env.end(),
                                [&](const auto& kv) { return kv.first == key; });
    if (!replaced)
      env.emplace_back(entry);
  }
  for (const auto& [key, value] : spec.env)
    env.push_back(key + "=" + value);
  return env;
}

std::vector<char*> CStrings(std::vector<std::string>& strings) {
  std::vector<char*> out;
  for (std::string& s : strings)
    out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

}  // namespace

Fd& Fd::operator=(Fd&& other) noexcept {
  if (this != &other) {
    Close();
    fd_ = other.Release();
  }
  return *this;
}

int Fd::Release() {
  int fd = fd_;
  fd_ = -1;
  return fd;
}

void Fd::Close() {
  if (fd_ >= 0)
    ::close(fd_);
  fd_ = -1;
}

Pipe MakePipe(const std::string& program) {
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    throw EnvironmentError(program, std::string("cannot create a pipe: ") + std::strerror(errno));
  return Pipe{Fd(fds[0]), Fd(fds[1])};
}

void SetNonBlocking(int fd) {
  int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0)
    ::fcntl(fd, F_SETFL, flags | O_NONBLOCK);
}

pid_t Start(const ProcessSpec& spec, const StdFds& fds) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  if (fds.in >= 0)
    posix_spawn_file_actions_adddup2(&actions, fds.in, STDIN_FILENO);
  else
    posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, fds.out, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, fds.err, STDERR_FILENO);
  if (!spec.cwd.empty())
    posix_spawn_file_actions_addchdir_np(&actions, spec.cwd.c_str());

  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  // hfi-metrics ignores SIGPIPE (main.cc); the child gets the default back. Its own process group
  // lets a timeout stop everything it started, and keeps the terminal's Ctrl-C away from it: we
  // stop it ourselves, then exit.
  sigset_t defaults;
  sigemptyset(&defaults);
  sigaddset(&defaults, SIGPIPE);
  sigset_t no_mask;
  sigemptyset(&no_mask);
  posix_spawnattr_setsigdefault(&attr, &defaults);
  posix_spawnattr_setsigmask(&attr, &no_mask);
  posix_spawnattr_setpgroup(&attr, 0);
  posix_spawnattr_setflags(&attr,
                           POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK);

  std::vector<std::string> argv_strings = spec.argv;
  std::vector<std::string> env_strings = ChildEnvironment(spec);
  std::vector<char*> argv = CStrings(argv_strings);
  std::vector<char*> envp = CStrings(env_strings);
  pid_t pid = -1;
  int err = ::posix_spawn(&pid, spec.argv[0].c_str(), &actions, &attr, argv.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attr);
  if (err != 0) {
    std::string why = std::string("cannot run: ") + std::strerror(err);
    if (err == ENOENT && !spec.cwd.empty())
      why += " (or the working directory " + spec.cwd + " is missing)";
    throw EnvironmentError(spec.argv[0], why);
  }
  return pid;
}

bool Exited(pid_t pid) {
  siginfo_t info{};
  int r = ::waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT);
  if (r < 0)
    return errno != EINTR;  // ECHILD: already reaped
  return info.si_pid == pid;
}

bool TryReap(pid_t pid, int* status) {
  for (;;) {
    pid_t r = ::waitpid(pid, status, WNOHANG);
    if (r == pid)
      return true;
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0) {
      *status = 0;
      return true;
    }
    return false;
  }
}

int StopGroup(pid_t pid, std::chrono::milliseconds grace) {
  using Clock = std::chrono::steady_clock;
  ::kill(-pid, SIGTERM);
  auto grace_end = Clock::now() + grace;
  while (Clock::now() < grace_end && !Exited(pid))
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  ::kill(-pid, SIGKILL);
  int status = 0;
  for (;;) {
    pid_t r = ::waitpid(pid, &status, 0);
    if (r == pid)
      break;
    if (r < 0 && errno != EINTR) {
      status = 0;
      break;
    }
  }
  return status;
}

void SetEnd(int wait_status, ProcessResult* result) {
  if (WIFSIGNALED(wait_status)) {
    result->end = ProcessResult::End::kSignaled;
    result->signal = WTERMSIG(wait_status);
  } else {
    result->end = ProcessResult::End::kExited;
    result->exit_code = WEXITSTATUS(wait_status);
  }
}

}  // namespace hfi::spawn

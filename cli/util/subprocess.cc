#include "util/subprocess.h"

#include <fcntl.h>
#include <poll.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <thread>

#include "util/errors.h"

extern char** environ;

namespace hfi {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

volatile std::sig_atomic_t g_stop_signal = 0;

extern "C" void OnStopSignal(int signo) {
  g_stop_signal = signo;
}

// While a child runs, SIGINT/SIGTERM/SIGHUP only record themselves, so the child (in its own
// process group, out of reach of the terminal's Ctrl-C) is stopped and reaped before we go.
// Signals someone chose to ignore (nohup) stay ignored.
class StopSignals {
 public:
  StopSignals() {
    g_stop_signal = 0;
    for (std::size_t i = 0; i < std::size(kSignals); ++i) {
      struct sigaction action {};
      action.sa_handler = OnStopSignal;
      sigemptyset(&action.sa_mask);
      installed_[i] = ::sigaction(kSignals[i], nullptr, &old_[i]) == 0 &&
                      old_[i].sa_handler != SIG_IGN &&
                      ::sigaction(kSignals[i], &action, nullptr) == 0;
    }
  }
  ~StopSignals() {
    for (std::size_t i = 0; i < std::size(kSignals); ++i) {
      if (installed_[i])
        ::sigaction(kSignals[i], &old_[i], nullptr);
    }
  }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

 private:
  static constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};
  struct sigaction old_[3]{};
  bool installed_[3] = {};
};

class Fd {
 public:
  explicit Fd(int fd = -1) : fd_(fd) {}
  ~Fd() { Close(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  void Close() {
    if (fd_ >= 0)
      ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_;
};

// Owns a started child: whatever happens, the destructor stops its process group and reaps it.
class Child {
 public:
  explicit Child(pid_t pid) : pid_(pid) {}
  ~Child() {
    if (!reaped_)
      Stop();
  }
  Child(const Child&) = delete;
  Child& operator=(const Child&) = delete;

  // Non-blocking: true (with the wait status) once the child has exited.
  bool TryReap(int* status) {
    for (;;) {
      pid_t r = ::waitpid(pid_, status, WNOHANG);
      if (r == pid_) {
        reaped_ = true;
        return true;
      }
      if (r < 0 && errno == EINTR)
        continue;
      if (r < 0) {  // ECHILD: someone else reaped it; nothing left to wait for
        reaped_ = true;
        *status = 0;
        return true;
      }
      return false;
    }
  }

  // Whether the child has exited, without reaping it.
  bool Exited() const {
    siginfo_t info{};
    return ::waitid(P_PID, static_cast<id_t>(pid_), &info, WEXITED | WNOHANG | WNOWAIT) == 0 &&
           info.si_pid == pid_;
  }

  // SIGTERM to the whole group (em++ runs clang, wasm-ld, wasm-opt), a grace period, then SIGKILL
  // to whatever is left. The child is reaped last: until then its id, which is also the group's,
  // cannot be reused, so the signals reach no stranger.
  int Stop() {
    ::kill(-pid_, SIGTERM);
    auto grace_end = Clock::now() + milliseconds(2000);
    while (Clock::now() < grace_end && !Exited())
      std::this_thread::sleep_for(milliseconds(10));
    ::kill(-pid_, SIGKILL);
    int status = 0;
    while (::waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
    }
    reaped_ = true;
    return status;
  }

 private:
  pid_t pid_;
  bool reaped_ = false;
};

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

pid_t Spawn(const ProcessSpec& spec, int output_fd) {
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, STDIN_FILENO, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, output_fd, STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, output_fd, STDERR_FILENO);
  if (!spec.cwd.empty())
    posix_spawn_file_actions_addchdir_np(&actions, spec.cwd.c_str());

  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  // hfi-metrics ignores SIGPIPE (main.cc); the child gets the default back. Its own process group
  // lets a timeout stop everything it started.
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

}  // namespace

ProcessResult RunProcess(const ProcessSpec& spec) {
  if (spec.argv.empty() || spec.argv[0].empty())
    throw EnvironmentError("subprocess", "no program given");
  int fds[2];
  if (::pipe2(fds, O_CLOEXEC) != 0)
    throw EnvironmentError(spec.argv[0],
                           std::string("cannot create a pipe: ") + std::strerror(errno));
  Fd read_end(fds[0]);
  Fd write_end(fds[1]);

  StopSignals stop_signals;
  auto start = Clock::now();
  auto deadline = start + spec.timeout;
  Child child(Spawn(spec, write_end.get()));
  write_end.Close();  // the child holds the only write end now: EOF means it is done writing

  ProcessResult result;
  auto finish = [&](ProcessResult::End end, int status) {
    result.end = end;
    if (end == ProcessResult::End::kExited || end == ProcessResult::End::kSignaled) {
      if (WIFSIGNALED(status)) {
        result.end = ProcessResult::End::kSignaled;
        result.signal = WTERMSIG(status);
      } else {
        result.end = ProcessResult::End::kExited;
        result.exit_code = WEXITSTATUS(status);
      }
    } else if (end == ProcessResult::End::kInterrupted) {
      result.signal = g_stop_signal;
    }
    result.elapsed = std::chrono::duration_cast<milliseconds>(Clock::now() - start);
    return result;
  };

  char buf[1 << 14];
  bool eof = false;
  while (!eof) {
    if (g_stop_signal != 0)
      return finish(ProcessResult::End::kInterrupted, child.Stop());
    auto now = Clock::now();
    if (now >= deadline)
      return finish(ProcessResult::End::kTimedOut, child.Stop());
    auto remaining = std::chrono::duration_cast<milliseconds>(deadline - now).count();
    // Short slices so a signal that lands just before poll() is noticed promptly.
    int slice = static_cast<int>(std::min<long long>(remaining + 1, 100));
    pollfd pfd{read_end.get(), POLLIN, 0};
    int ready = ::poll(&pfd, 1, slice);
    if (ready < 0 && errno != EINTR)
      throw EnvironmentError(spec.argv[0], std::string("poll failed: ") + std::strerror(errno));
    if (ready <= 0)
      continue;
    ssize_t n = ::read(read_end.get(), buf, sizeof buf);
    if (n > 0) {
      std::size_t room = spec.max_output - std::min(spec.max_output, result.output.size());
      std::size_t keep = std::min(room, static_cast<std::size_t>(n));
      result.output.append(buf, keep);
      result.dropped_bytes += static_cast<std::size_t>(n) - keep;
    } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
      eof = true;
    }
  }

  // Output closed; the child normally exits right after. Keep the deadline while waiting.
  int status = 0;
  while (!child.TryReap(&status)) {
    if (g_stop_signal != 0)
      return finish(ProcessResult::End::kInterrupted, child.Stop());
    if (Clock::now() >= deadline)
      return finish(ProcessResult::End::kTimedOut, child.Stop());
    std::this_thread::sleep_for(milliseconds(5));
  }
  return finish(ProcessResult::End::kExited, status);
}

std::string FindExecutable(const std::string& name) {
  auto executable = [](const std::string& path) {
    struct stat st {};
    return ::stat(path.c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
           ::access(path.c_str(), X_OK) == 0;
  };
  if (name.empty())
    return {};
  if (name.find('/') != std::string::npos)
    return executable(name) ? name : std::string();
  const char* path_env = std::getenv("PATH");
  std::string_view path = path_env != nullptr ? path_env : "/usr/local/bin:/usr/bin:/bin";
  for (;;) {
    std::size_t colon = path.find(':');
    std::string dir(path.substr(0, colon));
    std::string candidate = (dir.empty() ? "." : dir) + "/" + name;
    if (executable(candidate))
      return candidate;
    if (colon == std::string_view::npos)
      return {};
    path.remove_prefix(colon + 1);
  }
}

}  // namespace hfi

#include "util/subprocess.h"

#include <poll.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <thread>

#include "util/errors.h"
#include "util/interrupt.h"
#include "util/spawn.h"

namespace hfi {
namespace {

using Clock = std::chrono::steady_clock;
using std::chrono::milliseconds;

constexpr milliseconds kStopGrace{2000};

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

  bool TryReap(int* status) {
    reaped_ = spawn::TryReap(pid_, status);
    return reaped_;
  }
  // em++ runs clang, wasm-ld and wasm-opt: the whole group goes.
  int Stop() {
    reaped_ = true;
    return spawn::StopGroup(pid_, kStopGrace);
  }

 private:
  pid_t pid_;
  bool reaped_ = false;
};

// write() that turns a reader gone into EPIPE without killing us: SIGPIPE is blocked in this
// thread for the call, and one it raised is consumed before the mask is restored. (main.cc ignores
// SIGPIPE anyway; tests and other embedders may not.)
ssize_t WriteWithoutSigpipe(int fd, const char* data, std::size_t size) {
  sigset_t pipe_only;
  sigemptyset(&pipe_only);
  sigaddset(&pipe_only, SIGPIPE);
  sigset_t old_mask;
  ::pthread_sigmask(SIG_BLOCK, &pipe_only, &old_mask);
  sigset_t pending;
  sigemptyset(&pending);
  ::sigpending(&pending);
  const bool was_pending = sigismember(&pending, SIGPIPE) == 1;
  ssize_t n = ::write(fd, data, size);
  const int saved_errno = errno;
  if (n < 0 && saved_errno == EPIPE && !was_pending) {
    timespec zero{};
    while (::sigtimedwait(&pipe_only, nullptr, &zero) < 0 && errno == EINTR) {
    }
  }
  ::pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
  errno = saved_errno;
  return n;
}

// One captured stream: the read end of a pipe and where its bytes go.
struct Capture {
  spawn::Fd fd;
  std::string* text = nullptr;
};

}  // namespace

ProcessResult RunProcess(const ProcessSpec& spec) {
  if (spec.argv.empty() || spec.argv[0].empty())
    throw EnvironmentError("subprocess", "no program given");

  InterruptScope interrupt_scope;
  ProcessResult result;
  auto start = Clock::now();
  auto deadline = start + spec.timeout;
  if (Interrupted()) {
    result.end = ProcessResult::End::kInterrupted;
    result.signal = InterruptSignal();
    return result;
  }

  const std::string& program = spec.argv[0];
  spawn::Pipe out = spawn::MakePipe(program);
  spawn::Pipe err;
  if (spec.separate_stderr)
    err = spawn::MakePipe(program);
  spawn::Pipe in;
  if (!spec.stdin_data.empty())
    in = spawn::MakePipe(program);

  spawn::StdFds fds;
  fds.in = in.read.get();
  fds.out = out.write.get();
  fds.err = spec.separate_stderr ? err.write.get() : out.write.get();
  Child child(spawn::Start(spec, fds));
  // The child holds the only write ends now: EOF means it is done writing.
  out.write.Close();
  err.write.Close();
  in.read.Close();
  if (in.write.open())
    spawn::SetNonBlocking(in.write.get());

  Capture captures[2] = {{std::move(out.read), &result.output},
                         {std::move(err.read), &result.error_output}};
  std::size_t stdin_written = 0;

  auto finish = [&](ProcessResult::End end, int status) {
    if (end == ProcessResult::End::kExited) {
      spawn::SetEnd(status, &result);
    } else {
      result.end = end;
      if (end == ProcessResult::End::kInterrupted)
        result.signal = InterruptSignal();
    }
    result.elapsed = std::chrono::duration_cast<milliseconds>(Clock::now() - start);
    return result;
  };
  auto output_open = [&] { return captures[0].fd.open() || captures[1].fd.open(); };

  char buf[1 << 14];
  while (output_open()) {
    if (Interrupted())
      return finish(ProcessResult::End::kInterrupted, child.Stop());
    auto now = Clock::now();
    if (now >= deadline)
      return finish(ProcessResult::End::kTimedOut, child.Stop());
    auto remaining = std::chrono::duration_cast<milliseconds>(deadline - now).count();
    // Short slices so a signal that lands just before poll() is noticed promptly.
    int slice = static_cast<int>(std::min<long long>(remaining + 1, 100));

    pollfd pfds[3];
    Capture* polled[2] = {};
    nfds_t count = 0;
    for (Capture& capture : captures) {
      if (capture.fd.open()) {
        polled[count] = &capture;
        pfds[count++] = pollfd{capture.fd.get(), POLLIN, 0};
      }
    }
    const nfds_t captured = count;
    if (in.write.open())
      pfds[count++] = pollfd{in.write.get(), POLLOUT, 0};

    int ready = ::poll(pfds, count, slice);
    if (ready < 0 && errno != EINTR)
      throw EnvironmentError(program, std::string("poll failed: ") + std::strerror(errno));
    if (ready <= 0)
      continue;

    for (nfds_t i = 0; i < captured; ++i) {
      if ((pfds[i].revents & (POLLIN | POLLHUP | POLLERR)) == 0)
        continue;
      Capture& capture = *polled[i];
      ssize_t n = ::read(capture.fd.get(), buf, sizeof buf);
      if (n > 0) {
        std::size_t room = spec.max_output - std::min(spec.max_output, capture.text->size());
        std::size_t keep = std::min(room, static_cast<std::size_t>(n));
        capture.text->append(buf, keep);
        result.dropped_bytes += static_cast<std::size_t>(n) - keep;
      } else if (n == 0 || (errno != EINTR && errno != EAGAIN)) {
        capture.fd.Close();
      }
    }
    if (count > captured && (pfds[captured].revents & (POLLOUT | POLLHUP | POLLERR)) != 0) {
      std::size_t left = spec.stdin_data.size() - stdin_written;
      ssize_t n = WriteWithoutSigpipe(in.write.get(), spec.stdin_data.data() + stdin_written,
                                      std::min<std::size_t>(left, 1 << 16));
      if (n > 0)
        stdin_written += static_cast<std::size_t>(n);
      // EPIPE: the child closed its stdin, and the rest is not wanted.
      if (stdin_written == spec.stdin_data.size() || (n < 0 && errno != EINTR && errno != EAGAIN))
        in.write.Close();  // the child sees EOF
    }
  }
  in.write.Close();

  // Output closed; the child normally exits right after. Keep the deadline while waiting.
  int status = 0;
  while (!child.TryReap(&status)) {
    if (Interrupted())
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

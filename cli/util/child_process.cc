#include "util/child_process.h"

#include <poll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "util/errors.h"
#include "util/interrupt.h"
#include "util/spawn.h"

namespace hfi {
namespace {

using std::chrono::milliseconds;

constexpr std::size_t kKeep = std::size_t{64} << 10;

}  // namespace

std::unique_ptr<ChildProcess> ChildProcess::Start(const ProcessSpec& spec) {
  if (spec.argv.empty() || spec.argv[0].empty())
    throw EnvironmentError("subprocess", "no program given");
  InterruptScope until_owned;  // the child's own scope takes over without a gap
  spawn::Pipe pipe = spawn::MakePipe(spec.argv[0]);
  spawn::StdFds fds;
  fds.out = pipe.write.get();
  fds.err = pipe.write.get();
  pid_t pid = spawn::Start(spec, fds);
  pipe.write.Close();  // the child holds the only write end: EOF means it is done writing
  spawn::SetNonBlocking(pipe.read.get());
  return std::unique_ptr<ChildProcess>(new ChildProcess(pid, pipe.read.Release()));
}

ChildProcess::ChildProcess(pid_t pid, int read_fd)
    : pid_(pid), fd_(read_fd), started_(Clock::now()) {}

ChildProcess::~ChildProcess() {
  Stop();
  if (fd_ >= 0)
    ::close(fd_);
}

bool ChildProcess::ReadSome() {
  if (eof_)
    return false;
  char buf[1 << 14];
  for (;;) {
    ssize_t n = ::read(fd_, buf, sizeof buf);
    if (n > 0) {
      pending_.append(buf, static_cast<std::size_t>(n));
      output_.append(
          buf, std::min(kKeep - std::min(kKeep, output_.size()), static_cast<std::size_t>(n)));
      return true;
    }
    if (n < 0 && errno == EINTR)
      continue;
    if (n < 0 && errno == EAGAIN)
      return false;
    eof_ = true;
    return false;
  }
}

ChildProcess::Read ChildProcess::ReadLine(std::string* line, Clock::time_point deadline) {
  for (;;) {
    if (Interrupted())
      return Read::kInterrupted;
    std::size_t newline = pending_.find('\n');
    if (newline != std::string::npos || (eof_ && !pending_.empty())) {
      std::size_t end = newline != std::string::npos ? newline : pending_.size();
      line->assign(pending_, 0, end);
      if (!line->empty() && line->back() == '\r')
        line->pop_back();
      pending_.erase(0, newline != std::string::npos ? end + 1 : end);
      return Read::kLine;
    }
    if (eof_)
      return Read::kEof;
    if (ReadSome())
      continue;
    if (eof_)
      continue;
    auto now = Clock::now();
    if (now >= deadline)
      return Read::kTimeout;
    auto remaining = std::chrono::duration_cast<milliseconds>(deadline - now).count();
    // Short slices so Interrupted() is noticed promptly.
    pollfd pfd{fd_, POLLIN, 0};
    ::poll(&pfd, 1, static_cast<int>(std::min<long long>(remaining + 1, 100)));
  }
}

void ChildProcess::Drain() {
  // Bounded, so a child that never stops writing cannot keep us here.
  for (int reads = 0; reads < 64 && ReadSome(); ++reads) {
  }
  if (pending_.size() > kKeep) {
    std::size_t cut = pending_.find('\n', pending_.size() - kKeep);
    pending_.erase(0, cut == std::string::npos ? pending_.size() - kKeep : cut + 1);
  }
}

bool ChildProcess::Exited() {
  return reaped_ || spawn::Exited(pid_);
}

ProcessResult ChildProcess::Stop(milliseconds grace) {
  if (!reaped_) {
    int status = spawn::StopGroup(pid_, grace);
    reaped_ = true;
    // Whatever it wrote before going (an error message) belongs to the result. Bounded: a
    // process that left the group could still hold the pipe.
    for (int reads = 0; reads < 64 && ReadSome(); ++reads) {
    }
    spawn::SetEnd(status, &result_);
    result_.elapsed = std::chrono::duration_cast<milliseconds>(Clock::now() - started_);
  }
  result_.output = output_;
  return result_;
}

}  // namespace hfi

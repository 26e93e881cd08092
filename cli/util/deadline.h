// The global --timeout: a watcher thread that, once the limit has passed, interrupts the command
// the way Ctrl-C does (util/interrupt.h), so every kubectl, HTTP request and wait already built to
// stop on Ctrl-C also stops on time, and every child is reaped.
#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace hfi {

class CommandDeadline {
 public:
  // Interrupts at `limit` from now, plus `grace`: commands that bound their own waits by
  // Remaining() report their own, more precise message first; the interrupt is the backstop.
  CommandDeadline(std::chrono::milliseconds limit, std::chrono::milliseconds grace);
  ~CommandDeadline();  // cancels the watcher if the command ended first
  CommandDeadline(const CommandDeadline&) = delete;
  CommandDeadline& operator=(const CommandDeadline&) = delete;

  std::chrono::milliseconds limit() const { return limit_; }
  // Time left until the limit (not counting the grace), at least zero.
  std::chrono::milliseconds Remaining() const;

 private:
  using Clock = std::chrono::steady_clock;
  std::chrono::milliseconds limit_;
  Clock::time_point end_;
  std::mutex mutex_;
  std::condition_variable cancelled_;
  bool done_ = false;
  std::thread watcher_;
};

}  // namespace hfi

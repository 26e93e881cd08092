#include "util/deadline.h"

#include <algorithm>

#include "util/interrupt.h"

namespace hfi {

CommandDeadline::CommandDeadline(std::chrono::milliseconds limit, std::chrono::milliseconds grace)
    : limit_(limit), end_(Clock::now() + limit) {
  const Clock::time_point fire_at = end_ + grace;
  watcher_ = std::thread([this, fire_at] {
    std::unique_lock<std::mutex> lock(mutex_);
    if (!cancelled_.wait_until(lock, fire_at, [this] { return done_; }))
      InterruptForDeadline();
  });
}

CommandDeadline::~CommandDeadline() {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    done_ = true;
  }
  cancelled_.notify_all();
  watcher_.join();
}

std::chrono::milliseconds CommandDeadline::Remaining() const {
  const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(end_ - Clock::now());
  return std::max(left, std::chrono::milliseconds(0));
}

}  // namespace hfi

#include "wasmhost/clock.h"

#include <chrono>

namespace hfi::wasmhost {

std::int64_t RealClock::MonotonicNanos() const {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

std::int64_t RealClock::RealtimeNanos() const {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

void VirtualClock::Advance(std::int64_t nanos) {
  if (nanos <= 0)
    return;
  monotonic_ += nanos;
  realtime_ += nanos;
}

void VirtualClock::AdvanceTo(std::int64_t monotonic_nanos) {
  Advance(monotonic_nanos - monotonic_);
}

}  // namespace hfi::wasmhost

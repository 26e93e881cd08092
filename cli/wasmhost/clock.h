// Time as the host shows it to a plugin: a monotonic clock for timers, ticks and WASI
// CLOCK_MONOTONIC, and a wall clock for proxy_get_current_time_nanoseconds and CLOCK_REALTIME.
// Tests use VirtualClock, which moves only when told, so a 500 ms delay takes no 500 ms.
#pragma once

#include <cstdint>

namespace hfi::wasmhost {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual std::int64_t MonotonicNanos() const = 0;
  virtual std::int64_t RealtimeNanos() const = 0;
};

// std::chrono::steady_clock and system_clock.
class RealClock final : public Clock {
 public:
  std::int64_t MonotonicNanos() const override;
  std::int64_t RealtimeNanos() const override;
};

// Both clocks advance together, only through Advance/AdvanceTo.
class VirtualClock final : public Clock {
 public:
  // The wall clock starts at a fixed date so output that shows it is reproducible.
  static constexpr std::int64_t kDefaultRealtimeStart = 1'700'000'000'000'000'000;

  explicit VirtualClock(std::int64_t monotonic_start = 0,
                        std::int64_t realtime_start = kDefaultRealtimeStart)
      : monotonic_(monotonic_start), realtime_(realtime_start) {}

  std::int64_t MonotonicNanos() const override { return monotonic_; }
  std::int64_t RealtimeNanos() const override { return realtime_; }

  void Advance(std::int64_t nanos);
  // Moves to `monotonic_nanos` if that is later than now; time never goes back.
  void AdvanceTo(std::int64_t monotonic_nanos);

 private:
  std::int64_t monotonic_;
  std::int64_t realtime_;
};

}  // namespace hfi::wasmhost

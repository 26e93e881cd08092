#include "serve/health.h"

#include <cstdio>
#include <utility>

namespace hfi::serve {
namespace {

// "12.3s": tenths, so sub-second intervals still read sensibly.
std::string Seconds(std::chrono::steady_clock::duration duration) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1fs", std::chrono::duration<double>(duration).count());
  return text;
}

}  // namespace

Health::Health(std::chrono::milliseconds interval) : interval_(interval) {}

void Health::RecordReport(Clock::time_point at) {
  std::lock_guard<std::mutex> lock(mutex_);
  last_report_ = at;
  last_error_.clear();
}

void Health::RecordError(std::string message) {
  std::lock_guard<std::mutex> lock(mutex_);
  last_error_ = std::move(message);
}

HealthStatus Health::Evaluate(Clock::time_point now) const {
  std::lock_guard<std::mutex> lock(mutex_);
  const std::string error = last_error_.empty() ? "" : "; last error: " + last_error_;
  if (!last_report_)
    return {false, "no report yet" + error};
  const Clock::duration age = now - *last_report_;
  if (age >= kStaleIntervals * Clock::duration(interval_)) {
    return {false, "no report for " + Seconds(age) + " (more than " +
                       std::to_string(kStaleIntervals) + " intervals of " + Seconds(interval_) +
                       ")" + error};
  }
  return {true, "ok: last report " + Seconds(age) + " ago" + error};
}

}  // namespace hfi::serve

// Whether `serve` is doing its job, for /healthz: a report (passed or failed) arrived within the
// last three intervals. Failed checks are the fleet's problem, not serve's, so they keep it
// healthy; runs that produce no report (kubectl missing, Prometheus unreachable) do not.
//
// Before the first report it is unhealthy ("no report yet"): as a readiness probe that keeps a
// fresh replica out of a Service until it has something to say, and a liveness probe should
// leave the first run time through a startupProbe or initialDelaySeconds (k8s/monitoring/).
#pragma once

#include <chrono>
#include <mutex>
#include <optional>
#include <string>

namespace hfi::serve {

struct HealthStatus {
  bool healthy = false;
  std::string reason;  // one line, for the response body
};

class Health {
 public:
  using Clock = std::chrono::steady_clock;

  // Reports older than kStaleIntervals * interval make it unhealthy.
  static constexpr int kStaleIntervals = 3;

  explicit Health(std::chrono::milliseconds interval);

  void RecordReport(Clock::time_point at);
  // Kept to explain a stale state: what the last run that produced no report said.
  void RecordError(std::string message);

  HealthStatus Evaluate(Clock::time_point now) const;

 private:
  const std::chrono::milliseconds interval_;
  mutable std::mutex mutex_;
  std::optional<Clock::time_point> last_report_;
  std::string last_error_;  // since the last report; "" when that run is the latest
};

}  // namespace hfi::serve

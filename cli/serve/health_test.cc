#include "serve/health.h"

#include <gtest/gtest.h>

namespace hfi::serve {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Clock = Health::Clock;

TEST(HealthTest, UnhealthyUntilTheFirstReport) {
  Health health(seconds(10));
  const Clock::time_point t0{};
  HealthStatus status = health.Evaluate(t0);
  EXPECT_FALSE(status.healthy);
  EXPECT_EQ(status.reason, "no report yet");

  health.RecordError("kubectl: not found");
  status = health.Evaluate(t0 + seconds(1));
  EXPECT_FALSE(status.healthy);
  EXPECT_EQ(status.reason, "no report yet; last error: kubectl: not found");
}

TEST(HealthTest, HealthyForThreeIntervalsAfterAReport) {
  Health health(seconds(10));
  const Clock::time_point t0{};
  health.RecordReport(t0);
  EXPECT_TRUE(health.Evaluate(t0).healthy);
  const HealthStatus fresh = health.Evaluate(t0 + milliseconds(12'300));
  EXPECT_TRUE(fresh.healthy);
  EXPECT_EQ(fresh.reason, "ok: last report 12.3s ago");
  EXPECT_TRUE(health.Evaluate(t0 + seconds(30) - milliseconds(1)).healthy);

  const HealthStatus stale = health.Evaluate(t0 + seconds(30));
  EXPECT_FALSE(stale.healthy);
  EXPECT_EQ(stale.reason, "no report for 30.0s (more than 3 intervals of 10.0s)");
}

TEST(HealthTest, ErrorsDoNotRefreshButAReportDoes) {
  Health health(seconds(1));
  const Clock::time_point t0{};
  health.RecordReport(t0);
  health.RecordError("prometheus: connection refused");
  const HealthStatus stale = health.Evaluate(t0 + seconds(5));
  EXPECT_FALSE(stale.healthy);
  EXPECT_EQ(stale.reason,
            "no report for 5.0s (more than 3 intervals of 1.0s); last error: prometheus: "
            "connection refused");

  health.RecordReport(t0 + seconds(5));
  const HealthStatus again = health.Evaluate(t0 + seconds(6));
  EXPECT_TRUE(again.healthy);
  EXPECT_EQ(again.reason, "ok: last report 1.0s ago");
}

}  // namespace
}  // namespace hfi::serve

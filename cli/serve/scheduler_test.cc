#include "serve/scheduler.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "serve/test_reports.h"

namespace hfi::serve {
namespace {

using std::chrono::seconds;
using testing::Passing;
using testing::Source;
using testing::Value;
using TimePoint = std::chrono::steady_clock::time_point;

// Time moves only when a run takes it or the loop waits; the loop is stopped after `waits`
// waits, as a signal during the sleep would.
struct FakeTime {
  TimePoint now{};
  std::vector<TimePoint> deadlines;
  std::size_t stop_after_waits = 1;
  bool stop = false;

  SchedulerClock Clock() {
    SchedulerClock clock;
    clock.now = [this] { return now; };
    clock.unix_now = [this] {
      return 1'000'000 + std::chrono::duration<double>(now.time_since_epoch()).count();
    };
    clock.wait_until = [this](TimePoint deadline) {
      deadlines.push_back(deadline);
      if (deadlines.size() >= stop_after_waits) {
        stop = true;
        return false;
      }
      now = std::max(now, deadline);
      return true;
    };
    clock.stop_requested = [this] { return stop; };
    return clock;
  }
};

verify::Report PassingReport() {
  verify::Report report;
  report.sources.push_back(Source("demo/a", {Passing("presence", "x_total")}));
  return report;
}

struct SchedulerTest : ::testing::Test {
  FakeTime time;
  Exporter exporter{10};
  Health health{seconds(10)};
  std::vector<std::string> logged;
  ScheduleOptions options;

  void SetUp() override {
    options.interval = seconds(10);
    options.log = [this](const std::string& line) { logged.push_back(line); };
  }
  std::optional<RunOutcome> Run(const std::function<verify::Report()>& run) {
    return RunSchedule(run, exporter, health, time.Clock(), options);
  }
};

TEST_F(SchedulerTest, RunsOncePerIntervalFromEachRunsStart) {
  time.stop_after_waits = 3;
  int runs = 0;
  auto outcome = Run([&] {
    ++runs;
    time.now += seconds(2);  // the run takes 2 s
    return PassingReport();
  });
  EXPECT_EQ(runs, 3);
  ASSERT_EQ(time.deadlines.size(), 3u);
  EXPECT_EQ(time.deadlines[0], TimePoint{} + seconds(10));
  EXPECT_EQ(time.deadlines[1], TimePoint{} + seconds(20));
  EXPECT_EQ(time.deadlines[2], TimePoint{} + seconds(30));
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->result, RunResult::kPassed);
  EXPECT_EQ(outcome->code, ExitCode::kOk);
  EXPECT_EQ(Value(exporter.Collect(), "hfi_metrics_runs_total", {{"result", "passed"}}), 3);
  EXPECT_EQ(Value(exporter.Collect(), "hfi_metrics_last_run_duration_seconds"), 2);
  EXPECT_TRUE(logged.empty());
}

TEST_F(SchedulerTest, ARunLongerThanTheIntervalIsFollowedAtOnce) {
  time.stop_after_waits = 2;
  Run([&] {
    time.now += seconds(25);
    return PassingReport();
  });
  ASSERT_EQ(time.deadlines.size(), 2u);
  EXPECT_EQ(time.deadlines[0], TimePoint{} + seconds(25));
  EXPECT_EQ(time.deadlines[1], TimePoint{} + seconds(50));
}

TEST_F(SchedulerTest, ErrorsAreCountedLoggedAndTheLoopGoesOn) {
  time.stop_after_waits = 4;
  int runs = 0;
  auto outcome = Run([&]() -> verify::Report {
    switch (runs++) {
      case 0:
        throw EnvironmentError("kubectl", "not found", "install kubectl");
      case 1:
        throw std::runtime_error("boom");
      case 2:
        throw 42;  // not even an exception class
      default:
        return PassingReport();
    }
  });
  EXPECT_EQ(runs, 4);
  ASSERT_EQ(logged.size(), 3u);
  EXPECT_EQ(logged[0], "hfi-metrics: kubectl: not found (install kubectl)");
  EXPECT_EQ(logged[1], "hfi-metrics: serve: internal error: boom (please report it)");
  EXPECT_EQ(logged[2], "hfi-metrics: serve: internal error (please report it)");
  const auto families = exporter.Collect();
  EXPECT_EQ(Value(families, "hfi_metrics_runs_total", {{"result", "error"}}), 3);
  EXPECT_EQ(Value(families, "hfi_metrics_runs_total", {{"result", "passed"}}), 1);
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->result, RunResult::kPassed);
}

TEST_F(SchedulerTest, OnceRunsOnceAndReturnsTheStatus) {
  options.once = true;
  int runs = 0;
  auto outcome = Run([&] {
    ++runs;
    verify::Report report;
    report.sources.push_back(testing::Source(
        "f.prom", {testing::WithFinding("presence", "x_total", verify::HintId::kMetricMissing)}));
    return report;
  });
  EXPECT_EQ(runs, 1);
  EXPECT_TRUE(time.deadlines.empty());
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->result, RunResult::kFailed);
  EXPECT_EQ(outcome->code, ExitCode::kChecksFailed);
}

TEST_F(SchedulerTest, OnceWithAnErrorReturnsItsCode) {
  options.once = true;
  auto outcome = Run([]() -> verify::Report { throw InputError("a.prom", "unreadable"); });
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->result, RunResult::kError);
  EXPECT_EQ(outcome->code, ExitCode::kInvalidInput);
  EXPECT_EQ(logged, std::vector<std::string>{"hfi-metrics: a.prom: unreadable"});
}

TEST_F(SchedulerTest, AStopDuringARunEndsTheLoopUncounted) {
  time.stop_after_waits = 10;
  int runs = 0;
  auto outcome = Run([&]() -> verify::Report {
    if (runs++ == 0)
      return PassingReport();
    time.stop = true;  // SIGTERM while kubectl runs: the source stops and says so
    throw InterruptedError("verify");
  });
  EXPECT_EQ(runs, 2);
  EXPECT_EQ(time.deadlines.size(), 1u);
  EXPECT_TRUE(logged.empty());
  EXPECT_EQ(Value(exporter.Collect(), "hfi_metrics_runs_total", {{"result", "error"}}), 0);
  ASSERT_TRUE(outcome);
  EXPECT_EQ(outcome->result, RunResult::kPassed);
}

TEST_F(SchedulerTest, AStopBeforeTheFirstRunRunsNothing) {
  time.stop = true;
  bool ran = false;
  auto outcome = Run([&] {
    ran = true;
    return PassingReport();
  });
  EXPECT_FALSE(ran);
  EXPECT_FALSE(outcome);
}

TEST_F(SchedulerTest, HealthFollowsTheRuns) {
  time.stop_after_waits = 3;
  int runs = 0;
  Run([&]() -> verify::Report {
    if (runs++ == 0)
      return PassingReport();
    time.now += seconds(1);
    throw EnvironmentError("prometheus", "connection refused");
  });
  // The report at 0 s; two error runs since: stale from 30 s on, with the last error.
  EXPECT_TRUE(health.Evaluate(TimePoint{} + seconds(29)).healthy);
  const HealthStatus stale = health.Evaluate(TimePoint{} + seconds(30));
  EXPECT_FALSE(stale.healthy);
  EXPECT_NE(stale.reason.find("last error: prometheus: connection refused"), std::string::npos);
}

}  // namespace
}  // namespace hfi::serve

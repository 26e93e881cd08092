// The loop of `serve`: collect a report, record it, sleep until the next interval, again, until
// SIGINT/SIGTERM. The clock and the wait are injected so the tests drive time themselves.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "serve/exporter.h"
#include "serve/health.h"
#include "util/errors.h"
#include "verify/report.h"

namespace hfi::serve {

struct SchedulerClock {
  std::function<std::chrono::steady_clock::time_point()> now;
  std::function<double()> unix_now;  // wall clock, for the exported timestamps
  // Returns at `deadline`, or false as soon as a stop is requested.
  std::function<bool(std::chrono::steady_clock::time_point deadline)> wait_until;
  std::function<bool()> stop_requested;
};

// The real clocks; a stop is a signal recorded by an InterruptScope (util/interrupt.h), noticed
// within 100 ms while waiting.
SchedulerClock RealClock();

struct ScheduleOptions {
  std::chrono::milliseconds interval{60'000};
  bool once = false;                              // one run, then return
  std::function<void(const std::string&)> log;    // a line for every run without a report
  std::function<void(const std::string&)> trace;  // a line for every run (-v); may be empty
};

struct RunOutcome {
  RunResult result = RunResult::kError;
  ExitCode code = ExitCode::kOk;  // the report's exit status, or the error's code
};

// Runs `run` now and then every interval (right away when a run took longer than one) until a
// stop is requested, or once. Nothing `run` throws escapes: hfi::Error and anything else count
// as error runs, logged; an interruption while a stop is requested ends the loop uncounted.
// Returns the outcome of the last run recorded, nullopt when there was none.
std::optional<RunOutcome> RunSchedule(const std::function<verify::Report()>& run,
                                      Exporter& exporter, Health& health,
                                      const SchedulerClock& clock, const ScheduleOptions& options);

}  // namespace hfi::serve

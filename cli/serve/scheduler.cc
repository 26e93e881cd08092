#include "serve/scheduler.h"

#include <algorithm>
#include <cstdio>
#include <exception>
#include <new>
#include <thread>

#include "util/interrupt.h"

namespace hfi::serve {
namespace {

std::string Seconds(double seconds) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1fs", seconds);
  return text;
}

std::string Describe(const verify::Report& report) {
  const verify::Summary s = report.Summarize();
  return std::to_string(s.sources) + (s.sources == 1 ? " source, " : " sources, ") +
         std::to_string(s.checks) + " checks: " + std::to_string(s.passed) + " passed, " +
         std::to_string(s.failed) + " failed, " + std::to_string(s.warnings) + " warnings, " +
         std::to_string(s.skipped) + " skipped";
}

}  // namespace

SchedulerClock RealClock() {
  SchedulerClock clock;
  clock.now = [] { return std::chrono::steady_clock::now(); };
  clock.unix_now = [] {
    return std::chrono::duration<double>(std::chrono::system_clock::now().time_since_epoch())
        .count();
  };
  clock.stop_requested = [] { return Interrupted(); };
  clock.wait_until = [](std::chrono::steady_clock::time_point deadline) {
    // The signal handler only records the signal, so the wait polls in short slices.
    for (;;) {
      if (Interrupted())
        return false;
      const auto now = std::chrono::steady_clock::now();
      if (now >= deadline)
        return true;
      std::this_thread::sleep_for(std::min<std::chrono::steady_clock::duration>(
          std::chrono::milliseconds(100), deadline - now));
    }
  };
  return clock;
}

std::optional<RunOutcome> RunSchedule(const std::function<verify::Report()>& run,
                                      Exporter& exporter, Health& health,
                                      const SchedulerClock& clock, const ScheduleOptions& options) {
  std::optional<RunOutcome> last;
  while (!clock.stop_requested()) {
    const auto start = clock.now();
    const double unix_start = clock.unix_now();
    auto timing = [&] {
      const double end = clock.unix_now();
      return RunTiming{end, std::max(0.0, end - unix_start)};
    };
    auto fail = [&](ExitCode code, const std::string& line, const std::string& reason) {
      const RunTiming t = timing();
      exporter.RecordError(t);
      health.RecordError(reason);
      if (options.log)
        options.log(line);
      last = RunOutcome{RunResult::kError, code};
    };
    try {
      const verify::Report report = run();
      const RunTiming t = timing();
      const RunResult result = exporter.RecordReport(report, t);
      health.RecordReport(clock.now());
      last = RunOutcome{result, report.ExitStatus()};
      if (options.trace) {
        options.trace("hfi-metrics: serve: run " + std::string(RunResultName(result)) + " in " +
                      Seconds(t.duration_seconds) + ": " + Describe(report));
      }
    } catch (const InterruptedError& e) {
      if (clock.stop_requested())
        return last;
      fail(e.code(), FormatError(e), e.subject() + ": " + e.reason());
    } catch (const Error& e) {
      fail(e.code(), FormatError(e), e.subject() + ": " + e.reason());
    } catch (const std::bad_alloc&) {
      fail(ExitCode::kEnvironment, "hfi-metrics: serve: out of memory", "out of memory");
    } catch (const std::exception& e) {
      fail(ExitCode::kEnvironment,
           std::string("hfi-metrics: serve: internal error: ") + e.what() + " (please report it)",
           std::string("internal error: ") + e.what());
    } catch (...) {
      fail(ExitCode::kEnvironment, "hfi-metrics: serve: internal error (please report it)",
           "internal error");
    }
    if (options.once)
      break;
    // A run longer than the interval is followed by the next at once, not by a backlog.
    const auto next = std::max(start + options.interval, clock.now());
    if (!clock.wait_until(next))
      break;
  }
  return last;
}

}  // namespace hfi::serve

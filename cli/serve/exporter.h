// The Prometheus view of `serve`: every verification report (or failed run) updates one set of
// metric families that live as long as the process. Label sets of sources and checks that the
// latest report no longer has are removed, so the series follow the fleet instead of piling up
// over days of pods coming and going.
#pragma once

#include <prometheus/collectable.h>
#include <prometheus/counter.h>
#include <prometheus/family.h>
#include <prometheus/gauge.h>
#include <prometheus/labels.h>
#include <prometheus/metric_family.h>
#include <prometheus/registry.h>

#include <cstddef>
#include <map>
#include <memory>
#include <mutex>
#include <string_view>
#include <vector>

#include "verify/report.h"

namespace hfi::serve {

// passed: a report whose exit status is 0; failed: a report with any other status; error: no
// report at all (the run threw: kubectl missing, Prometheus unreachable, ...).
enum class RunResult { kPassed, kFailed, kError };
std::string_view RunResultName(RunResult result);  // "passed", "failed", "error"

struct RunTiming {
  double end_unix_seconds = 0;  // wall clock when the run ended
  double duration_seconds = 0;
};

// hfi_metrics_check_status: 1 when a check passed (warnings allowed, as verify's exit code
// counts them), 0 when it failed, -1 when it could not run (skipped).
inline constexpr double kCheckPassed = 1, kCheckFailed = 0, kCheckSkipped = -1;

class Exporter : public prometheus::Collectable {
 public:
  explicit Exporter(double interval_seconds);

  // Replaces the per-source and per-check series with the report's and counts the run.
  RunResult RecordReport(const verify::Report& report, const RunTiming& timing);
  // Counts a run that produced no report; the series of the last report stay, as the last
  // known verdict (hfi_metrics_last_report_timestamp_seconds says how old it is).
  void RecordError(const RunTiming& timing);

  // Consistent with one update: a scrape never sees half a report.
  std::vector<prometheus::MetricFamily> Collect() const override;

 private:
  using GaugeIndex = std::map<prometheus::Labels, prometheus::Gauge*>;
  // Sets `values` on `family` and removes every label set of `index` not among them.
  static void Replace(prometheus::Family<prometheus::Gauge>& family, GaugeIndex& index,
                      const std::map<prometheus::Labels, double>& values);
  void CountRun(RunResult result, const RunTiming& timing);

  mutable std::mutex mutex_;
  prometheus::Registry registry_;
  prometheus::Family<prometheus::Gauge>& check_status_;
  prometheus::Family<prometheus::Gauge>& source_status_;
  prometheus::Family<prometheus::Gauge>& checks_;
  prometheus::Family<prometheus::Gauge>& findings_;
  prometheus::Gauge& sources_;
  prometheus::Gauge& last_run_timestamp_;
  prometheus::Gauge& last_run_duration_;
  prometheus::Gauge& last_report_timestamp_;
  prometheus::Gauge& last_run_success_;
  prometheus::Family<prometheus::Counter>& runs_;
  GaugeIndex check_index_, source_index_, checks_index_, findings_index_;
};

}  // namespace hfi::serve

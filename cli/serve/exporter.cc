#include "serve/exporter.h"

#include <string>
#include <utility>

#include "util/severity.h"

namespace hfi::serve {
namespace {

using prometheus::Labels;

double CheckValue(verify::CheckStatus status) {
  switch (status) {
    case verify::CheckStatus::kPass:
    case verify::CheckStatus::kWarn:
      return kCheckPassed;
    case verify::CheckStatus::kFail:
      return kCheckFailed;
    case verify::CheckStatus::kSkip:
      return kCheckSkipped;
  }
  return kCheckFailed;
}

// Two checks of one source can share id and metric (two --expect on one counter); their series
// is one, so it shows the worse: a failure outranks a pass, a pass outranks a skip.
double Worse(double a, double b) {
  if (a == kCheckFailed || b == kCheckFailed)
    return kCheckFailed;
  if (a == kCheckPassed || b == kCheckPassed)
    return kCheckPassed;
  return kCheckSkipped;
}

prometheus::Family<prometheus::Gauge>& AddGauge(prometheus::Registry& registry,
                                                const std::string& name, const std::string& help) {
  return prometheus::BuildGauge().Name(name).Help(help).Register(registry);
}

}  // namespace

std::string_view RunResultName(RunResult result) {
  switch (result) {
    case RunResult::kPassed:
      return "passed";
    case RunResult::kFailed:
      return "failed";
    case RunResult::kError:
      return "error";
  }
  return "error";
}

Exporter::Exporter(double interval_seconds)
    : check_status_(AddGauge(registry_, "hfi_metrics_check_status",
                             "Result of each check of the last report: 1 passed (warnings "
                             "allowed), 0 failed, -1 skipped")),
      source_status_(AddGauge(registry_, "hfi_metrics_source_status",
                              "Exit status of each source of the last report: 0 ok, 1 checks "
                              "failed, 2 environment (unreachable, no sidecar), 3 invalid input")),
      checks_(AddGauge(registry_, "hfi_metrics_checks",
                       "Checks of the last report by status (pass, fail, warn, skip)")),
      findings_(AddGauge(registry_, "hfi_metrics_findings",
                         "Findings of the last report by hint code and severity (0 for codes "
                         "seen earlier but not in the last report)")),
      sources_(AddGauge(registry_, "hfi_metrics_sources", "Sources in the last report").Add({})),
      last_run_timestamp_(AddGauge(registry_, "hfi_metrics_last_run_timestamp_seconds",
                                   "Unix time the last run ended, whatever its result")
                              .Add({})),
      last_run_duration_(
          AddGauge(registry_, "hfi_metrics_last_run_duration_seconds", "How long the last run took")
              .Add({})),
      last_report_timestamp_(AddGauge(registry_, "hfi_metrics_last_report_timestamp_seconds",
                                      "Unix time the last run that produced a report (passed "
                                      "or failed) ended; 0 before the first")
                                 .Add({})),
      last_run_success_(AddGauge(registry_, "hfi_metrics_last_run_success",
                                 "1 when the last run produced a report whose checks all passed, "
                                 "else 0")
                            .Add({})),
      runs_(prometheus::BuildCounter()
                .Name("hfi_metrics_runs_total")
                .Help("Verification runs by result: passed, failed (a report with failed checks "
                      "or unreachable sources), error (no report)")
                .Register(registry_)) {
  AddGauge(registry_, "hfi_metrics_run_interval_seconds", "The --interval between runs")
      .Add({})
      .Set(interval_seconds);
  // Every result exists from the start, so rate() and increase() see the first run.
  for (RunResult result : {RunResult::kPassed, RunResult::kFailed, RunResult::kError})
    runs_.Add({{"result", std::string(RunResultName(result))}});
}

void Exporter::Replace(prometheus::Family<prometheus::Gauge>& family, GaugeIndex& index,
                       const std::map<Labels, double>& values) {
  for (auto it = index.begin(); it != index.end();) {
    if (values.count(it->first) == 0) {
      family.Remove(it->second);
      it = index.erase(it);
    } else {
      ++it;
    }
  }
  for (const auto& [labels, value] : values) {
    auto [it, inserted] = index.try_emplace(labels, nullptr);
    if (inserted)
      it->second = &family.Add(labels);
    it->second->Set(value);
  }
}

void Exporter::CountRun(RunResult result, const RunTiming& timing) {
  runs_.Add({{"result", std::string(RunResultName(result))}}).Increment();
  last_run_timestamp_.Set(timing.end_unix_seconds);
  last_run_duration_.Set(timing.duration_seconds);
  last_run_success_.Set(result == RunResult::kPassed ? 1 : 0);
}

RunResult Exporter::RecordReport(const verify::Report& report, const RunTiming& timing) {
  std::map<Labels, double> checks, sources, findings;
  std::map<Labels, ExitCode> source_codes;
  for (const auto& [labels, gauge] : findings_index_)
    findings.emplace(labels, 0);
  for (const verify::SourceReport& source : report.sources) {
    const std::string kind(verify::SourceKindName(source.kind));
    Labels source_labels{{"source", source.name}, {"kind", kind}};
    const ExitCode status = source.ExitStatus();
    auto [it, inserted] = source_codes.emplace(source_labels, status);
    // The same name twice (a file given twice): the worse status.
    if (!inserted && verify::ExitSeverityRank(status) > verify::ExitSeverityRank(it->second))
      it->second = status;
    for (const verify::Check& check : source.checks) {
      Labels labels = source_labels;
      labels.emplace("check", check.id);
      labels.emplace("metric", check.metric);
      const double value = CheckValue(check.status());
      auto [check_it, new_check] = checks.emplace(std::move(labels), value);
      if (!new_check)
        check_it->second = Worse(check_it->second, value);
      for (const verify::Finding& finding : check.findings) {
        Labels finding_labels{{"code", std::string(verify::GetHint(finding.hint).code)},
                              {"severity", std::string(SeverityName(finding.severity))}};
        findings[finding_labels] += 1;
      }
    }
  }
  for (const auto& [labels, code] : source_codes)
    sources.emplace(labels, static_cast<double>(static_cast<int>(code)));
  const verify::Summary summary = report.Summarize();
  const std::map<Labels, double> by_status{
      {{{"status", "pass"}}, static_cast<double>(summary.passed)},
      {{{"status", "fail"}}, static_cast<double>(summary.failed)},
      {{{"status", "warn"}}, static_cast<double>(summary.warnings)},
      {{{"status", "skip"}}, static_cast<double>(summary.skipped)}};
  const RunResult result =
      report.ExitStatus() == ExitCode::kOk ? RunResult::kPassed : RunResult::kFailed;

  std::lock_guard<std::mutex> lock(mutex_);
  Replace(check_status_, check_index_, checks);
  Replace(source_status_, source_index_, sources);
  Replace(checks_, checks_index_, by_status);
  Replace(findings_, findings_index_, findings);
  sources_.Set(static_cast<double>(report.sources.size()));
  last_report_timestamp_.Set(timing.end_unix_seconds);
  CountRun(result, timing);
  return result;
}

void Exporter::RecordError(const RunTiming& timing) {
  std::lock_guard<std::mutex> lock(mutex_);
  CountRun(RunResult::kError, timing);
}

std::vector<prometheus::MetricFamily> Exporter::Collect() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return registry_.Collect();
}

}  // namespace hfi::serve

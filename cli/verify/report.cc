#include "verify/report.h"

namespace hfi::verify {

CheckStatus Check::status() const {
  if (!skip_reason.empty())
    return CheckStatus::kSkip;
  CheckStatus status = CheckStatus::kPass;
  for (const Finding& finding : findings) {
    if (finding.severity == Severity::kError)
      return CheckStatus::kFail;
    if (finding.severity == Severity::kWarning)
      status = CheckStatus::kWarn;
  }
  return status;
}

Check Check::Skipped(std::string id, std::string metric, std::string reason) {
  Check check{std::move(id), std::move(metric)};
  check.skip_reason = std::move(reason);
  return check;
}

int ExitSeverityRank(ExitCode code) {
  switch (code) {
    case ExitCode::kOk:
      return 0;
    case ExitCode::kChecksFailed:
      return 1;
    case ExitCode::kEnvironment:
      return 2;
    case ExitCode::kInvalidInput:
      return 3;
    case ExitCode::kUsage:
      return 4;
    case ExitCode::kInterrupted:
      return 5;
  }
  return 4;
}

namespace {

ExitCode Worse(ExitCode a, ExitCode b) {
  return ExitSeverityRank(b) > ExitSeverityRank(a) ? b : a;
}

}  // namespace

ExitCode SourceReport::ExitStatus() const {
  ExitCode code = ExitCode::kOk;
  for (const Check& check : checks) {
    for (const Finding& finding : check.findings) {
      if (finding.severity == Severity::kError)
        code = Worse(code, GetHint(finding.hint).exit_code);
    }
  }
  return code;
}

ExitCode Report::ExitStatus() const {
  ExitCode code = ExitCode::kOk;
  for (const SourceReport& source : sources)
    code = Worse(code, source.ExitStatus());
  return code;
}

Summary Report::Summarize() const {
  Summary summary;
  summary.sources = sources.size();
  for (const SourceReport& source : sources) {
    for (const Check& check : source.checks) {
      ++summary.checks;
      switch (check.status()) {
        case CheckStatus::kPass:
          ++summary.passed;
          break;
        case CheckStatus::kFail:
          ++summary.failed;
          break;
        case CheckStatus::kWarn:
          ++summary.warnings;
          break;
        case CheckStatus::kSkip:
          ++summary.skipped;
          break;
      }
    }
  }
  return summary;
}

std::string_view CheckStatusName(CheckStatus status) {
  switch (status) {
    case CheckStatus::kPass:
      return "pass";
    case CheckStatus::kFail:
      return "fail";
    case CheckStatus::kWarn:
      return "warn";
    case CheckStatus::kSkip:
      return "skip";
  }
  return "fail";
}

std::string_view SourceKindName(SourceKind kind) {
  switch (kind) {
    case SourceKind::kFile:
      return "file";
    case SourceKind::kStdin:
      return "stdin";
    case SourceKind::kLocal:
      return "local";
    case SourceKind::kPod:
      return "pod";
    case SourceKind::kTraffic:
      return "traffic";
    case SourceKind::kPrometheus:
      return "prometheus";
  }
  return "file";
}

std::string ListNames(const std::set<std::string>& names) {
  constexpr std::size_t kMaxListed = 5;
  std::string text;
  std::size_t n = 0;
  for (const std::string& name : names) {
    if (n == kMaxListed) {
      text += ", ... (" + std::to_string(names.size()) + " in all)";
      break;
    }
    text += (n++ == 0 ? "" : ", ") + name;
  }
  return text;
}

}  // namespace hfi::verify

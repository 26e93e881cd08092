// The result of a verification: per source, the checks run and the findings (with hint codes)
// that explain them. Plain data; the exit code is computed from it before anything is rendered.
#pragma once

#include <cstddef>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "util/errors.h"
#include "verify/hints.h"

namespace hfi::verify {

// Where a source's bytes came from; the engine does not care, the reports say it.
enum class SourceKind {
  kFile,
  kStdin,
  kLocal,       // the embedded sidecar of `verify --local`, scraped over HTTP
  kPod,         // a pod's sidecar in a cluster, reached through kubectl
  kTraffic,     // the requests a cluster run sent, checked against all its pods' counters
  kPrometheus,  // a pod (or target) as a Prometheus server holds its series
};

// Requests sent to the source during the run and what their responses showed. A response is
// aborted or delayed when it carries `x-fault-injected: abort` or `: delay` (the plugin's marks);
// of the others, a 5xx is failed (by the proxy, not by a policy) and anything else passed.
struct TrafficSummary {
  std::size_t sent = 0, aborted = 0, delayed = 0, passed = 0, failed = 0;
};

enum class CheckStatus { kPass, kFail, kWarn, kSkip };

struct Finding {
  explicit Finding(HintId hint_id) : hint(hint_id), severity(GetHint(hint_id).severity) {}

  HintId hint;
  Severity severity;     // the catalogue's, unless the check lowered it
  std::string metric;    // the Prometheus name concerned ("" for the input as a whole)
  std::string expected;  // what a correct scrape shows
  std::string observed;  // what this one shows
  std::size_t line = 0;  // 1-based line in the source, 0 when not tied to one line
};

struct Check {
  std::string id;      // stable, e.g. "presence", "histogram-cumulative", "expect"
  std::string metric;  // the Prometheus name checked ("" for the input as a whole)
  std::string expected;
  std::string observed;
  std::string skip_reason;  // non-empty: the check could not run
  std::vector<Finding> findings;

  // skip when skip_reason is set; else fail on any error finding, warn on any warning, else pass.
  CheckStatus status() const;

  static Check Skipped(std::string id, std::string metric, std::string reason);
};

struct SourceReport {
  std::string name;  // file path, "<stdin>", later a pod
  SourceKind kind = SourceKind::kFile;
  std::string baseline;                   // name of the baseline source, "" when none
  std::optional<TrafficSummary> traffic;  // set when the run sent traffic to the source
  std::vector<Check> checks;

  // The most severe exit status of this source's error findings (kOk when there are none).
  ExitCode ExitStatus() const;
};

struct Summary {
  std::size_t sources = 0, checks = 0, passed = 0, failed = 0, warnings = 0, skipped = 0;
};

struct Report {
  std::vector<SourceReport> sources;

  // 3 (input could not be parsed) > 2 (source unreachable) > 1 (a check failed) > 0, over all
  // sources (DESIGN §4).
  ExitCode ExitStatus() const;
  Summary Summarize() const;
};

// Orders exit codes by how much they say: a 3 on one source outranks a 1 on another.
int ExitSeverityRank(ExitCode code);

std::string_view CheckStatusName(CheckStatus status);  // "pass", "fail", "warn", "skip"
// "file", "stdin", "local", "pod", "traffic", "prometheus"
std::string_view SourceKindName(SourceKind kind);

// Names for a finding's observed text: "a, b, c", at most five, then ", ... (N in all)".
std::string ListNames(const std::set<std::string>& names);

}  // namespace hfi::verify

// Renderers of a verify::Report: a text table for people, versioned JSON and JUnit XML for CI.
// The only layer that knows about colours; the caller decides whether to use them.
#pragma once

#include <string>

#include "verify/report.h"

namespace hfi::report {

// The JSON schema this build writes; a consumer checks it before reading anything else.
inline constexpr const char* kJsonSchemaVersion = "hfi-metrics.verify/v1";

// Per source a table (check, metric, result, observed), then its findings with code, title,
// why and fix; last, the summary line. A source that was sent traffic gets a line about it. ANSI
// colours only when `color` is set.
std::string RenderText(const verify::Report& report, bool color);

// One JSON document: schemaVersion, exitCode, summary, sources[].checks[].findings[]; a source
// that was sent traffic has sources[].traffic {sent, aborted, delayed, passed, failed}, others
// null.
std::string RenderJson(const verify::Report& report);

// JUnit XML: a testsuite per source, a testcase per check; a failure carries its hint code. A
// source's traffic becomes the testsuite's properties (traffic.sent, traffic.aborted, ...).
std::string RenderJunit(const verify::Report& report);

// "30 requests sent: 10 aborted, 10 delayed, 10 passed, 0 failed".
std::string TrafficLine(const verify::TrafficSummary& traffic);

// "1 source, 16 checks: 15 passed, 0 failed, 1 warning" (", 2 skipped" when any were).
std::string SummaryLine(const verify::Summary& summary);

}  // namespace hfi::report

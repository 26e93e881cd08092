// The four dialects the parser speaks (text format or OpenMetrics, strict or scrape) and the
// small pure helpers that depend on them: TYPE keywords, format detection, excerpts.
// Nothing here reads lines; prom/scanner.h does.
#pragma once

#include <string>
#include <string_view>

#include "prom/model.h"
#include "prom/parser.h"

namespace hfi::prom {

// What differs between the four dialects (format x mode). Each flag cites the parser whose
// behaviour it copies (facts/anchors.md §4.2); kStrict follows expfmt's TextParser as
// promtool 2.42 runs it, kScrape the Prometheus server's PromParser, and OpenMetrics the
// OpenMetrics parser (strict: also the spec's test suite).
struct Dialect {
  bool open_metrics = false;
  bool strict = false;
  bool quoted_names = false;         // `{"name.with.dots",...}` (PromParser, OpenMetrics)
  bool blanks_in_labels = false;     // `{ a = "b" }` (both text parsers)
  bool missing_comma_ok = false;     // `{a="b" c="d"}` (PromParser, possibly by accident)
  bool trailing_comma_ok = false;    // `{a="b",}` (text parsers, Prometheus' OpenMetrics parser)
  bool unknown_escape_ok = false;    // `\t` in a label value kept literally (all but expfmt)
  bool warn_unknown_escape = false;  // ...with a warning: old Envoy printed raw `\` in values
};

Dialect MakeDialect(Format format, Mode mode);

// `# EOF` as the last line (optionally followed by one newline) marks OpenMetrics.
bool EndsWithEof(std::string_view text);

// The offending line for a Diagnostic: cut to 80 bytes, printable, valid UTF-8.
std::string SanitizeExcerpt(std::string_view line);

const char* KindName(Kind kind);

// TYPE keywords: expfmt's (case-insensitive, `gauge_histogram`, backslashes dropped), the
// Prometheus server's text parser's (five lower-case words), OpenMetrics' (eight words).
bool TextKindStrict(std::string_view word, Kind* kind);
bool TextKindScrape(std::string_view word, Kind* kind);
bool OpenMetricsKind(std::string_view word, Kind* kind);

// One byte, quoted for a message.
std::string Printable(char c);

}  // namespace hfi::prom

#include "prom/dialect.h"

#include <utility>

#include "prom/text.h"

namespace hfi::prom {

namespace {

constexpr std::size_t kExcerptBytes = 80;

}  // namespace

Dialect MakeDialect(Format format, Mode mode) {
  Dialect d;
  d.open_metrics = format == Format::kOpenMetrics;
  d.strict = mode == Mode::kStrict;
  if (d.open_metrics) {
    d.quoted_names = true;
    d.trailing_comma_ok = !d.strict;
    d.unknown_escape_ok = true;
  } else {
    d.quoted_names = !d.strict;
    d.blanks_in_labels = true;
    d.missing_comma_ok = !d.strict;
    d.trailing_comma_ok = true;
    d.unknown_escape_ok = !d.strict;
    d.warn_unknown_escape = !d.strict;
  }
  return d;
}

bool EndsWithEof(std::string_view text) {
  if (!text.empty() && text.back() == '\n')
    text.remove_suffix(1);
  constexpr std::string_view kEof = "# EOF";
  if (text.size() < kEof.size() || text.substr(text.size() - kEof.size()) != kEof)
    return false;
  return text.size() == kEof.size() || text[text.size() - kEof.size() - 1] == '\n';
}

std::string SanitizeExcerpt(std::string_view line) {
  std::string out(line.substr(0, kExcerptBytes));
  // Keep the excerpt printable and valid UTF-8 so that every renderer (terminal, JSON, JUnit
  // XML) can carry it verbatim.
  const bool utf8 = IsValidUtf8(out);
  for (char& c : out) {
    const auto u = static_cast<unsigned char>(c);
    if ((u < 0x20 && c != '\t') || u == 0x7F || (!utf8 && u >= 0x80))
      c = '?';
  }
  if (utf8 && !IsValidUtf8(out)) {
    // The cut split a multi-byte character: drop its leading bytes.
    while (!out.empty() && (static_cast<unsigned char>(out.back()) & 0xC0) == 0x80)
      out.pop_back();
    if (!out.empty() && static_cast<unsigned char>(out.back()) >= 0xC0)
      out.pop_back();
  }
  if (line.size() > kExcerptBytes)
    out += "...";
  return out;
}

const char* KindName(Kind kind) {
  switch (kind) {
    case Kind::kCounter:
      return "counter";
    case Kind::kGauge:
      return "gauge";
    case Kind::kHistogram:
      return "histogram";
    case Kind::kGaugeHistogram:
      return "gaugehistogram";
    case Kind::kSummary:
      return "summary";
    case Kind::kInfo:
      return "info";
    case Kind::kStateSet:
      return "stateset";
    case Kind::kUntyped:
      break;
  }
  return "untyped";
}

// Text format TYPE keywords as expfmt reads them: case-insensitive, `gauge_histogram` included
// (promtool 2.42 accepts it and rejects `gaugehistogram`).
// expfmt also drops every backslash from the TYPE text (promtool 2.42 accepts `c\ounter`).
bool TextKindStrict(std::string_view word, Kind* kind) {
  std::string upper;
  for (char c : word) {
    if (c == '\\')
      continue;
    upper += (c >= 'a' && c <= 'z') ? static_cast<char>(c - 'a' + 'A') : c;
  }
  static const std::pair<const char*, Kind> kNames[] = {
      {"COUNTER", Kind::kCounter},     {"GAUGE", Kind::kGauge},
      {"SUMMARY", Kind::kSummary},     {"UNTYPED", Kind::kUntyped},
      {"HISTOGRAM", Kind::kHistogram}, {"GAUGE_HISTOGRAM", Kind::kGaugeHistogram}};
  for (const auto& [name, k] : kNames) {
    if (upper == name) {
      *kind = k;
      return true;
    }
  }
  return false;
}

// PromParser: exactly these lower-case words.
bool TextKindScrape(std::string_view word, Kind* kind) {
  static const std::pair<std::string_view, Kind> kNames[] = {{"counter", Kind::kCounter},
                                                             {"gauge", Kind::kGauge},
                                                             {"histogram", Kind::kHistogram},
                                                             {"summary", Kind::kSummary},
                                                             {"untyped", Kind::kUntyped}};
  for (const auto& [name, k] : kNames) {
    if (word == name) {
      *kind = k;
      return true;
    }
  }
  return false;
}

bool OpenMetricsKind(std::string_view word, Kind* kind) {
  static const std::pair<std::string_view, Kind> kNames[] = {
      {"counter", Kind::kCounter},     {"gauge", Kind::kGauge},
      {"histogram", Kind::kHistogram}, {"gaugehistogram", Kind::kGaugeHistogram},
      {"summary", Kind::kSummary},     {"info", Kind::kInfo},
      {"stateset", Kind::kStateSet},   {"unknown", Kind::kUntyped}};
  for (const auto& [name, k] : kNames) {
    if (word == name) {
      *kind = k;
      return true;
    }
  }
  return false;
}

std::string Printable(char c) {
  return Quote(std::string_view(&c, 1));
}

}  // namespace hfi::prom

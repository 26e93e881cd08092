#include <cstdint>
#include <string>
#include <string_view>

#include "report/render.h"

namespace hfi::report {
namespace {

using verify::CheckStatus;

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Length of the valid UTF-8 sequence at s[i] whose code point XML 1.0 allows, or 0.
std::size_t XmlCharLength(std::string_view s, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = byte(i);
  std::size_t n = c < 0x80             ? 1
                  : (c & 0xE0) == 0xC0 ? 2
                  : (c & 0xF0) == 0xE0 ? 3
                  : (c & 0xF8) == 0xF0 ? 4
                                       : 0;
  if (n == 0 || i + n > s.size())
    return 0;
  std::uint32_t cp = n == 1 ? c : n == 2 ? (c & 0x1Fu) : n == 3 ? (c & 0x0Fu) : (c & 0x07u);
  for (std::size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80)
      return 0;
    cp = (cp << 6) | (byte(i + k) & 0x3Fu);
  }
  static constexpr std::uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
  if (cp < kMin[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
    return 0;  // overlong etc.
  // XML 1.0 Char: #x9 | #xA | #xD | [#x20-#xD7FF] | [#xE000-#xFFFD] | [#x10000-#x10FFFF]
  if (cp < 0x20 && cp != 0x9 && cp != 0xA && cp != 0xD)
    return 0;
  if (cp == 0xFFFE || cp == 0xFFFF)
    return 0;
  return n;
}

// Escapes markup characters and replaces what XML cannot carry (control characters, invalid
// UTF-8 from user files) with U+FFFD, so the document always parses.
std::string Xml(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    std::size_t n = XmlCharLength(s, i);
    if (n == 0) {
      out += kReplacement;
      ++i;
      continue;
    }
    switch (s[i]) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out.append(s.substr(i, n));
    }
    i += n;
  }
  return out;
}

std::string FindingText(const verify::Finding& finding) {
  const verify::Hint& hint = verify::GetHint(finding.hint);
  std::string text = std::string(hint.code) + " " +
                     std::string(verify::SeverityName(finding.severity)) + ": " +
                     std::string(hint.title) + "\n";
  if (finding.line > 0)
    text += "line: " + std::to_string(finding.line) + "\n";
  if (!finding.metric.empty())
    text += "metric: " + finding.metric + "\n";
  if (!finding.expected.empty())
    text += "expected: " + finding.expected + "\n";
  if (!finding.observed.empty())
    text += "observed: " + finding.observed + "\n";
  text += "why: " + std::string(hint.why) + "\n";
  text += "fix: " + std::string(hint.fix) + "\n";
  text += "docs: " + verify::DocAnchor(hint) + "\n";
  return text;
}

struct Counts {
  std::size_t tests = 0, failures = 0, skipped = 0;
};

Counts CountChecks(const verify::SourceReport& source) {
  Counts counts;
  for (const verify::Check& check : source.checks) {
    ++counts.tests;
    CheckStatus status = check.status();
    if (status == CheckStatus::kFail)
      ++counts.failures;
    if (status == CheckStatus::kSkip)
      ++counts.skipped;
  }
  return counts;
}

std::string CountAttributes(const Counts& counts) {
  return "tests=\"" + std::to_string(counts.tests) + "\" failures=\"" +
         std::to_string(counts.failures) + "\" errors=\"0\" skipped=\"" +
         std::to_string(counts.skipped) + "\"";
}

void AppendTestcase(std::string* out, const verify::SourceReport& source,
                    const verify::Check& check) {
  std::string name = check.metric.empty() ? check.id : check.id + " " + check.metric;
  *out += "    <testcase classname=\"" + Xml(source.name) + "\" name=\"" + Xml(name) + "\"";
  CheckStatus status = check.status();
  if (status == CheckStatus::kPass && check.findings.empty()) {
    *out += "/>\n";
    return;
  }
  *out += ">\n";
  if (status == CheckStatus::kSkip) {
    *out += "      <skipped message=\"" + Xml(check.skip_reason) + "\"/>\n";
  }
  // JUnit allows one failure per test case: the first error names it, all findings are listed.
  std::string failures, others;
  const verify::Finding* first_error = nullptr;
  for (const verify::Finding& finding : check.findings) {
    bool error = finding.severity == verify::Severity::kError;
    if (error && first_error == nullptr)
      first_error = &finding;
    (error ? failures : others) += FindingText(finding);
  }
  if (first_error != nullptr) {
    const verify::Hint& hint = verify::GetHint(first_error->hint);
    std::string message = std::string(hint.code) + ": " + std::string(hint.title);
    if (!first_error->observed.empty())
      message += " (observed: " + first_error->observed + ")";
    *out += "      <failure type=\"" + Xml(hint.code) + "\" message=\"" + Xml(message) + "\">" +
            Xml(failures) + "</failure>\n";
  }
  if (!others.empty())
    *out += "      <system-out>" + Xml(others) + "</system-out>\n";
  *out += "    </testcase>\n";
}

void AppendTrafficProperties(std::string* out, const verify::TrafficSummary& traffic) {
  *out += "    <properties>\n";
  auto property = [out](std::string_view name, std::size_t value) {
    *out += "      <property name=\"traffic." + std::string(name) + "\" value=\"" +
            std::to_string(value) + "\"/>\n";
  };
  property("sent", traffic.sent);
  property("aborted", traffic.aborted);
  property("delayed", traffic.delayed);
  property("passed", traffic.passed);
  property("failed", traffic.failed);
  *out += "    </properties>\n";
}

}  // namespace

std::string RenderJunit(const verify::Report& report) {
  Counts total;
  std::string suites;
  for (const verify::SourceReport& source : report.sources) {
    Counts counts = CountChecks(source);
    total.tests += counts.tests;
    total.failures += counts.failures;
    total.skipped += counts.skipped;
    suites += "  <testsuite name=\"" + Xml(source.name) + "\" " + CountAttributes(counts) + ">\n";
    if (source.traffic)
      AppendTrafficProperties(&suites, *source.traffic);
    for (const verify::Check& check : source.checks)
      AppendTestcase(&suites, source, check);
    suites += "  </testsuite>\n";
  }
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"hfi-metrics verify\" " +
         CountAttributes(total) + ">\n" + suites + "</testsuites>\n";
}

}  // namespace hfi::report

#include <algorithm>
#include <array>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "report/render.h"

namespace hfi::report {
namespace {

using verify::Check;
using verify::CheckStatus;
using verify::Finding;

constexpr std::size_t kWidth = 100;           // wrap why/fix text here
constexpr std::size_t kMaxObservedCell = 60;  // the table cuts longer observations; findings don't

class Painter {
 public:
  explicit Painter(bool color) : color_(color) {}
  std::string Paint(std::string_view text, std::string_view sgr) const {
    if (!color_)
      return std::string(text);
    return "\x1b[" + std::string(sgr) + "m" + std::string(text) + "\x1b[0m";
  }
  std::string Status(CheckStatus status, std::size_t width) const {
    std::string name(verify::CheckStatusName(status));
    std::string padded = name + std::string(width - std::min(width, name.size()), ' ');
    switch (status) {
      case CheckStatus::kPass:
        return Paint(padded, "32");
      case CheckStatus::kFail:
        return Paint(padded, "1;31");
      case CheckStatus::kWarn:
        return Paint(padded, "33");
      case CheckStatus::kSkip:
        return Paint(padded, "2");
    }
    return padded;
  }
  std::string Severity(verify::Severity severity) const {
    std::string_view name = verify::SeverityName(severity);
    switch (severity) {
      case verify::Severity::kError:
        return Paint(name, "1;31");
      case verify::Severity::kWarning:
        return Paint(name, "33");
      case verify::Severity::kInfo:
        return Paint(name, "36");
    }
    return std::string(name);
  }

 private:
  bool color_;
};

std::string Pad(std::string_view text, std::size_t width) {
  std::string out(text);
  if (out.size() < width)
    out.append(width - out.size(), ' ');
  return out;
}

std::string Cut(const std::string& text, std::size_t max) {
  if (text.size() <= max)
    return text;
  std::size_t keep = max - 3;
  // Do not cut a UTF-8 sequence in half.
  while (keep > 0 && (static_cast<unsigned char>(text[keep]) & 0xC0) == 0x80)
    --keep;
  return text.substr(0, keep) + "...";
}

// Appends `label` and `text`, wrapped at kWidth with continuation lines aligned under the text.
void AppendWrapped(std::string* out, std::string_view indent, std::string_view label,
                   std::string_view text) {
  std::string prefix = std::string(indent) + Pad(label, 10);
  std::string line = prefix;
  std::size_t start = line.size();
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t end = text.find(' ', pos);
    if (end == std::string_view::npos)
      end = text.size();
    std::string_view word = text.substr(pos, end - pos);
    if (line.size() > start && line.size() + 1 + word.size() > kWidth) {
      *out += line + "\n";
      line = std::string(prefix.size(), ' ');
    }
    if (line.size() > start && line.back() != ' ')
      line += ' ';
    line += word;
    pos = end + 1;
  }
  *out += line + "\n";
}

std::string Plural(std::size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

// `explained`: the hint's why and fix were already printed for this source, so say where.
void AppendFinding(std::string* out, const std::string& source, const Finding& finding,
                   bool explained, const Painter& paint) {
  const verify::Hint& hint = verify::GetHint(finding.hint);
  *out += "  " + paint.Paint(hint.code, "1") + " " + paint.Severity(finding.severity) + ": " +
          std::string(hint.title) + "\n";
  // Facts stay on one line each, so that `file:line:column: message` can be searched for;
  // only the prose below is wrapped.
  auto fact = [out](std::string_view label, const std::string& text) {
    if (!text.empty())
      *out += "    " + Pad(label, 10) + text + "\n";
  };
  fact("source:", finding.line > 0 ? source + ":" + std::to_string(finding.line) : source);
  fact("metric:", finding.metric);
  fact("expected:", finding.expected);
  fact("observed:", finding.observed);
  if (explained) {
    AppendWrapped(out, "    ", "why, fix:", "as for " + std::string(hint.code) + " above");
    return;
  }
  AppendWrapped(out, "    ", "why:", hint.why);
  AppendWrapped(out, "    ", "fix:", hint.fix);
  AppendWrapped(out, "    ", "docs:", verify::DocAnchor(hint));
}

void AppendSource(std::string* out, const verify::SourceReport& source, const Painter& paint) {
  *out += paint.Paint(source.name, "1");
  if (!source.baseline.empty())
    *out += " (baseline " + source.baseline + ")";
  *out += "\n";
  if (source.traffic)
    *out += "  traffic: " + TrafficLine(*source.traffic) + "\n";

  const std::array<std::string, 4> headers{"CHECK", "METRIC", "RESULT", "OBSERVED"};
  std::size_t check_width = headers[0].size(), metric_width = headers[1].size();
  std::size_t result_width = headers[2].size();
  for (const Check& check : source.checks) {
    check_width = std::max(check_width, check.id.size());
    metric_width = std::max(metric_width, std::max<std::size_t>(check.metric.size(), 1));
  }
  *out += "  " + Pad(headers[0], check_width) + "  " + Pad(headers[1], metric_width) + "  " +
          Pad(headers[2], result_width) + "  " + headers[3] + "\n";
  for (const Check& check : source.checks) {
    CheckStatus status = check.status();
    std::string observed = status == CheckStatus::kSkip ? check.skip_reason : check.observed;
    std::string row = "  " + Pad(check.id, check_width) + "  " +
                      Pad(check.metric.empty() ? "-" : check.metric, metric_width) + "  " +
                      paint.Status(status, result_width) + "  " + Cut(observed, kMaxObservedCell);
    while (!row.empty() && row.back() == ' ')
      row.pop_back();
    *out += row + "\n";
  }
  std::set<verify::HintId> explained;
  for (const Check& check : source.checks) {
    for (const Finding& finding : check.findings) {
      *out += "\n";
      AppendFinding(out, source.name, finding, !explained.insert(finding.hint).second, paint);
    }
  }
}

}  // namespace

std::string TrafficLine(const verify::TrafficSummary& traffic) {
  return Plural(traffic.sent, "request", "requests") + " sent: " + std::to_string(traffic.aborted) +
         " aborted, " + std::to_string(traffic.delayed) + " delayed, " +
         std::to_string(traffic.passed) + " passed, " + std::to_string(traffic.failed) + " failed";
}

std::string SummaryLine(const verify::Summary& summary) {
  std::string line = Plural(summary.sources, "source", "sources") + ", " +
                     Plural(summary.checks, "check", "checks") + ": " +
                     std::to_string(summary.passed) + " passed, " + std::to_string(summary.failed) +
                     " failed, " + Plural(summary.warnings, "warning", "warnings");
  if (summary.skipped > 0)
    line += ", " + std::to_string(summary.skipped) + " skipped";
  return line;
}

std::string RenderText(const verify::Report& report, bool color) {
  Painter paint(color);
  std::string out;
  for (const verify::SourceReport& source : report.sources) {
    AppendSource(&out, source, paint);
    out += "\n";
  }
  out += SummaryLine(report.Summarize()) + "\n";
  return out;
}

}  // namespace hfi::report

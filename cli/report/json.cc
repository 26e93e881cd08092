#include <nlohmann/json.hpp>

#include "report/render.h"

namespace hfi::report {
namespace {

// ordered_json keeps keys in the order written here: stable output, readable golden files.
using Json = nlohmann::ordered_json;

Json SummaryJson(const verify::Summary& summary) {
  return Json{{"sources", summary.sources},   {"checks", summary.checks},
              {"passed", summary.passed},     {"failed", summary.failed},
              {"warnings", summary.warnings}, {"skipped", summary.skipped}};
}

Json TrafficJson(const verify::TrafficSummary& traffic) {
  return Json{{"sent", traffic.sent},
              {"aborted", traffic.aborted},
              {"delayed", traffic.delayed},
              {"passed", traffic.passed},
              {"failed", traffic.failed}};
}

Json FindingJson(const std::string& source, const verify::Finding& finding) {
  const verify::Hint& hint = verify::GetHint(finding.hint);
  Json json{{"code", hint.code},           {"severity", verify::SeverityName(finding.severity)},
            {"title", hint.title},         {"source", source},
            {"metric", finding.metric},    {"expected", finding.expected},
            {"observed", finding.observed}};
  json["line"] = finding.line > 0 ? Json(finding.line) : Json(nullptr);
  json["why"] = hint.why;
  json["fix"] = hint.fix;
  json["documentation"] = verify::DocAnchor(hint);
  return json;
}

Json CheckJson(const std::string& source, const verify::Check& check) {
  Json json{{"id", check.id},
            {"metric", check.metric},
            {"status", verify::CheckStatusName(check.status())},
            {"expected", check.expected},
            {"observed", check.observed}};
  json["skipReason"] = check.skip_reason.empty() ? Json(nullptr) : Json(check.skip_reason);
  Json findings = Json::array();
  for (const verify::Finding& finding : check.findings) {
    findings.push_back(FindingJson(source, finding));
  }
  json["findings"] = std::move(findings);
  return json;
}

}  // namespace

std::string RenderJson(const verify::Report& report) {
  Json sources = Json::array();
  for (const verify::SourceReport& source : report.sources) {
    Json checks = Json::array();
    for (const verify::Check& check : source.checks)
      checks.push_back(CheckJson(source.name, check));
    Json json{{"name", source.name}, {"kind", verify::SourceKindName(source.kind)}};
    json["baseline"] = source.baseline.empty() ? Json(nullptr) : Json(source.baseline);
    json["traffic"] = source.traffic ? TrafficJson(*source.traffic) : Json(nullptr);
    json["exitCode"] = static_cast<int>(source.ExitStatus());
    json["checks"] = std::move(checks);
    sources.push_back(std::move(json));
  }
  Json document{{"schemaVersion", kJsonSchemaVersion},
                {"exitCode", static_cast<int>(report.ExitStatus())},
                {"summary", SummaryJson(report.Summarize())},
                {"sources", std::move(sources)}};
  // Names and excerpts come from user files: replace invalid UTF-8 rather than throw.
  return document.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace hfi::report

// Helpers shared by the verify unit tests: run the engine on text or on a data file, and list
// the hint codes and check results of a report.
#pragma once

#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "verify/verify.h"

namespace hfi::verify::testing {

inline std::string DataFile(const std::string& name) {
  const char* dir = std::getenv("HFI_SOURCE_DIR");
  std::string path =
      std::string(dir != nullptr ? dir : HFI_SOURCE_DIR_DEFAULT) + "/tests/data/verify/" + name;
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw std::runtime_error("cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

inline SourceReport VerifyText(const std::string& body, const CheckOptions& options = {},
                               const std::string* baseline = nullptr,
                               const std::string& name = "t.prom") {
  Source source{name, SourceKind::kFile, body};
  if (baseline == nullptr)
    return VerifySource(source, nullptr, options);
  Source before{"b.prom", SourceKind::kFile, *baseline};
  return VerifySource(source, &before, options);
}

// "HFI210 warning" for each finding.
inline std::multiset<std::string> Codes(const SourceReport& report) {
  std::multiset<std::string> codes;
  for (const Check& check : report.checks) {
    for (const Finding& finding : check.findings) {
      codes.insert(std::string(GetHint(finding.hint).code) + " " +
                   std::string(SeverityName(finding.severity)));
    }
  }
  return codes;
}

// The first check with this id (and metric, when given); throws when there is none.
inline const Check& FindCheck(const SourceReport& report, const std::string& id,
                              const std::string& metric = "") {
  for (const Check& check : report.checks) {
    if (check.id == id && (metric.empty() || check.metric == metric))
      return check;
  }
  throw std::runtime_error("no check " + id + " " + metric);
}

inline Expectation Expect(const std::string& text) {
  std::string error;
  std::optional<Expectation> e = ParseExpectation(text, &error);
  if (!e)
    throw std::runtime_error(error);
  return *e;
}

}  // namespace hfi::verify::testing

// Fuzz target for the wasm inspector (cli/wasm/inspect.h): any bytes must give a report, never a
// crash or a hang. A file that is no module gives exactly one HFI701/HFI702 finding; a module
// gives one entry per metric and findings whose codes are in the table; both renderers accept
// whatever names the module carries.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "wasm/inspect.h"
#include "wasm/inspect_render.h"

namespace {

[[noreturn]] void Violation(const char* what, const std::string& detail) {
  std::fprintf(stderr, "wasm_inspect_fuzz: %s: %s\n", what, detail.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace hfi::wasm;
  std::string_view bytes(reinterpret_cast<const char*>(data), size);
  InspectReport report = Inspect(bytes);
  if (report.size != size)
    Violation("size", std::to_string(report.size) + " vs " + std::to_string(size));
  if (report.sha256.size() != 64)
    Violation("sha256", report.sha256);
  if (!report.parsed) {
    if (report.findings.size() != 1)
      Violation("unparsed findings", std::to_string(report.findings.size()));
    CheckId id = report.findings[0].id;
    if (id != CheckId::kNotWasm && id != CheckId::kInvalidModule)
      Violation("unparsed code", std::string(Info(id).code));
    if (report.findings[0].message.find('\n') != std::string::npos)
      Violation("multi-line error", report.findings[0].message);
  } else if (report.metrics.size() != std::size(hfi::metrics::kAll)) {
    Violation("metrics", std::to_string(report.metrics.size()));
  }
  for (const Finding& finding : report.findings) {
    if (static_cast<std::size_t>(finding.id) >= static_cast<std::size_t>(CheckId::kCount))
      Violation("code out of table", std::to_string(static_cast<int>(finding.id)));
    if (finding.message.empty())
      Violation("empty message", finding.subject);
  }
  if (report.ok() != (report.Count(Severity::kError) == 0))
    Violation("verdict", VerdictLine(report));

  std::string text = RenderInspectText(report, "fuzz.wasm");
  if (text.find('\x1b') != std::string::npos)
    Violation("escape byte in text", "");
  std::string json = InspectJson(report, "fuzz.wasm")
                         .dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  if (json.empty() || json.front() != '{')
    Violation("json", json.substr(0, 80));
  return 0;
}

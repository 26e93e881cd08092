// The inspector's report as text for people and as JSON for programs (`inspect`, `build`).
// Plain text without colour: the caller decides where it goes.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "wasm/inspect.h"

namespace hfi::wasm {

inline constexpr std::string_view kInspectSchemaVersion = "hfi-metrics.inspect/v1";

// The whole report: summary of the module, callbacks, metric names, findings, verdict line.
std::string RenderInspectText(const InspectReport& report, std::string_view file);

// Only the findings (one block each) and the verdict line; empty findings give just the verdict.
std::string RenderFindingsText(const InspectReport& report);

// The verdict line: "ok: ...", "ok with N warning(s)" or "invalid wasm: ...".
std::string VerdictLine(const InspectReport& report);

// The report as a JSON object with "schemaVersion"; strings from the module are kept as they are
// (dump with nlohmann::ordered_json::error_handler_t::replace).
nlohmann::ordered_json InspectJson(const InspectReport& report, std::string_view file);

// Module-supplied text made safe for a terminal: control bytes become \xNN.
std::string Printable(std::string_view text);

}  // namespace hfi::wasm

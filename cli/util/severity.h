// How much a finding matters, shared by the hint catalogue and the wasm inspector so both report
// (and colour, and map to exit codes) severities the same way.
#pragma once

#include <string_view>

namespace hfi {

enum class Severity { kError, kWarning, kInfo };

inline std::string_view SeverityName(Severity severity) {  // "error", "warning", "info"
  switch (severity) {
    case Severity::kError:
      return "error";
    case Severity::kWarning:
      return "warning";
    case Severity::kInfo:
      return "info";
  }
  return "error";
}

}  // namespace hfi

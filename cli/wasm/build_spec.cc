#include "wasm/build_spec.h"

#include <algorithm>
#include <array>
#include <utility>

namespace hfi::wasm {
namespace {

constexpr std::array<std::pair<std::string_view, SpecKind>, 6> kKinds = {{
    {"source", SpecKind::kSource},
    {"include", SpecKind::kInclude},
    {"jslib", SpecKind::kJsLib},
    {"flag", SpecKind::kFlag},
    {"release", SpecKind::kRelease},
    {"debug", SpecKind::kDebug},
}};

constexpr std::string_view kBlank = " \t";

bool IsPathKind(SpecKind kind) {
  return kind == SpecKind::kSource || kind == SpecKind::kInclude || kind == SpecKind::kJsLib;
}

std::string_view Trim(std::string_view s) {
  std::size_t first = s.find_first_not_of(kBlank);
  if (first == std::string_view::npos)
    return {};
  std::size_t last = s.find_last_not_of(kBlank);
  return s.substr(first, last - first + 1);
}

// Checks one entry's value; returns an empty string when it is fine.
std::string CheckValue(SpecKind kind, std::string_view value) {
  if (IsPathKind(kind))
    return {};
  if (value.front() != '-') {
    return "'" + std::string(value) +
           "' is not an em++ option (options start with '-'; sources go on 'source' lines)";
  }
  // The output path and the file list belong to `hfi-metrics build`; this file must not move them.
  if (value.substr(0, 2) == "-o" || value.substr(0, 12) == "--js-library") {
    return "'" + std::string(value) +
           "' is set by hfi-metrics build (use --output, and 'jslib' lines for JS libraries)";
  }
  return {};
}

}  // namespace

std::string_view SpecKindName(SpecKind kind) {
  for (const auto& [name, k] : kKinds) {
    if (k == kind)
      return name;
  }
  return "";
}

std::vector<const SpecEntry*> BuildSpec::Of(SpecKind kind) const {
  std::vector<const SpecEntry*> out;
  for (const SpecEntry& entry : entries) {
    if (entry.kind == kind)
      out.push_back(&entry);
  }
  return out;
}

bool ParseBuildSpec(std::string_view text, BuildSpec* spec, SpecError* error) {
  auto fail = [error](int line, std::string message) {
    error->line = line;
    error->message = std::move(message);
    return false;
  };
  spec->entries.clear();
  int line_number = 0;
  while (!text.empty()) {
    ++line_number;
    std::size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    if (!line.empty() && line.back() == '\r')
      line.remove_suffix(1);
    if (line.find('\0') != std::string_view::npos)
      return fail(line_number, "contains a NUL byte: this is not a text file");
    line = Trim(line);
    if (line.empty() || line.front() == '#')
      continue;

    std::size_t gap = line.find_first_of(kBlank);
    std::string_view word = line.substr(0, gap);
    auto known =
        std::find_if(kKinds.begin(), kKinds.end(), [&](const auto& k) { return k.first == word; });
    if (known == kKinds.end()) {
      return fail(line_number, "unknown kind '" + std::string(word) +
                                   "' (expected source, include, jslib, flag, release or debug)");
    }
    std::string_view value = gap == std::string_view::npos ? "" : Trim(line.substr(gap));
    if (value.empty())
      return fail(line_number, "'" + std::string(word) + "' needs a value");
    if (std::string problem = CheckValue(known->second, value); !problem.empty())
      return fail(line_number, problem);
    if (known->second == SpecKind::kSource) {
      for (const SpecEntry& earlier : spec->entries) {
        if (earlier.kind == SpecKind::kSource && earlier.value == value) {
          return fail(line_number, "source '" + std::string(value) +
                                       "' is already listed on line " +
                                       std::to_string(earlier.line));
        }
      }
    }
    spec->entries.push_back({known->second, std::string(value), line_number});
  }
  if (spec->Of(SpecKind::kSource).empty())
    return fail(0, "no 'source' line: nothing to compile");
  return true;
}

}  // namespace hfi::wasm

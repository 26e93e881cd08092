// The build description `hfi-metrics build` reads (plugin/wasm_build.txt): one `<kind> <value>`
// per line, `#` comment lines and blank lines ignored. Text in, typed entries or a line-numbered
// error out; paths stay as written (relative to the file's directory).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hfi::wasm {

enum class SpecKind {
  kSource,   // a translation unit
  kInclude,  // an include directory (-I)
  kJsLib,    // an Emscripten --js-library
  kFlag,     // an em++ argument for every build
  kRelease,  // an em++ argument for release builds only
  kDebug,    // an em++ argument for --debug builds only
};

std::string_view SpecKindName(SpecKind kind);

struct SpecEntry {
  SpecKind kind;
  std::string value;  // one command-line argument or one path, spaces included
  int line;           // 1-based, for messages
};

struct BuildSpec {
  std::vector<SpecEntry> entries;  // in file order, which is command-line order

  std::vector<const SpecEntry*> Of(SpecKind kind) const;
};

struct SpecError {
  int line = 0;  // 0: about the whole file
  std::string message;
};

// Parses the text of a wasm_build.txt. On failure returns false and fills `error`.
bool ParseBuildSpec(std::string_view text, BuildSpec* spec, SpecError* error);

}  // namespace hfi::wasm

// Reading a .wasm file's structure with WABT's binary reader: the 8-byte preamble checked with
// precise messages, then imports, exports, types, memories and data segments collected into a
// plain RawModule. inspect.cc draws every conclusion; this file only reads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wabt/common.h"
#include "wasm/inspect.h"

namespace hfi::wasm {

// What the checks need of a module, collected while WABT's reader walks it.
struct RawModule {
  struct Import {
    std::string module, name;
    wabt::ExternalKind kind;
    wabt::Index sig = wabt::kInvalidIndex;  // functions only
  };
  struct Export {
    std::string name;
    wabt::ExternalKind kind;
    wabt::Index index;
  };
  struct Memory {
    wabt::Limits limits;
    bool imported;
  };
  std::vector<std::string> types;  // signature text per type index ("" for non-function types)
  std::vector<wabt::Index> funcs;  // type index per function index, imports first
  std::vector<Import> imports;
  std::vector<Export> exports;
  std::vector<Memory> memories;        // imports first
  std::vector<std::string_view> data;  // segment contents, pointing into the input

  // The signature text of a type or function index, or why there is none.
  std::string TypeSignature(wabt::Index type) const {
    return type < types.size() && !types[type].empty() ? types[type] : "invalid type index";
  }
  std::string FuncSignature(wabt::Index func) const {
    return func < funcs.size() ? TypeSignature(funcs[func]) : "invalid function index";
  }
};

// Reads `bytes`. A file that is no readable module gives its HFI701 or HFI702 finding; otherwise
// `module` is filled (its data views point into `bytes`) and `version` holds the binary version.
std::optional<Finding> ReadModule(std::string_view bytes, RawModule* module,
                                  std::uint32_t* version);

std::string KindName(wabt::ExternalKind kind);

}  // namespace hfi::wasm

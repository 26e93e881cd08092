#include "wasm/module_reader.h"

#include <algorithm>
#include <cstdio>
#include <utility>

#include "wabt/binary-reader-nop.h"
#include "wabt/binary-reader.h"
#include "wabt/error.h"

namespace hfi::wasm {
namespace {

constexpr std::string_view kMagic("\0asm", 4);

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

std::string HexBytes(std::string_view bytes, std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < std::min(count, bytes.size()); ++i) {
    char buf[4];
    std::snprintf(buf, sizeof buf, "%02x", static_cast<unsigned char>(bytes[i]));
    if (!out.empty())
      out += ' ';
    out += buf;
  }
  return out;
}

bool LooksLikeText(std::string_view bytes) {
  std::string_view head = bytes.substr(0, 256);
  return std::all_of(head.begin(), head.end(), [](char c) {
    auto u = static_cast<unsigned char>(c);
    return u >= 0x20 || c == '\n' || c == '\r' || c == '\t' || u >= 0x80;
  });
}

// What a file that is not a module probably is, so the message says what to do instead.
std::string GuessWhatItIs(std::string_view bytes) {
  std::size_t first = bytes.find_first_not_of(" \t\r\n");
  std::string_view text = first == std::string_view::npos ? "" : bytes.substr(first);
  if (StartsWith(bytes, "\177ELF"))
    return "an ELF executable?";
  if (StartsWith(bytes, "\x1f\x8b"))
    return "gzip data: decompress it first?";
  if (StartsWith(bytes, "PK\x03\x04"))
    return "a zip archive?";
  if (StartsWith(bytes, "MZ"))
    return "a Windows executable?";
  if (StartsWith(bytes, "\xcf\xfa\xed\xfe") || StartsWith(bytes, "\xca\xfe\xba\xbe"))
    return "a Mach-O binary?";
  if (StartsWith(text, "(module") || StartsWith(text, ";;"))
    return "WebAssembly text: compile it with wat2wasm?";
  if (StartsWith(text, "<"))
    return "HTML or XML: an error page saved instead of the module?";
  if (StartsWith(text, "{") || StartsWith(text, "["))
    return "JSON?";
  if (LooksLikeText(bytes))
    return "a text file?";
  return "not a known format";
}

Finding NotWasm(std::string_view bytes) {
  if (bytes.empty()) {
    return {CheckId::kNotWasm, Severity::kError, "file", "not a WebAssembly module (empty file)",
            "build the plugin again: hfi-metrics build"};
  }
  return {CheckId::kNotWasm, Severity::kError, "file", "not a WebAssembly module",
          "first bytes " + HexBytes(bytes, 4) + ": " + GuessWhatItIs(bytes)};
}

// Checks the 8-byte preamble here so the common mistakes get a precise message; everything after
// it is WABT's job.
std::optional<Finding> CheckPreamble(std::string_view bytes, std::uint32_t* version) {
  // A file shorter than the magic that starts like it was cut short rather than mistaken.
  bool magic = bytes.size() < kMagic.size() ? StartsWith(kMagic, bytes) : StartsWith(bytes, kMagic);
  if (bytes.empty() || !magic)
    return NotWasm(bytes);
  if (bytes.size() < 8) {
    return Finding{CheckId::kInvalidModule, Severity::kError, "file",
                   "truncated WebAssembly module (" + std::to_string(bytes.size()) +
                       " bytes; the header alone is 8)",
                   "the file was cut short: build or download it again"};
  }
  *version = 0;
  for (int i = 0; i < 4; ++i)
    *version |= std::uint32_t{static_cast<unsigned char>(bytes[4 + i])} << (8 * i);
  if (*version == 1)
    return std::nullopt;
  // The component model keeps the magic and changes the version/layer field (0x0d 0x00 0x01 0x00).
  if (bytes[6] == 1 && bytes[7] == 0) {
    return Finding{CheckId::kInvalidModule, Severity::kError, "file",
                   "a WebAssembly component, not a core module",
                   "Envoy loads core modules only: build with em++ -sSTANDALONE_WASM"};
  }
  return Finding{CheckId::kInvalidModule, Severity::kError, "file",
                 "unsupported WebAssembly binary version " + std::to_string(*version),
                 "Envoy reads version 1 modules only"};
}

Finding ReadFailure(const wabt::Errors& errors, std::size_t size) {
  std::string detail = "unreadable";
  std::size_t offset = 0;
  for (const wabt::Error& error : errors) {
    if (error.error_level == wabt::ErrorLevel::Error) {
      detail = error.message;
      offset = error.loc.offset;
      break;
    }
  }
  // WABT reports a read past the end as a size that "extends past end", or as an unreadable
  // number at the very end of the data.
  bool truncated = offset >= size || detail.find("past end") != std::string::npos ||
                   (detail.find("unable to read") != std::string::npos && offset + 16 >= size);
  std::string message = std::string(truncated ? "truncated" : "invalid") +
                        " WebAssembly module: " + detail + " at byte " + std::to_string(offset) +
                        (truncated ? " of " + std::to_string(size) : std::string());
  return {CheckId::kInvalidModule, Severity::kError, "file", std::move(message),
          truncated ? "the file was cut short: build or download it again"
                    : "the file is damaged or was not written by a WebAssembly toolchain"};
}

std::string SignatureText(const wabt::Type* params, wabt::Index param_count,
                          const wabt::Type* results, wabt::Index result_count) {
  auto list = [](const wabt::Type* types, wabt::Index count) {
    std::string out = "(";
    for (wabt::Index i = 0; i < count; ++i) {
      if (i > 0)
        out += ", ";
      out += types[i].GetName();
    }
    return out + ")";
  };
  // One result is written bare, as in facts/proxy-wasm-abi.md: "(i32, i32) -> i32".
  std::string result_text = result_count == 1 ? results[0].GetName() : list(results, result_count);
  return list(params, param_count) + " -> " + result_text;
}

// A delegate rather than WABT's IR builder (BinaryReaderIR): Debian's libwabt keeps its
// assertions, and the IR builder trips them on malformed function bodies and init expressions
// (found by tests/fuzz/wasm_inspect_fuzz). The plain reader with function bodies skipped reports
// such input as an error instead. Every index is checked here before use.
class Collector : public wabt::BinaryReaderNop {
 public:
  explicit Collector(RawModule& module) : m_(module) {}

  const wabt::Errors& errors() const { return errors_; }

  bool OnError(const wabt::Error& error) override {
    errors_.push_back(error);
    return true;  // recorded: WABT must not print it
  }
  wabt::Result OnFuncType(wabt::Index index, wabt::Index param_count, wabt::Type* params,
                          wabt::Index result_count, wabt::Type* results) override {
    if (std::string* slot = TypeSlot(index))
      *slot = SignatureText(params, param_count, results, result_count);
    return wabt::Result::Ok;
  }
  wabt::Result OnStructType(wabt::Index index, wabt::Index, wabt::TypeMut*) override {
    TypeSlot(index);
    return wabt::Result::Ok;
  }
  wabt::Result OnArrayType(wabt::Index index, wabt::TypeMut) override {
    TypeSlot(index);
    return wabt::Result::Ok;
  }
  wabt::Result OnImport(wabt::Index, wabt::ExternalKind kind, std::string_view module,
                        std::string_view name) override {
    m_.imports.push_back({std::string(module), std::string(name), kind});
    return wabt::Result::Ok;
  }
  wabt::Result OnImportFunc(wabt::Index, std::string_view, std::string_view, wabt::Index,
                            wabt::Index sig) override {
    if (!m_.imports.empty())
      m_.imports.back().sig = sig;
    m_.funcs.push_back(sig);
    return wabt::Result::Ok;
  }
  wabt::Result OnImportMemory(wabt::Index, std::string_view, std::string_view, wabt::Index,
                              const wabt::Limits* limits) override {
    m_.memories.push_back({*limits, true});
    return wabt::Result::Ok;
  }
  wabt::Result OnFunction(wabt::Index, wabt::Index sig) override {
    m_.funcs.push_back(sig);
    return wabt::Result::Ok;
  }
  wabt::Result OnMemory(wabt::Index, const wabt::Limits* limits) override {
    m_.memories.push_back({*limits, false});
    return wabt::Result::Ok;
  }
  wabt::Result OnExport(wabt::Index, wabt::ExternalKind kind, wabt::Index item,
                        std::string_view name) override {
    m_.exports.push_back({std::string(name), kind, item});
    return wabt::Result::Ok;
  }
  wabt::Result OnDataSegmentData(wabt::Index, const void* data, wabt::Address size) override {
    m_.data.emplace_back(static_cast<const char*>(data), static_cast<std::size_t>(size));
    return wabt::Result::Ok;
  }

 private:
  // Types arrive in index order, one slot each; an absurd index gets none.
  std::string* TypeSlot(wabt::Index index) {
    if (index >= m_.types.size() && index < kMaxTypes)
      m_.types.resize(index + 1);
    return index < m_.types.size() ? &m_.types[index] : nullptr;
  }
  static constexpr wabt::Index kMaxTypes = 1 << 20;

  RawModule& m_;
  wabt::Errors errors_;
};

}  // namespace

std::optional<Finding> ReadModule(std::string_view bytes, RawModule* module,
                                  std::uint32_t* version) {
  if (std::optional<Finding> problem = CheckPreamble(bytes, version))
    return problem;

  // Structure only: function bodies are V8's to validate (and skipping them keeps the check
  // independent of which post-MVP opcodes WABT enables).
  wabt::ReadBinaryOptions options;
  options.read_debug_names = false;
  options.stop_on_first_error = true;
  options.fail_on_custom_section_error = false;
  options.skip_function_bodies = true;
  Collector collector(*module);
  if (wabt::Failed(wabt::ReadBinary(bytes.data(), bytes.size(), &collector, options)))
    return ReadFailure(collector.errors(), bytes.size());
  return std::nullopt;
}

std::string KindName(wabt::ExternalKind kind) {
  switch (kind) {
    case wabt::ExternalKind::Func:
      return "func";
    case wabt::ExternalKind::Table:
      return "table";
    case wabt::ExternalKind::Memory:
      return "memory";
    case wabt::ExternalKind::Global:
      return "global";
    case wabt::ExternalKind::Tag:
      return "tag";
  }
  return "unknown";
}

}  // namespace hfi::wasm

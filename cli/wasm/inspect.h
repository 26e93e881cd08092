// The wasm inspector: reads any .wasm with WABT's binary reader and checks it against what Envoy
// requires of a proxy-wasm HTTP filter and what HFI requires of its plugin. Bytes in, a typed
// report out; no I/O, no terminal (renderers: inspect_render.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "plugin/metric_names.h"
#include "util/severity.h"
#include "wasm/envoy_abi.h"

namespace hfi::wasm {

using hfi::Severity;
using hfi::SeverityName;

// One id per check, in code order. Codes are stable: a retired code is never reused.
enum class CheckId {
  kNotWasm,               // HFI701
  kInvalidModule,         // HFI702
  kNoAbiMarker,           // HFI703
  kSeveralAbiMarkers,     // HFI704
  kOlderAbi,              // HFI705
  kMissingCallback,       // HFI706
  kBadCallbackSignature,  // HFI707
  kNoAllocator,           // HFI708
  kUnknownImportModule,   // HFI709
  kUnknownEnvImport,      // HFI710
  kJsOnlyImport,          // HFI711
  kBadImportSignature,    // HFI712
  kHostcallOfOtherAbi,    // HFI713
  kUnknownWasiImport,     // HFI714
  kNewerWasiImport,       // HFI715
  kMetricNameMissing,     // HFI716
  kLegacyMetricName,      // HFI717
  kMetricWithoutPrefix,   // HFI718
  kMemoryCanGrow,         // HFI719
  kNoExportedMemory,      // HFI720
  kMemoryTooLarge,        // HFI721
  kWasiCommand,           // HFI722
  kMarkerNotFunction,     // HFI723
  kCount,
};

struct CheckInfo {
  CheckId id;
  std::string_view code;
  Severity severity;
  std::string_view title;
};

// The wasm check codes (7xx; the verify hint catalogue owns the other hundreds).
inline constexpr CheckInfo kChecks[] = {
    {CheckId::kNotWasm, "HFI701", Severity::kError, "not a WebAssembly module"},
    {CheckId::kInvalidModule, "HFI702", Severity::kError, "truncated or invalid module"},
    {CheckId::kNoAbiMarker, "HFI703", Severity::kError, "no proxy_abi_version_* export"},
    {CheckId::kSeveralAbiMarkers, "HFI704", Severity::kError, "more than one ABI marker"},
    {CheckId::kOlderAbi, "HFI705", Severity::kWarning, "ABI older than 0.2.1"},
    {CheckId::kMissingCallback, "HFI706", Severity::kError,
     "callback an HTTP filter needs missing"},
    {CheckId::kBadCallbackSignature, "HFI707", Severity::kError, "export with a wrong signature"},
    {CheckId::kNoAllocator, "HFI708", Severity::kError, "no malloc or proxy_on_memory_allocate"},
    {CheckId::kUnknownImportModule, "HFI709", Severity::kError, "import from an unknown module"},
    {CheckId::kUnknownEnvImport, "HFI710", Severity::kError, "env import Envoy does not provide"},
    {CheckId::kJsOnlyImport, "HFI711", Severity::kError, "JavaScript-only Emscripten import"},
    {CheckId::kBadImportSignature, "HFI712", Severity::kError, "import with a wrong signature"},
    {CheckId::kHostcallOfOtherAbi, "HFI713", Severity::kError, "hostcall of another ABI version"},
    {CheckId::kUnknownWasiImport, "HFI714", Severity::kError, "WASI import Envoy does not provide"},
    {CheckId::kNewerWasiImport, "HFI715", Severity::kWarning, "WASI import only newer Envoys have"},
    {CheckId::kMetricNameMissing, "HFI716", Severity::kError, "metric name not in the module"},
    {CheckId::kLegacyMetricName, "HFI717", Severity::kWarning, "legacy hfi.faults.* metric name"},
    {CheckId::kMetricWithoutPrefix, "HFI718", Severity::kWarning, "metric name lacks wasmcustom."},
    {CheckId::kMemoryCanGrow, "HFI719", Severity::kWarning, "memory can grow"},
    {CheckId::kNoExportedMemory, "HFI720", Severity::kError, "no exported memory"},
    {CheckId::kMemoryTooLarge, "HFI721", Severity::kError, "initial memory above Envoy's 1 GiB"},
    {CheckId::kWasiCommand, "HFI722", Severity::kError, "WASI command (_start), not a reactor"},
    {CheckId::kMarkerNotFunction, "HFI723", Severity::kError, "ABI marker is not a function"},
};
static_assert(std::size(kChecks) == static_cast<std::size_t>(CheckId::kCount));

const CheckInfo& Info(CheckId id);

struct Finding {
  CheckId id;
  Severity severity;
  std::string subject;  // the export, import, metric or part it is about
  std::string message;  // what is wrong and why it matters
  std::string fix;      // what to change
};

// An export Envoy looks up, as found in the module.
struct CallbackCheck {
  std::string name;
  bool required = false;
  bool present = false;
  std::string expected;  // signature
  std::string actual;    // signature, or the export kind when it is not a function
  bool ok() const { return present ? expected == actual : !required; }
};

enum class ImportClass {
  kHostcall,  // a function Envoy registers under env
  kWasi,      // a WASI function Envoy registers
  kUnknown,   // not provided by Envoy: a finding names it
};

struct ImportEntry {
  std::string module;
  std::string name;
  std::string kind;       // "func", "memory", "table", "global", "tag"
  std::string signature;  // functions only
  ImportClass classification = ImportClass::kUnknown;
};

// Which spelling of a metric's name the data segments contain.
enum class NameForm { kDefined, kWithoutPrefix, kLegacy, kAbsent };
std::string_view NameFormName(NameForm form);

struct MetricPresence {
  const metrics::MetricName* metric;
  NameForm form = NameForm::kAbsent;
  std::string found;  // the spelling found, empty when absent
};

struct MemoryInfo {
  bool present = false;  // defined or imported
  bool imported = false;
  bool exported = false;
  std::string export_name;
  std::uint64_t initial_pages = 0;
  std::optional<std::uint64_t> max_pages;
  bool can_grow() const { return present && (!max_pages || *max_pages > initial_pages); }
};

struct InspectReport {
  std::size_t size = 0;
  std::string sha256;
  // False when the bytes are not a module WABT can read; findings then hold the one reason
  // (HFI701 or HFI702) and nothing else is filled in.
  bool parsed = false;
  std::uint32_t version = 0;
  std::vector<std::string> abi_markers;  // every proxy_abi_version_* export, in export order
  std::optional<Abi> abi;                // the one Envoy picks: the first known marker
  std::vector<CallbackCheck> callbacks;  // required ones first, then the optional ones present
  std::string allocator;                 // "malloc", "proxy_on_memory_allocate" or empty
  std::vector<ImportEntry> imports;
  std::vector<MetricPresence> metrics;
  MemoryInfo memory;
  std::vector<Finding> findings;

  std::size_t Count(Severity severity) const;
  bool ok() const { return Count(Severity::kError) == 0; }
};

// Inspects the bytes of a .wasm file. Never throws for bad input: a file that is no module gives
// parsed == false and one HFI701/HFI702 finding.
InspectReport Inspect(std::string_view bytes);

std::string_view AbiName(Abi abi);  // "0.2.1"

}  // namespace hfi::wasm

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
  // The general cause and fix, for the man page; a finding carries its own, naming the export,
  // import or metric concerned.
  std::string_view why;
  std::string_view fix;
};

// The wasm check codes (7xx; the verify hint catalogue owns the other hundreds).
inline constexpr CheckInfo kChecks[] = {
    {CheckId::kNotWasm, "HFI701", Severity::kError, "not a WebAssembly module",
     "The file does not start with the WebAssembly magic (the bytes 00 61 73 6d) and version 1: it "
     "is another file (a JavaScript loader, an HTML error page, a gzip or OCI layer) or the wrong "
     "path.",
     "Point at the .wasm the build wrote (`hfi-metrics build` prints its path); `file FILE` shows "
     "what it is; unpack an OCI image layer before inspecting it."},
    {CheckId::kInvalidModule, "HFI702", Severity::kError, "truncated or invalid module",
     "The module header is right but a section is truncated or malformed: an interrupted download "
     "or copy, or a file cut at a size limit (a ConfigMap over 1 MiB).",
     "Build or download it again and compare the sha256 (`sha256sum FILE`, `hfi-metrics version`); "
     "`wasm-validate FILE` names the bad section."},
    {CheckId::kNoAbiMarker, "HFI703", Severity::kError, "no proxy_abi_version_* export",
     "No export is named `proxy_abi_version_0_2_1` (or another version): Envoy cannot tell which "
     "proxy-wasm ABI the module speaks and refuses to load it.",
     "Build with the proxy-wasm C++ SDK (it exports the marker), or export the marker function "
     "yourself; then `hfi-metrics inspect FILE`."},
    {CheckId::kSeveralAbiMarkers, "HFI704", Severity::kError, "more than one ABI marker",
     "Several `proxy_abi_version_*` markers are exported: Envoy picks by marker, and a module "
     "claiming two ABIs is rejected.",
     "Link one SDK version only; remove the extra marker export."},
    {CheckId::kOlderAbi, "HFI705", Severity::kWarning, "ABI older than 0.2.1",
     "The marker names an ABI older than 0.2.1: newer Envoys drop support for it and some "
     "hostcalls behave differently.",
     "Rebuild with a current proxy-wasm C++ SDK (ABI 0.2.1)."},
    {CheckId::kMissingCallback, "HFI706", Severity::kError, "callback an HTTP filter needs missing",
     "An export Envoy calls for an HTTP filter is missing (e.g. `proxy_on_request_headers`, "
     "`proxy_on_context_create`): Envoy fails the filter when it needs it.",
     "Build the plugin with the SDK's root and stream context classes; check the exports with "
     "`hfi-metrics inspect FILE -o json`."},
    {CheckId::kBadCallbackSignature, "HFI707", Severity::kError, "export with a wrong signature",
     "A callback is exported with parameter or result types other than Envoy's (e.g. "
     "`proxy_on_request_headers` must be (i32,i32,i32)->i32): Envoy refuses the module or the call "
     "traps.",
     "Match the SDK's signatures: do not declare callbacks by hand with other integer widths; "
     "rebuild with the SDK."},
    {CheckId::kNoAllocator, "HFI708", Severity::kError, "no malloc or proxy_on_memory_allocate",
     "Neither `malloc` nor `proxy_on_memory_allocate` is exported: Envoy cannot hand strings and "
     "buffers to the module.",
     "Export malloc (Emscripten: `-sEXPORTED_FUNCTIONS=_malloc`, as the SDK's build does)."},
    {CheckId::kUnknownImportModule, "HFI709", Severity::kError, "import from an unknown module",
     "The module imports from a module Envoy does not provide (only `env` and "
     "`wasi_snapshot_preview1`): loading fails on the unknown import.",
     "Remove the dependency that needs it, or build with `-sSTANDALONE_WASM`; the finding names "
     "the import."},
    {CheckId::kUnknownEnvImport, "HFI710", Severity::kError, "env import Envoy does not provide",
     "An `env` import is not a hostcall Envoy registers: the VM fails to instantiate with an "
     "unknown import.",
     "Remove the call that needs it (often a libc function Emscripten leaves to JavaScript); build "
     "with the SDK's flags."},
    {CheckId::kJsOnlyImport, "HFI711", Severity::kError, "JavaScript-only Emscripten import",
     "The module imports an Emscripten JavaScript helper (`emscripten_*`, `__syscall_*`, "
     "`invoke_*`): it was built for a browser or Node, not for a proxy.",
     "Build with `-sSTANDALONE_WASM` and without exceptions (`-fno-exceptions`), as the SDK's "
     "build does; plugin/wasm_build.txt has those flags."},
    {CheckId::kBadImportSignature, "HFI712", Severity::kError, "import with a wrong signature",
     "A hostcall is imported with parameter or result types other than Envoy's: instantiation "
     "fails with a signature mismatch.",
     "Use the SDK's declarations of the hostcalls instead of your own; rebuild."},
    {CheckId::kHostcallOfOtherAbi, "HFI713", Severity::kError, "hostcall of another ABI version",
     "The module imports a hostcall of another ABI version than its marker claims (e.g. a 0.1.0 "
     "name in a 0.2.1 module): Envoy does not register it for this ABI.",
     "Build with one SDK version; remove hand-written hostcall declarations."},
    {CheckId::kUnknownWasiImport, "HFI714", Severity::kError, "WASI import Envoy does not provide",
     "A WASI function is imported that Envoy does not provide (e.g. sockets or path functions): "
     "the VM fails to start.",
     "Remove the code that needs it (file or network access from libc); Envoy registers the fd_*, "
     "environ_*, args_*, clock_time_get, random_get and proc_exit functions."},
    {CheckId::kNewerWasiImport, "HFI715", Severity::kWarning, "WASI import only newer Envoys have",
     "A WASI function is imported that only newer Envoys provide: the plugin loads on them and "
     "fails on older proxies.",
     "Check the proxy version in the mesh (`istioctl version`), or avoid the call."},
    {CheckId::kMetricNameMissing, "HFI716", Severity::kError, "metric name not in the module",
     "One of the three metric names (the aborts and delays counters, the delay histogram) is not "
     "in the module's data: this build would not define the metrics hfi-metrics verifies.",
     "Build the plugin from this tree (`hfi-metrics build`), whose names are the ones DESIGN §2 "
     "expects."},
    {CheckId::kLegacyMetricName, "HFI717", Severity::kWarning, "legacy hfi.faults.* metric name",
     "The module defines the old dotted `hfi.faults.*` names: without the `wasmcustom.` prefix "
     "they are not exposed by Istio's default stats matcher and reach Prometheus under other names "
     "(HFI102).",
     "Rebuild from this tree, which defines `wasmcustom.hfi_faults_*`."},
    {CheckId::kMetricWithoutPrefix, "HFI718", Severity::kWarning, "metric name lacks wasmcustom.",
     "A metric name lacks the `wasmcustom.` prefix: Envoy keeps it outside the wasmcustom "
     "namespace, Istio's default inclusion list drops it, and its Prometheus name differs.",
     "Define the names with the `wasmcustom.` prefix (as this tree's plugin does)."},
    {CheckId::kMemoryCanGrow, "HFI719", Severity::kWarning, "memory can grow",
     "The module's memory has no maximum or can grow large: a leak in the plugin grows each "
     "worker's VM until the proxy runs out of memory.",
     "Build with a fixed memory (`-sALLOW_MEMORY_GROWTH=0`, as plugin/wasm_build.txt does) or a "
     "maximum suited to the plugin (`-sMAXIMUM_MEMORY=...`)."},
    {CheckId::kNoExportedMemory, "HFI720", Severity::kError, "no exported memory",
     "The module exports no memory: Envoy cannot read or write the plugin's buffers.",
     "Export the memory (Emscripten does by default; do not strip the export)."},
    {CheckId::kMemoryTooLarge, "HFI721", Severity::kError, "initial memory above Envoy's 1 GiB",
     "The initial memory is above Envoy's 1 GiB limit for a Wasm VM: the VM fails to start.",
     "Lower `-sINITIAL_MEMORY` (a few MiB is plenty for this filter)."},
    {CheckId::kWasiCommand, "HFI722", Severity::kError, "WASI command (_start), not a reactor",
     "The module exports `_start`: it is a WASI command, run once and exited, not a reactor; Envoy "
     "does not keep such a module running as a filter.",
     "Build a reactor: Emscripten's `--no-entry` with `-sSTANDALONE_WASM` (as "
     "plugin/wasm_build.txt does)."},
    {CheckId::kMarkerNotFunction, "HFI723", Severity::kError, "ABI marker is not a function",
     "The `proxy_abi_version_*` export is not a function (a global or memory of that name): Envoy "
     "does not recognise the ABI.",
     "Export the marker as a function, as the SDK does."},
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

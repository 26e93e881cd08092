// What Envoy's proxy-wasm host expects of a module: the ABI markers, the callbacks it looks up
// (with their exact signatures), and the functions it registers for a module to import.
// Data from facts/proxy-wasm-abi.md, nothing else; inspect.cc checks modules against it.
#pragma once

#include <span>
#include <string_view>

namespace hfi::wasm {

// The ABI a module declares with its marker export (facts §2.9). Envoy registers a different set
// of hostcalls per ABI, and proxy_on_request_headers has one more parameter since 0.2.0.
enum class Abi { k0_1_0, k0_2_0, k0_2_1 };

struct AbiMarker {
  std::string_view export_name;  // "proxy_abi_version_0_2_1"
  Abi abi;
};
inline constexpr std::string_view kAbiMarkerPrefix = "proxy_abi_version_";
std::span<const AbiMarker> AbiMarkers();
const AbiMarker* FindAbiMarker(std::string_view export_name);

// Function signatures are compared as text in one spelling: "(i32, i64) -> i32", "() -> ()".

// An export Envoy looks up by name. A present export with another signature fails the load with
// "Bad function signature for: <name>" (facts §1, §4.1), so every present one is checked.
struct Callback {
  std::string_view name;
  std::string_view signature;        // ABI 0.2.x
  std::string_view signature_0_1_0;  // when ABI 0.1.0 differs, else empty
  bool required_for_hfi;             // an HTTP fault filter cannot work without it
  std::string_view why;              // what the filter needs it for (when required)
};
std::span<const Callback> Callbacks();
const Callback* FindCallback(std::string_view name);
std::string_view ExpectedSignature(const Callback& callback, Abi abi);

// Which ABIs a hostcall is registered for (facts §2.9, §3.11).
enum class AbiSet { kAll, kOnly0_1_0, kSince0_2_0, kOnly0_2_1 };

// A function Envoy registers under module "env": the proxy_* hostcalls (facts §3, §3.20) and the
// two helpers without the prefix. Importing anything else from "env" fails the link.
struct EnvFunction {
  std::string_view name;
  std::string_view signature;
  AbiSet abis;
};
const EnvFunction* FindEnvFunction(std::string_view name);
bool RegisteredFor(const EnvFunction& function, Abi abi);
std::string_view AbiSetName(AbiSet abis);

// The import modules under which Envoy registers WASI functions (facts §1, §6.2).
bool IsWasiModule(std::string_view module);

// A WASI function: kStable ones are registered by every Envoy since 2021 (facts §6.2); kNewer ones
// only by newer releases, with `since` naming when.
enum class WasiTier { kStable, kNewer };
struct WasiFunction {
  std::string_view name;
  std::string_view signature;  // checked for kStable; empty when not recorded in the facts
  WasiTier tier;
  std::string_view since;
};
const WasiFunction* FindWasiFunction(std::string_view name);

// Emscripten imports that only its JavaScript glue provides (facts §6.1): no proxy-wasm host has
// them. kExceptions come from -fexceptions (or setjmp/longjmp); kJsRuntime from a build without
// -sSTANDALONE_WASM.
enum class JsImportKind { kNone, kExceptions, kJsRuntime };
JsImportKind ClassifyJsOnlyImport(std::string_view name);

// The largest memory Envoy's V8 instantiates: --wasm_max_mem_pages=16384, 1 GiB (facts §7.2 item
// 6).
inline constexpr unsigned long long kEnvoyMaxMemoryPages = 16384;

}  // namespace hfi::wasm

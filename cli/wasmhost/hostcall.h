// What a host function gets when the plugin calls it: its arguments, the plugin's memory, the
// context it acts on, and a way to trap. Also the table entry each import is described by.
// Internal to wasmhost; the hostcalls themselves are in imports_*.cc.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wabt/interp/interp.h"
#include "wasmhost/abi.h"
#include "wasmhost/host_state.h"
#include "wasmhost/plugin_vm.h"

namespace hfi::wasmhost {

class HostCall {
 public:
  HostCall(PluginVm& vm, HostState& host, const wabt::interp::Values& params)
      : vm(vm), host(host), params_(params) {}

  std::uint32_t U32(std::size_t i) const { return params_[i].Get<wabt::interp::u32>(); }
  std::uint64_t U64(std::size_t i) const { return params_[i].Get<wabt::interp::u64>(); }

  std::optional<std::string> Read(std::uint32_t ptr, std::uint32_t size) const {
    return vm.memory().Read(ptr, size);
  }
  // Copies bytes to the plugin through its malloc (PluginVm::CopyOut). A trap in malloc makes
  // this call trap too.
  std::uint32_t CopyOut(std::string_view bytes, std::uint32_t ptr_ptr, std::uint32_t size_ptr);

  // The context hostcalls act on: the effective one if the plugin set it, else the caller's.
  std::uint32_t ContextId() const;
  // The stream of ContextId(), or null for the root and VM contexts.
  StreamContext* Stream() const { return host.FindStream(ContextId()); }

  // Ends the hostcall with a trap: the plugin's callback fails with `message`.
  void Trap(std::string message) { trap_ = std::move(message); }
  const std::optional<std::string>& trap() const { return trap_; }

  PluginVm& vm;
  HostState& host;

 private:
  const wabt::interp::Values& params_;
  std::optional<std::string> trap_;
};

inline std::uint32_t Word(WasmResult result) {
  return static_cast<std::uint32_t>(result);
}

// Returns the hostcall's i32 result (a WasmResult, or a WASI errno); ignored for void imports.
using HostCallFn = std::uint32_t (*)(HostCall&);

// Stands for both WASI module names, wasi_snapshot_preview1 and wasi_unstable (facts §1).
inline constexpr std::string_view kWasiModule = "wasi";

struct ImportSpec {
  std::string_view module;  // "env" or kWasiModule
  std::string_view name;
  std::string_view params;   // one letter per parameter: 'i' i32, 'I' i64
  std::string_view results;  // "" or "i"
  HostCallFn fn;
  bool in_startup;  // allowed while the start function, _initialize and main run (§4.2 step 3)
  bool in_malloc;   // allowed inside the host's own call to malloc (§5 item 4)
  bool abi_0_2_1_only = false;
};

// The imports each file provides.
void AddEnvImports(std::vector<ImportSpec>* out);       // imports_env.cc
void AddHeaderImports(std::vector<ImportSpec>* out);    // imports_headers.cc
void AddStreamImports(std::vector<ImportSpec>* out);    // imports_stream.cc
void AddPropertyImports(std::vector<ImportSpec>* out);  // imports_properties.cc
void AddMetricImports(std::vector<ImportSpec>* out);    // imports_metrics.cc
void AddWasiImports(std::vector<ImportSpec>* out);      // imports_wasi.cc

// The host function for `module`.`name`, or null if this host does not provide it.
const ImportSpec* FindImport(std::string_view module, std::string_view name);
// True for hostcalls Envoy registers that this host does not (http_call, shared data, gRPC ...).
bool IsEnvoyOnlyImport(std::string_view module, std::string_view name);
// The wasm type of a signature written as ImportSpec letters ("iiI", "i").
wabt::interp::FuncType MakeFuncType(std::string_view params, std::string_view results);
// "(i32, i64) -> (i32)", as error messages show a signature.
std::string DescribeFuncType(const wabt::interp::FuncType& type);

}  // namespace hfi::wasmhost

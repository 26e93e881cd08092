#include <algorithm>

#include "wasmhost/hostcall.h"

namespace hfi::wasmhost {
namespace {

const std::vector<ImportSpec>& AllImports() {
  static const std::vector<ImportSpec> kAll = [] {
    std::vector<ImportSpec> all;
    AddEnvImports(&all);
    AddHeaderImports(&all);
    AddStreamImports(&all);
    AddPropertyImports(&all);
    AddMetricImports(&all);
    AddWasiImports(&all);
    return all;
  }();
  return kAll;
}

bool IsWasiModule(std::string_view module) {
  return module == "wasi_snapshot_preview1" || module == "wasi_unstable";
}

}  // namespace

std::uint32_t HostCall::CopyOut(std::string_view bytes, std::uint32_t ptr_ptr,
                                std::uint32_t size_ptr) {
  std::string trap;
  std::optional<WasmResult> result = vm.CopyOut(bytes, ptr_ptr, size_ptr, &trap);
  if (!result) {
    Trap(std::move(trap));
    return Word(WasmResult::kInternalFailure);
  }
  return Word(*result);
}

std::uint32_t HostCall::ContextId() const {
  const CallFrame& frame = vm.frame();
  // An effective context deleted meanwhile falls back to the caller's (§3.17).
  if (frame.effective_context_id != 0 && host.IsLiveContext(frame.effective_context_id))
    return frame.effective_context_id;
  return frame.context_id;
}

const ImportSpec* FindImport(std::string_view module, std::string_view name) {
  const std::string_view key = IsWasiModule(module) ? kWasiModule : module;
  for (const ImportSpec& spec : AllImports()) {
    if (spec.module == key && spec.name == name)
      return &spec;
  }
  return nullptr;
}

bool IsEnvoyOnlyImport(std::string_view module, std::string_view name) {
  // cpp-host registerCallbacks (facts §3.19-3.20, §6.2): registered there, not emulated here.
  static constexpr std::string_view kEnvoyEnv[] = {
      "proxy_get_status",
      "proxy_set_property",
      "proxy_set_buffer_bytes",
      "proxy_http_call",
      "proxy_grpc_call",
      "proxy_grpc_stream",
      "proxy_grpc_send",
      "proxy_grpc_cancel",
      "proxy_grpc_close",
      "proxy_get_shared_data",
      "proxy_set_shared_data",
      "proxy_register_shared_queue",
      "proxy_resolve_shared_queue",
      "proxy_dequeue_shared_queue",
      "proxy_enqueue_shared_queue",
      "proxy_call_foreign_function",
      "pthread_equal",
  };
  static constexpr std::string_view kEnvoyWasi[] = {
      "poll_oneoff", "fd_prestat_get",      "fd_prestat_dir_name",
      "path_open",   "fd_fdstat_set_flags", "clock_res_get",
  };
  if (module == "env")
    return std::find(std::begin(kEnvoyEnv), std::end(kEnvoyEnv), name) != std::end(kEnvoyEnv);
  if (IsWasiModule(module))
    return std::find(std::begin(kEnvoyWasi), std::end(kEnvoyWasi), name) != std::end(kEnvoyWasi);
  return false;
}

wabt::interp::FuncType MakeFuncType(std::string_view params, std::string_view results) {
  auto types = [](std::string_view letters) {
    wabt::interp::ValueTypes out;
    for (char letter : letters)
      out.push_back(letter == 'I' ? wabt::Type::I64 : wabt::Type::I32);
    return out;
  };
  return wabt::interp::FuncType(types(params), types(results));
}

std::string DescribeFuncType(const wabt::interp::FuncType& type) {
  auto list = [](const wabt::interp::ValueTypes& types) {
    std::string out = "(";
    for (std::size_t i = 0; i < types.size(); ++i) {
      if (i > 0)
        out += ", ";
      out += types[i].GetName();
    }
    return out + ")";
  };
  return list(type.params) + " -> " + list(type.results);
}

}  // namespace hfi::wasmhost

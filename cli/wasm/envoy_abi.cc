#include "wasm/envoy_abi.h"

#include <algorithm>
#include <array>

namespace hfi::wasm {
namespace {

constexpr AbiMarker kMarkers[] = {
    {"proxy_abi_version_0_1_0", Abi::k0_1_0},
    {"proxy_abi_version_0_2_0", Abi::k0_2_0},
    {"proxy_abi_version_0_2_1", Abi::k0_2_1},
};

// facts/proxy-wasm-abi.md §4.1. The `required_for_hfi` column is this product's: Envoy treats
// every callback as optional, but a fault filter missing one of them silently does nothing.
constexpr Callback kCallbacks[] = {
    {"proxy_on_vm_start", "(i32, i32) -> i32", "", true,
     "the plugin defines its three metrics there (facts §7.2 item 9)"},
    {"proxy_on_configure", "(i32, i32) -> i32", "", true, "it receives the fault policy there"},
    {"proxy_on_context_create", "(i32, i32) -> ()", "", true,
     "Envoy creates every root and request context through it"},
    {"proxy_on_request_headers", "(i32, i32, i32) -> i32", "(i32, i32) -> i32", true,
     "faults are decided on the request headers"},
    {"proxy_on_tick", "(i32) -> ()", "", true, "the timer resumes delayed requests"},
    {"proxy_on_done", "(i32) -> i32", "", true, "Envoy ends every context with it"},
    {"proxy_on_delete", "(i32) -> ()", "", true, "it frees a finished request's state"},
    // Allocators: one of the two is required (checked apart, facts §4.1).
    {"malloc", "(i32) -> i32", "", false, ""},
    {"proxy_on_memory_allocate", "(i32) -> i32", "", false, ""},
    {"_initialize", "() -> ()", "", false, ""},
    {"_start", "() -> ()", "", false, ""},
    {"proxy_validate_configuration", "(i32, i32) -> i32", "", false, ""},
    {"proxy_on_request_body", "(i32, i32, i32) -> i32", "", false, ""},
    {"proxy_on_request_trailers", "(i32, i32) -> i32", "", false, ""},
    {"proxy_on_request_metadata", "(i32, i32) -> i32", "", false, ""},
    {"proxy_on_response_headers", "(i32, i32, i32) -> i32", "(i32, i32) -> i32", false, ""},
    {"proxy_on_response_body", "(i32, i32, i32) -> i32", "", false, ""},
    {"proxy_on_response_trailers", "(i32, i32) -> i32", "", false, ""},
    {"proxy_on_response_metadata", "(i32, i32) -> i32", "", false, ""},
    {"proxy_on_http_call_response", "(i32, i32, i32, i32, i32) -> ()", "", false, ""},
    {"proxy_on_log", "(i32) -> ()", "", false, ""},
    {"proxy_on_queue_ready", "(i32, i32) -> ()", "", false, ""},
    {"proxy_on_foreign_function", "(i32, i32, i32) -> ()", "", false, ""},
    {"proxy_on_grpc_receive_initial_metadata", "(i32, i32, i32) -> ()", "", false, ""},
    {"proxy_on_grpc_receive", "(i32, i32, i32) -> ()", "", false, ""},
    {"proxy_on_grpc_receive_trailing_metadata", "(i32, i32, i32) -> ()", "", false, ""},
    {"proxy_on_grpc_close", "(i32, i32, i32) -> ()", "", false, ""},
};

// facts/proxy-wasm-abi.md §3 (signatures of the hostcalls an HTTP filter uses), §3.20 (the rest;
// their shapes are those of proxy-wasm-cpp-host include/proxy-wasm/exports.h: every argument a
// 32-bit word except the metric values) and §2.9 (which ABI registers which).
constexpr EnvFunction kEnvFunctions[] = {
    {"proxy_log", "(i32, i32, i32) -> i32", AbiSet::kAll},
    {"proxy_get_status", "(i32, i32, i32) -> i32", AbiSet::kAll},
    {"proxy_set_property", "(i32, i32, i32, i32) -> i32", AbiSet::kAll},
    {"proxy_get_property", "(i32, i32, i32, i32) -> i32", AbiSet::kAll},
    {"proxy_send_local_response", "(i32, i32, i32, i32, i32, i32, i32, i32) -> i32", AbiSet::kAll},
    {"proxy_get_shared_data", "(i32, i32, i32, i32, i32) -> i32", AbiSet::kAll},
    {"proxy_set_shared_data", "(i32, i32, i32, i32, i32) -> i32", AbiSet::kAll},
    {"proxy_register_shared_queue", "(i32, i32, i32) -> i32", AbiSet::kAll},
    {"proxy_resolve_shared_queue", "(i32, i32, i32, i32, i32) -> i32", AbiSet::kAll},
    {"proxy_dequeue_shared_queue", "(i32, i32, i32) -> i32", AbiSet::kAll},
    {"proxy_enqueue_shared_queue", "(i32, i32, i32) -> i32", AbiSet::kAll},
    {"proxy_get_header_map_value", "(i32, i32, i32, i32, i32) -> i32", AbiSet::kAll},
    {"proxy_add_header_map_value", "(i32, i32, i32, i32, i32) -> i32", AbiSet::kAll},
    {"proxy_replace_header_map_value", "(i32, i32, i32, i32, i32) -> i32", AbiSet::kAll},
    {"proxy_remove_header_map_value", "(i32, i32, i32) -> i32", AbiSet::kAll},
    {"proxy_get_header_map_pairs", "(i32, i32, i32) -> i32", AbiSet::kAll},
    {"proxy_set_header_map_pairs", "(i32, i32, i32) -> i32", AbiSet::kAll},
    {"proxy_get_header_map_size", "(i32, i32) -> i32", AbiSet::kAll},
    {"proxy_get_buffer_status", "(i32, i32, i32) -> i32", AbiSet::kAll},
    {"proxy_get_buffer_bytes", "(i32, i32, i32, i32, i32) -> i32", AbiSet::kAll},
    {"proxy_set_buffer_bytes", "(i32, i32, i32, i32, i32) -> i32", AbiSet::kAll},
    {"proxy_http_call", "(i32, i32, i32, i32, i32, i32, i32, i32, i32, i32) -> i32", AbiSet::kAll},
    {"proxy_grpc_call", "(i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32, i32) -> i32",
     AbiSet::kAll},
    {"proxy_grpc_stream", "(i32, i32, i32, i32, i32, i32, i32, i32, i32) -> i32", AbiSet::kAll},
    {"proxy_grpc_close", "(i32) -> i32", AbiSet::kAll},
    {"proxy_grpc_cancel", "(i32) -> i32", AbiSet::kAll},
    {"proxy_grpc_send", "(i32, i32, i32, i32) -> i32", AbiSet::kAll},
    {"proxy_set_tick_period_milliseconds", "(i32) -> i32", AbiSet::kAll},
    {"proxy_get_current_time_nanoseconds", "(i32) -> i32", AbiSet::kAll},
    {"proxy_define_metric", "(i32, i32, i32, i32) -> i32", AbiSet::kAll},
    {"proxy_increment_metric", "(i32, i64) -> i32", AbiSet::kAll},
    {"proxy_record_metric", "(i32, i64) -> i32", AbiSet::kAll},
    {"proxy_get_metric", "(i32, i32) -> i32", AbiSet::kAll},
    {"proxy_set_effective_context", "(i32) -> i32", AbiSet::kAll},
    {"proxy_done", "() -> i32", AbiSet::kAll},
    {"proxy_call_foreign_function", "(i32, i32, i32, i32, i32, i32) -> i32", AbiSet::kAll},
    {"proxy_get_configuration", "(i32, i32) -> i32", AbiSet::kOnly0_1_0},
    {"proxy_continue_request", "() -> i32", AbiSet::kOnly0_1_0},
    {"proxy_continue_response", "() -> i32", AbiSet::kOnly0_1_0},
    {"proxy_clear_route_cache", "() -> i32", AbiSet::kOnly0_1_0},
    {"proxy_continue_stream", "(i32) -> i32", AbiSet::kSince0_2_0},
    {"proxy_close_stream", "(i32) -> i32", AbiSet::kSince0_2_0},
    {"proxy_get_log_level", "(i32) -> i32", AbiSet::kOnly0_2_1},
    // Registered without the proxy_ prefix (§3.20). The growth notification exists only in
    // Envoys whose proxy-wasm host is at least 73fe589 (2022-06); inspect warns about growth.
    {"emscripten_notify_memory_growth", "(i32) -> ()", AbiSet::kAll},
    {"pthread_equal", "(i32, i32) -> i32", AbiSet::kAll},
};

// facts/proxy-wasm-abi.md §6.1 (signatures observed in Emscripten 3.1.6 output) and §6.2 (which
// host release registers what).
constexpr WasiFunction kWasiFunctions[] = {
    {"fd_write", "(i32, i32, i32, i32) -> i32", WasiTier::kStable, ""},
    {"fd_read", "(i32, i32, i32, i32) -> i32", WasiTier::kStable, ""},
    {"fd_seek", "(i32, i64, i32, i32) -> i32", WasiTier::kStable, ""},
    {"fd_close", "(i32) -> i32", WasiTier::kStable, ""},
    {"fd_fdstat_get", "(i32, i32) -> i32", WasiTier::kStable, ""},
    {"environ_get", "(i32, i32) -> i32", WasiTier::kStable, ""},
    {"environ_sizes_get", "(i32, i32) -> i32", WasiTier::kStable, ""},
    {"args_get", "(i32, i32) -> i32", WasiTier::kStable, ""},
    {"args_sizes_get", "(i32, i32) -> i32", WasiTier::kStable, ""},
    {"clock_time_get", "(i32, i64, i32) -> i32", WasiTier::kStable, ""},
    {"random_get", "(i32, i32) -> i32", WasiTier::kStable, ""},
    {"proc_exit", "(i32) -> ()", WasiTier::kStable, ""},
    {"path_open", "", WasiTier::kNewer, "2022"},
    {"fd_prestat_get", "", WasiTier::kNewer, "2022"},
    {"fd_prestat_dir_name", "", WasiTier::kNewer, "2022"},
    {"fd_fdstat_set_flags", "", WasiTier::kNewer, "2025"},
    {"sched_yield", "", WasiTier::kNewer, "2025"},
    {"poll_oneoff", "", WasiTier::kNewer, "2025"},
    {"clock_res_get", "", WasiTier::kNewer, "2026"},
    {"fd_advise", "", WasiTier::kNewer, "2026"},
    {"fd_allocate", "", WasiTier::kNewer, "2026"},
    {"fd_datasync", "", WasiTier::kNewer, "2026"},
    {"fd_fdstat_set_rights", "", WasiTier::kNewer, "2026"},
    {"fd_filestat_get", "", WasiTier::kNewer, "2026"},
    {"fd_filestat_set_size", "", WasiTier::kNewer, "2026"},
    {"fd_filestat_set_times", "", WasiTier::kNewer, "2026"},
    {"fd_pread", "", WasiTier::kNewer, "2026"},
    {"fd_pwrite", "", WasiTier::kNewer, "2026"},
    {"fd_readdir", "", WasiTier::kNewer, "2026"},
    {"fd_renumber", "", WasiTier::kNewer, "2026"},
    {"fd_sync", "", WasiTier::kNewer, "2026"},
    {"fd_tell", "", WasiTier::kNewer, "2026"},
    {"path_create_directory", "", WasiTier::kNewer, "2026"},
    {"path_filestat_get", "", WasiTier::kNewer, "2026"},
    {"path_filestat_set_times", "", WasiTier::kNewer, "2026"},
    {"path_link", "", WasiTier::kNewer, "2026"},
    {"path_readlink", "", WasiTier::kNewer, "2026"},
    {"path_remove_directory", "", WasiTier::kNewer, "2026"},
    {"path_rename", "", WasiTier::kNewer, "2026"},
    {"path_symlink", "", WasiTier::kNewer, "2026"},
    {"path_unlink_file", "", WasiTier::kNewer, "2026"},
    {"sock_accept", "", WasiTier::kNewer, "2026"},
    {"sock_recv", "", WasiTier::kNewer, "2026"},
    {"sock_send", "", WasiTier::kNewer, "2026"},
    {"sock_shutdown", "", WasiTier::kNewer, "2026"},
};

template <typename T, std::size_t N>
const T* FindByName(const T (&table)[N], std::string_view name) {
  for (const T& entry : table) {
    if (entry.name == name)
      return &entry;
  }
  return nullptr;
}

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

}  // namespace

std::span<const AbiMarker> AbiMarkers() {
  return kMarkers;
}

const AbiMarker* FindAbiMarker(std::string_view export_name) {
  for (const AbiMarker& marker : kMarkers) {
    if (marker.export_name == export_name)
      return &marker;
  }
  return nullptr;
}

std::span<const Callback> Callbacks() {
  return kCallbacks;
}

const Callback* FindCallback(std::string_view name) {
  return FindByName(kCallbacks, name);
}

std::string_view ExpectedSignature(const Callback& callback, Abi abi) {
  if (abi == Abi::k0_1_0 && !callback.signature_0_1_0.empty())
    return callback.signature_0_1_0;
  return callback.signature;
}

const EnvFunction* FindEnvFunction(std::string_view name) {
  return FindByName(kEnvFunctions, name);
}

bool RegisteredFor(const EnvFunction& function, Abi abi) {
  switch (function.abis) {
    case AbiSet::kAll:
      return true;
    case AbiSet::kOnly0_1_0:
      return abi == Abi::k0_1_0;
    case AbiSet::kSince0_2_0:
      return abi != Abi::k0_1_0;
    case AbiSet::kOnly0_2_1:
      return abi == Abi::k0_2_1;
  }
  return false;
}

std::string_view AbiSetName(AbiSet abis) {
  switch (abis) {
    case AbiSet::kAll:
      return "every ABI";
    case AbiSet::kOnly0_1_0:
      return "ABI 0.1.0 only";
    case AbiSet::kSince0_2_0:
      return "ABI 0.2.0 and 0.2.1 only";
    case AbiSet::kOnly0_2_1:
      return "ABI 0.2.1 only";
  }
  return "";
}

bool IsWasiModule(std::string_view module) {
  return module == "wasi_snapshot_preview1" || module == "wasi_unstable";
}

const WasiFunction* FindWasiFunction(std::string_view name) {
  return FindByName(kWasiFunctions, name);
}

JsImportKind ClassifyJsOnlyImport(std::string_view name) {
  // JS-style exception handling and setjmp/longjmp call back into JavaScript through these
  // (facts §6.1, §7.2 item 7).
  static constexpr std::array<std::string_view, 10> kExceptionNames = {
      "getTempRet0",       "setTempRet0",        "__resumeException",
      "__cxa_begin_catch", "__cxa_end_catch",    "__cxa_throw",
      "__cxa_rethrow",     "emscripten_longjmp", "_emscripten_throw_longjmp",
      "saveSetjmp",
  };
  if (StartsWith(name, "invoke_") || StartsWith(name, "__cxa_find_matching_catch") ||
      std::find(kExceptionNames.begin(), kExceptionNames.end(), name) != kExceptionNames.end() ||
      name == "testSetjmp") {
    return JsImportKind::kExceptions;
  }
  // Without -sSTANDALONE_WASM, Emscripten implements syscalls and its runtime in JavaScript.
  if (StartsWith(name, "__syscall_") || StartsWith(name, "emscripten_") ||
      StartsWith(name, "_emscripten_") || StartsWith(name, "_embind_") ||
      StartsWith(name, "_emval_") || name == "__assert_fail" || name == "abort") {
    return JsImportKind::kJsRuntime;
  }
  return JsImportKind::kNone;
}

}  // namespace hfi::wasm

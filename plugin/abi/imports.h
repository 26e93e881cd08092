// The raw proxy-wasm 0.2.1 hostcalls this plugin imports from module "env", with the exact wasm
// signatures Envoy checks at link time (facts/proxy-wasm-abi.md §3): on wasm32, pointers, size_t
// and uint32_t are i32, and int64_t/uint64_t are i64. Each needs a stub in proxy_imports.js.
#pragma once

#include <cstddef>
#include <cstdint>

#define HFI_IMPORT(name) __attribute__((import_module("env"), import_name(#name)))

extern "C" {
HFI_IMPORT(proxy_log)
std::uint32_t proxy_log(std::uint32_t level, const char* message, std::size_t size);
HFI_IMPORT(proxy_get_log_level) std::uint32_t proxy_get_log_level(std::uint32_t* level);
HFI_IMPORT(proxy_set_tick_period_milliseconds)
std::uint32_t proxy_set_tick_period_milliseconds(std::uint32_t period_ms);
HFI_IMPORT(proxy_get_buffer_bytes)
std::uint32_t proxy_get_buffer_bytes(std::uint32_t type, std::uint32_t start,
                                     std::uint32_t max_size, const char** data, std::size_t* size);
HFI_IMPORT(proxy_get_header_map_value)
std::uint32_t proxy_get_header_map_value(std::uint32_t map, const char* key, std::size_t key_size,
                                         const char** value, std::size_t* value_size);
HFI_IMPORT(proxy_add_header_map_value)
std::uint32_t proxy_add_header_map_value(std::uint32_t map, const char* key, std::size_t key_size,
                                         const char* value, std::size_t value_size);
HFI_IMPORT(proxy_send_local_response)
std::uint32_t proxy_send_local_response(std::uint32_t status, const char* details,
                                        std::size_t details_size, const char* body,
                                        std::size_t body_size, const char* headers,
                                        std::size_t headers_size, std::int32_t grpc_status);
HFI_IMPORT(proxy_continue_stream) std::uint32_t proxy_continue_stream(std::uint32_t stream_type);
HFI_IMPORT(proxy_get_property)
std::uint32_t proxy_get_property(const char* path, std::size_t path_size, const char** value,
                                 std::size_t* value_size);
HFI_IMPORT(proxy_define_metric)
std::uint32_t proxy_define_metric(std::uint32_t type, const char* name, std::size_t name_size,
                                  std::uint32_t* id);
HFI_IMPORT(proxy_increment_metric)
std::uint32_t proxy_increment_metric(std::uint32_t id, std::int64_t delta);
HFI_IMPORT(proxy_record_metric)
std::uint32_t proxy_record_metric(std::uint32_t id, std::uint64_t value);
HFI_IMPORT(proxy_set_effective_context)
std::uint32_t proxy_set_effective_context(std::uint32_t context_id);
}

#undef HFI_IMPORT

namespace hfi::plugin::abi {

// proxy_map_type_t, proxy_buffer_type_t and proxy_stream_type_t values used here (§2.3-2.5).
inline constexpr std::uint32_t kRequestHeaders = 0;
inline constexpr std::uint32_t kResponseHeaders = 2;
inline constexpr std::uint32_t kPluginConfiguration = 7;
inline constexpr std::uint32_t kStreamRequest = 0;
// grpc_status for proxy_send_local_response meaning "none": Envoy ignores values outside 0..16.
inline constexpr std::int32_t kNoGrpcStatus = -1;

}  // namespace hfi::plugin::abi

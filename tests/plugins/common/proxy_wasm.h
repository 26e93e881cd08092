// The proxy-wasm 0.2.1 hostcalls the test plugins import from "env", declared with the wasm
// signatures Envoy links against (facts/proxy-wasm-abi.md §3: pointers, size_t and uint32_t are
// i32, metric values i64). Each one needs a stub in imports.js for em++ 3.1.6 to link it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>

#define TEST_PLUGIN_IMPORT(name) __attribute__((import_module("env"), import_name(#name)))
// Only `used` makes em++ export a function (facts/proxy-wasm-abi.md §7.2 item 3).
#define TEST_PLUGIN_EXPORT extern "C" __attribute__((used, visibility("default")))

extern "C" {
TEST_PLUGIN_IMPORT(proxy_define_metric)
std::uint32_t proxy_define_metric(std::uint32_t type, const char* name, std::size_t name_size,
                                  std::uint32_t* id);
TEST_PLUGIN_IMPORT(proxy_increment_metric)
std::uint32_t proxy_increment_metric(std::uint32_t id, std::int64_t delta);
TEST_PLUGIN_IMPORT(proxy_record_metric)
std::uint32_t proxy_record_metric(std::uint32_t id, std::uint64_t value);
TEST_PLUGIN_IMPORT(proxy_get_header_map_value)
std::uint32_t proxy_get_header_map_value(std::uint32_t map, const char* key, std::size_t key_size,
                                         const char** value, std::size_t* value_size);
TEST_PLUGIN_IMPORT(proxy_add_header_map_value)
std::uint32_t proxy_add_header_map_value(std::uint32_t map, const char* key, std::size_t key_size,
                                         const char* value, std::size_t value_size);
TEST_PLUGIN_IMPORT(proxy_send_local_response)
std::uint32_t proxy_send_local_response(std::uint32_t status, const char* details,
                                        std::size_t details_size, const char* body,
                                        std::size_t body_size, const char* headers,
                                        std::size_t headers_size, std::int32_t grpc_status);
TEST_PLUGIN_IMPORT(proxy_continue_stream) std::uint32_t proxy_continue_stream(std::uint32_t type);
TEST_PLUGIN_IMPORT(proxy_set_tick_period_milliseconds)
std::uint32_t proxy_set_tick_period_milliseconds(std::uint32_t period_ms);
TEST_PLUGIN_IMPORT(proxy_set_effective_context)
std::uint32_t proxy_set_effective_context(std::uint32_t context_id);
}

namespace test_plugin {

enum MetricType : std::uint32_t { kCounter = 0, kGauge = 1, kHistogram = 2 };

// proxy_map_type_t, proxy_stream_type_t and proxy_action_t values (facts/proxy-wasm-abi.md §2).
inline constexpr std::uint32_t kRequestHeaders = 0;
inline constexpr std::uint32_t kResponseHeaders = 2;
inline constexpr std::uint32_t kStreamRequest = 0;
inline constexpr std::uint32_t kContinue = 0;
inline constexpr std::uint32_t kStopIteration = 1;
inline constexpr std::uint32_t kOk = 0;

// The name goes in as a string constant, so `hfi-metrics inspect` finds it in the data segments.
inline std::uint32_t DefineMetric(MetricType type, const char* name) {
  std::uint32_t id = 0;
  proxy_define_metric(type, name, std::strlen(name), &id);
  return id;
}

}  // namespace test_plugin

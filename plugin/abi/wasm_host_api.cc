#include "plugin/abi/wasm_host_api.h"

#include <time.h>
#include <wasi/api.h>

#include <string>

#include "plugin/abi/imports.h"
#include "plugin/abi/pairs.h"

namespace hfi::plugin::abi {
namespace {

WasmResult ToResult(std::uint32_t status) {
  return static_cast<WasmResult>(status);
}

// Bytes the host copied into a block from our malloc: ours to free (facts/proxy-wasm-abi.md §5).
HostBytes Adopt(const char* data, std::size_t size) {
  return HostBytes(data, size, true);
}

}  // namespace

bool WasmHostApi::LogEnabled(LogLevel level) {
  std::uint32_t host_level = 0;
  if (proxy_get_log_level(&host_level) != 0)
    return true;  // unknown: let the host decide
  return static_cast<std::uint32_t>(level) >= host_level;
}

void WasmHostApi::Log(LogLevel level, std::string_view message) {
  proxy_log(static_cast<std::uint32_t>(level), message.data(), message.size());
}

WasmResult WasmHostApi::GetRequestHeader(std::string_view name, HostBytes* value) {
  const char* data = nullptr;
  std::size_t size = 0;
  const std::uint32_t status =
      proxy_get_header_map_value(kRequestHeaders, name.data(), name.size(), &data, &size);
  *value = Adopt(status == 0 ? data : nullptr, status == 0 ? size : 0);
  return ToResult(status);
}

WasmResult WasmHostApi::AddResponseHeader(std::string_view name, std::string_view value) {
  return ToResult(proxy_add_header_map_value(kResponseHeaders, name.data(), name.size(),
                                             value.data(), value.size()));
}

WasmResult WasmHostApi::SendLocalResponse(std::uint32_t status, std::string_view details,
                                          std::string_view body, const HeaderPair* headers,
                                          std::size_t header_count) {
  // The host copies everything before it returns (§5 item 3), so a temporary is enough.
  const std::string pairs = SerializePairs(headers, header_count);
  return ToResult(proxy_send_local_response(status, details.data(), details.size(), body.data(),
                                            body.size(), pairs.data(), pairs.size(),
                                            kNoGrpcStatus));
}

WasmResult WasmHostApi::ContinueRequest() {
  return ToResult(proxy_continue_stream(kStreamRequest));
}

WasmResult WasmHostApi::SetTickPeriodMs(std::uint32_t period_ms) {
  return ToResult(proxy_set_tick_period_milliseconds(period_ms));
}

std::int64_t WasmHostApi::MonotonicNowNs() {
  // Becomes WASI clock_time_get(MONOTONIC), which Envoy answers from its monotonic clock; the
  // proxy-wasm time hostcall is wall-clock time, wrong for deadlines (§3.4).
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  return static_cast<std::int64_t>(now.tv_sec) * 1'000'000'000 + now.tv_nsec;
}

std::uint64_t WasmHostApi::RandomSeed() {
  // WASI random_get is in every Envoy's WASI set (§6.2); the clock is the fallback.
  std::uint64_t seed = 0;
  if (__wasi_random_get(reinterpret_cast<std::uint8_t*>(&seed), sizeof seed) == 0 && seed != 0) {
    return seed;
  }
  timespec now{};
  clock_gettime(CLOCK_REALTIME, &now);
  return static_cast<std::uint64_t>(now.tv_sec) * 1'000'000'000u +
         static_cast<std::uint64_t>(now.tv_nsec);
}

WasmResult WasmHostApi::DefineMetric(MetricType type, std::string_view name, std::uint32_t* id) {
  return ToResult(
      proxy_define_metric(static_cast<std::uint32_t>(type), name.data(), name.size(), id));
}

WasmResult WasmHostApi::IncrementMetric(std::uint32_t id, std::int64_t delta) {
  return ToResult(proxy_increment_metric(id, delta));
}

WasmResult WasmHostApi::RecordMetric(std::uint32_t id, std::uint64_t value) {
  return ToResult(proxy_record_metric(id, value));
}

WasmResult WasmHostApi::GetProperty(std::string_view path, HostBytes* value) {
  const char* data = nullptr;
  std::size_t size = 0;
  const std::uint32_t status = proxy_get_property(path.data(), path.size(), &data, &size);
  *value = Adopt(status == 0 ? data : nullptr, status == 0 ? size : 0);
  return ToResult(status);
}

WasmResult WasmHostApi::GetPluginConfiguration(std::size_t size, HostBytes* bytes) {
  const char* data = nullptr;
  std::size_t got = 0;
  const std::uint32_t status = proxy_get_buffer_bytes(
      kPluginConfiguration, 0, static_cast<std::uint32_t>(size), &data, &got);
  *bytes = Adopt(status == 0 ? data : nullptr, status == 0 ? got : 0);
  return ToResult(status);
}

WasmResult WasmHostApi::SetEffectiveContext(std::uint32_t context_id) {
  return ToResult(proxy_set_effective_context(context_id));
}

}  // namespace hfi::plugin::abi

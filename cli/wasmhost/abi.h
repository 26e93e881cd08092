// The proxy-wasm 0.2.1 numbers the host and the plugin exchange: status codes, buffer, map, stream
// and metric types, log levels and the WASI errno values the host returns
// (facts/proxy-wasm-abi.md §2). Values only; no behaviour.
#pragma once

#include <cstdint>

namespace hfi::wasmhost {

// proxy_status_t, returned by every proxy_* hostcall (§2.1).
enum class WasmResult : std::uint32_t {
  kOk = 0,
  kNotFound = 1,
  kBadArgument = 2,
  kSerializationFailure = 3,
  kParseFailure = 4,
  kInvalidMemoryAccess = 6,
  kEmpty = 7,
  kInternalFailure = 10,
  kUnimplemented = 12,
};

enum class BufferType : std::uint32_t {  // §2.3
  kHttpRequestBody = 0,
  kHttpResponseBody = 1,
  kVmConfiguration = 6,
  kPluginConfiguration = 7,
  kMax = 8,
};

enum class MapType : std::uint32_t {  // §2.4
  kRequestHeaders = 0,
  kRequestTrailers = 1,
  kResponseHeaders = 2,
  kResponseTrailers = 3,
  kMax = 7,
};

enum class StreamType : std::uint32_t {  // §2.5
  kRequest = 0,
  kResponse = 1,
  kDownstream = 2,
  kUpstream = 3,
};

enum class MetricType : std::uint32_t { kCounter = 0, kGauge = 1, kHistogram = 2 };  // §2.2

// The plugin's return value from a headers callback (§2.6): 0 continues; 1, 3 and 4 stop (Envoy
// turns 1 into StopAllIterationAndWatermark); 2 (ContinueAndEndStream) continues in Envoy.
inline bool HeadersStatusStops(std::uint32_t status) {
  return status != 0 && status != 2;
}

// WASI errno values the host returns (§2.8).
namespace wasi {
inline constexpr std::uint32_t kSuccess = 0;
inline constexpr std::uint32_t kBadf = 8;
inline constexpr std::uint32_t kFault = 21;
inline constexpr std::uint32_t kInval = 28;
inline constexpr std::uint32_t kNosys = 52;
inline constexpr std::uint32_t kNotsup = 58;
}  // namespace wasi

}  // namespace hfi::wasmhost

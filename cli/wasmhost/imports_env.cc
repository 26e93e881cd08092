// env hostcalls that are not about headers, streams, properties or metrics: logging, the timer,
// time, buffers, the effective context, proxy_done and Emscripten's memory-growth notice
// (facts/proxy-wasm-abi.md §3.1-3.5, §3.17, §3.18, §3.20).
#include <limits>

#include "wasmhost/hostcall.h"

namespace hfi::wasmhost {
namespace {

constexpr std::uint32_t kMaxLogLevel = 5;

std::uint32_t Log(HostCall& call) {
  const std::uint32_t level = call.U32(0);
  if (level > kMaxLogLevel)
    return Word(WasmResult::kBadArgument);
  std::optional<std::string> message = call.Read(call.U32(1), call.U32(2));
  if (!message)
    return Word(WasmResult::kInvalidMemoryAccess);
  call.host.Log(static_cast<LogLevel>(level), LogSource::kPlugin, std::move(*message));
  return Word(WasmResult::kOk);
}

std::uint32_t GetLogLevel(HostCall& call) {
  const auto level = static_cast<std::uint32_t>(call.host.options.log_level);
  if (!call.vm.memory().WriteU32(call.U32(0), level))
    return Word(WasmResult::kInvalidMemoryAccess);
  return Word(WasmResult::kOk);
}

// The timer belongs to the root context whichever context sets it (§3.3).
std::uint32_t SetTickPeriod(HostCall& call) {
  call.host.SetTickPeriod(call.U32(0));
  return Word(WasmResult::kOk);
}

// Wall-clock time, as Envoy's systemTime() (§3.4).
std::uint32_t GetCurrentTime(HostCall& call) {
  const auto now = static_cast<std::uint64_t>(call.host.clock.RealtimeNanos());
  if (!call.vm.memory().WriteU64(call.U32(0), now))
    return Word(WasmResult::kInvalidMemoryAccess);
  return Word(WasmResult::kOk);
}

// The bytes of buffer `type` now, or nullopt where Envoy has no buffer (NotFound) (§2.3).
std::optional<std::string_view> BufferNow(HostCall& call, std::uint32_t type) {
  HostState& host = call.host;
  switch (static_cast<BufferType>(type)) {
    case BufferType::kVmConfiguration:
      return std::string_view(host.options.vm_configuration);
    case BufferType::kPluginConfiguration:
      if (host.plugin_configuration_readable)
        return std::string_view(host.plugin_configuration);
      return std::nullopt;
    case BufferType::kHttpRequestBody:
    case BufferType::kHttpResponseBody: {
      // Outside the body callbacks Envoy wraps a null body buffer: empty, not NotFound
      // (§2.3, UNCONFIRMED there).
      const StreamContext* stream = call.Stream();
      if (stream == nullptr || stream->readable_body != static_cast<BufferType>(type))
        return std::string_view();
      return std::string_view(static_cast<BufferType>(type) == BufferType::kHttpRequestBody
                                  ? stream->request_body
                                  : stream->response_body);
    }
    default:
      // TCP data buffers are empty in an HTTP filter; HTTP/gRPC call responses and foreign
      // function arguments exist only in callbacks this host never makes.
      if (type == 2 || type == 3)
        return std::string_view();
      return std::nullopt;
  }
}

std::uint32_t GetBufferBytes(HostCall& call) {
  const std::uint32_t type = call.U32(0);
  const std::uint32_t start = call.U32(1);
  const std::uint32_t max_size = call.U32(2);
  if (type > static_cast<std::uint32_t>(BufferType::kMax))
    return Word(WasmResult::kBadArgument);
  std::optional<std::string_view> buffer = BufferNow(call, type);
  if (!buffer)
    return Word(WasmResult::kNotFound);
  if (max_size > std::numeric_limits<std::uint32_t>::max() - start)
    return Word(WasmResult::kBadArgument);
  // Reads are clamped to the buffer, never an error (§3.5).
  std::string_view bytes;
  if (start < buffer->size())
    bytes = buffer->substr(start, max_size);
  return call.CopyOut(bytes, call.U32(3), call.U32(4));
}

std::uint32_t GetBufferStatus(HostCall& call) {
  const std::uint32_t type = call.U32(0);
  if (type > static_cast<std::uint32_t>(BufferType::kMax))
    return Word(WasmResult::kBadArgument);
  std::optional<std::string_view> buffer = BufferNow(call, type);
  if (!buffer)
    return Word(WasmResult::kNotFound);
  GuestMemory& memory = call.vm.memory();
  if (!memory.WriteU32(call.U32(1), static_cast<std::uint32_t>(buffer->size())) ||
      !memory.WriteU32(call.U32(2), 0))
    return Word(WasmResult::kInvalidMemoryAccess);
  return Word(WasmResult::kOk);
}

// Lasts until the current host->VM call returns: every call starts with it reset (§3.17).
std::uint32_t SetEffectiveContext(HostCall& call) {
  const std::uint32_t id = call.U32(0);
  if (!call.host.IsLiveContext(id))
    return Word(WasmResult::kBadArgument);
  call.vm.frame().effective_context_id = id;
  return Word(WasmResult::kOk);
}

// Only a root context whose proxy_on_done returned 0 may call it; the root is then deleted
// once the VM call returns (§3.18, §4.4).
std::uint32_t Done(HostCall& call) {
  HostState& host = call.host;
  if (call.ContextId() != host.root_id || !host.root_pending_done)
    return Word(WasmResult::kNotFound);
  host.root_pending_done = false;
  host.root_done_called = true;
  return Word(WasmResult::kOk);
}

// Registered by cpp-host as a no-op (§3.20).
std::uint32_t NotifyMemoryGrowth(HostCall&) {
  return 0;
}

}  // namespace

void AddEnvImports(std::vector<ImportSpec>* out) {
  out->insert(
      out->end(),
      {
          {"env", "proxy_log", "iii", "i", Log, /*in_startup=*/true, /*in_malloc=*/true},
          {"env", "proxy_get_log_level", "i", "i", GetLogLevel, false, false,
           /*abi_0_2_1_only=*/true},
          {"env", "proxy_set_tick_period_milliseconds", "i", "i", SetTickPeriod, false, false},
          {"env", "proxy_get_current_time_nanoseconds", "i", "i", GetCurrentTime, false, false},
          {"env", "proxy_get_buffer_bytes", "iiiii", "i", GetBufferBytes, false, false},
          {"env", "proxy_get_buffer_status", "iii", "i", GetBufferStatus, false, false},
          {"env", "proxy_set_effective_context", "i", "i", SetEffectiveContext, false, false},
          {"env", "proxy_done", "", "i", Done, false, false},
          // Allowed at start-up since cpp-host 14fa83a, never inside the host's malloc (§4.2, §5).
          {"env", "emscripten_notify_memory_growth", "i", "", NotifyMemoryGrowth, true, false},
      });
}

}  // namespace hfi::wasmhost

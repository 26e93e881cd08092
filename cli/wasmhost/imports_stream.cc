// Hostcalls that steer an HTTP stream: proxy_send_local_response, proxy_continue_stream and
// proxy_close_stream (facts/proxy-wasm-abi.md §3.10, §3.11). Envoy defers each until the VM call
// returns; so does this host: they are recorded on the stream and applied by PluginHost.
#include "wasmhost/hostcall.h"

namespace hfi::wasmhost {
namespace {

constexpr std::uint32_t kMaxStreamType = 3;
constexpr std::int32_t kMaxGrpcStatus = 16;

std::uint32_t SendLocalResponse(HostCall& call) {
  const std::uint32_t status = call.U32(0);
  std::optional<std::string> details = call.Read(call.U32(1), call.U32(2));
  std::optional<std::string> body = call.Read(call.U32(3), call.U32(4));
  std::optional<std::string> headers = call.Read(call.U32(5), call.U32(6));
  if (!details || !body || !headers)
    return Word(WasmResult::kInvalidMemoryAccess);
  const auto grpc_status = static_cast<std::int32_t>(call.U32(7));

  StreamContext* stream = call.Stream();
  if (stream == nullptr) {
    // The root and VM contexts have no decoder callbacks: Envoy does nothing.
    call.host.Log(LogLevel::kDebug, LogSource::kHost,
                  "proxy_send_local_response outside a stream context: nothing to answer");
    return Word(WasmResult::kOk);
  }
  if (stream->pending_reply || stream->sent_reply || stream->Terminal()) {
    call.host.Log(LogLevel::kWarn, LogSource::kHost,
                  "proxy_send_local_response on stream " + std::to_string(stream->id) +
                      ", which already has a reply: ignored");
    return Word(WasmResult::kOk);
  }
  LocalReply reply;
  reply.status = status;
  if (!ParsePairs(*headers, &reply.headers)) {
    call.host.Log(LogLevel::kWarn, LogSource::kHost,
                  "proxy_send_local_response: malformed headers block of " +
                      std::to_string(headers->size()) + " bytes; sent without them, as in Envoy");
  }
  reply.body = std::move(*body);
  // StringUtil::replaceAllEmptySpace (§3.10).
  for (char& c : *details) {
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')
      c = '_';
  }
  reply.details = std::move(*details);
  if (grpc_status >= 0 && grpc_status <= kMaxGrpcStatus)
    reply.grpc_status = static_cast<std::uint32_t>(grpc_status);
  stream->pending_reply = std::move(reply);
  call.host.Defer(*stream);
  return Word(WasmResult::kOk);
}

std::uint32_t ContinueStream(HostCall& call) {
  const std::uint32_t type = call.U32(0);
  if (type > kMaxStreamType)
    return Word(WasmResult::kBadArgument);
  if (type == static_cast<std::uint32_t>(StreamType::kUpstream))
    return Word(WasmResult::kUnimplemented);
  StreamContext* stream = call.Stream();
  // Downstream is a TCP filter's; the root has no stream: both are no-ops in Envoy.
  if (stream == nullptr || type == static_cast<std::uint32_t>(StreamType::kDownstream))
    return Word(WasmResult::kOk);
  if (type == static_cast<std::uint32_t>(StreamType::kRequest))
    stream->continue_request = true;
  else
    stream->continue_response = true;
  call.host.Defer(*stream);
  return Word(WasmResult::kOk);
}

// Envoy resets the stream (details `wasm_close_stream`).
std::uint32_t CloseStream(HostCall& call) {
  const std::uint32_t type = call.U32(0);
  if (type > kMaxStreamType)
    return Word(WasmResult::kBadArgument);
  StreamContext* stream = call.Stream();
  if (stream == nullptr || type >= static_cast<std::uint32_t>(StreamType::kDownstream))
    return Word(WasmResult::kOk);
  stream->close = true;
  call.host.Defer(*stream);
  return Word(WasmResult::kOk);
}

}  // namespace

void AddStreamImports(std::vector<ImportSpec>* out) {
  out->insert(
      out->end(),
      {
          {"env", "proxy_send_local_response", "iiiiiiii", "i", SendLocalResponse, false, false},
          {"env", "proxy_continue_stream", "i", "i", ContinueStream, false, false},
          {"env", "proxy_close_stream", "i", "i", CloseStream, false, false},
      });
}

}  // namespace hfi::wasmhost

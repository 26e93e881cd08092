// The header-map hostcalls (facts/proxy-wasm-abi.md §3.6-3.9). A map exists only while Envoy
// holds it: request headers from proxy_on_request_headers until the stream continues, response
// headers likewise, both read-only in proxy_on_log. Outside that, reads and changes get
// BadArgument (NotFound in proxy_on_log) and pairs come back empty.
#include "wasmhost/hostcall.h"

namespace hfi::wasmhost {
namespace {

struct MapView {
  HeaderMap* map = nullptr;  // null: not available now
  bool writable = false;
  bool in_log = false;
};

MapView MapNow(HostCall& call, std::uint32_t type) {
  StreamContext* stream = call.Stream();
  if (stream == nullptr)
    return {};
  MapView view;
  view.in_log = stream->in_log;
  MapAccess access = MapAccess::kNone;
  if (type == static_cast<std::uint32_t>(MapType::kRequestHeaders)) {
    view.map = &stream->request_headers;
    access = stream->request_access;
  } else if (type == static_cast<std::uint32_t>(MapType::kResponseHeaders)) {
    view.map = &stream->response_headers;
    access = stream->response_access;
  }
  // Trailers, gRPC metadata and HTTP-call maps never exist in this host.
  if (access == MapAccess::kNone)
    view.map = nullptr;
  view.writable = access == MapAccess::kReadWrite;
  return view;
}

bool BadType(std::uint32_t type) {
  return type > static_cast<std::uint32_t>(MapType::kMax);
}

WasmResult Unavailable(const MapView& view) {
  return view.in_log ? WasmResult::kNotFound : WasmResult::kBadArgument;
}

std::uint32_t GetValue(HostCall& call) {
  const std::uint32_t type = call.U32(0);
  if (BadType(type))
    return Word(WasmResult::kBadArgument);
  std::optional<std::string> key = call.Read(call.U32(1), call.U32(2));
  if (!key)
    return Word(WasmResult::kInvalidMemoryAccess);
  MapView view = MapNow(call, type);
  if (view.map == nullptr)
    return Word(Unavailable(view));
  std::optional<std::string_view> value = view.map->Get(*key);
  if (!value)
    return Word(WasmResult::kNotFound);
  return call.CopyOut(*value, call.U32(3), call.U32(4));
}

std::uint32_t GetPairs(HostCall& call) {
  const std::uint32_t type = call.U32(0);
  if (BadType(type))
    return Word(WasmResult::kBadArgument);
  MapView view = MapNow(call, type);
  // An unavailable map reads as an empty one here, not as an error (§3.7).
  const std::string pairs = view.map ? SerializePairs(view.map->entries()) : std::string();
  return call.CopyOut(pairs, call.U32(1), call.U32(2));
}

std::uint32_t GetSize(HostCall& call) {
  const std::uint32_t type = call.U32(0);
  if (BadType(type))
    return Word(WasmResult::kBadArgument);
  MapView view = MapNow(call, type);
  if (view.map == nullptr)
    return Word(Unavailable(view));
  const auto size = static_cast<std::uint32_t>(view.map->ByteSize());
  if (!call.vm.memory().WriteU32(call.U32(1), size))
    return Word(WasmResult::kInvalidMemoryAccess);
  return Word(WasmResult::kOk);
}

enum class Change { kAdd, kReplace, kRemove };

template <Change kChange>
std::uint32_t ChangeValue(HostCall& call) {
  const std::uint32_t type = call.U32(0);
  if (BadType(type))
    return Word(WasmResult::kBadArgument);
  std::optional<std::string> key = call.Read(call.U32(1), call.U32(2));
  std::optional<std::string> value = kChange == Change::kRemove
                                         ? std::optional<std::string>(std::string())
                                         : call.Read(call.U32(3), call.U32(4));
  if (!key || !value)
    return Word(WasmResult::kInvalidMemoryAccess);
  MapView view = MapNow(call, type);
  if (view.map == nullptr || !view.writable)
    return Word(WasmResult::kBadArgument);
  if (kChange == Change::kAdd)
    view.map->Add(*key, *value);
  else if (kChange == Change::kReplace)
    view.map->Replace(*key, *value);
  else
    view.map->Remove(*key);  // Ok even when absent
  return Word(WasmResult::kOk);
}

std::uint32_t SetPairs(HostCall& call) {
  const std::uint32_t type = call.U32(0);
  if (BadType(type))
    return Word(WasmResult::kBadArgument);
  std::optional<std::string> bytes = call.Read(call.U32(1), call.U32(2));
  if (!bytes)
    return Word(WasmResult::kInvalidMemoryAccess);
  MapView view = MapNow(call, type);
  if (view.map == nullptr || !view.writable)
    return Word(WasmResult::kBadArgument);
  HeaderList pairs;
  if (!ParsePairs(*bytes, &pairs)) {
    // cpp-host drops a malformed block silently (§3.8); say so, since nobody else will.
    call.host.Log(LogLevel::kWarn, LogSource::kHost,
                  "proxy_set_header_map_pairs: malformed pairs block of " +
                      std::to_string(bytes->size()) + " bytes; the map is now empty, as in Envoy");
  }
  *view.map = HeaderMap(pairs);
  return Word(WasmResult::kOk);
}

}  // namespace

void AddHeaderImports(std::vector<ImportSpec>* out) {
  out->insert(out->end(),
              {
                  {"env", "proxy_get_header_map_value", "iiiii", "i", GetValue, false, false},
                  {"env", "proxy_get_header_map_pairs", "iii", "i", GetPairs, false, false},
                  {"env", "proxy_get_header_map_size", "ii", "i", GetSize, false, false},
                  {"env", "proxy_add_header_map_value", "iiiii", "i", ChangeValue<Change::kAdd>,
                   false, false},
                  {"env", "proxy_replace_header_map_value", "iiiii", "i",
                   ChangeValue<Change::kReplace>, false, false},
                  {"env", "proxy_remove_header_map_value", "iii", "i", ChangeValue<Change::kRemove>,
                   false, false},
                  {"env", "proxy_set_header_map_pairs", "iii", "i", SetPairs, false, false},
              });
}

}  // namespace hfi::wasmhost

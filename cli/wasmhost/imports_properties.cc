// proxy_get_property (facts/proxy-wasm-abi.md §3.12): the plugin's own identity, the node
// metadata Istio puts on every sidecar, and the request attributes that cost nothing to answer.
// Paths are tokens separated by NUL; a trailing NUL is allowed. Anything else is NotFound.
#include <cstdlib>

#include "wasmhost/hostcall.h"

namespace hfi::wasmhost {
namespace {

std::vector<std::string_view> SplitPath(std::string_view path) {
  std::vector<std::string_view> tokens;
  std::size_t start = 0;
  while (start < path.size()) {
    const std::size_t end = path.find('\0', start);
    tokens.push_back(path.substr(start, end == std::string_view::npos ? end : end - start));
    if (end == std::string_view::npos)
      break;
    start = end + 1;
  }
  return tokens;
}

// int64 attributes are 8 bytes little-endian (§3.12, serializeValue).
std::string Int64Bytes(std::int64_t value) {
  std::string out(8, '\0');
  for (int i = 0; i < 8; ++i)
    out[i] = static_cast<char>((static_cast<std::uint64_t>(value) >> (8 * i)) & 0xff);
  return out;
}

std::optional<std::string> HeaderValue(const HeaderMap& map, std::string_view key) {
  std::optional<std::string_view> value = map.Get(key);
  if (!value)
    return std::nullopt;
  return std::string(*value);
}

std::optional<std::string> RequestAttribute(const StreamContext& stream, std::string_view name) {
  const HeaderMap& headers = stream.request_headers;
  if (name == "path")
    return HeaderValue(headers, ":path");
  if (name == "url_path") {
    std::optional<std::string> path = HeaderValue(headers, ":path");
    if (path)
      path->erase(std::min(path->find('?'), path->size()));
    return path;
  }
  if (name == "host")
    return HeaderValue(headers, ":authority");
  if (name == "scheme")
    return HeaderValue(headers, ":scheme");
  if (name == "method")
    return HeaderValue(headers, ":method");
  if (name == "id")
    return HeaderValue(headers, "x-request-id");
  if (name == "useragent")
    return HeaderValue(headers, "user-agent");
  if (name == "referer")
    return HeaderValue(headers, "referer");
  if (name == "headers")  // a map: pairs format
    return SerializePairs(headers.entries());
  return std::nullopt;
}

std::optional<std::string> ResponseAttribute(const StreamContext& stream, std::string_view name) {
  const bool has_response = stream.stage == Stage::kResponse || stream.stage == Stage::kComplete ||
                            stream.sent_reply.has_value();
  if (!has_response)
    return std::nullopt;
  if (name == "code") {
    std::optional<std::string> status = HeaderValue(stream.response_headers, ":status");
    if (!status)
      return std::nullopt;
    return Int64Bytes(std::strtoll(status->c_str(), nullptr, 10));
  }
  if (name == "headers")
    return SerializePairs(stream.response_headers.entries());
  return std::nullopt;
}

std::optional<std::string> Property(HostCall& call, const std::vector<std::string_view>& path) {
  const HostOptions& options = call.host.options;
  if (path.size() == 1) {
    if (path[0] == "plugin_name")
      return options.plugin_name;
    if (path[0] == "plugin_root_id")
      return options.root_id;
    if (path[0] == "plugin_vm_id")
      return options.vm_id;
    return std::nullopt;
  }
  if (path.size() == 3 && path[0] == "node" && path[1] == "metadata") {
    auto it = options.node_metadata.find(std::string(path[2]));
    if (it == options.node_metadata.end())
      return std::nullopt;
    return it->second;
  }
  const StreamContext* stream = call.Stream();
  if (path.size() == 2 && stream != nullptr) {
    if (path[0] == "request")
      return RequestAttribute(*stream, path[1]);
    if (path[0] == "response")
      return ResponseAttribute(*stream, path[1]);
  }
  return std::nullopt;
}

std::uint32_t GetProperty(HostCall& call) {
  std::optional<std::string> path = call.Read(call.U32(0), call.U32(1));
  if (!path)
    return Word(WasmResult::kInvalidMemoryAccess);
  std::optional<std::string> value = Property(call, SplitPath(*path));
  if (!value)
    return Word(WasmResult::kNotFound);
  return call.CopyOut(*value, call.U32(2), call.U32(3));
}

}  // namespace

void AddPropertyImports(std::vector<ImportSpec>* out) {
  out->push_back({"env", "proxy_get_property", "iiii", "i", GetProperty, false, false});
}

}  // namespace hfi::wasmhost

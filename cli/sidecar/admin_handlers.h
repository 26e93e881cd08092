// Envoy's admin endpoints that the sidecar serves, as pure functions of a path and a snapshot of
// the sidecar (no sockets, no locking: the caller holds the sidecar's lock while one runs).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "envoystats/stat_store.h"
#include "sidecar/sidecar.h"

namespace hfi::sidecar {

// envoy.admin.v3.ServerInfo.State, as /ready and /server_info print it.
enum class ServerState { kPreInitializing, kLive, kDraining };
std::string_view ServerStateName(ServerState state);  // "LIVE", ...

// What the admin endpoints describe. Pointers, not copies: the caller keeps them alive and
// unchanged while a handler runs.
struct AdminContext {
  const envoystats::StatStore* stats = nullptr;
  const SidecarConfig* config = nullptr;
  ServerState state = ServerState::kLive;
  std::int64_t uptime_seconds = 0;
  std::int64_t started_unix_ms = 0;  // wall clock at start, for `last_updated`
  std::string admin_address;         // as bound, "127.0.0.1:15000"
  std::string listen_address;        // as bound, "127.0.0.1:15006"
};

struct AdminResponse {
  int status = 200;
  std::string content_type;
  std::string body;
};

// Envoy's admin content types (source/server/admin: handlers that set none get the fallback
// text/plain; charset=UTF-8, which includes /stats/prometheus).
inline constexpr std::string_view kTextContentType = "text/plain; charset=UTF-8";
inline constexpr std::string_view kJsonContentType = "application/json";

// One admin request: `path_and_query` as received ("/stats?usedonly&filter=hfi"). The path must
// equal a handler's exactly, as in Envoy; anything else is Envoy's 404 "invalid path." answer.
AdminResponse HandleAdmin(std::string_view path_and_query, const AdminContext& context);

// Query parameters Envoy-style: split on '&', "key" alone is present with "", values
// percent-decoded ('+' stays '+': regexes need it); the first occurrence of a key wins.
std::map<std::string, std::string> ParseQuery(std::string_view query);

}  // namespace hfi::sidecar

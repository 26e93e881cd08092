// The JSON documents of Envoy's /server_info and /config_dump for the sidecar, in Envoy's proto3
// JSON (field names of envoy.admin.v3.ServerInfo, envoy.admin.v3.ConfigDump, the bootstrap and
// listener protos), so whatever reads a real sidecar's output reads this one the same way.
#pragma once

#include <chrono>
#include <string>
#include <string_view>

#include "envoystats/stats_matcher.h"
#include "sidecar/admin_handlers.h"

namespace hfi::sidecar {

// The Envoy release the sidecar presents itself as. Its stats behaviour follows Istio 1.24's
// bootstrap (the `vhost\..*\.route\..*` inclusion regex, facts/envoy-istio.md §3.1) and the
// custom-namespace naming of Envoy >= 1.20 (§1.3); Istio 1.24 ships Envoy 1.32.
inline constexpr std::string_view kEnvoyVersion = "1.32.3";

// Envoy's version string, "<commit>/<version>/Clean/RELEASE/BoringSSL"; the commit is this
// build's, since no Envoy commit built it.
std::string EnvoyVersionString();

// google.protobuf.Duration in proto3 JSON: "5s", "0.250s", "1.500s".
std::string ProtoDuration(std::chrono::milliseconds duration);

// /server_info: pretty-printed with every primitive field, as Envoy prints it.
std::string RenderServerInfo(const AdminContext& context);
// /config_dump: the bootstrap (node, admin address, stats_config.stats_matcher,
// stats_flush_interval) and the inbound listener with the Wasm HTTP filter.
std::string RenderConfigDump(const AdminContext& context);

}  // namespace hfi::sidecar

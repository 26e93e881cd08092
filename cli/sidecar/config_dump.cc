#include "sidecar/config_dump.h"

#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>
#include <string>

#include "build_info.h"
#include "sidecar/http_server.h"

namespace hfi::sidecar {
namespace {

using Json = nlohmann::ordered_json;

constexpr int kMajor = 1, kMinor = 32, kPatch = 3;  // kEnvoyVersion, as numbers

// Protobuf's JSON printer pretty-prints with one space of indentation.
std::string Pretty(const Json& json) {
  return json.dump(1, ' ', false, Json::error_handler_t::replace) + "\n";
}

std::string Metadata(const AdminContext& context, const std::string& key,
                     const std::string& fallback) {
  const auto& metadata = context.config->host.node_metadata;
  auto it = metadata.find(key);
  return it == metadata.end() || it->second.empty() ? fallback : it->second;
}

ListenAddress Split(const std::string& address) {
  ListenAddress parsed;
  std::string error;
  if (!ParseListenAddress(address, &parsed, &error))
    parsed.host = address;
  return parsed;
}

// google.protobuf.Timestamp in proto3 JSON: RFC 3339, UTC, milliseconds.
std::string ProtoTimestamp(std::int64_t unix_ms) {
  std::time_t seconds = static_cast<std::time_t>(unix_ms / 1000);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buf[64];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(unix_ms % 1000));
  return buf;
}

Json SocketAddress(const std::string& address) {
  ListenAddress parsed = Split(address);
  return {{"socket_address", {{"address", parsed.host}, {"port_value", parsed.port}}}};
}

// envoy.config.core.v3.Node as Istio's agent fills it: the id
// "sidecar~IP~POD.NAMESPACE~NAMESPACE.svc.cluster.local", the cluster "WORKLOAD.NAMESPACE", and
// the metadata the plugin also reads (node.metadata.WORKLOAD_NAME ...).
Json Node(const AdminContext& context, bool all_fields) {
  const std::string ns = Metadata(context, "NAMESPACE", "default");
  const std::string workload = Metadata(context, "WORKLOAD_NAME", "hfi-local");
  const std::string pod = Metadata(context, "NAME", workload);
  Json metadata = Json::object();
  for (const auto& [key, value] : context.config->host.node_metadata)
    metadata[key] = value;
  Json node;
  node["id"] = "sidecar~" + Split(context.listen_address).host + "~" + pod + "." + ns + "~" + ns +
               ".svc.cluster.local";
  node["cluster"] = workload + "." + ns;
  node["metadata"] = std::move(metadata);
  node["user_agent_name"] = "envoy";
  node["user_agent_build_version"] = {
      {"version", {{"major_number", kMajor}, {"minor_number", kMinor}, {"patch", kPatch}}},
      {"metadata",
       {{"build.type", "RELEASE"},
        {"revision.sha", build_info::kGitCommit},
        {"revision.status", "Clean"},
        {"ssl.version", "BoringSSL"}}}};
  if (all_fields) {
    node["extensions"] = Json::array();
    node["client_features"] = Json::array();
    node["listening_addresses"] = Json::array();
  }
  return node;
}

// envoy.type.matcher.v3.StringMatcher.
Json StringMatcher(const envoystats::Pattern& pattern) {
  using Kind = envoystats::Pattern::Kind;
  switch (pattern.kind) {
    case Kind::kPrefix:
      return {{"prefix", pattern.value}};
    case Kind::kSuffix:
      return {{"suffix", pattern.value}};
    case Kind::kExact:
      return {{"exact", pattern.value}};
    case Kind::kContains:
      return {{"contains", pattern.value}};
    case Kind::kSafeRegex:
      return {{"safe_regex", {{"regex", pattern.value}}}};
  }
  return Json::object();
}

// envoy.config.metrics.v3.StatsConfig: no stats_matcher means Envoy keeps every stat.
Json StatsConfig(const envoystats::StatsMatcher& matcher) {
  using Mode = envoystats::StatsMatcher::Mode;
  Json patterns = Json::array();
  for (const auto& pattern : matcher.patterns())
    patterns.push_back(StringMatcher(pattern));
  switch (matcher.mode()) {
    case Mode::kAcceptAll:
      return Json::object();
    case Mode::kRejectAll:
      return {{"stats_matcher", {{"reject_all", true}}}};
    case Mode::kInclusion:
      return {{"stats_matcher", {{"inclusion_list", {{"patterns", std::move(patterns)}}}}}};
    case Mode::kExclusion:
      return {{"stats_matcher", {{"exclusion_list", {{"patterns", std::move(patterns)}}}}}};
  }
  return Json::object();
}

Json StringValue(const std::string& value) {
  return {{"@type", "type.googleapis.com/google.protobuf.StringValue"}, {"value", value}};
}

// envoy.extensions.filters.http.wasm.v3.Wasm around its envoy.extensions.wasm.v3.PluginConfig.
Json WasmFilter(const SidecarConfig& config) {
  Json vm_config;
  if (!config.host.vm_id.empty())
    vm_config["vm_id"] = config.host.vm_id;
  vm_config["runtime"] = "envoy.wasm.runtime.v8";
  vm_config["code"] = {{"local", {{"filename", config.plugin_path}}}};
  if (!config.host.vm_configuration.empty())
    vm_config["configuration"] = StringValue(config.host.vm_configuration);

  Json plugin;
  plugin["name"] = config.host.plugin_name;
  if (!config.host.root_id.empty())
    plugin["root_id"] = config.host.root_id;
  plugin["vm_config"] = std::move(vm_config);
  if (!config.policy.empty())
    plugin["configuration"] = StringValue(config.policy);
  if (config.host.failure_policy == wasmhost::FailurePolicy::kFailOpen)
    plugin["fail_open"] = true;
  return {{"name", "envoy.filters.http.wasm"},
          {"typed_config",
           {{"@type", "type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm"},
            {"config", std::move(plugin)}}}};
}

// The inbound listener, shaped as Istio's virtualInbound: an HTTP connection manager whose
// filter chain is the Wasm filter, then the router to the built-in upstream.
Json Listener(const AdminContext& context) {
  const ListenAddress listen = Split(context.listen_address);
  const std::string route = "inbound|http|" + std::to_string(listen.port);
  Json hcm = {
      {"@type",
       "type.googleapis.com/"
       "envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager"},
      {"stat_prefix", "inbound_0.0.0.0_" + std::to_string(listen.port)},
      {"route_config",
       {{"name", route},
        {"virtual_hosts",
         Json::array(
             {{{"name", route},
               {"domains", Json::array({"*"})},
               {"routes", Json::array({{{"match", {{"prefix", "/"}}},
                                        {"route", {{"cluster", "builtin_upstream"}}}}})}}})}}},
      {"http_filters",
       Json::array({WasmFilter(*context.config),
                    {{"name", "envoy.filters.http.router"},
                     {"typed_config",
                      {{"@type",
                        "type.googleapis.com/envoy.extensions.filters.http.router.v3."
                        "Router"}}}}})}};
  return {{"@type", "type.googleapis.com/envoy.config.listener.v3.Listener"},
          {"name", "virtualInbound"},
          {"address", SocketAddress(context.listen_address)},
          {"filter_chains",
           Json::array({{{"filters",
                          Json::array({{{"name", "envoy.filters.network.http_connection_manager"},
                                        {"typed_config", std::move(hcm)}}})}}})},
          {"traffic_direction", "INBOUND"}};
}

}  // namespace

std::string EnvoyVersionString() {
  return std::string(build_info::kGitCommit) + "/" + std::string(kEnvoyVersion) +
         "/Clean/RELEASE/BoringSSL";
}

std::string ProtoDuration(std::chrono::milliseconds duration) {
  const long long ms = duration.count();
  if (ms % 1000 == 0)
    return std::to_string(ms / 1000) + "s";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%lld.%03llds", ms / 1000, ms % 1000);
  return buf;
}

std::string RenderServerInfo(const AdminContext& context) {
  const std::string uptime = std::to_string(context.uptime_seconds) + "s";
  Json options = {
      {"base_id", "0"},      {"concurrency", 1},         {"config_path", ""},
      {"config_yaml", ""},   {"admin_address_path", ""}, {"local_address_ip_version", "v4"},
      {"log_level", "info"}, {"service_cluster", ""},    {"service_node", ""},
      {"service_zone", ""},  {"mode", "Serve"},          {"disable_hot_restart", true},
      {"restart_epoch", 0},  {"drain_time", "600s"},     {"parent_shutdown_time", "900s"}};
  Json info = {{"version", EnvoyVersionString()},   {"state", ServerStateName(context.state)},
               {"uptime_current_epoch", uptime},    {"uptime_all_epochs", uptime},
               {"hot_restart_version", "disabled"}, {"command_line_options", std::move(options)},
               {"node", Node(context, true)}};
  return Pretty(info);
}

std::string RenderConfigDump(const AdminContext& context) {
  const SidecarConfig& config = *context.config;
  const std::string updated = ProtoTimestamp(context.started_unix_ms);
  Json bootstrap;
  bootstrap["node"] = Node(context, false);
  bootstrap["stats_config"] = StatsConfig(config.stats_matcher);
  bootstrap["stats_flush_interval"] = ProtoDuration(config.flush_interval);
  bootstrap["admin"] = {{"address", SocketAddress(context.admin_address)}};

  Json listeners = {
      {"@type", "type.googleapis.com/envoy.admin.v3.ListenersConfigDump"},
      {"dynamic_listeners",
       Json::array(
           {{{"name", "virtualInbound"},
             {"active_state", {{"listener", Listener(context)}, {"last_updated", updated}}}}})}};
  Json dump = {
      {"configs", Json::array({{{"@type", "type.googleapis.com/envoy.admin.v3.BootstrapConfigDump"},
                                {"bootstrap", std::move(bootstrap)},
                                {"last_updated", updated}},
                               std::move(listeners)})}};
  return Pretty(dump);
}

}  // namespace hfi::sidecar

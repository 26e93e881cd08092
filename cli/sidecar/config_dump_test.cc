#include "sidecar/config_dump.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <regex>

#include "build_info.h"

namespace hfi::sidecar {
namespace {

using Json = nlohmann::json;

class SidecarConfigDumpTest : public ::testing::Test {
 protected:
  SidecarConfigDumpTest() : stats_(envoystats::StatsMatcher::RejectAll()) {
    config_.plugin_path = "/opt/hfi/hfi_plugin.wasm";
    config_.policy = R"({"policies":[]})";
    config_.host.node_metadata = {
        {"WORKLOAD_NAME", "reviews-v1"}, {"NAMESPACE", "demo"}, {"NAME", "reviews-v1"}};
    context_.stats = &stats_;
    context_.config = &config_;
    context_.uptime_seconds = 12;
    context_.started_unix_ms = 1'700'000'000'123;
    context_.admin_address = "127.0.0.1:15000";
    context_.listen_address = "127.0.0.1:15006";
  }

  Json Dump() { return Json::parse(RenderConfigDump(context_)); }
  Json Bootstrap() { return Dump()["configs"][0]["bootstrap"]; }
  // The first HTTP filter of the inbound listener's connection manager.
  Json WasmFilter() {
    Json listeners = Dump()["configs"][1];
    Json listener = listeners["dynamic_listeners"][0]["active_state"]["listener"];
    Json hcm = listener["filter_chains"][0]["filters"][0]["typed_config"];
    return hcm["http_filters"][0];
  }

  envoystats::StatStore stats_;
  SidecarConfig config_;
  AdminContext context_;
};

TEST(SidecarDurationTest, Proto3JsonForm) {
  EXPECT_EQ(ProtoDuration(std::chrono::milliseconds(5000)), "5s");
  EXPECT_EQ(ProtoDuration(std::chrono::milliseconds(250)), "0.250s");
  EXPECT_EQ(ProtoDuration(std::chrono::milliseconds(1500)), "1.500s");
  EXPECT_EQ(ProtoDuration(std::chrono::milliseconds(60'000)), "60s");
}

TEST_F(SidecarConfigDumpTest, ServerInfoHasEnvoysShape) {
  const std::string body = RenderServerInfo(context_);
  // Protobuf's JSON printer: one space of indentation, fields in proto order.
  EXPECT_EQ(body.rfind("{\n \"version\": \"", 0), 0u) << body;
  Json info = Json::parse(body);
  const std::string version = info["version"];
  EXPECT_TRUE(std::regex_match(version, std::regex(R"([^/]+/1\.32\.3/Clean/RELEASE/BoringSSL)")))
      << version;
  EXPECT_EQ(version, std::string(build_info::kGitCommit) + "/1.32.3/Clean/RELEASE/BoringSSL");
  EXPECT_EQ(info["state"], "LIVE");
  EXPECT_EQ(info["uptime_current_epoch"], "12s");
  EXPECT_EQ(info["uptime_all_epochs"], "12s");
  EXPECT_EQ(info["command_line_options"]["mode"], "Serve");
  EXPECT_EQ(info["node"]["id"], "sidecar~127.0.0.1~reviews-v1.demo~demo.svc.cluster.local");
  EXPECT_EQ(info["node"]["cluster"], "reviews-v1.demo");
  EXPECT_EQ(info["node"]["metadata"]["WORKLOAD_NAME"], "reviews-v1");
  EXPECT_EQ(info["node"]["metadata"]["NAMESPACE"], "demo");
  EXPECT_EQ(info["node"]["user_agent_build_version"]["version"]["minor_number"], 32);

  context_.state = ServerState::kDraining;
  EXPECT_EQ(Json::parse(RenderServerInfo(context_))["state"], "DRAINING");
}

TEST_F(SidecarConfigDumpTest, BootstrapShowsNodeAdminFlushAndMatcher) {
  std::string body = RenderConfigDump(context_);
  EXPECT_EQ(body.rfind("{\n \"configs\": [\n  {\n   \"@type\": ", 0), 0u) << body;
  Json dump = Json::parse(body);
  ASSERT_EQ(dump["configs"].size(), 2u);
  EXPECT_EQ(dump["configs"][0]["@type"], "type.googleapis.com/envoy.admin.v3.BootstrapConfigDump");
  EXPECT_EQ(dump["configs"][0]["last_updated"], "2023-11-14T22:13:20.123Z");
  Json bootstrap = dump["configs"][0]["bootstrap"];
  EXPECT_EQ(bootstrap["node"]["metadata"]["WORKLOAD_NAME"], "reviews-v1");
  EXPECT_EQ(bootstrap["stats_flush_interval"], "5s");
  EXPECT_EQ(bootstrap["admin"]["address"]["socket_address"]["address"], "127.0.0.1");
  EXPECT_EQ(bootstrap["admin"]["address"]["socket_address"]["port_value"], 15000);
  EXPECT_EQ(bootstrap["stats_config"]["stats_matcher"]["inclusion_list"]["patterns"][0],
            Json({{"prefix", "reporter="}}));
}

TEST_F(SidecarConfigDumpTest, IstioDefaultMatcherAsProtoJson) {
  Json patterns = Bootstrap()["stats_config"]["stats_matcher"]["inclusion_list"]["patterns"];
  EXPECT_NE(std::find(patterns.begin(), patterns.end(), Json({{"prefix", "wasm"}})),
            patterns.end());
  EXPECT_NE(std::find(patterns.begin(), patterns.end(), Json({{"suffix", "rbac.allowed"}})),
            patterns.end());
  EXPECT_NE(std::find(patterns.begin(), patterns.end(),
                      Json({{"safe_regex", {{"regex", R"(vhost\..*\.route\..*)"}}}})),
            patterns.end());
}

TEST_F(SidecarConfigDumpTest, OtherMatchers) {
  config_.stats_matcher = envoystats::StatsMatcher::RejectAll();
  EXPECT_EQ(Bootstrap()["stats_config"], Json({{"stats_matcher", {{"reject_all", true}}}}));
  config_.stats_matcher = envoystats::StatsMatcher::AcceptAll();
  EXPECT_EQ(Bootstrap()["stats_config"], Json::object());
  using K = envoystats::Pattern::Kind;
  config_.stats_matcher = envoystats::StatsMatcher::Exclusion(
      {{K::kExact, "a.b"}, {K::kContains, "hfi"}, {K::kSuffix, "_total"}});
  EXPECT_EQ(Bootstrap()["stats_config"]["stats_matcher"],
            Json::parse(R"({"exclusion_list":{"patterns":[{"exact":"a.b"},{"contains":"hfi"},
                                                          {"suffix":"_total"}]}})"));
}

TEST_F(SidecarConfigDumpTest, ListenerCarriesTheWasmFilter) {
  Json listeners = Dump()["configs"][1];
  EXPECT_EQ(listeners["@type"], "type.googleapis.com/envoy.admin.v3.ListenersConfigDump");
  Json listener = listeners["dynamic_listeners"][0]["active_state"]["listener"];
  EXPECT_EQ(listener["name"], "virtualInbound");
  EXPECT_EQ(listener["address"]["socket_address"]["port_value"], 15006);

  Json filter = WasmFilter();
  EXPECT_EQ(filter["name"], "envoy.filters.http.wasm");
  EXPECT_EQ(filter["typed_config"]["@type"],
            "type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm");
  Json plugin = filter["typed_config"]["config"];
  EXPECT_EQ(plugin["name"], "hfi");
  EXPECT_EQ(plugin["vm_config"]["runtime"], "envoy.wasm.runtime.v8");
  EXPECT_EQ(plugin["vm_config"]["code"]["local"]["filename"], "/opt/hfi/hfi_plugin.wasm");
  EXPECT_EQ(plugin["configuration"]["@type"], "type.googleapis.com/google.protobuf.StringValue");
  EXPECT_EQ(plugin["configuration"]["value"], R"({"policies":[]})");
  EXPECT_FALSE(plugin.contains("fail_open"));  // proto3 JSON omits the default (false)
}

TEST_F(SidecarConfigDumpTest, FailOpenAndNoPolicy) {
  config_.host.failure_policy = wasmhost::FailurePolicy::kFailOpen;
  config_.policy.clear();
  Json plugin = WasmFilter()["typed_config"]["config"];
  EXPECT_EQ(plugin["fail_open"], true);
  EXPECT_FALSE(plugin.contains("configuration"));
}

}  // namespace
}  // namespace hfi::sidecar

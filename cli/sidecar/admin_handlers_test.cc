#include "sidecar/admin_handlers.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "envoystats/admin_render.h"

namespace hfi::sidecar {
namespace {

class SidecarAdminTest : public ::testing::Test {
 protected:
  SidecarAdminTest() : stats_(envoystats::StatsMatcher::AcceptAll()) {
    stats_.CounterNamed("wasmcustom.hfi_faults_aborts_total").Add(3);
    stats_.CounterNamed("wasmcustom.hfi_faults_delays_total");
    config_.plugin_path = "/tmp/hfi.wasm";
    context_.stats = &stats_;
    context_.config = &config_;
    context_.admin_address = "127.0.0.1:15000";
    context_.listen_address = "127.0.0.1:15006";
  }

  AdminResponse Get(std::string_view path) { return HandleAdmin(path, context_); }

  envoystats::StatStore stats_;
  SidecarConfig config_;
  AdminContext context_;
};

TEST_F(SidecarAdminTest, ReadyFollowsTheServerState) {
  AdminResponse live = Get("/ready");
  EXPECT_EQ(live.status, 200);
  EXPECT_EQ(live.body, "LIVE\n");
  EXPECT_EQ(live.content_type, "text/plain; charset=UTF-8");
  context_.state = ServerState::kDraining;
  AdminResponse draining = Get("/ready");
  EXPECT_EQ(draining.status, 503);
  EXPECT_EQ(draining.body, "DRAINING\n");
  context_.state = ServerState::kPreInitializing;
  EXPECT_EQ(Get("/ready").body, "PRE_INITIALIZING\n");
  EXPECT_EQ(Get("/ready").status, 503);
}

TEST_F(SidecarAdminTest, PrometheusExactBody) {
  AdminResponse response = Get("/stats/prometheus");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.content_type, "text/plain; charset=UTF-8");
  EXPECT_EQ(response.body,
            "# TYPE hfi_faults_aborts_total counter\n"
            "hfi_faults_aborts_total{} 3\n"
            "# TYPE hfi_faults_delays_total counter\n"
            "hfi_faults_delays_total{} 0\n");
}

TEST_F(SidecarAdminTest, PrometheusUsedOnlyAndFilter) {
  EXPECT_EQ(Get("/stats/prometheus?usedonly").body,
            "# TYPE hfi_faults_aborts_total counter\n"
            "hfi_faults_aborts_total{} 3\n");
  // `filter` is a partial match against the internal name, which includes `wasmcustom.`.
  EXPECT_EQ(Get("/stats/prometheus?filter=delays").body,
            "# TYPE hfi_faults_delays_total counter\n"
            "hfi_faults_delays_total{} 0\n");
  EXPECT_EQ(Get("/stats/prometheus?filter=%5Ewasmcustom%5C.hfi_faults_a").body,
            "# TYPE hfi_faults_aborts_total counter\n"
            "hfi_faults_aborts_total{} 3\n");
  EXPECT_EQ(Get("/stats/prometheus?filter=^hfi").body, "");
  EXPECT_EQ(Get("/stats/prometheus?usedonly&filter=delays").body, "");
}

TEST_F(SidecarAdminTest, AFilterThatDoesNotCompileIs400) {
  AdminResponse response = Get("/stats/prometheus?filter=(");
  EXPECT_EQ(response.status, 400);
  EXPECT_EQ(response.body, "Invalid re2 regex");
  EXPECT_EQ(Get("/stats?filter=(&format=json").status, 400);
}

TEST_F(SidecarAdminTest, StatsTextJsonAndPrometheusFormats) {
  AdminResponse text = Get("/stats");
  EXPECT_EQ(text.status, 200);
  EXPECT_EQ(text.content_type, "text/plain; charset=UTF-8");
  EXPECT_EQ(text.body,
            "wasmcustom.hfi_faults_aborts_total: 3\n"
            "wasmcustom.hfi_faults_delays_total: 0\n");
  EXPECT_EQ(Get("/stats?format=text").body, text.body);

  AdminResponse json = Get("/stats?format=json&usedonly");
  EXPECT_EQ(json.content_type, "application/json");
  envoystats::RenderOptions used_only;
  used_only.used_only = true;
  EXPECT_EQ(json.body, envoystats::RenderStatsJson(stats_, used_only));
  auto parsed = nlohmann::json::parse(json.body);
  ASSERT_EQ(parsed["stats"].size(), 1u);
  EXPECT_EQ(parsed["stats"][0]["name"], "wasmcustom.hfi_faults_aborts_total");
  EXPECT_EQ(parsed["stats"][0]["value"], 3);

  EXPECT_EQ(Get("/stats?format=prometheus").body, Get("/stats/prometheus").body);
  AdminResponse bad = Get("/stats?format=yaml");
  EXPECT_EQ(bad.status, 400);
}

TEST_F(SidecarAdminTest, JsonEndpointsAreJson) {
  for (const char* path : {"/server_info", "/config_dump"}) {
    AdminResponse response = Get(path);
    EXPECT_EQ(response.status, 200) << path;
    EXPECT_EQ(response.content_type, "application/json") << path;
    EXPECT_NO_THROW(nlohmann::json::parse(response.body)) << path;
  }
}

TEST_F(SidecarAdminTest, UnknownPathsAreEnvoys404) {
  for (const char* path : {"/", "/nope", "/stats/prometheusx", "/ready/", "/statsx?format=json"}) {
    AdminResponse response = Get(path);
    EXPECT_EQ(response.status, 404) << path;
    EXPECT_EQ(response.content_type, "text/plain; charset=UTF-8");
    EXPECT_EQ(response.body,
              "invalid path. admin commands are:\n"
              "  /config_dump: dump current Envoy configs (experimental)\n"
              "  /ready: print server state, return 200 if LIVE, otherwise return 503\n"
              "  /server_info: print server version/status information\n"
              "  /stats: print server stats\n"
              "  /stats/prometheus: print server stats in prometheus format\n")
        << path;
  }
}

TEST(SidecarQueryTest, KeysValuesAndDecoding) {
  auto params = ParseQuery("usedonly&filter=a%2Eb+c&format=json&format=text&&x=%zz&y=%4");
  EXPECT_EQ(params.size(), 5u);
  EXPECT_EQ(params["usedonly"], "");
  EXPECT_EQ(params["filter"], "a.b+c");
  EXPECT_EQ(params["format"], "json");  // the first occurrence wins
  EXPECT_EQ(params["x"], "%zz");        // not an escape: kept as written
  EXPECT_EQ(params["y"], "%4");
  EXPECT_TRUE(ParseQuery("").empty());
}

}  // namespace
}  // namespace hfi::sidecar

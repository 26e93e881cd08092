// The deep look's readers over the shapes a real Istio sidecar serves (Envoy's proto3 JSON
// config dump with ECDS, Istio's bootstrap matcher, the pod annotation) and the checks built from
// them.
#include "kube/deep_diagnosis.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "util/errors.h"

namespace hfi::kube {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using State = BootstrapMatcher::State;
using verify::CheckStatus;

const std::string kWasm = "type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm";

// A bootstrap section with a given stats_matcher (JSON text, or "" for none).
std::string Bootstrap(const std::string& matcher) {
  std::string stats_config =
      matcher.empty() ? R"({"use_all_default_tags": false})"
                      : R"({"use_all_default_tags": false, "stats_matcher": )" + matcher + "}";
  return R"({"@type": "type.googleapis.com/envoy.admin.v3.BootstrapConfigDump",
             "bootstrap": {"node": {"id": "sidecar~10.0.0.7~web-1.demo~demo.svc.cluster.local"},
                           "stats_config": )" +
         stats_config + "}}";
}

// Istio's default inclusion list as a 1.24 sidecar's bootstrap prints it (envoy_bootstrap.json).
const std::string kIstioMatcher = R"({"inclusion_list": {"patterns": [
    {"prefix": "reporter="}, {"prefix": "cluster_manager"}, {"prefix": "listener_manager"},
    {"prefix": "server"}, {"prefix": "cluster.xds-grpc"}, {"prefix": "wasm"},
    {"suffix": "rbac.allowed"}, {"suffix": "rbac.denied"}, {"suffix": "shadow_allowed"},
    {"suffix": "shadow_denied"},
    {"safe_regex": {"google_re2": {}, "regex": "vhost\\..*\\.route\\..*"}},
    {"prefix": "component"}, {"prefix": "istio"}]}})";

// The inbound listener with an HTTP filter discovered over ECDS (how Istio's WasmPlugin arrives).
const std::string kEcdsListener = R"({
  "@type": "type.googleapis.com/envoy.admin.v3.ListenersConfigDump",
  "dynamic_listeners": [{"name": "virtualInbound", "active_state": {"listener": {
    "filter_chains": [{"filters": [{"name": "envoy.filters.network.http_connection_manager",
      "typed_config": {
        "@type": "type.googleapis.com/envoy.extensions.filters.network.http_connection_manager.v3.HttpConnectionManager",
        "http_filters": [
          {"name": "extenstions.istio.io/wasmplugin/demo.hfi",
           "config_discovery": {"config_source": {"ads": {}, "initial_fetch_timeout": "0s"},
                                "type_urls": ["type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm",
                                              "type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC"]}},
          {"name": "envoy.filters.http.router",
           "typed_config": {"@type": "type.googleapis.com/envoy.extensions.filters.http.router.v3.Router"}}]}}]}]}}}]})";

std::string Ecds(const std::string& typed_config) {
  return R"({"@type": "type.googleapis.com/envoy.admin.v3.EcdsConfigDump",
             "ecds_filters": [{"version_info": "2024-06-01T10:00:00Z/7",
               "ecds_filter": {"@type": "type.googleapis.com/envoy.config.core.v3.TypedExtensionConfig",
                               "name": "extenstions.istio.io/wasmplugin/demo.hfi",
                               "typed_config": )" +
         typed_config + "}}]}";
}

const std::string kWasmConfig = R"({"@type": ")" + kWasm + R"(",
  "config": {"name": "demo.hfi", "vm_config": {"runtime": "envoy.wasm.runtime.v8",
    "code": {"local": {"filename": "/var/lib/istio/data/abc/module.wasm"}}}}})";

std::string Dump(std::initializer_list<std::string> configs) {
  std::string out = R"({"configs": [)";
  bool first = true;
  for (const std::string& config : configs) {
    out += (first ? "" : ",") + config;
    first = false;
  }
  return out + "]}";
}

// --- config dump ------------------------------------------------------------------------------

TEST(ReadConfigDump, IstioSidecarWithWasmPluginOverEcds) {
  ConfigDump dump =
      ReadConfigDump(Dump({Bootstrap(kIstioMatcher), kEcdsListener, Ecds(kWasmConfig)}));
  EXPECT_THAT(dump.wasm.loaded, ElementsAre("extenstions.istio.io/wasmplugin/demo.hfi"));
  EXPECT_TRUE(dump.wasm.awaiting.empty());
  EXPECT_TRUE(dump.wasm.replaced.empty());
  ASSERT_EQ(dump.matcher.state, State::kMatcher);
  EXPECT_EQ(dump.matcher.description, "inclusion list of 13 patterns");
  EXPECT_TRUE(dump.matcher.unreadable_regexes.empty());
  // The required `wasm` prefix admits the plugin's names (facts §3.1).
  for (const std::string& name : InternalMetricNames())
    EXPECT_TRUE(dump.matcher.matcher->Accepts(name)) << name;
}

TEST(ReadConfigDump, EcdsFilterWithoutItsConfigAwaitsIt) {
  ConfigDump dump = ReadConfigDump(Dump({Bootstrap(""), kEcdsListener}));
  EXPECT_TRUE(dump.wasm.loaded.empty());
  EXPECT_THAT(dump.wasm.awaiting, ElementsAre("extenstions.istio.io/wasmplugin/demo.hfi"));
  EXPECT_EQ(dump.matcher.state, State::kNone);
}

TEST(ReadConfigDump, EcdsFilterHoldingAnotherTypeIsReplaced) {
  ConfigDump dump = ReadConfigDump(Dump(
      {kEcdsListener,
       Ecds(R"({"@type": "type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC"})")}));
  EXPECT_TRUE(dump.wasm.loaded.empty());
  EXPECT_THAT(dump.wasm.replaced, ElementsAre("extenstions.istio.io/wasmplugin/demo.hfi "
                                              "(envoy.extensions.filters.http.rbac.v3.RBAC)"));
  EXPECT_EQ(dump.matcher.state, State::kNoBootstrap);
}

TEST(ReadConfigDump, TypedStructAndInlineFiltersCount) {
  const std::string typed_struct = R"({"name": "hfi", "typed_config": {
      "@type": "type.googleapis.com/udpa.type.v1.TypedStruct", "type_url": ")" +
                                   kWasm + R"(", "value": {}}})";
  EXPECT_THAT(ReadConfigDump(Dump({typed_struct})).wasm.loaded, ElementsAre("hfi"));
  const std::string inline_filter =
      R"({"name": "envoy.filters.http.wasm", "typed_config": {"@type": ")" + kWasm + R"("}})";
  EXPECT_THAT(ReadConfigDump(Dump({inline_filter})).wasm.loaded,
              ElementsAre("envoy.filters.http.wasm"));
}

TEST(ReadConfigDump, MatcherKinds) {
  auto read = [](const std::string& matcher) {
    return ReadConfigDump(Dump({Bootstrap(matcher)})).matcher;
  };
  BootstrapMatcher reject = read(R"({"reject_all": true})");
  EXPECT_EQ(reject.state, State::kMatcher);
  EXPECT_EQ(reject.description, "reject_all");
  EXPECT_FALSE(reject.matcher->Accepts("wasmcustom.wasmcustom.hfi_faults_aborts_total"));

  EXPECT_EQ(read(R"({"reject_all": false})").state, State::kNone);

  BootstrapMatcher exclusion =
      read(R"({"exclusion_list": {"patterns": [{"prefix": "wasmcustom."}]}})");
  EXPECT_EQ(exclusion.description, "exclusion list of 1 pattern");
  EXPECT_FALSE(exclusion.matcher->Accepts("wasmcustom.wasmcustom.hfi_faults_aborts_total"));
  EXPECT_TRUE(exclusion.matcher->Accepts("server.live"));

  // JSON field names (lowerCamelCase), ignore_case, contains, exact.
  BootstrapMatcher camel = read(
      R"({"inclusionList": {"patterns": [{"prefix": "WASMCUSTOM.WASMCUSTOM.HFI", "ignoreCase": true},
                                         {"contains": "delays"}, {"exact": "server.live"}]}})");
  ASSERT_EQ(camel.state, State::kMatcher);
  EXPECT_TRUE(camel.matcher->Accepts("wasmcustom.wasmcustom.hfi_faults_aborts_total"));
  EXPECT_TRUE(camel.matcher->Accepts("anything.delays"));
  EXPECT_FALSE(camel.matcher->Accepts("server.live2"));

  // A regex matches the whole name (RE2 FullMatch).
  BootstrapMatcher regex =
      read(R"({"inclusion_list": {"patterns": [{"safe_regex": {"regex": "hfi"}}]}})");
  EXPECT_FALSE(regex.matcher->Accepts("wasmcustom.wasmcustom.hfi_faults_aborts_total"));

  BootstrapMatcher custom =
      read(R"({"inclusion_list": {"patterns": [{"custom": {"name": "x"}}]}})");
  EXPECT_EQ(custom.state, State::kUnsupported);

  BootstrapMatcher lookahead =
      read(R"({"inclusion_list": {"patterns": [{"safe_regex": {"regex": "(?=x).*"}}]}})");
  EXPECT_EQ(lookahead.state, State::kMatcher);
  EXPECT_THAT(lookahead.unreadable_regexes, ElementsAre("(?=x).*"));
}

TEST(ReadConfigDump, NotJsonIsAnInputError) {
  EXPECT_THROW(ReadConfigDump("<html>"), InputError);
  EXPECT_THROW(ReadConfigDump("[1, 2]"), InputError);
}

// --- annotations ------------------------------------------------------------------------------

TEST(ReadRequestedMatcher, ProxyConfigInYamlOrJsonAndEitherCase) {
  RequestedMatcher yaml = ReadRequestedMatcher(
      {{"proxy.istio.io/config",
        "proxyStatsMatcher:\n  inclusionPrefixes: [\"wasmcustom.\"]\n  inclusionRegexps:\n"
        "  - \".*hfi.faults.*\"\nholdApplicationUntilProxyStarts: true\n"}});
  EXPECT_THAT(yaml.prefixes, ElementsAre("wasmcustom."));
  EXPECT_THAT(yaml.regexps, ElementsAre(".*hfi.faults.*"));
  EXPECT_EQ(yaml.source, "proxy.istio.io/config");
  EXPECT_EQ(yaml.Describe(), "inclusionPrefixes [wasmcustom.], inclusionRegexps [.*hfi.faults.*]");

  RequestedMatcher json =
      ReadRequestedMatcher({{"proxy.istio.io/config",
                             R"({"proxy_stats_matcher": {"inclusion_suffixes": ["_total"]}})"}});
  EXPECT_THAT(json.suffixes, ElementsAre("_total"));

  EXPECT_TRUE(ReadRequestedMatcher({{"proxy.istio.io/config", "concurrency: 2\n"}}).empty());
  EXPECT_TRUE(ReadRequestedMatcher({}).empty());
}

TEST(ReadRequestedMatcher, DeprecatedAnnotationsWinForTheirList) {
  RequestedMatcher requested = ReadRequestedMatcher(
      {{"proxy.istio.io/config", "proxyStatsMatcher:\n  inclusionPrefixes: [a.]\n"},
       {"sidecar.istio.io/statsInclusionPrefixes", "wasmcustom., hfi ,"}});
  EXPECT_THAT(requested.prefixes, ElementsAre("wasmcustom.", "hfi"));
  EXPECT_EQ(requested.source, "proxy.istio.io/config, sidecar.istio.io/statsInclusionPrefixes");
}

TEST(ReadRequestedMatcher, UnreadableAnnotationIsReported) {
  RequestedMatcher requested =
      ReadRequestedMatcher({{"proxy.istio.io/config", "proxyStatsMatcher: [unclosed\n"}});
  EXPECT_TRUE(requested.empty());
  EXPECT_THAT(requested.error, HasSubstr("proxy.istio.io/config is not YAML"));
}

// --- /stats and the scrape --------------------------------------------------------------------

TEST(HfiStatNames, ReadsTheAdminTextPage) {
  EXPECT_THAT(HfiStatNames("wasmcustom.wasmcustom.hfi_faults_aborts_total: 3\n"
                           "wasmcustom.wasmcustom.hfi_faults_delay_duration_milliseconds: "
                           "No recorded values\n"
                           "cluster_manager.active_clusters: 3\n"
                           "wasmcustom.hfi_faults_aborts_total: 1\r\n"),
              ElementsAre("wasmcustom.wasmcustom.hfi_faults_aborts_total",
                          "wasmcustom.wasmcustom.hfi_faults_delay_duration_milliseconds",
                          "wasmcustom.hfi_faults_aborts_total"));
  EXPECT_TRUE(HfiStatNames("").empty());
}

TEST(ActiveWasmVms, SumsTheRuntimeGauges) {
  EXPECT_EQ(ActiveWasmVms("# TYPE envoy_wasm_envoy_wasm_runtime_v8_active gauge\n"
                          "envoy_wasm_envoy_wasm_runtime_v8_active{} 2\n"
                          "envoy_wasm_envoy_wasm_runtime_v8_created{} 7\n"
                          "envoy_wasm_envoy_wasm_runtime_null_active 1\n"),
            3.0);
  EXPECT_EQ(ActiveWasmVms("envoy_server_live{} 1\n"), std::nullopt);
}

// --- the checks -------------------------------------------------------------------------------

AdminEvidence Evidence(const std::string& dump, const std::string& stats = "") {
  AdminEvidence evidence;
  evidence.scrape = "envoy_server_live{} 1\n";
  evidence.stats = stats;
  evidence.config_dump = dump;
  return evidence;
}

TEST(DiagnoseMissingMetrics, StatsThatExistOutrankTheMatcher) {
  // The matcher reads as rejecting, yet /stats shows the names: they were created.
  const std::string stats =
      "wasmcustom.wasmcustom.hfi_faults_aborts_total: 0\n"
      "wasmcustom.wasmcustom.hfi_faults_delays_total: 0\n"
      "wasmcustom.wasmcustom.hfi_faults_delay_duration_milliseconds: "
      "No recorded values\n";
  auto checks =
      DiagnoseMissingMetrics(Evidence(Dump({Bootstrap(R"({"reject_all": true})")}), stats));
  ASSERT_EQ(checks.size(), 3u);
  EXPECT_EQ(checks[0].id, "admin-stats");
  EXPECT_THAT(checks[0].observed, HasSubstr("found wasmcustom.wasmcustom.hfi_faults_aborts_total"));
  EXPECT_EQ(checks[1].status(), CheckStatus::kPass);
  EXPECT_THAT(checks[1].observed, HasSubstr("the plugin created its stats"));
  EXPECT_EQ(checks[2].status(), CheckStatus::kPass);
}

TEST(DiagnoseMissingMetrics, FilterWithNoActiveVmIsHfi508) {
  AdminEvidence evidence = Evidence(Dump({kEcdsListener, Ecds(kWasmConfig)}));
  evidence.scrape = "envoy_wasm_envoy_wasm_runtime_v8_active{} 0\n";
  auto checks = DiagnoseMissingMetrics(evidence);
  ASSERT_EQ(checks[1].findings.size(), 1u);
  EXPECT_EQ(verify::GetHint(checks[1].findings[0].hint).code, "HFI508");
  EXPECT_THAT(checks[1].observed, HasSubstr("no Wasm VM is active"));
  EXPECT_EQ(checks[2].status(), CheckStatus::kSkip);  // no bootstrap in this dump
}

TEST(DiagnoseMissingMetrics, AwaitingAndReplacedFiltersAreHfi508) {
  auto awaiting = DiagnoseMissingMetrics(Evidence(Dump({kEcdsListener})));
  EXPECT_THAT(awaiting[1].observed, HasSubstr("waits for its Wasm config over ECDS"));
  EXPECT_EQ(awaiting[1].status(), CheckStatus::kFail);
  auto replaced = DiagnoseMissingMetrics(Evidence(Dump(
      {kEcdsListener,
       Ecds(R"({"@type": "type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC"})")})));
  EXPECT_THAT(replaced[1].observed, HasSubstr("holds no Wasm config"));
}

TEST(DiagnoseMissingMetrics, RejectingMatcherWithoutAnnotationIsHfi505) {
  auto checks = DiagnoseMissingMetrics(
      Evidence(Dump({Bootstrap(R"({"inclusion_list": {"patterns": [{"prefix": "hfi_faults"}]}})"),
                     kEcdsListener, Ecds(kWasmConfig)})));
  const verify::Check& matcher = checks[2];
  EXPECT_EQ(matcher.observed,
            "inclusion list of 1 pattern rejects wasmcustom.wasmcustom.hfi_faults_aborts_total, "
            "wasmcustom.wasmcustom.hfi_faults_delays_total, "
            "wasmcustom.wasmcustom.hfi_faults_delay_duration_milliseconds");
  ASSERT_EQ(matcher.findings.size(), 3u);
  EXPECT_EQ(verify::GetHint(matcher.findings[2].hint).code, "HFI505");
  EXPECT_EQ(matcher.findings[2].metric, "wasmcustom_hfi_faults_delay_duration_milliseconds");
  EXPECT_EQ(checks[1].status(), CheckStatus::kPass);
}

TEST(DiagnoseMissingMetrics, AnnotationThatDoesNotAdmitEitherStaysHfi505) {
  AdminEvidence evidence =
      Evidence(Dump({Bootstrap(R"({"inclusion_list": {"patterns": [{"prefix": "hfi"}]}})")}));
  // Written for the Prometheus name: matchers see the internal one (facts C2).
  evidence.annotations["proxy.istio.io/config"] =
      "proxyStatsMatcher:\n  inclusionPrefixes: [wasmcustom_hfi]\n";
  auto checks = DiagnoseMissingMetrics(evidence);
  ASSERT_EQ(checks[2].findings.size(), 3u);
  EXPECT_EQ(verify::GetHint(checks[2].findings[0].hint).code, "HFI505");
  EXPECT_THAT(checks[2].findings[0].observed,
              HasSubstr("the annotations (inclusionPrefixes [wasmcustom_hfi]) do not admit it "
                        "either"));
}

TEST(DiagnoseMissingMetrics, AnnotationAdmittingANameTheBootstrapRejectsIsHfi506) {
  AdminEvidence evidence = Evidence(Dump({Bootstrap(R"({"reject_all": true})")}));
  evidence.annotations["sidecar.istio.io/statsInclusionRegexps"] = ".*hfi_faults.*";
  auto checks = DiagnoseMissingMetrics(evidence);
  ASSERT_EQ(checks[2].findings.size(), 3u);
  EXPECT_EQ(verify::GetHint(checks[2].findings[0].hint).code, "HFI506");
  EXPECT_EQ(checks[2].findings[0].expected,
            "the matcher the pod's annotations ask for (sidecar.istio.io/statsInclusionRegexps: "
            "inclusionRegexps [.*hfi_faults.*]) in effect");
}

TEST(DiagnoseMissingMetrics, UnreadableRegexMakesTheVerdictUnknown) {
  auto checks = DiagnoseMissingMetrics(Evidence(Dump(
      {Bootstrap(R"({"inclusion_list": {"patterns": [{"safe_regex": {"regex": "(?=x).*"}}]}})")})));
  EXPECT_EQ(checks[2].status(), CheckStatus::kSkip);
  EXPECT_THAT(checks[2].skip_reason, HasSubstr("cannot tell"));
}

TEST(DiagnoseMissingMetrics, MissingOrBadInputsSkipTheirChecks) {
  AdminEvidence evidence;
  evidence.stats_error = "HTTP 404 from port 15000";
  evidence.config_dump_error = "connection refused";
  auto checks = DiagnoseMissingMetrics(evidence);
  ASSERT_EQ(checks.size(), 3u);
  EXPECT_EQ(checks[0].skip_reason, "GET /stats?filter=hfi: HTTP 404 from port 15000");
  EXPECT_EQ(checks[1].skip_reason, "GET /config_dump: connection refused");
  EXPECT_EQ(checks[2].skip_reason, "GET /config_dump: connection refused");

  auto garbled = DiagnoseMissingMetrics(Evidence("not json"));
  EXPECT_THAT(garbled[1].skip_reason, HasSubstr("/config_dump: not a JSON object"));
}

}  // namespace
}  // namespace hfi::kube

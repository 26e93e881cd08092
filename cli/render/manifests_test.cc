#include "render/manifests.h"

#include <gtest/gtest.h>
#include <yaml-cpp/yaml.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

#include "util/errors.h"
#include "util/sha256.h"

namespace hfi::render {
namespace {

using Json = nlohmann::ordered_json;

// sha256sum tests/data/wasm/minimal_filter.wasm
constexpr const char* kMinimalFilterSha256 =
    "b91e757f29c237c155ed28f704ad896dc2dd25e84189f4d16f55694e5372ab16";

std::string SourceDir() {
  const char* dir = std::getenv("HFI_SOURCE_DIR");
  return dir != nullptr ? dir : HFI_SOURCE_DIR_DEFAULT;
}

std::string DataPath(const std::string& name) {
  return SourceDir() + "/tests/data/render/" + name;
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    throw std::runtime_error("cannot read " + path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

// Compares with a checked-in file; HFI_UPDATE_GOLDEN=1 rewrites it instead (review the diff).
void ExpectGolden(const std::string& actual, const std::string& golden) {
  const std::string path = DataPath(golden);
  if (std::getenv("HFI_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(path, std::ios::binary) << actual;
    return;
  }
  EXPECT_EQ(actual, Slurp(path)) << "differs from " << path;
}

Manifests RenderValuesFile(const std::string& name) {
  const Values values = LoadValues(DataPath(name), {});
  return RenderManifests(values, ReadInputs(values));
}

// A valid set of values to vary in the tests below.
Values BaseValues() {
  Values v;
  v.namespace_name = "demo";
  v.selector = {{"app", "frontend"}};
  v.workloads = {Workload{WorkloadKind::kDeployment, "frontend"}};
  v.delivery = DeliveryKind::kOci;
  v.url = "oci://registry.example/hfi:1";
  return v;
}

const Json* FindKind(const Manifests& m, const std::string& kind) {
  for (const Json& object : m.objects) {
    if (object["kind"] == kind)
      return &object;
  }
  return nullptr;
}

std::string ErrorOf(const Values& values, const PluginInputs& inputs) {
  try {
    RenderManifests(values, inputs);
  } catch (const Error& e) {
    return FormatError(e) + " [" + std::to_string(static_cast<int>(e.code())) + "]";
  }
  return "no error";
}

// ---- Golden files ----------------------------------------------------------------------------

TEST(ManifestsGoldenTest, OciWithAnnotation) {
  const Manifests m = RenderValuesFile("oci-annotation.values.yaml");
  EXPECT_TRUE(m.warnings.empty());
  ExpectGolden(ToYaml(m.objects), "oci-annotation.yaml");
}

TEST(ManifestsGoldenTest, ConfigMapWithBoth) {
  const Manifests m = RenderValuesFile("configmap-both.values.yaml");
  ExpectGolden(ToYaml(m.objects), "configmap-both.yaml");
  ExpectGolden(ToJsonList(m.objects), "configmap-both.json");
  ASSERT_EQ(m.warnings.size(), 1u);
  EXPECT_EQ(m.warnings[0].code, "HFI507");
}

TEST(ManifestsGoldenTest, HttpWithEnvoyFilter) {
  const Manifests m = RenderValuesFile("http-envoyfilter.values.yaml");
  EXPECT_TRUE(m.warnings.empty());
  ExpectGolden(ToYaml(m.objects), "http-envoyfilter.yaml");
}

// ---- Objects -----------------------------------------------------------------------------------

TEST(ManifestsTest, WasmPluginCarriesTheModuleDigest) {
  Values v = BaseValues();
  v.plugin_file = SourceDir() + "/tests/data/wasm/minimal_filter.wasm";
  const Manifests m = RenderManifests(v, ReadInputs(v));
  const Json* plugin = FindKind(m, "WasmPlugin");
  ASSERT_NE(plugin, nullptr);
  EXPECT_EQ((*plugin)["spec"]["sha256"], kMinimalFilterSha256);
  EXPECT_EQ((*plugin)["apiVersion"], "extensions.istio.io/v1alpha1");
  EXPECT_EQ((*plugin)["spec"]["selector"]["matchLabels"]["app"], "frontend");
  EXPECT_EQ((*plugin)["spec"]["url"], "oci://registry.example/hfi:1");
  EXPECT_EQ((*plugin)["spec"]["phase"], "AUTHN");
  EXPECT_EQ((*plugin)["spec"]["failStrategy"], "FAIL_OPEN");
  EXPECT_FALSE((*plugin)["spec"].contains("pluginName"));
  EXPECT_FALSE((*plugin)["spec"].contains("pluginConfig"));
}

TEST(ManifestsTest, NoModuleNoDigest) {
  const Manifests m = RenderManifests(BaseValues(), {});
  EXPECT_FALSE((*FindKind(m, "WasmPlugin"))["spec"].contains("sha256"));
}

TEST(ManifestsTest, PolicyBecomesStructuredPluginConfig) {
  Values v = BaseValues();
  v.policy_file = "p.json";
  PluginInputs inputs;
  inputs.policy_text = R"({"policies": [{"metadata": {"name": "x"}, "z": 1.5, "a": true}]})";
  const Json config = (*FindKind(RenderManifests(v, inputs), "WasmPlugin"))["spec"]["pluginConfig"];
  EXPECT_EQ(config["policies"][0]["metadata"]["name"], "x");
  EXPECT_TRUE(config["policies"][0]["z"].is_number_float());
  // The file's key order is kept.
  EXPECT_EQ(config.dump(), R"({"policies":[{"metadata":{"name":"x"},"z":1.5,"a":true}]})");
}

TEST(ManifestsTest, InvalidPolicyNamesFileAndPosition) {
  Values v = BaseValues();
  v.policy_file = "policy.json";
  PluginInputs inputs;
  inputs.policy_text = "{\n  \"policies\": [\n    {\"a\": }\n  ]\n}\n";
  EXPECT_EQ(ErrorOf(v, inputs),
            "hfi-metrics: policy.json:3:11: not valid JSON: syntax error while parsing value - "
            "unexpected '}'; expected '[', '{', or a literal (the policy is one JSON object) [3]");
  inputs.policy_text = "";
  EXPECT_EQ(ErrorOf(v, inputs),
            "hfi-metrics: policy.json:1:1: not valid JSON: syntax error while parsing value - "
            "unexpected end of input; expected '[', '{', or a literal (the policy is one JSON "
            "object) [3]");
  inputs.policy_text = "[1, 2]";
  EXPECT_EQ(ErrorOf(v, inputs),
            "hfi-metrics: policy.json: the policy is a JSON array (pluginConfig must be a JSON "
            "object, e.g. {\"policies\": [...]}) [3]");
}

TEST(ManifestsTest, AnnotationPatchMatchesTheInternalName) {
  const Manifests m = RenderManifests(BaseValues(), {});
  const Json* patch = FindKind(m, "Deployment");
  ASSERT_NE(patch, nullptr);
  EXPECT_EQ((*patch)["apiVersion"], "apps/v1");
  EXPECT_EQ((*patch)["metadata"]["name"], "frontend");
  EXPECT_EQ((*patch)["metadata"]["namespace"], "demo");
  const Json& annotations = (*patch)["spec"]["template"]["metadata"]["annotations"];
  EXPECT_EQ(annotations["proxy.istio.io/config"],
            "proxyStatsMatcher:\n  inclusionPrefixes:\n  - wasmcustom.\n");
  EXPECT_FALSE(annotations.contains("sidecar.istio.io/userVolume"));
  // The internal names of the three metrics carry the double prefix (DESIGN §2).
  const std::string prefix = "wasmcustom.";
  for (const char* internal : {"wasmcustom.wasmcustom.hfi_faults_aborts_total",
                               "wasmcustom.wasmcustom.hfi_faults_delays_total",
                               "wasmcustom.wasmcustom.hfi_faults_delay_duration_milliseconds"})
    EXPECT_EQ(std::string(internal).rfind(prefix, 0), 0u) << internal;
}

TEST(ManifestsTest, ConfigMapDeliveryMountsTheModule) {
  Values v = BaseValues();
  v.name = "hfi";
  v.delivery = DeliveryKind::kConfigMap;
  v.url.clear();
  v.workloads.push_back(Workload{WorkloadKind::kDaemonSet, "edge"});
  PluginInputs inputs;
  inputs.wasm = std::string("\0asm\x01\0\0\0", 8);
  const Manifests m = RenderManifests(v, inputs);
  ASSERT_EQ(m.objects.size(), 4u);  // ConfigMap, 2 patches, WasmPlugin
  const Json& config_map = m.objects[0];
  EXPECT_EQ(config_map["kind"], "ConfigMap");
  EXPECT_EQ(config_map["metadata"]["name"], "hfi-wasm");
  EXPECT_EQ(config_map["binaryData"]["hfi.wasm"], "AGFzbQEAAAA=");
  EXPECT_EQ(m.objects[2]["kind"], "DaemonSet");
  const Json& annotations = m.objects[1]["spec"]["template"]["metadata"]["annotations"];
  EXPECT_EQ(annotations["sidecar.istio.io/userVolume"],
            R"({"hfi-wasm":{"configMap":{"name":"hfi-wasm"}}})");
  EXPECT_EQ(annotations["sidecar.istio.io/userVolumeMount"],
            R"({"hfi-wasm":{"mountPath":"/var/local/lib/wasm-filters","readOnly":true}})");
  EXPECT_EQ(m.objects[3]["spec"]["url"], "file:///var/local/lib/wasm-filters/hfi.wasm");
  EXPECT_EQ(m.objects[3]["spec"]["sha256"], Sha256Hex(inputs.wasm));
}

TEST(ManifestsTest, ConfigMapLimitIsTheApiServers) {
  Values v = BaseValues();
  v.plugin_file = "big.wasm";
  v.delivery = DeliveryKind::kConfigMap;
  v.url.clear();
  PluginInputs inputs;
  inputs.wasm.assign(kConfigMapMaxBytes, 'x');
  EXPECT_EQ(RenderManifests(v, inputs).objects[0]["kind"], "ConfigMap");
  inputs.wasm.push_back('x');
  EXPECT_EQ(ErrorOf(v, inputs),
            "hfi-metrics: big.wasm: 1048577 bytes: too big for a ConfigMap, which holds at most "
            "1048576 bytes (deliver the module from a registry with --delivery oci (or http)) [3]");
}

TEST(ManifestsTest, BigConfigMapsWarnAboutClientSideApply) {
  Values v = BaseValues();
  v.delivery = DeliveryKind::kConfigMap;
  v.url.clear();
  PluginInputs inputs;
  inputs.wasm.assign(150 * 1024, 'x');  // 200 KiB of base64: fits an annotation
  EXPECT_TRUE(RenderManifests(v, inputs).warnings.empty());
  inputs.wasm.assign(200 * 1024, 'x');
  const Manifests m = RenderManifests(v, inputs);
  ASSERT_EQ(m.warnings.size(), 1u);
  EXPECT_EQ(m.warnings[0].code, "");
  EXPECT_EQ(m.warnings[0].message,
            "ConfigMap demo/hfi-fault-injection-wasm holds 204800 bytes: apply it server-side "
            "(kubectl apply --server-side); client-side apply copies it into an annotation "
            "limited to 262144 bytes");
}

TEST(ManifestsTest, EnvoyFilterHasTheOriginalShapeWithAMatchingPrefix) {
  Values v = BaseValues();
  v.stats_exposure = StatsExposure::kEnvoyFilter;
  v.workloads.clear();
  const Manifests m = RenderManifests(v, {});
  ASSERT_EQ(m.objects.size(), 2u);  // WasmPlugin, EnvoyFilter: no annotation to patch
  const Json& filter = m.objects[1];
  EXPECT_EQ(filter["kind"], "EnvoyFilter");
  EXPECT_EQ(filter["apiVersion"], "networking.istio.io/v1alpha3");
  EXPECT_EQ(filter["spec"]["workloadSelector"]["labels"]["app"], "frontend");
  const Json& patch = filter["spec"]["configPatches"][0];
  EXPECT_EQ(patch["applyTo"], "BOOTSTRAP");
  EXPECT_EQ(patch["patch"]["operation"], "MERGE");
  EXPECT_EQ(patch["patch"]["value"]["stats_config"]["stats_matcher"]["inclusion_list"]["patterns"],
            Json::parse(R"([{"prefix": "wasmcustom."}])"));
}

struct VersionCase {
  const char* version;  // "" = not given
  bool agent;
  const char* warning;  // "" = none
};

TEST(ManifestsTest, BootstrapFilterWarningByVersion) {
  const std::string subject =
      "EnvoyFilter demo/hfi-fault-injection-stats-matcher (applyTo: BOOTSTRAP) ";
  const std::string instead =
      "render with --stats-exposure annotation: the proxy.istio.io/config annotation takes effect";
  const VersionCase cases[] = {
      {"", false,
       "may have no effect: no Istio version given (--istio-version or istio.version); BOOTSTRAP "
       "patches are ignored on Istio >= 1.21 and need BOOTSTRAP_XDS_AGENT on 1.11 to 1.20; "},
      {"1.12.0", false,
       "has no effect on Istio 1.12.0 unless the proxies run with proxyMetadata "
       "BOOTSTRAP_XDS_AGENT=\"true\" (then pass --bootstrap-xds-agent); "},
      {"1.12.0", true, ""},
      {"1.20.9", true, ""},
      {"1.20.9", false,
       "has no effect on Istio 1.20.9 unless the proxies run with proxyMetadata "
       "BOOTSTRAP_XDS_AGENT=\"true\" (then pass --bootstrap-xds-agent); "},
      {"1.21.0", false, "has no effect on Istio 1.21.0: bootstrap patches were removed in 1.21; "},
      {"1.21.0", true,
       "has no effect on Istio 1.21.0: bootstrap patches were removed in 1.21, and "
       "BOOTSTRAP_XDS_AGENT with them; "},
      {"1.24.2-distroless", false,
       "has no effect on Istio 1.24.2-distroless: bootstrap patches were removed in 1.21; "},
  };
  for (const VersionCase& c : cases) {
    Values v = BaseValues();
    v.stats_exposure = StatsExposure::kEnvoyFilter;
    if (*c.version != '\0')
      v.istio_version = ParseIstioVersion(c.version);
    v.bootstrap_xds_agent = c.agent;
    const Manifests m = RenderManifests(v, {});
    if (*c.warning == '\0') {
      EXPECT_TRUE(m.warnings.empty()) << c.version;
      continue;
    }
    ASSERT_EQ(m.warnings.size(), 1u) << c.version;
    EXPECT_EQ(m.warnings[0].code, "HFI507");
    EXPECT_EQ(m.warnings[0].message, subject + c.warning + instead) << c.version;
  }
}

TEST(ManifestsTest, BothModesPointAtTheAnnotationRenderedAlongside) {
  Values v = BaseValues();
  v.stats_exposure = StatsExposure::kBoth;
  v.istio_version = ParseIstioVersion("1.22.0");
  const Manifests m = RenderManifests(v, {});
  ASSERT_NE(FindKind(m, "Deployment"), nullptr);
  ASSERT_NE(FindKind(m, "EnvoyFilter"), nullptr);
  ASSERT_EQ(m.warnings.size(), 1u);
  EXPECT_EQ(m.warnings[0].message,
            "EnvoyFilter demo/hfi-fault-injection-stats-matcher (applyTo: BOOTSTRAP) has no "
            "effect on Istio 1.22.0: bootstrap patches were removed in 1.21; the "
            "proxy.istio.io/config annotation rendered with it is what takes effect");
}

TEST(ManifestsTest, AnnotationModeRendersNoEnvoyFilter) {
  const Manifests m = RenderManifests(BaseValues(), {});
  EXPECT_EQ(FindKind(m, "EnvoyFilter"), nullptr);
  EXPECT_TRUE(m.warnings.empty());
}

// ---- YAML and JSON forms -----------------------------------------------------------------------

TEST(EmitTest, StringsThatLookLikeOtherTypesAreQuoted) {
  Json object = Json::object();
  for (const char* text : {"on", "Yes", "n", "TRUE", "null", "~", "123", "0x1F", "1_000", "12:30",
                           "-1", "+.5", ".inf", "-.NaN", "1e3"})
    object[text] = text;
  object["plain"] = "frontend";
  object["prefix"] = "wasmcustom.";
  object["number"] = 100;
  object["float"] = 0.25;
  object["exponent"] = 1e300;
  object["bool"] = true;
  object["none"] = nullptr;
  const std::string yaml = ToYaml({object});
  EXPECT_NE(yaml.find("\"on\": \"on\"\n"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("\"123\": \"123\"\n"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("plain: frontend\n"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("prefix: wasmcustom.\n"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("number: 100\n"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("float: 0.25\n"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("exponent: 1.0e+300\n"), std::string::npos) << yaml;
  EXPECT_NE(yaml.find("bool: true\n"), std::string::npos) << yaml;
  // Every quoted string reads back as a non-plain scalar with its text unchanged.
  const YAML::Node node = YAML::Load(yaml);
  for (const auto& [key, value] : object.items()) {
    if (!value.is_string())
      continue;
    EXPECT_EQ(node[key].Scalar(), value.get<std::string>()) << key;
  }
  EXPECT_EQ(node["on"].Tag(), "!");
  EXPECT_EQ(node["plain"].Tag(), "?");
  EXPECT_EQ(node["number"].Tag(), "?");
}

TEST(EmitTest, MultiLineStringsRoundTrip) {
  Json object = Json::object();
  object["block"] = "proxyStatsMatcher:\n  inclusionPrefixes:\n  - wasmcustom.\n";
  object["no-final-break"] = "a\nb";
  object["two-final-breaks"] = "a\n\n";
  object["leading-space"] = " a\nb\n";
  object["control"] = std::string("a\tb\x01\n");
  object["json"] = R"({"v":{"mountPath":"/x","readOnly":true}})";
  object["json-with-quote"] = R"(["it's"])";
  const std::string yaml = ToYaml({object});
  EXPECT_NE(yaml.find("block: |\n  proxyStatsMatcher:\n    inclusionPrefixes:\n    - "
                      "wasmcustom.\nno-final-break:"),
            std::string::npos)
      << yaml;
  EXPECT_NE(yaml.find("json: '{\"v\":{\"mountPath\":\"/x\",\"readOnly\":true}}'\n"),
            std::string::npos)
      << yaml;
  const YAML::Node node = YAML::Load(yaml);
  for (const auto& [key, value] : object.items())
    EXPECT_EQ(node[key].Scalar(), value.get<std::string>()) << key;
}

TEST(EmitTest, DocumentsAndLists) {
  const std::vector<Json> objects = {Json::parse(R"({"kind": "A", "items": [], "m": {}})"),
                                     Json::parse(R"({"kind": "B", "list": [1, {"x": "y"}]})")};
  EXPECT_EQ(ToYaml(objects),
            "kind: A\nitems: []\nm: {}\n---\nkind: B\nlist:\n  - 1\n  - x: \"y\"\n");
  EXPECT_EQ(YAML::LoadAll(ToYaml(objects)).size(), 2u);
  EXPECT_EQ(ToYaml({}), "");
  EXPECT_EQ(ToJsonList(objects),
            "{\n    \"apiVersion\": \"v1\",\n    \"kind\": \"List\",\n    \"items\": [\n        {\n"
            "            \"kind\": \"A\",\n            \"items\": [],\n            \"m\": {}\n"
            "        },\n        {\n            \"kind\": \"B\",\n            \"list\": [\n"
            "                1,\n                {\n                    \"x\": \"y\"\n"
            "                }\n            ]\n        }\n    ]\n}\n");
}

TEST(EmitTest, RenderedYamlReadsBackAsTheSameObjects) {
  const Manifests m = RenderValuesFile("configmap-both.values.yaml");
  const std::vector<YAML::Node> docs = YAML::LoadAll(ToYaml(m.objects));
  ASSERT_EQ(docs.size(), m.objects.size());
  const YAML::Node patch = docs[1];
  EXPECT_EQ(patch["spec"]["template"]["metadata"]["annotations"]["proxy.istio.io/config"].Scalar(),
            "proxyStatsMatcher:\n  inclusionPrefixes:\n  - wasmcustom.\n");
  EXPECT_EQ(docs[0]["binaryData"]["hfi.wasm"].Scalar(),
            m.objects[0]["binaryData"]["hfi.wasm"].get<std::string>());
}

}  // namespace
}  // namespace hfi::render

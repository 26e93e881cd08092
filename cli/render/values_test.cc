#include "render/values.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <string>

#include "util/errors.h"

namespace hfi::render {
namespace {

constexpr const char* kMinimal =
    "namespace: demo\n"
    "selector: {app: frontend}\n"
    "workloads: [deployment/frontend]\n"
    "plugin:\n"
    "  file: hfi.wasm\n"
    "  delivery: {kind: oci, url: oci://registry.example/hfi:1.0}\n";

Values Parse(const std::string& yaml, const ValueOverrides& flags = {}) {
  return ParseValues(yaml, "v.yaml", "/base", flags);
}

// The one line the user sees, and the exit code it maps to.
std::string ErrorOf(const std::string& yaml, const ValueOverrides& flags = {},
                    const std::string& file = "v.yaml") {
  try {
    ParseValues(yaml, file, "/base", flags);
  } catch (const Error& e) {
    return FormatError(e) + " [" + std::to_string(static_cast<int>(e.code())) + "]";
  }
  return "no error";
}

std::string DataDir() {
  const char* dir = std::getenv("HFI_SOURCE_DIR");
  return std::string(dir != nullptr ? dir : HFI_SOURCE_DIR_DEFAULT) + "/tests/data/render/";
}

TEST(ValuesTest, ReadsEveryKey) {
  const Values v = Parse(
      "namespace: shop\n"
      "name: hfi\n"
      "selector: {app: checkout, tier: \"on\"}\n"
      "workloads: [deployment/checkout, sts/db, DaemonSet/agent]\n"
      "policy: policies/p.json\n"
      "plugin:\n"
      "  file: /abs/hfi.wasm\n"
      "  pluginName: root\n"
      "  phase: authz\n"
      "  failStrategy: FAIL_CLOSE\n"
      "  delivery:\n"
      "    kind: http\n"
      "    url: https://files.example/hfi.wasm\n"
      "istio:\n"
      "  version: 1.20.8\n"
      "  bootstrapXdsAgent: true\n"
      "stats:\n"
      "  exposure: both\n");
  EXPECT_EQ(v.namespace_name, "shop");
  EXPECT_EQ(v.name, "hfi");
  EXPECT_EQ(v.selector, (std::map<std::string, std::string>{{"app", "checkout"}, {"tier", "on"}}));
  ASSERT_EQ(v.workloads.size(), 3u);
  EXPECT_EQ(v.workloads[0].kind, WorkloadKind::kDeployment);
  EXPECT_EQ(v.workloads[0].name, "checkout");
  EXPECT_EQ(v.workloads[1].kind, WorkloadKind::kStatefulSet);
  EXPECT_EQ(v.workloads[2].kind, WorkloadKind::kDaemonSet);
  EXPECT_EQ(v.workloads[2].name, "agent");
  EXPECT_EQ(v.policy_file, "/base/policies/p.json");  // relative to the values file
  EXPECT_EQ(v.plugin_file, "/abs/hfi.wasm");
  EXPECT_EQ(v.plugin_name, "root");
  EXPECT_EQ(v.phase, Phase::kAuthz);
  EXPECT_EQ(v.fail_strategy, FailStrategy::kFailClose);
  EXPECT_EQ(v.delivery, DeliveryKind::kHttp);
  EXPECT_EQ(v.url, "https://files.example/hfi.wasm");
  ASSERT_TRUE(v.istio_version.has_value());
  EXPECT_EQ(v.istio_version->minor, 20);
  EXPECT_EQ(v.istio_version->patch, 8);
  EXPECT_TRUE(v.bootstrap_xds_agent);
  EXPECT_EQ(v.stats_exposure, StatsExposure::kBoth);
}

TEST(ValuesTest, Defaults) {
  const Values v = Parse(kMinimal);
  EXPECT_EQ(v.name, "hfi-fault-injection");
  EXPECT_EQ(v.phase, Phase::kAuthn);
  EXPECT_EQ(v.fail_strategy, FailStrategy::kFailOpen);
  EXPECT_EQ(v.stats_exposure, StatsExposure::kAnnotation);
  EXPECT_FALSE(v.istio_version.has_value());
  EXPECT_FALSE(v.bootstrap_xds_agent);
  EXPECT_TRUE(v.policy_file.empty());
  EXPECT_TRUE(v.plugin_name.empty());
  EXPECT_EQ(v.plugin_file, "/base/hfi.wasm");
}

TEST(ValuesTest, FlagsOverrideTheFile) {
  ValueOverrides flags;
  flags.namespace_name = "other";
  flags.selector = "app=api,team=core";
  flags.workloads = {"deployment/api"};
  flags.plugin_file = "build/hfi.wasm";
  flags.delivery = "configmap";
  flags.url = std::nullopt;
  flags.istio_version = "1.24.0";
  flags.stats_exposure = "envoyfilter";
  flags.bootstrap_xds_agent = true;
  flags.phase = "UNSPECIFIED_PHASE";
  flags.fail_strategy = "fail_close";
  // The file's url would be an error under configmap delivery; a flag cannot unset it, so this
  // file has none.
  const Values v = Parse(
      "namespace: demo\nselector: {app: frontend}\nworkloads: [deployment/frontend]\n"
      "plugin: {file: hfi.wasm, delivery: {kind: oci}}\n",
      flags);
  EXPECT_EQ(v.namespace_name, "other");
  EXPECT_EQ(v.selector, (std::map<std::string, std::string>{{"app", "api"}, {"team", "core"}}));
  ASSERT_EQ(v.workloads.size(), 1u);
  EXPECT_EQ(v.workloads[0].name, "api");
  EXPECT_EQ(v.plugin_file, "build/hfi.wasm");  // a flag's path stays relative to the caller
  EXPECT_EQ(v.delivery, DeliveryKind::kConfigMap);
  EXPECT_EQ(v.istio_version->minor, 24);
  EXPECT_EQ(v.stats_exposure, StatsExposure::kEnvoyFilter);
  EXPECT_TRUE(v.bootstrap_xds_agent);
  EXPECT_EQ(v.phase, Phase::kUnspecified);
  EXPECT_EQ(v.fail_strategy, FailStrategy::kFailClose);
}

TEST(ValuesTest, FlagsAloneWithoutAFile) {
  ValueOverrides flags;
  flags.namespace_name = "demo";
  flags.selector = "app=frontend";
  flags.workloads = {"deploy/frontend"};
  flags.url = "https://files.example/hfi.wasm";
  const Values v = ParseValues("", "", ".", flags);
  EXPECT_EQ(v.delivery, DeliveryKind::kHttp);  // from the url's scheme
  EXPECT_EQ(v.workloads[0].kind, WorkloadKind::kDeployment);
}

TEST(ValuesTest, DeliveryFollowsTheUrlScheme) {
  ValueOverrides flags;
  flags.url = "registry.example/hfi:1.0";  // no scheme: Istio reads it as oci://
  EXPECT_EQ(Parse("namespace: d\nselector: {a: b}\nworkloads: [deployment/x]\n", flags).delivery,
            DeliveryKind::kOci);
  flags.url = "HTTP://files.example/x.wasm";
  EXPECT_EQ(Parse("namespace: d\nselector: {a: b}\nworkloads: [deployment/x]\n", flags).delivery,
            DeliveryKind::kHttp);
}

TEST(ValuesTest, AnEmptyFileSetsNothing) {
  ValueOverrides flags;
  flags.namespace_name = "demo";
  flags.selector = "app=x";
  flags.url = "oci://r/x:1";
  flags.stats_exposure = "envoyfilter";
  EXPECT_EQ(Parse("# nothing yet\n", flags).namespace_name, "demo");
}

TEST(ValuesTest, WorkloadsAreOptionalWithoutAnnotations) {
  const Values v = Parse(
      "namespace: d\nselector: {a: b}\nplugin: {delivery: {url: oci://r/x:1}}\n"
      "stats: {exposure: envoyfilter}\n");
  EXPECT_TRUE(v.workloads.empty());
  EXPECT_TRUE(v.plugin_file.empty());
}

TEST(ValuesTest, LoadsAFileRelativeToItsDirectory) {
  const Values v = LoadValues(DataDir() + "oci-annotation.values.yaml", {});
  EXPECT_EQ(v.policy_file, DataDir() + "policy.json");
  EXPECT_EQ(v.plugin_file, DataDir().substr(0, DataDir().size() - 7) + "wasm/minimal_filter.wasm");
}

TEST(ValuesTest, ParsesIstioVersions) {
  EXPECT_EQ(ParseIstioVersion("1.22.3"), (IstioVersion{1, 22, 3, ""}));
  EXPECT_EQ(ParseIstioVersion("1.22"), (IstioVersion{1, 22, 0, ""}));
  EXPECT_EQ(ParseIstioVersion("v1.9.1"), (IstioVersion{1, 9, 1, ""}));
  EXPECT_EQ(ParseIstioVersion("1.24.2-distroless"), (IstioVersion{1, 24, 2, ""}));
  EXPECT_EQ(ParseIstioVersion("1.21.0-beta.1")->text, "1.21.0-beta.1");
  for (const char* bad : {"", "1", "1.", ".1", "1.2.3.4", "one.two", "1.x.3", "1..2", "1.2.3x"})
    EXPECT_FALSE(ParseIstioVersion(bad).has_value()) << bad;
  EXPECT_LT(*ParseIstioVersion("1.20.9"), *ParseIstioVersion("1.21.0"));
  EXPECT_LT(*ParseIstioVersion("1.9.0"), *ParseIstioVersion("1.10.0"));
}

// ---- Every error, word for word ---------------------------------------------------------------

TEST(ValuesErrorTest, UnknownKeysSuggestTheNearestOne) {
  EXPECT_EQ(ErrorOf("namesapce: demo\n"),
            "hfi-metrics: v.yaml:1:1: namesapce: unknown key (did you mean 'namespace'? accepted "
            "here: namespace, name, selector, workloads, policy, plugin, istio, stats) [3]");
  EXPECT_EQ(ErrorOf("plugin:\n  delivery:\n    kidn: oci\n"),
            "hfi-metrics: v.yaml:3:5: plugin.delivery.kidn: unknown key (did you mean 'kind'? "
            "accepted here: kind, url) [3]");
  EXPECT_EQ(ErrorOf("stats: {expose: both, colour: red}\n"),
            "hfi-metrics: v.yaml:1:9: stats.expose: unknown key (did you mean 'exposure'? "
            "accepted here: exposure) [3]");
  EXPECT_EQ(ErrorOf("istio: {flavour: x}\n"),
            "hfi-metrics: v.yaml:1:9: istio.flavour: unknown key (accepted here: version, "
            "bootstrapXdsAgent) [3]");
}

TEST(ValuesErrorTest, DuplicateKeys) {
  EXPECT_EQ(ErrorOf("namespace: a\nnamespace: b\n"),
            "hfi-metrics: v.yaml:2:1: namespace: duplicate key (each key may appear once; remove "
            "one of them) [3]");
  EXPECT_EQ(ErrorOf("selector: {app: a, app: b}\n"),
            "hfi-metrics: v.yaml:1:25: selector.app: duplicate label (each label may appear "
            "once) [3]");
}

TEST(ValuesErrorTest, WrongShapes) {
  EXPECT_EQ(ErrorOf("- a\n- b\n"),
            "hfi-metrics: v.yaml:1:1: (top level): must be a mapping of keys to values (accepted "
            "keys: namespace, name, selector, workloads, policy, plugin, istio, stats) [3]");
  EXPECT_EQ(ErrorOf("plugin: oci\n"),
            "hfi-metrics: v.yaml:1:9: plugin: must be a mapping of keys to values (accepted keys: "
            "file, pluginName, phase, failStrategy, delivery) [3]");
  EXPECT_EQ(ErrorOf("namespace: {a: b}\n"),
            "hfi-metrics: v.yaml:1:12: namespace: must be a single value, not a mapping or a "
            "list [3]");
  EXPECT_EQ(ErrorOf("selector: [app=x]\n"),
            "hfi-metrics: v.yaml:1:11: selector: must be a mapping of label names to values (e.g. "
            "selector: {app: frontend}) [3]");
  EXPECT_EQ(ErrorOf("selector: {app: [x]}\n"),
            "hfi-metrics: v.yaml:1:17: selector.app: a label value must be a plain string, not a "
            "mapping or a list [3]");
  EXPECT_EQ(ErrorOf("workloads: {deployment: x}\n"),
            "hfi-metrics: v.yaml:1:12: workloads: must be a list of KIND/NAME (e.g. workloads: "
            "[deployment/frontend]) [3]");
  EXPECT_EQ(ErrorOf("workloads: [[deployment/x]]\n"),
            "hfi-metrics: v.yaml:1:13: workloads[0]: must be KIND/NAME (e.g. deployment/frontend) "
            "[3]");
}

TEST(ValuesErrorTest, NotYaml) {
  EXPECT_EQ(ErrorOf("namespace: [demo\nselector: x\n"),
            "hfi-metrics: v.yaml:2:9: not valid YAML: end of sequence flow not found (the values "
            "file is one YAML mapping) [3]");
  // yaml-cpp 0.7's LoadAll would loop forever on this one (values_fuzz).
  EXPECT_EQ(ErrorOf("\"demo\" ,\n"),
            "hfi-metrics: v.yaml:1:8: not valid YAML: ',' outside a flow collection (quote the "
            "value, or put the list in [ ]) [3]");
  EXPECT_EQ(ErrorOf("namespace: a\n---\nnamespace: b\n"),
            "hfi-metrics: v.yaml:2:1: a second YAML document (the values file is "
            "one document; remove the '---' and what follows) [3]");
}

TEST(ValuesErrorTest, RequiredValuesNameTheFileOrTheFlag) {
  EXPECT_EQ(ErrorOf("selector: {a: b}\n"),
            "hfi-metrics: v.yaml: namespace: required (set namespace in the values file or pass "
            "--namespace) [3]");
  EXPECT_EQ(ErrorOf("", {}, ""),
            "hfi-metrics: --namespace: required (set namespace in the values file or pass "
            "--namespace) [64]");
  EXPECT_EQ(ErrorOf("namespace: d\n"),
            "hfi-metrics: v.yaml: selector: required: the labels of the pods to extend (set "
            "selector in the values file or pass --selector) [3]");
  EXPECT_EQ(ErrorOf("namespace: d\nselector: {a: b}\n"),
            "hfi-metrics: v.yaml: plugin.delivery.kind: required: how the proxies get the module "
            "(oci, http or configmap) (set plugin.delivery.kind in the values file or pass "
            "--delivery) [3]");
  EXPECT_EQ(ErrorOf("namespace: d\nselector: {a: b}\nplugin: {delivery: {kind: http}}\n"),
            "hfi-metrics: v.yaml: plugin.delivery.url: required with http delivery (set "
            "plugin.delivery.url in the values file or pass --url) [3]");
  EXPECT_EQ(ErrorOf("namespace: d\nselector: {a: b}\nplugin: {delivery: {kind: configmap}}\n"),
            "hfi-metrics: v.yaml: plugin.file: required with configmap delivery: the .wasm to "
            "ship (set plugin.file in the values file or pass --plugin) [3]");
  EXPECT_EQ(ErrorOf("namespace: d\nselector: {a: b}\nplugin: {delivery: {url: oci://r/x}}\n"),
            "hfi-metrics: v.yaml: workloads: required with stats exposure annotation: the "
            "proxy.istio.io/config annotation goes on a pod template (set workloads in the values "
            "file or pass --workload) [3]");
  EXPECT_EQ(ErrorOf("namespace: d\nselector: {a: b}\nplugin: {file: x.wasm, delivery: {kind: "
                    "configmap}}\nstats: {exposure: envoyfilter}\n"),
            "hfi-metrics: v.yaml: workloads: required with configmap delivery: the sidecar volume "
            "annotations go on a pod template (set workloads in the values file or pass "
            "--workload) [3]");
}

TEST(ValuesErrorTest, BadScalars) {
  const std::string head = "namespace: d\nselector: {a: b}\nworkloads: [deployment/x]\n";
  EXPECT_EQ(ErrorOf(head + "plugin: {delivery: {kind: ocl}}\n"),
            "hfi-metrics: v.yaml:4:27: plugin.delivery.kind: 'ocl' is not a delivery kind "
            "(accepted: oci, http, configmap) [3]");
  EXPECT_EQ(ErrorOf(head + "plugin:\n  phase: LATE\n  delivery: {url: oci://r/x}\n"),
            "hfi-metrics: v.yaml:5:10: plugin.phase: 'LATE' is not a WasmPlugin phase (accepted: "
            "AUTHN, AUTHZ, STATS, UNSPECIFIED_PHASE) [3]");
  EXPECT_EQ(ErrorOf(head + "plugin:\n  failStrategy: FAIL_RELOAD\n  delivery: {url: oci://r/x}\n"),
            "hfi-metrics: v.yaml:5:17: plugin.failStrategy: 'FAIL_RELOAD' is not a fail strategy "
            "(accepted: FAIL_OPEN, FAIL_CLOSE) [3]");
  EXPECT_EQ(ErrorOf(head + "plugin: {delivery: {url: oci://r/x}}\nstats: {exposure: all}\n"),
            "hfi-metrics: v.yaml:5:19: stats.exposure: 'all' is not a stats exposure (accepted: "
            "annotation, envoyfilter, both) [3]");
  EXPECT_EQ(ErrorOf(head + "plugin: {delivery: {url: oci://r/x}}\nistio: {version: latest}\n"),
            "hfi-metrics: v.yaml:5:18: istio.version: 'latest' is not an Istio version (write "
            "MAJOR.MINOR.PATCH, e.g. 1.22.3) [3]");
  EXPECT_EQ(ErrorOf(head + "plugin: {delivery: {url: oci://r/x}}\nistio: {version: 1.11.4}\n"),
            "hfi-metrics: v.yaml:5:18: istio.version: Istio 1.11.4 has no WasmPlugin API "
            "(WasmPlugin (extensions.istio.io/v1alpha1) exists from Istio 1.12; upgrade the "
            "mesh) [3]");
  EXPECT_EQ(
      ErrorOf(head + "plugin: {delivery: {url: oci://r/x}}\nistio: {bootstrapXdsAgent: maybe}\n"),
      "hfi-metrics: v.yaml:5:28: istio.bootstrapXdsAgent: 'maybe' is not true or false (true "
      "when the proxies run with proxyMetadata BOOTSTRAP_XDS_AGENT=\"true\") [3]");
  EXPECT_EQ(ErrorOf(head + "plugin: {pluginName: '', delivery: {url: oci://r/x}}\n"),
            "hfi-metrics: v.yaml:4:22: plugin.pluginName: must be 1 to 256 characters (the root "
            "id the module expects, or leave it out) [3]");
  EXPECT_EQ(ErrorOf(head + "plugin: {file: '', delivery: {url: oci://r/x}}\n"),
            "hfi-metrics: v.yaml:4:16: plugin.file: empty plugin path (name a file) [3]");
}

TEST(ValuesErrorTest, BadNames) {
  const std::string tail = "plugin: {delivery: {url: oci://r/x}}\nstats: {exposure: envoyfilter}\n";
  EXPECT_EQ(ErrorOf("namespace: Demo\nselector: {a: b}\n" + tail),
            "hfi-metrics: v.yaml:1:12: namespace: 'Demo' is not a namespace name (a namespace is "
            "up to 63 of a-z, 0-9 and '-', starting and ending alphanumeric) [3]");
  EXPECT_EQ(ErrorOf("namespace: d\nname: " + std::string(59, 'a') + "\nselector: {a: b}\n" + tail),
            "hfi-metrics: v.yaml:2:7: name: '" + std::string(59, 'a') +
                "' is not a usable name (up to 58 of a-z, 0-9 and '-', starting and ending "
                "alphanumeric (objects derived from it add '-wasm')) [3]");
  EXPECT_EQ(ErrorOf("namespace: d\nselector: {}\n" + tail),
            "hfi-metrics: v.yaml:2:11: selector: no labels (name at least one label: an empty "
            "selector would extend every pod in the namespace) [3]");
  EXPECT_EQ(ErrorOf("namespace: d\nselector: {-app: x}\n" + tail),
            "hfi-metrics: v.yaml:2:12: selector: '-app' is not a label name ([prefix/]name: name "
            "up to 63 of A-Z, a-z, 0-9, '-', '_', '.', starting and ending alphanumeric) [3]");
  EXPECT_EQ(ErrorOf("namespace: d\nselector: {app: 'a b'}\n" + tail),
            "hfi-metrics: v.yaml:2:17: selector.app: 'a b' is not a label value (up to 63 of A-Z, "
            "a-z, 0-9, '-', '_', '.', starting and ending alphanumeric) [3]");
  EXPECT_EQ(ErrorOf("namespace: d\nselector:\n  app:\n" + tail),
            "hfi-metrics: v.yaml:3:3: selector.app: label has no value (write \"\" for an empty "
            "label value) [3]");
  EXPECT_EQ(ErrorOf("namespace: d\nselector: {a: b}\nworkloads: [pod/x]\n" + tail),
            "hfi-metrics: v.yaml:3:13: workloads[0]: 'pod/x' is not KIND/NAME (KIND is "
            "deployment, statefulset or daemonset, e.g. deployment/frontend) [3]");
  EXPECT_EQ(ErrorOf("namespace: d\nselector: {a: b}\nworkloads: deployment/Web\n" + tail),
            "hfi-metrics: v.yaml:3:12: workloads: 'Web' is not a workload name (a name is "
            "lower-case a-z, 0-9, '-' and '.', e.g. deployment/frontend) [3]");
  EXPECT_EQ(ErrorOf("namespace: d\nselector: {a: b}\nworkloads: [deploy/x, deployment/x]\n" + tail),
            "hfi-metrics: v.yaml:3:23: workloads[1]: 'deployment/x' listed twice [3]");
}

TEST(ValuesErrorTest, DeliveryAndUrlMustAgree) {
  const std::string head = "namespace: d\nselector: {a: b}\nworkloads: [deployment/x]\n";
  EXPECT_EQ(ErrorOf(head + "plugin: {file: x.wasm, delivery: {kind: configmap, url: oci://r/x}}\n"),
            "hfi-metrics: v.yaml:4:57: plugin.delivery.url: not used with configmap delivery (the "
            "module is mounted into the sidecar and loaded from a file:// URL; remove the url or "
            "choose oci or http delivery) [3]");
  EXPECT_EQ(ErrorOf(head + "plugin: {delivery: {kind: oci, url: 'https://f/x.wasm'}}\n"),
            "hfi-metrics: v.yaml:4:37: plugin.delivery.url: 'https://f/x.wasm' is not an OCI "
            "image reference (write oci://REGISTRY/IMAGE:TAG (or choose http delivery for an "
            "http(s):// URL)) [3]");
  EXPECT_EQ(ErrorOf(head + "plugin: {delivery: {kind: http, url: 'oci://r/x'}}\n"),
            "hfi-metrics: v.yaml:4:38: plugin.delivery.url: 'oci://r/x' is not an http(s) URL "
            "(write https://HOST/PATH.wasm (or choose oci delivery for an image)) [3]");
  EXPECT_EQ(ErrorOf(head + "plugin: {delivery: {kind: oci, url: 'oci://r/a b'}}\n"),
            "hfi-metrics: v.yaml:4:37: plugin.delivery.url: 'oci://r/a b' is not a URL (no spaces "
            "or control characters) [3]");
}

TEST(ValuesErrorTest, BadFlagsAreUsageErrors) {
  ValueOverrides flags;
  flags.delivery = "ocl";
  EXPECT_EQ(ErrorOf(kMinimal, flags),
            "hfi-metrics: --delivery: 'ocl' is not a delivery kind (accepted: oci, http, "
            "configmap) [64]");
  flags = {};
  flags.selector = "app";
  EXPECT_EQ(ErrorOf(kMinimal, flags),
            "hfi-metrics: --selector: 'app' is not LABEL=VALUE (e.g. --selector app=frontend) "
            "[64]");
  flags.selector = "";
  EXPECT_EQ(ErrorOf(kMinimal, flags),
            "hfi-metrics: --selector: no labels (name at least one label: an empty selector would "
            "extend every pod in the namespace) [64]");
  flags = {};
  flags.istio_version = "1.x";
  EXPECT_EQ(ErrorOf(kMinimal, flags),
            "hfi-metrics: --istio-version: '1.x' is not an Istio version (write "
            "MAJOR.MINOR.PATCH, e.g. 1.22.3) [64]");
  flags = {};
  flags.workloads = {"frontend"};
  EXPECT_EQ(ErrorOf(kMinimal, flags),
            "hfi-metrics: --workload: 'frontend' is not KIND/NAME (KIND is deployment, "
            "statefulset or daemonset, e.g. deployment/frontend) [64]");
  flags = {};
  flags.url = "https://f/x.wasm";  // over a file that says oci
  EXPECT_EQ(ErrorOf(kMinimal, flags),
            "hfi-metrics: --url: 'https://f/x.wasm' is not an OCI image reference (write "
            "oci://REGISTRY/IMAGE:TAG (or choose http delivery for an http(s):// URL)) [64]");
}

TEST(ValuesErrorTest, MissingValuesFile) {
  try {
    LoadValues("/nonexistent/values.yaml", {});
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(FormatError(e),
              "hfi-metrics: /nonexistent/values.yaml: No such file or directory (check the path)");
  }
}

}  // namespace
}  // namespace hfi::render

namespace hfi::render {
namespace {

// yaml-cpp names the offending character in some messages; a control byte there must not split
// the one-line error (found by values_fuzz).
TEST(ValuesTest, YamlErrorWithAControlByteStaysOnOneLine) {
  const std::string yaml("a: \"\\\x01\"\nb: 1\n", 12);
  try {
    ParseValues(yaml, "v.yaml", "/base", ValueOverrides{});
    ADD_FAILURE() << "invalid YAML accepted";
  } catch (const InputError& e) {
    const std::string line = FormatError(e);
    EXPECT_EQ(line.find('\n'), std::string::npos) << line;
    EXPECT_EQ(line.find('\x01'), std::string::npos) << line;
    EXPECT_EQ(e.subject().rfind("v.yaml:1:", 0), 0u) << e.subject();
  }
}

}  // namespace
}  // namespace hfi::render

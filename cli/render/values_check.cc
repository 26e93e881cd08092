// The checks of render's values: Kubernetes name rules, the accepted spellings of each setting,
// and the rules between settings (delivery and url, what needs a module file or a workload).
#include <algorithm>
#include <cctype>
#include <filesystem>
#include <set>
#include <utility>

#include "render/raw_values.h"
#include "util/errors.h"

namespace hfi::render::detail {
namespace {

// Istio 1.12 introduced WasmPlugin (istio/api #1940, first tag 1.12.0; facts/envoy-istio.md §6.1),
// the only delivery render produces.
constexpr int kFirstWasmPluginMinor = 12;

// Kubernetes name rules (apimachinery validation: IsDNS1123Label, IsDNS1123Subdomain,
// IsQualifiedName, IsValidLabelValue).
bool IsAlnum(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) != 0;
}
bool IsLowerAlnum(char c) {
  return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

bool IsDns1123Label(std::string_view s, std::size_t max = 63) {
  if (s.empty() || s.size() > max || !IsLowerAlnum(s.front()) || !IsLowerAlnum(s.back()))
    return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return IsLowerAlnum(c) || c == '-'; });
}

bool IsDns1123Subdomain(std::string_view s) {
  if (s.empty() || s.size() > 253)
    return false;
  std::size_t start = 0;
  while (true) {
    const std::size_t dot = s.find('.', start);
    if (!IsDns1123Label(s.substr(start, dot - start), 253))
      return false;
    if (dot == std::string_view::npos)
      return true;
    start = dot + 1;
  }
}

// Empty, or up to 63 of [A-Za-z0-9_.-] starting and ending alphanumeric.
bool IsLabelValue(std::string_view s) {
  if (s.empty())
    return true;
  if (s.size() > 63 || !IsAlnum(s.front()) || !IsAlnum(s.back()))
    return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return IsAlnum(c) || c == '-' || c == '_' || c == '.'; });
}

bool IsLabelKey(std::string_view s) {
  const std::size_t slash = s.find('/');
  if (slash == std::string_view::npos)
    return !s.empty() && IsLabelValue(s);
  const std::string_view name = s.substr(slash + 1);
  return IsDns1123Subdomain(s.substr(0, slash)) && !name.empty() && IsLabelValue(name);
}

class Checker {
 public:
  explicit Checker(const RawValues& raw) : raw_(raw) {}

  Values Check() {
    Values v;
    v.namespace_name = Required(raw_.namespace_name, "namespace", "--namespace").text;
    if (!IsDns1123Label(v.namespace_name))
      Reject(raw_.namespace_name.at, Quote(v.namespace_name) + " is not a namespace name",
             "a namespace is up to 63 of a-z, 0-9 and '-', starting and ending alphanumeric");
    if (raw_.name.set) {
      v.name = raw_.name.text;
      // The ConfigMap and its pod volume are named <name>-wasm, and a volume name is a DNS label.
      if (!IsDns1123Label(v.name, 58))
        Reject(raw_.name.at, Quote(v.name) + " is not a usable name",
               "up to 58 of a-z, 0-9 and '-', starting and ending alphanumeric (objects derived "
               "from it add '-wasm')");
    }
    CheckSelector(v);
    CheckPlugin(v);
    CheckDelivery(v);
    CheckIstio(v);
    CheckWorkloads(v);
    if (raw_.policy.set)
      v.policy_file = Path(raw_.policy, "policy");
    return v;
  }

 private:
  static std::string Quote(std::string_view text) { return "'" + std::string(text) + "'"; }

  // The file's relative paths are relative to the file; a flag's to the working directory.
  std::string Path(const Raw& raw, const char* what) const {
    if (raw.text.empty())
      Reject(raw.at, std::string("empty ") + what + " path", "name a file");
    if (raw.at.flag.empty() && raw.text != "-" && std::filesystem::path(raw.text).is_relative())
      return (std::filesystem::path(raw_.base_dir) / raw.text).lexically_normal().string();
    return raw.text;
  }

  const Raw& Required(const Raw& raw, const char* key, const char* flag,
                      const std::string& why = "required") const {
    if (raw.set)
      return raw;
    Missing(key, flag, why);
  }

  [[noreturn]] void Missing(const char* key, const char* flag, const std::string& why) const {
    const std::string hint =
        "set " + std::string(key) + " in the values file or pass " + std::string(flag);
    if (raw_.file.empty())
      throw UsageError(flag, why, hint);
    throw InputError(raw_.file + ": " + key, why, hint);
  }

  void CheckSelector(Values& v) const {
    if (!raw_.selector_set)
      Missing("selector", "--selector", "required: the labels of the pods to extend");
    if (raw_.selector.empty())
      Reject(raw_.selector_at, "no labels",
             "name at least one label: an empty selector would extend every pod in the "
             "namespace");
    for (const RawLabel& label : raw_.selector) {
      if (!IsLabelKey(label.key.text))
        Reject(label.key.at, Quote(label.key.text) + " is not a label name",
               "[prefix/]name: name up to 63 of A-Z, a-z, 0-9, '-', '_', '.', starting and "
               "ending alphanumeric");
      if (!IsLabelValue(label.value.text))
        Reject(label.value.at, Quote(label.value.text) + " is not a label value",
               "up to 63 of A-Z, a-z, 0-9, '-', '_', '.', starting and ending alphanumeric");
      if (!v.selector.emplace(label.key.text, label.value.text).second)
        Reject(label.key.at, "label " + Quote(label.key.text) + " given twice", "");
    }
  }

  void CheckPlugin(Values& v) const {
    if (raw_.plugin_file.set)
      v.plugin_file = Path(raw_.plugin_file, "plugin");
    if (raw_.plugin_name.set) {
      v.plugin_name = raw_.plugin_name.text;
      if (v.plugin_name.empty() || v.plugin_name.size() > 256)
        Reject(raw_.plugin_name.at, "must be 1 to 256 characters",
               "the root id the module expects, or leave it out");
    }
    if (raw_.phase.set) {
      const std::string phase = Upper(raw_.phase.text);
      if (phase == "AUTHN")
        v.phase = Phase::kAuthn;
      else if (phase == "AUTHZ")
        v.phase = Phase::kAuthz;
      else if (phase == "STATS")
        v.phase = Phase::kStats;
      else if (phase == "UNSPECIFIED_PHASE")
        v.phase = Phase::kUnspecified;
      else
        Reject(raw_.phase.at, Quote(raw_.phase.text) + " is not a WasmPlugin phase",
               "accepted: AUTHN, AUTHZ, STATS, UNSPECIFIED_PHASE");
    }
    if (raw_.fail_strategy.set) {
      const std::string strategy = Upper(raw_.fail_strategy.text);
      if (strategy == "FAIL_OPEN")
        v.fail_strategy = FailStrategy::kFailOpen;
      else if (strategy == "FAIL_CLOSE")
        v.fail_strategy = FailStrategy::kFailClose;
      else
        Reject(raw_.fail_strategy.at, Quote(raw_.fail_strategy.text) + " is not a fail strategy",
               "accepted: FAIL_OPEN, FAIL_CLOSE");
    }
  }

  void CheckDelivery(Values& v) const {
    const std::string& url = raw_.url.text;
    const std::string scheme = url.find("://") == std::string::npos
                                   ? std::string()
                                   : Lower(url.substr(0, url.find("://")));
    if (raw_.delivery.set) {
      const std::string kind = Lower(raw_.delivery.text);
      if (kind == "oci")
        v.delivery = DeliveryKind::kOci;
      else if (kind == "http")
        v.delivery = DeliveryKind::kHttp;
      else if (kind == "configmap")
        v.delivery = DeliveryKind::kConfigMap;
      else
        Reject(raw_.delivery.at, Quote(raw_.delivery.text) + " is not a delivery kind",
               "accepted: oci, http, configmap");
    } else if (raw_.url.set) {
      v.delivery = scheme == "http" || scheme == "https" ? DeliveryKind::kHttp : DeliveryKind::kOci;
    } else {
      Missing("plugin.delivery.kind", "--delivery",
              "required: how the proxies get the module (oci, http or configmap)");
    }

    if (v.delivery == DeliveryKind::kConfigMap) {
      if (raw_.url.set)
        Reject(raw_.url.at, "not used with configmap delivery",
               "the module is mounted into the sidecar and loaded from a file:// URL; remove the "
               "url or choose oci or http delivery");
      if (!raw_.plugin_file.set)
        Missing("plugin.file", "--plugin", "required with configmap delivery: the .wasm to ship");
      return;
    }
    const char* key = "plugin.delivery.url";
    v.url = Required(raw_.url, key, "--url",
                     "required with " + std::string(DeliveryKindName(v.delivery)) + " delivery")
                .text;
    if (url.empty() || std::any_of(url.begin(), url.end(), [](unsigned char c) {
          return std::isspace(c) != 0 || std::iscntrl(c) != 0;
        }))
      Reject(raw_.url.at, Quote(url) + " is not a URL", "no spaces or control characters");
    if (v.delivery == DeliveryKind::kOci && !scheme.empty() && scheme != "oci")
      Reject(raw_.url.at, Quote(url) + " is not an OCI image reference",
             "write oci://REGISTRY/IMAGE:TAG (or choose http delivery for an http(s):// URL)");
    if (v.delivery == DeliveryKind::kHttp && scheme != "http" && scheme != "https")
      Reject(raw_.url.at, Quote(url) + " is not an http(s) URL",
             "write https://HOST/PATH.wasm (or choose oci delivery for an image)");
  }

  void CheckIstio(Values& v) const {
    if (raw_.istio_version.set) {
      v.istio_version = ParseIstioVersion(raw_.istio_version.text);
      if (!v.istio_version)
        Reject(raw_.istio_version.at, Quote(raw_.istio_version.text) + " is not an Istio version",
               "write MAJOR.MINOR.PATCH, e.g. 1.22.3");
      if (*v.istio_version < IstioVersion{1, kFirstWasmPluginMinor, 0})
        Reject(raw_.istio_version.at, "Istio " + v.istio_version->text + " has no WasmPlugin API",
               "WasmPlugin (extensions.istio.io/v1alpha1) exists from Istio 1.12; upgrade the "
               "mesh");
    }
    if (raw_.bootstrap_xds_agent.set) {
      const std::string flag = Lower(raw_.bootstrap_xds_agent.text);
      if (flag != "true" && flag != "false")
        Reject(raw_.bootstrap_xds_agent.at,
               Quote(raw_.bootstrap_xds_agent.text) + " is not true or false",
               "true when the proxies run with proxyMetadata BOOTSTRAP_XDS_AGENT=\"true\"");
      v.bootstrap_xds_agent = flag == "true";
    }
    if (raw_.exposure.set) {
      const std::string exposure = Lower(raw_.exposure.text);
      if (exposure == "annotation")
        v.stats_exposure = StatsExposure::kAnnotation;
      else if (exposure == "envoyfilter")
        v.stats_exposure = StatsExposure::kEnvoyFilter;
      else if (exposure == "both")
        v.stats_exposure = StatsExposure::kBoth;
      else
        Reject(raw_.exposure.at, Quote(raw_.exposure.text) + " is not a stats exposure",
               "accepted: annotation, envoyfilter, both");
    }
  }

  void CheckWorkloads(Values& v) const {
    std::set<std::pair<WorkloadKind, std::string>> seen;
    for (const Raw& raw : raw_.workloads) {
      const std::size_t slash = raw.text.find('/');
      const std::string kind = Lower(raw.text.substr(0, slash));
      Workload workload;
      if (kind == "deployment" || kind == "deployments" || kind == "deploy")
        workload.kind = WorkloadKind::kDeployment;
      else if (kind == "statefulset" || kind == "statefulsets" || kind == "sts")
        workload.kind = WorkloadKind::kStatefulSet;
      else if (kind == "daemonset" || kind == "daemonsets" || kind == "ds")
        workload.kind = WorkloadKind::kDaemonSet;
      else
        Reject(raw.at, Quote(raw.text) + " is not KIND/NAME",
               "KIND is deployment, statefulset or daemonset, e.g. deployment/frontend");
      workload.name = slash == std::string::npos ? std::string() : raw.text.substr(slash + 1);
      if (!IsDns1123Subdomain(workload.name))
        Reject(raw.at, Quote(workload.name) + " is not a workload name",
               "a name is lower-case a-z, 0-9, '-' and '.', e.g. deployment/frontend");
      if (!seen.emplace(workload.kind, workload.name).second)
        Reject(raw.at, Quote(raw.text) + " listed twice", "");
      v.workloads.push_back(std::move(workload));
    }
    // The annotations only take effect on a pod template; without a workload there is nothing to
    // patch.
    const bool annotation = v.stats_exposure != StatsExposure::kEnvoyFilter;
    if (v.workloads.empty() && (annotation || v.delivery == DeliveryKind::kConfigMap)) {
      Missing("workloads", "--workload",
              annotation ? "required with stats exposure " +
                               std::string(StatsExposureName(v.stats_exposure)) +
                               ": the proxy.istio.io/config annotation goes on a pod template"
                         : "required with configmap delivery: the sidecar volume annotations go "
                           "on a pod template");
    }
  }

  const RawValues& raw_;
};

}  // namespace

Values CheckValues(const RawValues& raw) {
  return Checker(raw).Check();
}

}  // namespace hfi::render::detail

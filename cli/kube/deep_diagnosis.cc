#include "kube/deep_diagnosis.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <nlohmann/json.hpp>
#include <set>
#include <utility>

#include "plugin/metric_names.h"
#include "plugin/regex.h"
#include "util/errors.h"

namespace hfi::kube {
namespace {

using Json = nlohmann::json;
using envoystats::Pattern;
using envoystats::StatsMatcher;
using verify::Check;
using verify::Finding;
using verify::HintId;

constexpr std::string_view kWasmType =
    "type.googleapis.com/envoy.extensions.filters.http.wasm.v3.Wasm";
constexpr std::string_view kWasmFilterName = "envoy.filters.http.wasm";
constexpr std::string_view kProxyConfigAnnotation = "proxy.istio.io/config";

// Envoy's config dump prints proto field names (snake_case); a dump converted by other tools may
// carry the JSON names (lowerCamelCase). Either is read.
const Json* Field(const Json& object, std::string_view snake, std::string_view camel = {}) {
  if (!object.is_object())
    return nullptr;
  auto it = object.find(std::string(snake));
  if (it == object.end() && !camel.empty())
    it = object.find(std::string(camel));
  return it == object.end() ? nullptr : &*it;
}

std::string StringField(const Json& object, std::string_view snake, std::string_view camel = {}) {
  const Json* value = Field(object, snake, camel);
  return value != nullptr && value->is_string() ? value->get<std::string>() : std::string();
}

bool IsTypedStruct(std::string_view type) {
  return type == "type.googleapis.com/udpa.type.v1.TypedStruct" ||
         type == "type.googleapis.com/xds.type.v3.TypedStruct";
}

// "type.googleapis.com/envoy.extensions.filters.http.rbac.v3.RBAC" -> the message name.
std::string ShortType(const std::string& type) {
  auto slash = type.rfind('/');
  return slash == std::string::npos ? type : type.substr(slash + 1);
}

void AddOnce(std::vector<std::string>* list, const std::string& value) {
  if (std::find(list->begin(), list->end(), value) == list->end())
    list->push_back(value);
}

std::string Join(const std::vector<std::string>& items, std::string_view separator = ", ") {
  std::string out;
  for (const std::string& item : items)
    out += (out.empty() ? "" : std::string(separator)) + item;
  return out;
}

// At most `max` items, then "and N more".
std::string JoinSome(const std::vector<std::string>& items, std::size_t max) {
  if (items.size() <= max)
    return Join(items);
  std::vector<std::string> head(items.begin(), items.begin() + static_cast<long>(max));
  return Join(head) + " and " + std::to_string(items.size() - max) + " more";
}

struct WasmScan {
  std::vector<std::string> loaded;
  std::vector<std::string> discovered;       // config_discovery filters whose types include Wasm
  std::map<std::string, std::string> other;  // name -> @type of typed configs that are not Wasm
};

// The whole dump is walked rather than particular paths: the Wasm filter sits in a listener's
// HTTP connection manager (inline), in the ECDS section (Istio's WasmPlugin), in warming or
// draining listener states, and its paths differ between Envoy versions.
void Walk(const Json& node, WasmScan* scan) {
  if (node.is_array()) {
    for (const Json& item : node)
      Walk(item, scan);
    return;
  }
  if (!node.is_object())
    return;
  const std::string name = StringField(node, "name");
  if (const Json* typed = Field(node, "typed_config", "typedConfig");
      typed != nullptr && typed->is_object()) {
    const std::string type = StringField(*typed, "@type");
    const bool wasm =
        type == kWasmType ||
        (IsTypedStruct(type) && StringField(*typed, "type_url", "typeUrl") == kWasmType);
    if (wasm)
      AddOnce(&scan->loaded, name.empty() ? "(unnamed)" : name);
    else if (!name.empty() && !type.empty())
      scan->other.emplace(name, type);
  } else if (name == kWasmFilterName) {
    AddOnce(&scan->loaded, name);
  }
  if (const Json* discovery = Field(node, "config_discovery", "configDiscovery")) {
    const Json* urls = Field(*discovery, "type_urls", "typeUrls");
    if (urls != nullptr && urls->is_array()) {
      for (const Json& url : *urls) {
        if (url.is_string() && url.get<std::string>() == kWasmType)
          AddOnce(&scan->discovered, name.empty() ? "(unnamed)" : name);
      }
    }
  }
  for (const auto& item : node.items())
    Walk(item.value(), scan);
}

WasmFilters ScanWasm(const Json& dump) {
  WasmScan scan;
  Walk(dump, &scan);
  WasmFilters filters;
  filters.loaded = scan.loaded;
  for (const std::string& name : scan.discovered) {
    if (std::find(scan.loaded.begin(), scan.loaded.end(), name) != scan.loaded.end())
      continue;
    auto other = scan.other.find(name);
    if (other != scan.other.end())
      filters.replaced.push_back(name + " (" + ShortType(other->second) + ")");
    else
      filters.awaiting.push_back(name);
  }
  return filters;
}

const Json* FindBootstrap(const Json& dump) {
  if (const Json* configs = Field(dump, "configs"); configs != nullptr && configs->is_array()) {
    for (const Json& config : *configs) {
      if (StringField(config, "@type").ends_with("BootstrapConfigDump"))
        return Field(config, "bootstrap");
    }
  }
  return Field(dump, "bootstrap");
}

std::string Lower(std::string text) {
  for (char& c : text)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// One envoy.type.matcher.v3.StringMatcher; false for a kind this build does not evaluate.
bool ReadPattern(const Json& json, Pattern* out, std::vector<std::string>* unreadable) {
  if (!json.is_object())
    return false;
  const Json* ignore_case = Field(json, "ignore_case", "ignoreCase");
  const bool fold = ignore_case != nullptr && ignore_case->is_boolean() && ignore_case->get<bool>();
  // Stat names are lower case, so folding the pattern gives Envoy's case-insensitive answer.
  auto literal = [&](Pattern::Kind kind, const Json& value) {
    if (!value.is_string())
      return false;
    out->kind = kind;
    out->value = fold ? Lower(value.get<std::string>()) : value.get<std::string>();
    return true;
  };
  if (const Json* v = Field(json, "prefix"))
    return literal(Pattern::Kind::kPrefix, *v);
  if (const Json* v = Field(json, "suffix"))
    return literal(Pattern::Kind::kSuffix, *v);
  if (const Json* v = Field(json, "exact"))
    return literal(Pattern::Kind::kExact, *v);
  if (const Json* v = Field(json, "contains"))
    return literal(Pattern::Kind::kContains, *v);
  if (const Json* v = Field(json, "safe_regex", "safeRegex")) {
    const std::string regex = StringField(*v, "regex");
    if (regex.empty())
      return false;
    out->kind = Pattern::Kind::kSafeRegex;
    out->value = regex;
    re::Regex compiled;
    std::string why;
    if (!re::Regex::Compile(regex, &compiled, &why))
      unreadable->push_back(regex);
    return true;
  }
  return false;
}

std::string PatternCount(std::size_t n) {
  return std::to_string(n) + (n == 1 ? " pattern" : " patterns");
}

BootstrapMatcher ReadMatcher(const Json& dump) {
  BootstrapMatcher result;
  const Json* bootstrap = FindBootstrap(dump);
  if (bootstrap == nullptr || !bootstrap->is_object())
    return result;
  result.state = BootstrapMatcher::State::kNone;
  result.description = "no stats_matcher";
  const Json* stats_config = Field(*bootstrap, "stats_config", "statsConfig");
  const Json* matcher =
      stats_config != nullptr ? Field(*stats_config, "stats_matcher", "statsMatcher") : nullptr;
  if (matcher == nullptr || !matcher->is_object())
    return result;

  if (const Json* reject = Field(*matcher, "reject_all", "rejectAll")) {
    if (reject->is_boolean() && reject->get<bool>()) {
      result.state = BootstrapMatcher::State::kMatcher;
      result.matcher = StatsMatcher::RejectAll();
      result.description = "reject_all";
    } else {
      result.description = "reject_all: false";
    }
    return result;
  }
  const bool inclusion = Field(*matcher, "inclusion_list", "inclusionList") != nullptr;
  const Json* list = inclusion ? Field(*matcher, "inclusion_list", "inclusionList")
                               : Field(*matcher, "exclusion_list", "exclusionList");
  const Json* patterns = list != nullptr ? Field(*list, "patterns") : nullptr;
  if (patterns == nullptr || !patterns->is_array()) {
    result.state = BootstrapMatcher::State::kUnsupported;
    result.description = "a stats_matcher without reject_all, inclusion_list or exclusion_list";
    return result;
  }
  std::vector<Pattern> read;
  for (const Json& json : *patterns) {
    Pattern pattern;
    if (!ReadPattern(json, &pattern, &result.unreadable_regexes)) {
      result.state = BootstrapMatcher::State::kUnsupported;
      result.description = "a stats_matcher pattern of a kind not evaluated here: " + json.dump();
      return result;
    }
    read.push_back(std::move(pattern));
  }
  result.state = BootstrapMatcher::State::kMatcher;
  result.description =
      std::string(inclusion ? "inclusion" : "exclusion") + " list of " + PatternCount(read.size());
  result.matcher = inclusion ? StatsMatcher::Inclusion(std::move(read))
                             : StatsMatcher::Exclusion(std::move(read));
  return result;
}

std::vector<std::string> Strings(const YAML::Node& node) {
  std::vector<std::string> out;
  if (node && node.IsSequence()) {
    for (const YAML::Node& item : node) {
      if (item.IsScalar())
        out.push_back(item.as<std::string>());
    }
  }
  return out;
}

YAML::Node Either(const YAML::Node& map, const char* camel, const char* snake) {
  if (!map || !map.IsMap())
    return YAML::Node();
  if (YAML::Node node = map[camel])
    return node;
  return map[snake];
}

std::vector<std::string> SplitCommas(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t comma = text.find(',', start);
    if (comma == std::string::npos)
      comma = text.size();
    std::string item = text.substr(start, comma - start);
    const auto first = item.find_first_not_of(" \t\n");
    const auto last = item.find_last_not_of(" \t\n");
    if (first != std::string::npos)
      out.push_back(item.substr(first, last - first + 1));
    start = comma + 1;
  }
  return out;
}

std::string Bracketed(const std::vector<std::string>& items) {
  return "[" + Join(items) + "]";
}

Check AdminStatsCheck(const AdminEvidence& evidence, const std::vector<std::string>& names) {
  if (!evidence.stats)
    return Check::Skipped("admin-stats", "", "GET /stats?filter=hfi: " + evidence.stats_error);
  Check check{"admin-stats", ""};
  check.expected = "wasmcustom.wasmcustom.hfi_faults_* on /stats (the internal names)";
  check.observed = names.empty() ? "no stat name contains 'hfi': none was created"
                                 : "found " + JoinSome(names, 6);
  return check;
}

Finding MakeFinding(HintId hint, std::string metric, std::string expected, std::string observed) {
  Finding finding(hint);
  finding.metric = std::move(metric);
  finding.expected = std::move(expected);
  finding.observed = std::move(observed);
  return finding;
}

Check PluginLoadedCheck(const AdminEvidence& evidence, const std::optional<ConfigDump>& dump,
                        const std::string& dump_error, const std::vector<std::string>& created) {
  if (!dump)
    return Check::Skipped("plugin-loaded", "", dump_error);
  Check check{"plugin-loaded", ""};
  check.expected = "a Wasm HTTP filter in /config_dump (inline, or its ECDS config)";
  const WasmFilters& wasm = dump->wasm;
  if (!created.empty()) {
    // The plugin defined its metrics, so its VM ran, whatever the configuration looks like now.
    check.observed = "the plugin created its stats (" + created.front() + " on /stats)";
    if (!wasm.loaded.empty())
      check.observed += "; Wasm filter " + JoinSome(wasm.loaded, 3);
    return check;
  }
  std::string observed;
  if (!wasm.loaded.empty()) {
    observed = "Wasm filter " + JoinSome(wasm.loaded, 3);
    std::optional<double> vms = ActiveWasmVms(evidence.scrape);
    if (!vms || *vms > 0) {
      check.observed = observed;
      return check;
    }
    observed +=
        " configured, but no Wasm VM is active (envoy_wasm_envoy_wasm_runtime_*_active is 0)";
  } else if (!wasm.replaced.empty()) {
    observed = "the ECDS filter " + JoinSome(wasm.replaced, 3) +
               " holds no Wasm config: the module was not delivered";
  } else if (!wasm.awaiting.empty()) {
    observed = "the filter " + JoinSome(wasm.awaiting, 3) +
               " waits for its Wasm config over ECDS; /config_dump has none";
  } else {
    observed = "no Wasm HTTP filter (" + std::string(kWasmFilterName) + ", " +
               ShortType(std::string(kWasmType)) + " or an ECDS config of it) in /config_dump";
  }
  check.observed = observed;
  check.findings.push_back(
      MakeFinding(HintId::kPluginNotLoaded, "", check.expected, std::move(observed)));
  return check;
}

Check MatcherCheck(const std::optional<ConfigDump>& dump, const std::string& dump_error,
                   const std::vector<std::string>& created, const RequestedMatcher& requested) {
  if (!dump)
    return Check::Skipped("stats-matcher", "", dump_error);
  const BootstrapMatcher& bootstrap = dump->matcher;
  using State = BootstrapMatcher::State;
  if (bootstrap.state == State::kNoBootstrap)
    return Check::Skipped("stats-matcher", "", "/config_dump has no bootstrap");
  if (bootstrap.state == State::kUnsupported)
    return Check::Skipped("stats-matcher", "", "not evaluated: " + bootstrap.description);

  Check check{"stats-matcher", ""};
  check.expected = "the bootstrap stats_matcher creates wasmcustom.wasmcustom.hfi_faults_*";
  if (bootstrap.state == State::kNone) {
    check.observed = bootstrap.description + ": Envoy creates every stat";
    return check;
  }
  // Only the user's own patterns say whether the annotation asks for the names: Istio's required
  // prefixes (`wasm` among them) are in every bootstrap, old or new.
  std::vector<Pattern> asked;
  for (const std::string& p : requested.prefixes)
    asked.push_back({Pattern::Kind::kPrefix, p});
  for (const std::string& s : requested.suffixes)
    asked.push_back({Pattern::Kind::kSuffix, s});
  for (const std::string& r : requested.regexps)
    asked.push_back({Pattern::Kind::kSafeRegex, r});
  const StatsMatcher asked_matcher = StatsMatcher::Inclusion(std::move(asked));
  const bool inclusion = bootstrap.matcher->mode() == StatsMatcher::Mode::kInclusion;

  std::vector<std::string> rejected, unknown;
  const std::string bootstrap_desc = "the running bootstrap's " + bootstrap.description;
  const auto& metrics_list = metrics::kAll;
  std::size_t i = 0;
  for (const std::string& internal : InternalMetricNames()) {
    const std::string prometheus(metrics_list[i++].prometheus);
    if (std::find(created.begin(), created.end(), internal) != created.end() ||
        bootstrap.matcher->Accepts(internal)) {
      continue;
    }
    if (inclusion && !bootstrap.unreadable_regexes.empty()) {
      unknown.push_back(internal);
      continue;
    }
    rejected.push_back(internal);
    if (!requested.empty() && asked_matcher.Accepts(internal)) {
      check.findings.push_back(
          MakeFinding(HintId::kRestartNeeded, prometheus,
                      "the matcher the pod's annotations ask for (" + requested.source + ": " +
                          requested.Describe() + ") in effect",
                      bootstrap_desc + " rejects " + internal +
                          ", which the annotations admit: the proxy started before they were set"));
    } else {
      std::string observed = "rejected by " + bootstrap_desc + ": " + internal;
      if (!requested.error.empty())
        observed += "; " + requested.error;
      else if (!requested.empty())
        observed += "; the annotations (" + requested.Describe() + ") do not admit it either";
      check.findings.push_back(
          MakeFinding(HintId::kStatsMatcherRejects, prometheus, "created", std::move(observed)));
    }
  }
  if (!rejected.empty()) {
    check.observed = bootstrap.description + " rejects " + Join(rejected);
  } else if (!unknown.empty()) {
    return Check::Skipped("stats-matcher", "",
                          "cannot tell: " + bootstrap.description +
                              " has regexes this build "
                              "does not read (" +
                              Join(bootstrap.unreadable_regexes) + ")");
  } else {
    check.observed = bootstrap.description + " accepts all three";
  }
  return check;
}

}  // namespace

std::vector<std::string> InternalMetricNames() {
  std::vector<std::string> names;
  for (const metrics::MetricName& metric : metrics::kAll)
    names.push_back("wasmcustom." + std::string(metric.defined));
  return names;
}

std::vector<std::string> HfiStatNames(std::string_view stats_text) {
  std::vector<std::string> names;
  std::size_t pos = 0;
  while (pos < stats_text.size()) {
    std::size_t end = stats_text.find('\n', pos);
    if (end == std::string_view::npos)
      end = stats_text.size();
    std::string_view line = stats_text.substr(pos, end - pos);
    pos = end + 1;
    const std::size_t colon = line.find(": ");
    std::string_view name = line.substr(0, colon == std::string_view::npos ? line.size() : colon);
    while (!name.empty() && (name.back() == '\r' || name.back() == ' ' || name.back() == ':'))
      name.remove_suffix(1);
    if (!name.empty() && name.find("hfi") != std::string_view::npos &&
        name.find(' ') == std::string_view::npos) {
      AddOnce(&names, std::string(name));
    }
  }
  return names;
}

ConfigDump ReadConfigDump(std::string_view json) {
  Json dump = Json::parse(json.begin(), json.end(), nullptr, false);
  if (dump.is_discarded() || !dump.is_object())
    throw InputError("/config_dump", "not a JSON object");
  ConfigDump result;
  result.wasm = ScanWasm(dump);
  result.matcher = ReadMatcher(dump);
  return result;
}

std::string RequestedMatcher::Describe() const {
  std::vector<std::string> parts;
  if (!prefixes.empty())
    parts.push_back("inclusionPrefixes " + Bracketed(prefixes));
  if (!suffixes.empty())
    parts.push_back("inclusionSuffixes " + Bracketed(suffixes));
  if (!regexps.empty())
    parts.push_back("inclusionRegexps " + Bracketed(regexps));
  return parts.empty() ? "no patterns" : Join(parts);
}

RequestedMatcher ReadRequestedMatcher(const std::map<std::string, std::string>& annotations) {
  RequestedMatcher requested;
  std::vector<std::string> sources;
  if (auto it = annotations.find(std::string(kProxyConfigAnnotation)); it != annotations.end()) {
    try {
      YAML::Node config = YAML::Load(it->second);
      YAML::Node matcher = Either(config, "proxyStatsMatcher", "proxy_stats_matcher");
      if (matcher && matcher.IsMap()) {
        requested.prefixes = Strings(Either(matcher, "inclusionPrefixes", "inclusion_prefixes"));
        requested.suffixes = Strings(Either(matcher, "inclusionSuffixes", "inclusion_suffixes"));
        requested.regexps = Strings(Either(matcher, "inclusionRegexps", "inclusion_regexps"));
        sources.emplace_back(kProxyConfigAnnotation);
      }
    } catch (const YAML::Exception& e) {
      requested.error = std::string(kProxyConfigAnnotation) + " is not YAML: " + e.what();
    }
  }
  struct Deprecated {
    const char* annotation;
    std::vector<std::string>* list;
  };
  for (const Deprecated& d :
       {Deprecated{"sidecar.istio.io/statsInclusionPrefixes", &requested.prefixes},
        Deprecated{"sidecar.istio.io/statsInclusionSuffixes", &requested.suffixes},
        Deprecated{"sidecar.istio.io/statsInclusionRegexps", &requested.regexps}}) {
    if (auto it = annotations.find(d.annotation); it != annotations.end()) {
      *d.list = SplitCommas(it->second);
      sources.emplace_back(d.annotation);
    }
  }
  requested.source = Join(sources);
  return requested;
}

std::optional<double> ActiveWasmVms(std::string_view scrape) {
  constexpr std::string_view kPrefix = "envoy_wasm_envoy_wasm_runtime_";
  std::optional<double> total;
  std::size_t pos = 0;
  while (pos < scrape.size()) {
    std::size_t end = scrape.find('\n', pos);
    if (end == std::string_view::npos)
      end = scrape.size();
    std::string_view line = scrape.substr(pos, end - pos);
    pos = end + 1;
    if (!line.starts_with(kPrefix))
      continue;
    const std::size_t name_end = line.find_first_of("{ ");
    if (name_end == std::string_view::npos || !line.substr(0, name_end).ends_with("_active"))
      continue;
    const std::size_t space = line.find_last_of(' ');
    if (space == std::string_view::npos || space + 1 >= line.size())
      continue;
    const std::string value(line.substr(space + 1));
    char* parsed_end = nullptr;
    const double v = std::strtod(value.c_str(), &parsed_end);
    if (parsed_end == value.c_str())
      continue;
    total = total.value_or(0) + v;
  }
  return total;
}

std::vector<verify::Check> DiagnoseMissingMetrics(const AdminEvidence& evidence) {
  std::vector<std::string> names, created;
  if (evidence.stats) {
    names = HfiStatNames(*evidence.stats);
    for (const std::string& internal : InternalMetricNames()) {
      if (std::find(names.begin(), names.end(), internal) != names.end())
        created.push_back(internal);
    }
  }
  std::optional<ConfigDump> dump;
  std::string dump_error = "GET /config_dump: " + evidence.config_dump_error;
  if (evidence.config_dump) {
    try {
      dump = ReadConfigDump(*evidence.config_dump);
    } catch (const Error& e) {
      dump_error = "/config_dump: " + e.reason();
    }
  }
  std::vector<Check> checks;
  checks.push_back(AdminStatsCheck(evidence, names));
  checks.push_back(PluginLoadedCheck(evidence, dump, dump_error, created));
  checks.push_back(
      MatcherCheck(dump, dump_error, created, ReadRequestedMatcher(evidence.annotations)));
  return checks;
}

}  // namespace hfi::kube

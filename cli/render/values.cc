#include "render/values.h"

#include <yaml-cpp/yaml.h>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <initializer_list>
#include <set>
#include <utility>

#include "render/raw_values.h"
#include "render/yaml_guard.h"
#include "util/errors.h"
#include "util/file.h"
#include "util/suggest.h"

namespace hfi::render {
namespace detail {

// Keys and values from the file are quoted in errors, and yaml-cpp quotes the offending character
// in some messages; a control byte or line break there would break the one-line error.
std::string Printable(std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte < 0x20 || byte == 0x7f) {
      out += "\\x";
      out += kHex[byte >> 4];
      out += kHex[byte & 0xf];
    } else {
      out += c;
    }
  }
  return out;
}

[[noreturn]] void Reject(const Origin& at, const std::string& why, const std::string& hint) {
  if (!at.flag.empty())
    throw UsageError(at.flag, Printable(why), Printable(hint));
  std::string what = at.file;
  if (at.line > 0)
    what += ":" + std::to_string(at.line) + ":" + std::to_string(at.column);
  what += ": " + at.key;
  throw InputError(Printable(what), Printable(why), Printable(hint));
}

std::string Lower(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string Upper(std::string_view text) {
  std::string out(text);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
  return out;
}

}  // namespace detail

namespace {

using detail::Origin;
using detail::Raw;
using detail::RawLabel;
using detail::RawValues;
using detail::Reject;

// A values file is a page of settings; anything near this size is the wrong file.
constexpr std::size_t kMaxValuesFileBytes = std::size_t{1} << 20;

std::string Join(std::initializer_list<std::string_view> items) {
  std::string out;
  for (std::string_view item : items) {
    if (!out.empty())
      out += ", ";
    out += item;
  }
  return out;
}

// ---- Reading the file ----------------------------------------------------------------------

class FileReader {
 public:
  FileReader(std::string file, RawValues& raw) : file_(std::move(file)), raw_(raw) {}

  void Read(std::string_view text) {
    YAML::Node root;
    try {
      if (const auto control = FindControlCharacter(text))
        throw InputError(Where(*control), "not valid YAML: a control character",
                         "a values file is UTF-8 text; remove the character");
      if (const auto second = FindSecondDocument(text)) {
        const std::string_view rest = text.substr(std::min(second->offset, text.size()));
        if (rest.starts_with(","))
          throw InputError(Where(*second), "not valid YAML: ',' outside a flow collection",
                           "quote the value, or put the list in [ ]");
        throw InputError(Where(*second), "a second YAML document",
                         "the values file is one document; remove the '---' and what follows");
      }
      root = YAML::Load(std::string(text));
    } catch (const YAML::ParserException& e) {
      Origin at{file_, "", "", e.mark.line + 1, e.mark.column + 1};
      throw InputError(file_ + ":" + std::to_string(at.line) + ":" + std::to_string(at.column),
                       "not valid YAML: " + detail::Printable(e.msg),
                       "the values file is one YAML mapping");
    }
    if (root.IsNull())
      return;  // an empty file sets nothing: every value comes from flags
    Mapping(root, "",
            {"namespace", "name", "selector", "workloads", "policy", "plugin", "istio", "stats"});
    raw_.namespace_name = Scalar(root, "", "namespace");
    raw_.name = Scalar(root, "", "name");
    raw_.policy = Scalar(root, "", "policy");
    ReadSelector(root);
    ReadWorkloads(root);
    if (const YAML::Node plugin = Child(root, "plugin")) {
      Mapping(plugin, "plugin.", {"file", "pluginName", "phase", "failStrategy", "delivery"});
      raw_.plugin_file = Scalar(plugin, "plugin.", "file");
      raw_.plugin_name = Scalar(plugin, "plugin.", "pluginName");
      raw_.phase = Scalar(plugin, "plugin.", "phase");
      raw_.fail_strategy = Scalar(plugin, "plugin.", "failStrategy");
      if (const YAML::Node delivery = Child(plugin, "delivery")) {
        Mapping(delivery, "plugin.delivery.", {"kind", "url"});
        raw_.delivery = Scalar(delivery, "plugin.delivery.", "kind");
        raw_.url = Scalar(delivery, "plugin.delivery.", "url");
      }
    }
    if (const YAML::Node istio = Child(root, "istio")) {
      Mapping(istio, "istio.", {"version", "bootstrapXdsAgent"});
      raw_.istio_version = Scalar(istio, "istio.", "version");
      raw_.bootstrap_xds_agent = Scalar(istio, "istio.", "bootstrapXdsAgent");
    }
    if (const YAML::Node stats = Child(root, "stats")) {
      Mapping(stats, "stats.", {"exposure"});
      raw_.exposure = Scalar(stats, "stats.", "exposure");
    }
  }

 private:
  std::string Where(const TextPosition& at) const {
    return file_ + ":" + std::to_string(at.line) + ":" + std::to_string(at.column);
  }

  Origin At(const std::string& key, const YAML::Mark& mark) const {
    if (mark.is_null())
      return Origin{file_, key, "", 0, 0};
    return Origin{file_, key, "", mark.line + 1, mark.column + 1};
  }

  // A present, non-null child; a null node otherwise (`key:` with no value counts as unset).
  static YAML::Node Child(const YAML::Node& parent, const std::string& key) {
    const YAML::Node child = parent[key];
    if (!child.IsDefined() || child.IsNull())
      return YAML::Node(YAML::NodeType::Undefined);
    return child;
  }

  // `node` must be a mapping whose keys are all in `keys`, each once.
  void Mapping(const YAML::Node& node, const std::string& path,
               std::initializer_list<std::string_view> keys) const {
    const std::string where = path.empty() ? "(top level)" : path.substr(0, path.size() - 1);
    if (!node.IsMap())
      Reject(At(where, node.Mark()), "must be a mapping of keys to values",
             "accepted keys: " + Join(keys));
    std::set<std::string> seen;
    for (auto it = node.begin(); it != node.end(); ++it) {
      const std::string key = it->first.IsScalar() ? it->first.Scalar() : std::string();
      const Origin at = At(path + (it->first.IsScalar() ? key : "?"), it->first.Mark());
      if (std::find(keys.begin(), keys.end(), key) == keys.end()) {
        std::string hint = "accepted here: " + Join(keys);
        for (std::string_view known : keys) {
          if (EditDistance(key, known) <= 2) {
            hint = "did you mean '" + std::string(known) + "'? " + hint;
            break;
          }
        }
        Reject(at, key.empty() ? "a key must be a plain name" : "unknown key", hint);
      }
      if (!seen.insert(key).second)
        Reject(at, "duplicate key", "each key may appear once; remove one of them");
    }
  }

  Raw Scalar(const YAML::Node& parent, const std::string& path, const std::string& key) const {
    const YAML::Node node = Child(parent, key);
    if (!node)
      return {};
    Raw raw{node.IsScalar() ? node.Scalar() : std::string(), At(path + key, node.Mark()), true};
    if (!node.IsScalar())
      Reject(raw.at, "must be a single value, not a mapping or a list", "");
    return raw;
  }

  void ReadSelector(const YAML::Node& root) {
    const YAML::Node node = Child(root, "selector");
    if (!node)
      return;
    raw_.selector_set = true;
    raw_.selector_at = At("selector", node.Mark());
    if (!node.IsMap())
      Reject(raw_.selector_at, "must be a mapping of label names to values",
             "e.g. selector: {app: frontend}");
    std::set<std::string> seen;
    for (auto it = node.begin(); it != node.end(); ++it) {
      RawLabel label;
      label.key = Raw{it->first.IsScalar() ? it->first.Scalar() : std::string(),
                      At("selector", it->first.Mark()), true};
      label.value = Raw{it->second.IsScalar() ? it->second.Scalar() : std::string(),
                        At("selector." + label.key.text, it->second.Mark()), true};
      if (!it->first.IsScalar())
        Reject(label.key.at, "a label name must be a plain string", "");
      if (!seen.insert(label.key.text).second)
        Reject(label.value.at, "duplicate label", "each label may appear once");
      if (it->second.IsNull())
        Reject(At("selector." + label.key.text, it->first.Mark()), "label has no value",
               "write \"\" for an empty label value");
      if (!it->second.IsScalar())
        Reject(label.value.at, "a label value must be a plain string, not a mapping or a list", "");
      raw_.selector.push_back(std::move(label));
    }
  }

  void ReadWorkloads(const YAML::Node& root) {
    const YAML::Node node = Child(root, "workloads");
    if (!node)
      return;
    if (node.IsScalar()) {
      raw_.workloads.push_back(Raw{node.Scalar(), At("workloads", node.Mark()), true});
      return;
    }
    if (!node.IsSequence())
      Reject(At("workloads", node.Mark()), "must be a list of KIND/NAME",
             "e.g. workloads: [deployment/frontend]");
    for (std::size_t i = 0; i < node.size(); ++i) {
      const YAML::Node item = node[i];
      Raw raw{item.IsScalar() ? item.Scalar() : std::string(),
              At("workloads[" + std::to_string(i) + "]", item.Mark()), true};
      if (!item.IsScalar())
        Reject(raw.at, "must be KIND/NAME", "e.g. deployment/frontend");
      raw_.workloads.push_back(std::move(raw));
    }
  }

  std::string file_;
  RawValues& raw_;
};

// ---- Flags over the file -------------------------------------------------------------------

void Override(Raw& raw, const std::optional<std::string>& flag, const char* flag_name) {
  if (flag)
    raw = Raw{*flag, Origin{"", "", flag_name, 0, 0}, true};
}

void ApplyFlags(const ValueOverrides& flags, RawValues& raw) {
  Override(raw.namespace_name, flags.namespace_name, "--namespace");
  Override(raw.name, flags.name, "--name");
  Override(raw.policy, flags.policy_file, "--policy");
  Override(raw.plugin_file, flags.plugin_file, "--plugin");
  Override(raw.plugin_name, flags.plugin_name, "--plugin-name");
  Override(raw.phase, flags.phase, "--phase");
  Override(raw.fail_strategy, flags.fail_strategy, "--fail-strategy");
  Override(raw.delivery, flags.delivery, "--delivery");
  Override(raw.url, flags.url, "--url");
  Override(raw.istio_version, flags.istio_version, "--istio-version");
  Override(raw.exposure, flags.stats_exposure, "--stats-exposure");
  if (flags.bootstrap_xds_agent) {
    Override(raw.bootstrap_xds_agent,
             std::optional<std::string>(*flags.bootstrap_xds_agent ? "true" : "false"),
             "--bootstrap-xds-agent");
  }
  if (flags.selector) {
    const Origin at{"", "", "--selector", 0, 0};
    raw.selector.clear();
    raw.selector_set = true;
    raw.selector_at = at;
    std::string_view rest = *flags.selector;
    while (!rest.empty()) {
      const std::size_t comma = rest.find(',');
      const std::string_view item = rest.substr(0, comma);
      rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      const std::size_t equals = item.find('=');
      if (equals == std::string_view::npos)
        Reject(at, "'" + std::string(item) + "' is not LABEL=VALUE",
               "e.g. --selector app=frontend");
      raw.selector.push_back(RawLabel{Raw{std::string(item.substr(0, equals)), at, true},
                                      Raw{std::string(item.substr(equals + 1)), at, true}});
    }
  }
  if (!flags.workloads.empty()) {
    raw.workloads.clear();
    for (const std::string& workload : flags.workloads)
      raw.workloads.push_back(Raw{workload, Origin{"", "", "--workload", 0, 0}, true});
  }
}

}  // namespace

std::string_view DeliveryKindName(DeliveryKind kind) {
  switch (kind) {
    case DeliveryKind::kOci:
      return "oci";
    case DeliveryKind::kHttp:
      return "http";
    case DeliveryKind::kConfigMap:
      return "configmap";
  }
  return "";
}

std::string_view PhaseName(Phase phase) {
  switch (phase) {
    case Phase::kUnspecified:
      return "UNSPECIFIED_PHASE";
    case Phase::kAuthn:
      return "AUTHN";
    case Phase::kAuthz:
      return "AUTHZ";
    case Phase::kStats:
      return "STATS";
  }
  return "";
}

std::string_view FailStrategyName(FailStrategy strategy) {
  return strategy == FailStrategy::kFailOpen ? "FAIL_OPEN" : "FAIL_CLOSE";
}

std::string_view StatsExposureName(StatsExposure exposure) {
  switch (exposure) {
    case StatsExposure::kAnnotation:
      return "annotation";
    case StatsExposure::kEnvoyFilter:
      return "envoyfilter";
    case StatsExposure::kBoth:
      return "both";
  }
  return "";
}

std::string_view WorkloadKindName(WorkloadKind kind) {
  switch (kind) {
    case WorkloadKind::kDeployment:
      return "Deployment";
    case WorkloadKind::kStatefulSet:
      return "StatefulSet";
    case WorkloadKind::kDaemonSet:
      return "DaemonSet";
  }
  return "";
}

std::optional<IstioVersion> ParseIstioVersion(std::string_view text) {
  IstioVersion version;
  version.text = std::string(text);
  std::string_view rest = text;
  if (!rest.empty() && (rest.front() == 'v' || rest.front() == 'V'))
    rest.remove_prefix(1);
  rest = rest.substr(0, rest.find_first_of("-+"));  // image-tag suffixes: "-distroless"
  int* parts[] = {&version.major, &version.minor, &version.patch};
  std::size_t count = 0;
  while (count < 3) {
    const std::size_t dot = rest.find('.');
    const std::string_view digits = rest.substr(0, dot);
    if (digits.empty() || digits.size() > 6 ||
        !std::all_of(digits.begin(), digits.end(),
                     [](unsigned char c) { return std::isdigit(c) != 0; }))
      return std::nullopt;
    *parts[count++] = std::stoi(std::string(digits));
    if (dot == std::string_view::npos)
      break;
    rest.remove_prefix(dot + 1);
    if (count == 3)
      return std::nullopt;  // a fourth component
  }
  if (count < 2)
    return std::nullopt;
  return version;
}

Values ParseValues(std::string_view yaml_text, const std::string& display_path,
                   const std::string& base_dir, const ValueOverrides& flags) {
  RawValues raw;
  raw.file = display_path;
  raw.base_dir = base_dir;
  if (!display_path.empty())
    FileReader(display_path, raw).Read(yaml_text);
  ApplyFlags(flags, raw);
  return detail::CheckValues(raw);
}

Values LoadValues(const std::string& values_path, const ValueOverrides& flags) {
  if (values_path.empty())
    return ParseValues("", "", ".", flags);
  const std::string text = ReadFileOrStdin(values_path, kMaxValuesFileBytes);
  std::string base_dir = values_path == "-"
                             ? std::string(".")
                             : std::filesystem::path(values_path).parent_path().string();
  if (base_dir.empty())
    base_dir = ".";
  return ParseValues(text, values_path == "-" ? "<stdin>" : values_path, base_dir, flags);
}

}  // namespace hfi::render

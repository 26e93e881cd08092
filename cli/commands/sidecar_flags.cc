#include "commands/sidecar_flags.h"

#include <sys/stat.h>

#include <CLI/CLI.hpp>
#include <cctype>
#include <charconv>
#include <string>
#include <utility>

#include "commands/default_plugin.h"
#include "envoystats/stats_matcher.h"
#include "plugin/policy.h"
#include "util/errors.h"
#include "util/file.h"

namespace hfi {
namespace {

// Plugins are a few hundred KiB; policies are capped by the plugin at 128 KiB.
constexpr std::size_t kMaxPluginBytes = std::size_t{64} << 20;
constexpr std::size_t kMaxPolicyBytes = std::size_t{1} << 20;

constexpr std::chrono::milliseconds kMaxFlushInterval = std::chrono::hours(1);

std::vector<envoystats::Pattern> ParsePatterns(const std::vector<std::string>& texts,
                                               const std::string& flag) {
  std::vector<envoystats::Pattern> patterns;
  for (const std::string& text : texts) {
    envoystats::Pattern pattern;
    std::string why;
    if (!envoystats::ParsePattern(text, &pattern, &why))
      throw UsageError(flag, why, "e.g. " + flag + " prefix:wasmcustom. or regex:.*hfi.*");
    patterns.push_back(std::move(pattern));
  }
  return patterns;
}

envoystats::StatsMatcher MakeMatcher(const SidecarFlags& flags) {
  if (flags.stats_matcher != "istio" && flags.stats_matcher != "all" &&
      flags.stats_matcher != "none") {
    throw UsageError("--stats-matcher", "'" + flags.stats_matcher + "' is not a matcher",
                     "use istio, all or none");
  }
  const bool inclusion = !flags.inclusion.empty(), exclusion = !flags.exclusion.empty();
  if (inclusion && exclusion) {
    throw UsageError("--stats-inclusion", "cannot be combined with --stats-exclusion",
                     "Envoy's stats_matcher holds one list: pass one kind");
  }
  if ((inclusion || exclusion) && flags.stats_matcher == "none") {
    throw UsageError(inclusion ? "--stats-inclusion" : "--stats-exclusion",
                     "cannot be combined with --stats-matcher none",
                     "reject_all has no pattern list: drop one of them");
  }
  if (inclusion)
    return envoystats::StatsMatcher::Inclusion(ParsePatterns(flags.inclusion, "--stats-inclusion"));
  if (exclusion)
    return envoystats::StatsMatcher::Exclusion(ParsePatterns(flags.exclusion, "--stats-exclusion"));
  if (flags.stats_matcher == "all")
    return envoystats::StatsMatcher::AcceptAll();
  if (flags.stats_matcher == "none")
    return envoystats::StatsMatcher::RejectAll();
  return envoystats::StatsMatcher::IstioDefault();
}

bool FileExists(const std::string& path) {
  struct stat st {};
  return ::stat(path.c_str(), &st) == 0;
}

}  // namespace

std::chrono::milliseconds ParseFlushInterval(const std::string& text) {
  const std::string hint = "use e.g. 5s, 250ms or 1m (more than 0, at most 1h)";
  std::uint64_t number = 0;
  const char* begin = text.data();
  const char* end = begin + text.size();
  auto [unit, ec] = std::from_chars(begin, end, number);
  const std::string_view suffix(unit, static_cast<std::size_t>(end - unit));
  std::uint64_t ms_per_unit = 0;
  if (suffix == "ms")
    ms_per_unit = 1;
  else if (suffix == "s")
    ms_per_unit = 1000;
  else if (suffix == "m")
    ms_per_unit = 60'000;
  else if (suffix == "h")
    ms_per_unit = 3'600'000;
  if (ec != std::errc() || unit == begin || ms_per_unit == 0)
    throw UsageError("--flush-interval", "'" + text + "' is not a duration", hint);
  const std::uint64_t limit = static_cast<std::uint64_t>(kMaxFlushInterval.count());
  if (number == 0 || number > limit / ms_per_unit) {
    throw UsageError("--flush-interval", "'" + text + "' is out of range", hint);
  }
  return std::chrono::milliseconds(number * ms_per_unit);
}

void AddSidecarFlags(CLI::App* cmd, SidecarFlags& flags) {
  cmd->add_option("--plugin", flags.plugin,
                  "The plugin .wasm to run (default: the one this build produced)")
      ->option_text("FILE.wasm");
  cmd->add_option("--policy", flags.policy,
                  "The fault policy (plugin configuration JSON; '-' for standard input)")
      ->option_text("FILE.json");
  cmd->add_option("--stats-matcher", flags.stats_matcher,
                  "The bootstrap stats matcher: istio (Istio's default inclusion list), all (no "
                  "matcher) or none (reject_all); default istio")
      ->check(CLI::IsMember({"istio", "all", "none"}))
      ->option_text("istio|all|none");
  cmd->add_option("--stats-inclusion", flags.inclusion,
                  "Replace the matcher with an inclusion list of these patterns (repeatable): "
                  "prefix:S, suffix:S, exact:S, contains:S or regex:RE (a full match)")
      ->option_text("PATTERN")
      ->allow_extra_args(false);
  cmd->add_option("--stats-exclusion", flags.exclusion,
                  "Replace the matcher with an exclusion list of these patterns (repeatable)")
      ->option_text("PATTERN")
      ->allow_extra_args(false);
  cmd->add_option("--flush-interval", flags.flush_interval,
                  "Envoy's stats_flush_interval: histograms reach the admin output at a flush "
                  "(e.g. 5s, 250ms, 1m)")
      ->option_text("DURATION");
  cmd->add_option("--workload", flags.workload,
                  "Node metadata WORKLOAD_NAME (and NAME) the plugin sees; default hfi-local")
      ->option_text("NAME");
  // Long form only: -n may become a global flag.
  cmd->add_option("--namespace", flags.namespace_name,
                  "Node metadata NAMESPACE the plugin sees; default default")
      ->option_text("NAME");
  cmd->add_option("--fail", flags.fail_policy,
                  "What requests get once the plugin has failed: closed (503, Envoy's default) or "
                  "open (passed through); default closed")
      ->check(CLI::IsMember({"open", "closed"}))
      ->option_text("open|closed");
}

sidecar::SidecarConfig MakeSidecarConfig(const SidecarFlags& flags,
                                         const std::string& default_policy,
                                         const std::string& default_flush) {
  sidecar::SidecarConfig config;

  // Check every flag before reading any file, so a typo is reported as one.
  config.stats_matcher = MakeMatcher(flags);
  config.flush_interval =
      ParseFlushInterval(flags.flush_interval.empty() ? default_flush : flags.flush_interval);
  if (flags.fail_policy != "open" && flags.fail_policy != "closed") {
    throw UsageError("--fail", "'" + flags.fail_policy + "' is not a failure policy",
                     "use open or closed");
  }
  if (flags.workload.empty())
    throw UsageError("--workload", "must not be empty", "pass the workload's name");
  if (flags.namespace_name.empty())
    throw UsageError("--namespace", "must not be empty", "pass a namespace, e.g. default");
  if (flags.plugin == "-" && flags.policy == "-") {
    throw UsageError("--plugin", "standard input can feed only one of --plugin and --policy",
                     "pass one of them as a file");
  }
  config.host.failure_policy = flags.fail_policy == "open" ? wasmhost::FailurePolicy::kFailOpen
                                                           : wasmhost::FailurePolicy::kFailClosed;
  config.host.node_metadata = {{"WORKLOAD_NAME", flags.workload},
                               {"NAME", flags.workload},
                               {"NAMESPACE", flags.namespace_name}};

  if (flags.plugin.empty()) {
    config.plugin_path = DefaultPluginPath();
    if (config.plugin_path.empty() || !FileExists(config.plugin_path)) {
      throw EnvironmentError(config.plugin_path.empty() ? "plugin" : config.plugin_path,
                             "this build has no plugin .wasm",
                             "run hfi-metrics build, or pass --plugin FILE.wasm");
    }
  } else {
    config.plugin_path = flags.plugin;
  }
  config.plugin_wasm = ReadFileOrStdin(config.plugin_path, kMaxPluginBytes);

  if (flags.policy.empty()) {
    config.policy = default_policy;
  } else {
    config.policy_path = flags.policy;
    config.policy = ReadFileOrStdin(flags.policy, kMaxPolicyBytes);
    // Caught here with the JSON path of the mistake; the plugin would only log it and keep
    // running without a policy.
    plugin::Policy parsed;
    std::string why;
    if (!plugin::ParsePolicy(config.policy, &parsed, &why)) {
      throw InputError(flags.policy == "-" ? "<stdin>" : flags.policy, why,
                       "see k8s/policies/ for examples");
    }
  }
  config.host.plugin_configuration = config.policy;
  return config;
}

}  // namespace hfi

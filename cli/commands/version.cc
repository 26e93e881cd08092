// `hfi-metrics version`: what this binary is and which plugin it defaults to, with the plugin's
// sha256 (the digest a WasmPlugin's `sha256` must carry), so a bug report pins both.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "build_info.h"
#include "commands/commands.h"
#include "commands/default_plugin.h"
#include "util/sha256.h"

namespace hfi {
namespace {

// The digest of the default plugin, or nullopt when it was not built (or cannot be read): the
// version command reports that rather than failing, since it is what people run first.
std::optional<std::string> PluginDigest(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return std::nullopt;
  std::string bytes{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  if (in.bad())
    return std::nullopt;
  return Sha256Hex(bytes);
}

}  // namespace

Runner AddVersion(CLI::App& root, const GlobalOptions& global) {
  CLI::App* cmd = root.add_subcommand(
      "version", "Print the version, the git commit, and the default plugin with its sha256");
  cmd->footer(
      "Examples:\n"
      "  hfi-metrics version\n"
      "  hfi-metrics version -o json\n");
  return [&global]() {
    RequireTextOrJson(global, "version");
    const std::string plugin = DefaultPluginPath();
    const std::optional<std::string> digest = PluginDigest(plugin);
    if (global.output == OutputFormat::kJson) {
      nlohmann::json out = {{"version", build_info::kVersion},
                            {"gitCommit", build_info::kGitCommit},
                            {"plugin", {{"path", plugin}}}};
      out["plugin"]["sha256"] = digest ? nlohmann::json(*digest) : nlohmann::json(nullptr);
      std::printf("%s\n", out.dump().c_str());
    } else {
      std::printf("hfi-metrics %s (commit %s)\n", build_info::kVersion, build_info::kGitCommit);
      if (digest)
        std::printf("plugin %s\nsha256 %s\n", plugin.c_str(), digest->c_str());
      else
        std::printf("plugin %s (not built: run hfi-metrics build)\n", plugin.c_str());
    }
    return ExitCode::kOk;
  };
}

}  // namespace hfi

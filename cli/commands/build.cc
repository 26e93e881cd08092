// hfi-metrics build: compile plugin/ with em++ as wasm_build.txt says, check the module like
// `inspect`, install it, and print path, size and sha256 (DESIGN §4). CMake builds the plugin
// by running this with --quiet.
#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "build_info.h"
#include "commands/commands.h"
#include "commands/plugin_compile.h"
#include "wasm/inspect_render.h"
#include "wasm/plugin_build.h"

namespace hfi {
namespace {

constexpr std::string_view kBuildSchemaVersion = "hfi-metrics.build/v1";

struct BuildFlags {
  std::string source = std::string(build_info::kSourceDir) + "/plugin";
  std::string output = "hfi_plugin.wasm";
  std::string emxx;
  bool debug = false;
  int timeout_seconds = 600;
};

double Seconds(std::chrono::milliseconds ms) {
  return static_cast<double>(ms.count()) / 1000.0;
}

nlohmann::ordered_json BuildJson(const BuildFlags& flags, const wasm::BuildResult& result,
                                 bool written) {
  nlohmann::ordered_json out;
  out["schemaVersion"] = kBuildSchemaVersion;
  out["output"] = flags.output;
  out["written"] = written;
  out["mode"] = flags.debug ? "debug" : "release";
  out["size"] = result.report.size;
  out["sha256"] = result.report.sha256;
  out["compileSeconds"] = Seconds(result.compiler.elapsed);
  out["exitCode"] = written ? 0 : 3;
  out["inspect"] = wasm::InspectJson(result.report, flags.output);
  return out;
}

void PrintJson(const nlohmann::ordered_json& json) {
  std::printf("%s\n",
              json.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace).c_str());
}

}  // namespace

Runner AddBuild(CLI::App& root, const GlobalOptions& global) {
  CLI::App* cmd = root.add_subcommand(
      "build",
      "Compile the plugin with em++ as DIR/wasm_build.txt says, check the module like 'inspect', "
      "write it and print its path, size and sha256");
  auto flags = std::make_shared<BuildFlags>();
  cmd->add_option(
         "--source", flags->source,
         "Directory holding wasm_build.txt and the sources (default: " + flags->source + ")")
      ->option_text("DIR");
  cmd->add_option("--output", flags->output,
                  "The .wasm file to write, replaced only on success (default: hfi_plugin.wasm)")
      ->option_text("FILE");
  cmd->add_flag("--debug", flags->debug,
                "Use the 'debug' flags of wasm_build.txt (else 'release')");
  cmd->add_option("--emxx", flags->emxx, "The em++ to run (default: $HFI_EMXX, else em++ on PATH)")
      ->option_text("PATH");
  // Not --timeout: that global flag bounds the whole command.
  cmd->add_option("--build-timeout", flags->timeout_seconds,
                  "Stop em++ after this many seconds (default: 600)")
      ->option_text("SECONDS")
      ->check(CLI::Range(1, 24 * 3600));
  cmd->footer(
      "Examples:\n"
      "  hfi-metrics build                                  # release flags, ./hfi_plugin.wasm\n"
      "  hfi-metrics build --output dist/hfi.wasm -o json   # path, size, sha256 and checks as "
      "JSON\n"
      "  hfi-metrics build --debug --output hfi-debug.wasm  # wasm_build.txt's 'debug' flags\n"
      "  hfi-metrics build --emxx /opt/emsdk/upstream/emscripten/em++ --build-timeout 1200\n"
      "  hfi-metrics build && hfi-metrics inspect hfi_plugin.wasm\n"
      "\n"
      "em++ runs with the flags wasm_build.txt lists for the chosen profile; its messages go to\n"
      "stderr as it prints them. The module is written to a temporary file beside --output, "
      "checked\n"
      "as 'inspect' checks (HFI7xx codes), and renamed over --output only when no check fails: a\n"
      "failed build never replaces a working module.\n"
      "\n"
      "Exit status: 0 built and checked; 2 em++ missing, killed or past --build-timeout (or the\n"
      "global --timeout), or the output cannot be written; 3 a compile error, or the module fails\n"
      "a check; 64 usage error; 130 interrupted (em++ stopped first).\n");

  return [&global, flags]() {
    RequireTextOrJson(global, "build");
    wasm::BuildOptions options;
    options.source_dir = flags->source;
    options.output = flags->output;
    options.debug = flags->debug;
    options.timeout = std::chrono::seconds(flags->timeout_seconds);
    options.emxx = wasm::ResolveEmxx(flags->emxx, std::getenv("HFI_EMXX"));

    // Said once the input checked out, just before the minute of compiling.
    options.on_start = AnnounceCompile(global, flags->source, options.emxx, flags->debug);
    const wasm::BuildResult result = wasm::BuildPlugin(options);
    ThrowIfBuildFailed(result, flags->output, "nothing was written", [&] {
      if (global.output == OutputFormat::kJson)
        PrintJson(BuildJson(*flags, result, false));
      else
        std::fputs(wasm::RenderInspectText(result.report, flags->output + " (not written)").c_str(),
                   stdout);
    });

    if (global.quiet)
      return ExitCode::kOk;
    if (!result.compiler.output.empty())
      PrintCompilerOutput(result.compiler);  // em++ warnings
    if (global.output == OutputFormat::kJson) {
      PrintJson(BuildJson(*flags, result, true));
    } else {
      std::printf("path     %s\nsize     %zu bytes\nsha256   %s\n", flags->output.c_str(),
                  result.report.size, result.report.sha256.c_str());
      std::printf("built    %s, em++ took %.1f s\n", flags->debug ? "debug" : "release",
                  Seconds(result.compiler.elapsed));
      std::fputs(wasm::RenderFindingsText(result.report).c_str(), stdout);
    }
    if (std::fflush(stdout) != 0)
      throw EnvironmentError("stdout", "write failed");
    return ExitCode::kOk;
  };
}

}  // namespace hfi

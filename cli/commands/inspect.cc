// hfi-metrics inspect FILE.wasm: the wasm checks of `build` on any module (DESIGN §4).
#include "wasm/inspect.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "commands/commands.h"
#include "util/file.h"
#include "wasm/inspect_render.h"

namespace hfi {

Runner AddInspect(CLI::App& root, const GlobalOptions& global) {
  CLI::App* cmd = root.add_subcommand(
      "inspect",
      "Check a proxy-wasm module: magic, one proxy_abi_version_* export, the callbacks an HTTP "
      "filter needs with Envoy's exact signatures, imports Envoy provides, the three metric "
      "names, memory growth; print size and sha256");
  auto file = std::make_shared<std::string>();
  cmd->add_option("file", *file, "The .wasm file to check ('-' for standard input)")
      ->required()
      ->option_text("FILE.wasm");
  cmd->footer(
      "Examples:\n"
      "  hfi-metrics inspect hfi_plugin.wasm\n"
      "  hfi-metrics inspect hfi_plugin.wasm -o json | jq '.findings[] | {code, subject, fix}'\n"
      "  curl -sL https://registry.example/hfi.wasm | hfi-metrics inspect -\n"
      "  kubectl get configmap hfi-fault-injection-wasm -n demo \\\n"
      "      -o jsonpath='{.binaryData.hfi-fault-injection\\.wasm}' \\\n"
      "      | base64 -d | hfi-metrics inspect -\n"
      "\n"
      "Each finding has an HFI7xx code (see 'man hfi-metrics' for each code's cause and fix), the\n"
      "export, import or metric it concerns, and what to change.\n"
      "\n"
      "Exit status: 0 when no check fails (warnings allowed), 3 when the file is not a module or "
      "a\n"
      "check fails, 64 usage error.");

  return [&global, file]() {
    RequireTextOrJson(global, "inspect");
    std::string display = *file == "-" ? "<stdin>" : *file;
    wasm::InspectReport report = wasm::Inspect(ReadFileOrStdin(*file));
    if (!report.parsed) {
      // Not a module at all: one line on stderr, like any unreadable input.
      const wasm::Finding& why = report.findings.front();
      throw InputError(display, why.message, why.fix);
    }
    if (global.output == OutputFormat::kJson) {
      std::string json = wasm::InspectJson(report, display)
                             .dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
      std::printf("%s\n", json.c_str());
    } else {
      std::fputs(wasm::RenderInspectText(report, display).c_str(), stdout);
    }
    if (std::fflush(stdout) != 0)
      throw EnvironmentError("stdout", "write failed");
    return report.ok() ? ExitCode::kOk : ExitCode::kInvalidInput;
  };
}

}  // namespace hfi

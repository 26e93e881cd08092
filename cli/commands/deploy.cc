// `hfi-metrics deploy`: build → apply --wait → verify, one command for scripts. Stages print
// banners and their own results on stderr; stdout carries only the final verify report (text,
// JSON or JUnit). The exit code is the first failing stage's.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "build_info.h"
#include "commands/apply_flow.h"
#include "commands/commands.h"
#include "commands/plugin_compile.h"
#include "kube/apply.h"
#include "kube/cluster_verify.h"
#include "kube/pods.h"
#include "net/http_client.h"
#include "report/render.h"
#include "util/errors.h"
#include "util/output.h"
#include "util/terminal.h"
#include "wasm/inspect_render.h"
#include "wasm/plugin_build.h"

namespace hfi {
namespace {

constexpr const char* kDefaultModule = "hfi_plugin.wasm";

struct DeployFlags {
  ApplyFlags apply;
  bool skip_build = false;
  std::string source = std::string(build_info::kSourceDir) + "/plugin";
  std::string emxx;
  bool debug = false;
  int build_timeout_seconds = 600;
};

constexpr const char* kFooter =
    "Stages: [1/3] build the module with em++ like 'build' (to --plugin FILE, else the values'\n"
    "plugin.file, else ./hfi_plugin.wasm; --skip-build uses that file as it is); [2/3] apply\n"
    "like 'apply --wait' (the values and flags of 'render'; restarts only where the bootstrap\n"
    "must change); [3/3] verify the selected pods like 'verify -l SELECTOR -n NS'. With oci or\n"
    "http delivery, push the module to its URL first: the WasmPlugin carries the built module's\n"
    "sha256, and the proxies reject a module that differs.\n"
    "\n"
    "Examples:\n"
    "  hfi-metrics deploy --values k8s/examples/configmap.values.yaml\n"
    "  hfi-metrics deploy --values v.yaml --skip-build --plugin hfi_plugin.wasm -o junit "
    "> report.xml\n"
    "  hfi-metrics deploy -n demo -l app=frontend --workload deployment/frontend \\\n"
    "      --delivery configmap --policy k8s/policies/abort-50-percent-api.json --timeout 10m\n"
    "\n"
    "Exit codes: the first failing stage's. build: 3 compile error or a module failing its\n"
    "checks, 2 em++ missing or killed; apply: 2 kubectl failed or a rollout not done within\n"
    "--timeout, 3 values or an object the API server rejected; verify: its report's (0 passed,\n"
    "1 metrics missing or wrong, 2 a pod unreachable); 64 bad flags.\n";

void Banner(const GlobalOptions& global, const char* stage) {
  if (!global.quiet)
    std::fprintf(stderr, "%s\n", stage);
}

// The build stage, with `build`'s outcomes and exit codes; everything goes to stderr, stdout is
// the verify report's.
void Build(const GlobalOptions& global, const DeployFlags& flags, const std::string& output) {
  wasm::BuildOptions options;
  options.source_dir = flags.source;
  options.output = output;
  options.debug = flags.debug;
  options.timeout = std::chrono::seconds(flags.build_timeout_seconds);
  options.emxx = wasm::ResolveEmxx(flags.emxx, std::getenv("HFI_EMXX"));
  options.on_start = AnnounceCompile(global, flags.source, options.emxx, flags.debug);
  const wasm::BuildResult result = wasm::BuildPlugin(options);
  ThrowIfBuildFailed(result, output, "nothing was deployed",
                     [&] { std::fputs(wasm::RenderFindingsText(result.report).c_str(), stderr); });
  if (!global.quiet) {
    std::fprintf(stderr, "hfi-metrics: built %s (%zu bytes, sha256 %s)\n", output.c_str(),
                 result.report.size, result.report.sha256.c_str());
  }
}

ExitCode RunDeploy(const GlobalOptions& global, const DeployFlags& flags) {
  render::Values values = LoadRenderValues(flags.apply.render);

  Banner(global, "[1/3] build");
  if (flags.skip_build) {
    if (values.plugin_file.empty()) {
      throw UsageError("--skip-build", "needs the module to deploy",
                       "pass --plugin FILE.wasm (or set plugin.file in the values)");
    }
    if (!global.quiet)
      std::fprintf(stderr, "hfi-metrics: skipped; deploying %s\n", values.plugin_file.c_str());
  } else {
    if (values.plugin_file.empty())
      values.plugin_file = kDefaultModule;
    Build(global, flags, values.plugin_file);
  }

  Banner(global, "[2/3] apply");
  const render::PluginInputs inputs = ReadCheckedInputs(values);
  const std::unique_ptr<kube::Kubectl> kubectl = MakeKubectl(global);
  const Prepared prepared =
      Prepare(global, flags.apply.render, std::move(values), inputs, *kubectl, true);
  kube::ApplyOptions options;
  options.restart = !flags.apply.no_restart;
  options.wait = true;
  SetRolloutLimits(global, options);
  options.call_timeout = kKubectlCallTimeout;
  options.progress = [&global](const std::string& line) {
    if (!global.quiet)
      std::fprintf(stderr, "hfi-metrics: %s\n", line.c_str());
  };
  const kube::ApplyResult applied = kube::ApplyManifests(
      *kubectl, prepared.values, prepared.manifests.objects, prepared.pods, options);
  for (const render::Warning& warning : applied.warnings)
    PrintWarning(warning.code, warning.message);
  if (!global.quiet)
    std::fputs(ApplyText(applied).c_str(), stderr);
  if (applied.wait_error)
    throw *applied.wait_error;

  Banner(global, "[3/3] verify");
  kube::PodTargets targets;
  targets.namespace_name = prepared.values.namespace_name;
  targets.selector = kube::SelectorText(prepared.values.selector);
  std::vector<kube::Pod> pods = kube::ListPods(*kubectl, targets, kKubectlCallTimeout);
  // Pods of the replaced ReplicaSets may still be terminating after the rollout finished.
  pods.erase(
      std::remove_if(pods.begin(), pods.end(), [](const kube::Pod& pod) { return pod.deleting; }),
      pods.end());
  if (pods.empty()) {
    throw EnvironmentError(
        "verify", "no pod matches " + targets.selector + " in " + targets.namespace_name,
        "kubectl get pods -n " + targets.namespace_name + " -l " + targets.selector);
  }
  kube::ClusterVerifyOptions verify_options;
  if (global.verbose > 0)
    verify_options.log = [](const std::string& line) {
      std::fprintf(stderr, "%s\n", line.c_str());
    };
  net::CurlHttpClient http;
  const kube::ClusterVerifyResult verified = kube::VerifyPods(*kubectl, http, pods, verify_options);

  const ExitCode code = verified.report.ExitStatus();
  switch (global.output) {
    case OutputFormat::kText:
      WriteOut(report::RenderText(verified.report, UseColor(global.no_color, stdout)));
      break;
    case OutputFormat::kJson:
      WriteOut(report::RenderJson(verified.report));
      break;
    case OutputFormat::kJunit:
      WriteOut(report::RenderJunit(verified.report));
      break;
  }
  return code;
}

}  // namespace

Runner AddDeploy(CLI::App& root, const GlobalOptions& global) {
  CLI::App* cmd = root.add_subcommand(
      "deploy",
      "Build the plugin, apply the manifests and wait for the rollouts, then verify the metrics "
      "on the selected pods: one command for scripts");
  auto flags = std::make_shared<DeployFlags>();
  AddRenderFlags(cmd, flags->apply.render);
  AddApplyFlags(cmd, flags->apply, false);
  cmd->add_flag("--skip-build", flags->skip_build,
                "Deploy the existing --plugin FILE (or plugin.file) instead of building it");
  cmd->add_option("--source", flags->source,
                  "Build: directory holding wasm_build.txt (default: " + flags->source + ")")
      ->option_text("DIR");
  cmd->add_option("--emxx", flags->emxx, "Build: the em++ to run (default: $HFI_EMXX, else PATH)")
      ->option_text("PATH");
  cmd->add_flag("--debug", flags->debug, "Build: the 'debug' flags of wasm_build.txt");
  cmd->add_option("--build-timeout", flags->build_timeout_seconds,
                  "Build: stop em++ after this many seconds (default: 600)")
      ->option_text("SECONDS")
      ->check(CLI::Range(1, 24 * 3600));
  cmd->footer(kFooter);
  return [&global, flags]() { return RunDeploy(global, *flags); };
}

}  // namespace hfi

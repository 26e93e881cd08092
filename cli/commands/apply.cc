// `hfi-metrics apply`: render (same flags and values as `render`), kubectl apply server-side, then
// restart only the workloads whose proxies must re-read their bootstrap, and say what changed.
// --diff and --dry-run show the same without changing anything.
#include "kube/apply.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

#include "commands/apply_flow.h"
#include "commands/commands.h"
#include "util/errors.h"
#include "util/output.h"

namespace hfi {
namespace {

constexpr const char* kFooter =
    "The objects are those 'render' prints for the same values file and flags. The Istio\n"
    "version comes from --istio-version or istio.version, else from the istio-proxy image of\n"
    "the selected pods (the lowest, when they differ), else from istiod's image in\n"
    "istio-system; stderr says which was used.\n"
    "\n"
    "Restarts: Envoy's stats matcher lives in its bootstrap, written once when the proxy starts.\n"
    "A workload whose pod template changed rolls out by itself and is not restarted again. One\n"
    "whose template is unchanged but whose pods started with another proxy.istio.io/config (or\n"
    "sidecar.istio.io stats or volume annotations) is restarted with kubectl rollout restart;\n"
    "so are the selected pods' workloads when a BOOTSTRAP EnvoyFilter was created or changed on\n"
    "Istio 1.11 to 1.20 with --bootstrap-xds-agent. Nothing else restarts. --no-restart warns\n"
    "(HFI506) instead.\n"
    "\n"
    "--dry-run=server sends the apply with the API server's dry run; --dry-run=client checks the\n"
    "objects in kubectl only (kubectl refuses it together with --server-side, so that apply is\n"
    "client-side) and compares them with the live objects. A dry run writes, restarts and waits\n"
    "for nothing and says what would happen.\n"
    "\n"
    "Examples:\n"
    "  hfi-metrics apply --values k8s/examples/oci.values.yaml --wait\n"
    "  hfi-metrics apply -n demo -l app=frontend --workload deployment/frontend \\\n"
    "      --url oci://registry.example.com/hfi:1.0 --plugin hfi_plugin.wasm --dry-run=server\n"
    "  hfi-metrics apply --values v.yaml --diff\n"
    "  hfi-metrics apply --values v.yaml --no-restart -o json\n"
    "\n"
    "Exit codes: 0 applied; 2 kubectl failed (cluster unreachable, RBAC denied, a rollout not\n"
    "done within --timeout, Istio version unknown); 3 a bad values file, policy or module, or an\n"
    "object the API server rejected; 64 bad flags. With --diff, kubectl diff's convention:\n"
    "0 no differences, 1 differences, 2 kubectl failed.\n";

kube::DryRun DryRunMode(const std::string& flag) {
  if (flag == "client")
    return kube::DryRun::kClient;
  if (flag == "server")
    return kube::DryRun::kServer;
  return kube::DryRun::kNone;
}

void CheckFlags(const ApplyFlags& flags) {
  if (!flags.diff)
    return;
  if (DryRunMode(flags.dry_run) != kube::DryRun::kNone || flags.wait || flags.no_restart) {
    throw UsageError("--diff", "changes nothing, so it takes no --dry-run, --wait or --no-restart",
                     "run --diff alone, then apply");
  }
}

ExitCode RunDiff(const GlobalOptions& global, const Prepared& prepared, kube::Kubectl& kubectl) {
  const kube::DiffResult diff = kube::DiffManifests(
      kubectl, prepared.manifests.objects, prepared.values.namespace_name, kKubectlCallTimeout);
  const ExitCode code = diff.differences ? ExitCode::kChecksFailed : ExitCode::kOk;
  if (global.output == OutputFormat::kJson) {
    nlohmann::ordered_json out;
    out["schemaVersion"] = "hfi-metrics.apply-diff/v1";
    out["namespace"] = prepared.values.namespace_name;
    out["istio"] = {{"version", prepared.values.istio_version->text},
                    {"source", prepared.istio_source},
                    {"detail", prepared.istio_detail}};
    out["differences"] = diff.differences;
    out["diff"] = diff.output;
    out["exitCode"] = static_cast<int>(code);
    WriteOut(out.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) + "\n");
  } else {
    WriteOut(diff.output);
    if (!diff.differences && !global.quiet)
      std::fprintf(stderr, "hfi-metrics: no differences\n");
  }
  return code;
}

}  // namespace

Runner AddApply(CLI::App& root, const GlobalOptions& global) {
  CLI::App* cmd = root.add_subcommand(
      "apply",
      "Render the manifests and apply them server-side with kubectl; restart only the workloads "
      "whose proxies must re-read their bootstrap; report what was created, configured or "
      "restarted");
  auto flags = std::make_shared<ApplyFlags>();
  AddRenderFlags(cmd, flags->render);
  AddApplyFlags(cmd, *flags, true);
  cmd->footer(kFooter);

  return [&global, flags]() {
    RequireTextOrJson(global, "apply");
    CheckFlags(*flags);
    render::Values values = LoadRenderValues(flags->render);
    const render::PluginInputs inputs = ReadCheckedInputs(values);
    const std::unique_ptr<kube::Kubectl> kubectl = MakeKubectl(global);
    const Prepared prepared =
        Prepare(global, flags->render, std::move(values), inputs, *kubectl, !flags->diff);
    if (flags->diff)
      return RunDiff(global, prepared, *kubectl);

    kube::ApplyOptions options;
    options.dry_run = DryRunMode(flags->dry_run);
    options.restart = !flags->no_restart;
    options.wait = flags->wait;
    SetRolloutLimits(global, options);
    options.call_timeout = kKubectlCallTimeout;
    options.progress = [&global](const std::string& line) {
      if (!global.quiet)
        std::fprintf(stderr, "hfi-metrics: %s\n", line.c_str());
    };
    const kube::ApplyResult result = kube::ApplyManifests(
        *kubectl, prepared.values, prepared.manifests.objects, prepared.pods, options);
    for (const render::Warning& warning : result.warnings)
      PrintWarning(warning.code, warning.message);
    WriteOut(global.output == OutputFormat::kJson ? ApplyJson(prepared, result)
                                                  : ApplyText(result));
    if (result.wait_error)
      throw *result.wait_error;
    return ExitCode::kOk;
  };
}

}  // namespace hfi

#include "commands/apply_flow.h"

#include <CLI/CLI.hpp>
#include <cctype>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "kube/istio_detect.h"
#include "util/errors.h"

namespace hfi {
namespace {

using Json = nlohmann::ordered_json;
using std::chrono::milliseconds;

// WasmPlugin, the only plugin delivery rendered, exists from Istio 1.12 (facts/envoy-istio.md
// §6.1); values_check.cc refuses older versions given by hand.
const render::IstioVersion kFirstWasmPlugin{1, 12, 0, "1.12.0"};

std::string DryRunSuffix(kube::DryRun mode) {
  switch (mode) {
    case kube::DryRun::kClient:
      return " (dry run)";
    case kube::DryRun::kServer:
      return " (server dry run)";
    case kube::DryRun::kNone:
      break;
  }
  return "";
}

std::string WorkloadLine(const kube::WorkloadOutcome& w, kube::DryRun mode) {
  const bool dry = mode != kube::DryRun::kNone;
  std::string line = w.ref + " ";
  switch (w.action) {
    case kube::WorkloadAction::kUnchanged:
      line += "unchanged";
      break;
    case kube::WorkloadAction::kRollingOut:
      line += (dry ? "would roll out: " : "rolling out: ") + w.reason;
      break;
    case kube::WorkloadAction::kRestarted:
      line += (dry ? "would be restarted: " : "restarted: ") + w.reason;
      break;
    case kube::WorkloadAction::kRestartSkipped:
      line += "needs a restart (--no-restart): " + w.reason;
      break;
  }
  switch (w.rollout) {
    case kube::RolloutState::kComplete:
      line += " (rolled out)";
      break;
    case kube::RolloutState::kTimedOut:
      line += " (not rolled out in time)";
      break;
    case kube::RolloutState::kFailed:
      line += " (rollout failed)";
      break;
    case kube::RolloutState::kNotWaited:
      break;
  }
  return line + DryRunSuffix(mode);
}

}  // namespace

void AddApplyFlags(CLI::App* cmd, ApplyFlags& flags, bool apply_only) {
  cmd->add_flag("--no-restart", flags.no_restart,
                "Restart nothing; warn (HFI506) about the workloads whose proxies keep the old "
                "bootstrap");
  if (!apply_only)
    return;
  cmd->add_flag("--wait", flags.wait,
                "Wait for every workload that rolls out or is restarted (kubectl rollout status)");
  cmd->add_flag("--diff", flags.diff,
                "Show what would change (kubectl diff --server-side) and apply nothing; exit 0 "
                "no differences, 1 differences, 2 kubectl failed");
  cmd->add_option("--dry-run", flags.dry_run,
                  "client or server: report what would change and what would restart; nothing is "
                  "written or restarted")
      ->check(CLI::IsMember({"none", "client", "server"}))
      ->option_text("MODE");
}

void SetRolloutLimits(const GlobalOptions& global, kube::ApplyOptions& options) {
  options.rollout_timeout = kDefaultRolloutTimeout;
  if (global.deadline == nullptr)
    return;
  options.rollout_timeout = global.deadline->limit();
  options.deadline_limit = global.deadline->limit();
  options.deadline = std::chrono::steady_clock::now() + global.deadline->Remaining();
}

std::unique_ptr<kube::Kubectl> MakeKubectl(const GlobalOptions& global) {
  kube::KubectlConfig config;
  config.path = global.kubectl;
  config.kubeconfig = global.kubeconfig;
  config.context = global.context;
  config.log = global.verbose > 0 ? stderr : nullptr;
  return kube::MakeRealKubectl(config);
}

void PrintWarning(const std::string& code, const std::string& message) {
  std::fprintf(stderr, "hfi-metrics: warning: %s%s%s\n", code.c_str(), code.empty() ? "" : ": ",
               message.c_str());
}

render::PluginInputs ReadCheckedInputs(const render::Values& values) {
  render::PluginInputs inputs = render::ReadInputs(values);
  render::RenderManifests(values, inputs);
  return inputs;
}

Prepared Prepare(const GlobalOptions& global, const RenderFlags& flags, render::Values values,
                 const render::PluginInputs& inputs, kube::Kubectl& kubectl, bool need_pods) {
  Prepared prepared;
  const std::string selector = kube::SelectorText(values.selector);
  if (need_pods || !values.istio_version) {
    prepared.pods =
        kube::GetSelectedPods(kubectl, values.namespace_name, selector, kKubectlCallTimeout);
  }
  if (values.istio_version) {
    const std::string origin = IstioVersionOrigin(flags, values);
    prepared.istio_source = origin == "--istio-version" ? "flag" : "values";
    prepared.istio_detail = origin;
  } else {
    kube::DetectedIstio detected = kube::DetectIstioVersion(
        kubectl, prepared.pods, selector + " in " + values.namespace_name, kKubectlCallTimeout);
    for (const std::string& warning : detected.warnings)
      PrintWarning("", warning);
    prepared.istio_warnings = detected.warnings;
    if (detected.version < kFirstWasmPlugin) {
      throw EnvironmentError("Istio " + detected.version.text,
                             "no WasmPlugin API (detected from " + detected.detail + ")",
                             "WasmPlugin exists from Istio 1.12; upgrade the mesh");
    }
    values.istio_version = detected.version;
    prepared.istio_source = detected.origin;
    prepared.istio_detail = detected.detail;
  }
  if (!global.quiet) {
    std::fprintf(stderr, "hfi-metrics: Istio %s (from %s)\n", values.istio_version->text.c_str(),
                 prepared.istio_detail.c_str());
  }
  prepared.manifests = render::RenderManifests(values, inputs);
  for (const render::Warning& warning : prepared.manifests.warnings)
    PrintWarning(warning.code, warning.message);
  prepared.values = std::move(values);
  return prepared;
}

std::string ApplyText(const kube::ApplyResult& result) {
  std::string text;
  for (const kube::ObjectOutcome& object : result.objects) {
    text += object.ref + " " + std::string(kube::ObjectActionName(object.action)) +
            DryRunSuffix(result.dry_run) + "\n";
  }
  for (const kube::WorkloadOutcome& workload : result.workloads)
    text += WorkloadLine(workload, result.dry_run) + "\n";
  return text;
}

std::string ApplyJson(const Prepared& prepared, const kube::ApplyResult& result) {
  Json out;
  out["schemaVersion"] = "hfi-metrics.apply/v1";
  out["namespace"] = result.namespace_name;
  out["dryRun"] = result.dry_run == kube::DryRun::kNone
                      ? Json(nullptr)
                      : Json(std::string(kube::DryRunName(result.dry_run)));
  out["istio"] = Json{{"version", prepared.values.istio_version->text},
                      {"source", prepared.istio_source},
                      {"detail", prepared.istio_detail}};
  Json objects = Json::array();
  for (const kube::ObjectOutcome& object : result.objects) {
    objects.push_back(Json{{"ref", object.ref},
                           {"apiVersion", object.api_version},
                           {"kind", object.kind},
                           {"name", object.name},
                           {"action", kube::ObjectActionName(object.action)}});
  }
  out["objects"] = std::move(objects);
  Json workloads = Json::array();
  for (const kube::WorkloadOutcome& workload : result.workloads) {
    workloads.push_back(
        Json{{"ref", workload.ref},
             {"kind", workload.kind},
             {"name", workload.name},
             {"action", kube::WorkloadActionName(workload.action)},
             {"reason", workload.reason.empty() ? Json(nullptr) : Json(workload.reason)},
             {"rollout", kube::RolloutStateName(workload.rollout)}});
  }
  out["workloads"] = std::move(workloads);
  Json warnings = Json::array();
  const auto add = [&warnings](const std::string& code, const std::string& message) {
    warnings.push_back(
        Json{{"code", code.empty() ? Json(nullptr) : Json(code)}, {"message", message}});
  };
  for (const std::string& warning : prepared.istio_warnings)
    add("", warning);
  for (const render::Warning& warning : prepared.manifests.warnings)
    add(warning.code, warning.message);
  for (const render::Warning& warning : result.warnings)
    add(warning.code, warning.message);
  out["warnings"] = std::move(warnings);
  out["exitCode"] = result.wait_error ? static_cast<int>(result.wait_error->code()) : 0;
  return out.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace hfi

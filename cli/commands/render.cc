// `hfi-metrics render`: values (file, then flags) → checked Values → Kubernetes objects → YAML or
// JSON on stdout. Warnings about objects that will not take effect go to stderr, one line each,
// so stdout can be piped straight into `kubectl apply -f -`.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "commands/commands.h"
#include "render/manifests.h"
#include "render/values.h"
#include "util/errors.h"

namespace hfi {
namespace {

struct RenderFlags {
  std::string values;
  std::string namespace_name, name, selector, policy, plugin, plugin_name, phase, fail_strategy,
      delivery, url, istio_version, stats_exposure;
  std::vector<std::string> workloads;
  bool bootstrap_xds_agent = false;
  // The options whose presence matters: an option not given leaves the values file's value.
  CLI::Option *namespace_opt, *name_opt, *selector_opt, *policy_opt, *plugin_opt, *plugin_name_opt,
      *phase_opt, *fail_strategy_opt, *delivery_opt, *url_opt, *istio_version_opt,
      *stats_exposure_opt, *bootstrap_opt;
};

constexpr const char* kFooter =
    "Values come from --values FILE (keys: k8s/examples/README.md; its relative paths are\n"
    "relative to the file), then the flags, which win. Objects, in apply order: the\n"
    "ConfigMap holding the module (--delivery configmap), a partial workload per --workload with\n"
    "the pod-template annotations (apply server-side or with kubectl patch), the WasmPlugin, and\n"
    "the BOOTSTRAP EnvoyFilter (--stats-exposure envoyfilter|both). Pods pick the annotations up\n"
    "only when they restart.\n"
    "\n"
    "Examples:\n"
    "  hfi-metrics render --values k8s/examples/oci.values.yaml | kubectl apply --server-side -f "
    "-\n"
    "  hfi-metrics render -n demo -l app=frontend --workload deployment/frontend \\\n"
    "      --url oci://registry.example.com/hfi:1.0 --plugin build/plugin/hfi_plugin.wasm \\\n"
    "      --policy k8s/policies/delay-500ms-on-header.json --istio-version 1.22.3\n"
    "  hfi-metrics render --values v.yaml --delivery configmap -o json\n"
    "\n"
    "Exit codes: 0 rendered (warnings on stderr allowed), 3 a bad values file, policy or module,\n"
    "64 a bad flag.\n";

render::ValueOverrides Overrides(const RenderFlags& flags) {
  render::ValueOverrides o;
  const auto take = [](const CLI::Option* opt, const std::string& value,
                       std::optional<std::string>& into) {
    if (opt->count() > 0)
      into = value;
  };
  take(flags.namespace_opt, flags.namespace_name, o.namespace_name);
  take(flags.name_opt, flags.name, o.name);
  take(flags.selector_opt, flags.selector, o.selector);
  take(flags.policy_opt, flags.policy, o.policy_file);
  take(flags.plugin_opt, flags.plugin, o.plugin_file);
  take(flags.plugin_name_opt, flags.plugin_name, o.plugin_name);
  take(flags.phase_opt, flags.phase, o.phase);
  take(flags.fail_strategy_opt, flags.fail_strategy, o.fail_strategy);
  take(flags.delivery_opt, flags.delivery, o.delivery);
  take(flags.url_opt, flags.url, o.url);
  take(flags.istio_version_opt, flags.istio_version, o.istio_version);
  take(flags.stats_exposure_opt, flags.stats_exposure, o.stats_exposure);
  o.workloads = flags.workloads;
  if (flags.bootstrap_opt->count() > 0)
    o.bootstrap_xds_agent = flags.bootstrap_xds_agent;
  return o;
}

void WriteStdout(const std::string& text) {
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0)
    throw EnvironmentError("standard output", "write failed");
}

}  // namespace

Runner AddRender(CLI::App& root, const GlobalOptions& global) {
  CLI::App* cmd = root.add_subcommand(
      "render",
      "Print the manifests that deploy the plugin and expose its metrics: WasmPlugin (url and "
      "sha256, or a ConfigMap and sidecar volume annotations), the proxy.istio.io/config "
      "proxyStatsMatcher annotation, and on request the BOOTSTRAP EnvoyFilter");
  auto flags = std::make_shared<RenderFlags>();
  RenderFlags& f = *flags;
  cmd->add_option("--values", f.values, "YAML values file ('-' for standard input)")
      ->option_text("FILE");
  f.namespace_opt = cmd->add_option("-n,--namespace", f.namespace_name,
                                    "Namespace of the workloads and the objects")
                        ->option_text("NS");
  f.selector_opt =
      cmd->add_option("-l,--selector", f.selector, "Labels of the pods to extend: k=v[,k=v...]")
          ->option_text("LABELS");
  cmd->add_option("--workload", f.workloads,
                  "Workload whose pod template gets the annotations (repeatable)")
      ->option_text("KIND/NAME");
  f.name_opt = cmd->add_option("--name", f.name, "Name of the WasmPlugin, prefix of the others")
                   ->option_text("NAME");
  f.plugin_opt =
      cmd->add_option("--plugin", f.plugin, "The built .wasm: its sha256, and the ConfigMap bytes")
          ->option_text("FILE.wasm");
  f.url_opt =
      cmd->add_option("--url", f.url, "Where proxies fetch the module (oci:// or http(s)://)")
          ->option_text("URL");
  f.delivery_opt =
      cmd->add_option("--delivery", f.delivery, "oci, http or configmap (default: from --url)")
          ->option_text("KIND");
  f.policy_opt = cmd->add_option("--policy", f.policy, "Fault policy JSON, passed as pluginConfig")
                     ->option_text("FILE");
  f.plugin_name_opt =
      cmd->add_option("--plugin-name", f.plugin_name, "Root id for the module")->option_text("ID");
  f.phase_opt = cmd->add_option("--phase", f.phase,
                                "AUTHN (default), AUTHZ, STATS or "
                                "UNSPECIFIED_PHASE")
                    ->option_text("PHASE");
  f.fail_strategy_opt =
      cmd->add_option("--fail-strategy", f.fail_strategy, "FAIL_OPEN (default) or FAIL_CLOSE")
          ->option_text("STRATEGY");
  f.istio_version_opt =
      cmd->add_option("--istio-version", f.istio_version, "The mesh's Istio version, e.g. 1.22.3")
          ->option_text("X.Y.Z");
  f.bootstrap_opt =
      cmd->add_flag("--bootstrap-xds-agent,!--no-bootstrap-xds-agent", f.bootstrap_xds_agent,
                    "The proxies run with BOOTSTRAP_XDS_AGENT=true (Istio 1.11-1.20)");
  f.stats_exposure_opt = cmd->add_option("--stats-exposure", f.stats_exposure,
                                         "annotation (default), envoyfilter or both")
                             ->option_text("MODE");
  cmd->footer(kFooter);

  return [&global, flags]() {
    if (global.output == OutputFormat::kJunit)
      throw UsageError("-o junit", "'render' has no JUnit form", "use -o yaml or -o json");
    const render::Values values = render::LoadValues(flags->values, Overrides(*flags));
    const render::Manifests manifests = render::RenderManifests(values, render::ReadInputs(values));
    for (const render::Warning& warning : manifests.warnings) {
      std::fprintf(stderr, "hfi-metrics: warning: %s%s%s\n", warning.code.c_str(),
                   warning.code.empty() ? "" : ": ", warning.message.c_str());
    }
    // -o text means the manifests' own text form: YAML.
    WriteStdout(global.output == OutputFormat::kJson ? render::ToJsonList(manifests.objects)
                                                     : render::ToYaml(manifests.objects));
    return ExitCode::kOk;
  };
}

}  // namespace hfi

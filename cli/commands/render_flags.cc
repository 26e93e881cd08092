#include "commands/render_flags.h"

#include <CLI/CLI.hpp>
#include <optional>

namespace hfi {

void AddRenderFlags(CLI::App* cmd, RenderFlags& f) {
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
          ->option_text("oci|http|configmap");
  f.policy_opt = cmd->add_option("--policy", f.policy, "Fault policy JSON, passed as pluginConfig")
                     ->option_text("FILE");
  f.plugin_name_opt =
      cmd->add_option("--plugin-name", f.plugin_name, "Root id for the module")->option_text("ID");
  f.phase_opt = cmd->add_option("--phase", f.phase,
                                "AUTHN (default), AUTHZ, STATS or "
                                "UNSPECIFIED_PHASE")
                    ->option_text("AUTHN|AUTHZ|STATS|UNSPECIFIED_PHASE");
  f.fail_strategy_opt =
      cmd->add_option("--fail-strategy", f.fail_strategy, "FAIL_OPEN (default) or FAIL_CLOSE")
          ->option_text("FAIL_OPEN|FAIL_CLOSE");
  f.istio_version_opt =
      cmd->add_option("--istio-version", f.istio_version, "The mesh's Istio version, e.g. 1.22.3")
          ->option_text("X.Y.Z");
  f.bootstrap_opt =
      cmd->add_flag("--bootstrap-xds-agent,!--no-bootstrap-xds-agent", f.bootstrap_xds_agent,
                    "The proxies run with BOOTSTRAP_XDS_AGENT=true (Istio 1.11-1.20)");
  f.stats_exposure_opt = cmd->add_option("--stats-exposure", f.stats_exposure,
                                         "annotation (default), envoyfilter or both")
                             ->option_text("annotation|envoyfilter|both");
}

render::ValueOverrides Overrides(const RenderFlags& flags) {
  render::ValueOverrides o;
  const auto take = [](const CLI::Option* opt, const std::string& value,
                       std::optional<std::string>& into) {
    if (opt != nullptr && opt->count() > 0)
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
  if (flags.bootstrap_opt != nullptr && flags.bootstrap_opt->count() > 0)
    o.bootstrap_xds_agent = flags.bootstrap_xds_agent;
  return o;
}

render::Values LoadRenderValues(const RenderFlags& flags) {
  return render::LoadValues(flags.values, Overrides(flags));
}

std::string IstioVersionOrigin(const RenderFlags& flags, const render::Values& values) {
  if (!values.istio_version)
    return "";
  if (flags.istio_version_opt != nullptr && flags.istio_version_opt->count() > 0)
    return "--istio-version";
  return "istio.version in " + (flags.values == "-" ? std::string("<stdin>") : flags.values);
}

}  // namespace hfi

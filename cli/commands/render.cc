// `hfi-metrics render`: values (file, then flags) → checked Values → Kubernetes objects → YAML or
// JSON on stdout. Warnings about objects that will not take effect go to stderr, one line each,
// so stdout can be piped straight into `kubectl apply -f -`.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <string>

#include "commands/commands.h"
#include "commands/render_flags.h"
#include "render/manifests.h"
#include "render/values.h"
#include "util/errors.h"
#include "util/output.h"

namespace hfi {
namespace {

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

}  // namespace

Runner AddRender(CLI::App& root, const GlobalOptions& global) {
  CLI::App* cmd = root.add_subcommand(
      "render",
      "Print the manifests that deploy the plugin and expose its metrics: WasmPlugin (url and "
      "sha256, or a ConfigMap and sidecar volume annotations), the proxy.istio.io/config "
      "proxyStatsMatcher annotation, and on request the BOOTSTRAP EnvoyFilter");
  auto flags = std::make_shared<RenderFlags>();
  AddRenderFlags(cmd, *flags);
  cmd->footer(kFooter);

  return [&global, flags]() {
    if (global.output == OutputFormat::kJunit)
      throw UsageError("-o junit", "'render' has no JUnit form", "use -o yaml or -o json");
    const render::Values values = LoadRenderValues(*flags);
    const render::Manifests manifests = render::RenderManifests(values, render::ReadInputs(values));
    for (const render::Warning& warning : manifests.warnings) {
      std::fprintf(stderr, "hfi-metrics: warning: %s%s%s\n", warning.code.c_str(),
                   warning.code.empty() ? "" : ": ", warning.message.c_str());
    }
    // -o text means the manifests' own text form: YAML.
    WriteOut(global.output == OutputFormat::kJson ? render::ToJsonList(manifests.objects)
                                                  : render::ToYaml(manifests.objects));
    return ExitCode::kOk;
  };
}

}  // namespace hfi

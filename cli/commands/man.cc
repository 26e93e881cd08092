// `hfi-metrics __man` (hidden): the man page, generated from the command tree and the two hint
// catalogues (verify's and the wasm inspector's), so neither can drift from the binary.
// scripts/gen-docs.sh writes it to man/hfi-metrics.1.
#include "cmdtree/man.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <string>

#include "build_info.h"
#include "commands/commands.h"
#include "commands/doc_tree.h"
#include "plugin/metric_names.h"
#include "verify/hints.h"
#include "wasm/inspect.h"

namespace hfi {
namespace {

std::string GroupHeading(char hundred) {
  switch (hundred) {
    case '1':
      return "1xx: names and presence";
    case '2':
      return "2xx: types and histogram shape";
    case '3':
      return "3xx: values, deltas and traffic";
    case '4':
      return "4xx: the input";
    case '5':
      return "5xx: deployment, cluster and the plugin in its host";
    case '7':
      return "7xx: the wasm module (inspect and build)";
  }
  return std::string(1, hundred) + "xx";
}

// Appends to the group of the code's hundred, opening it when the code starts a new one.
void AddHint(cmdtree::ManPage& page, cmdtree::ManHint hint) {
  const std::string heading = GroupHeading(hint.code.size() > 3 ? hint.code[3] : '?');
  if (page.hints.empty() || page.hints.back().heading != heading)
    page.hints.push_back({heading, {}});
  page.hints.back().hints.push_back(std::move(hint));
}

std::string Severity(hfi::Severity severity, const std::string& exit_status) {
  std::string text = "Severity: " + std::string(SeverityName(severity));
  if (severity == hfi::Severity::kError)
    text += " (exit status " + exit_status + ")";
  return text + ".";
}

void Hints(cmdtree::ManPage& page) {
  page.hints_intro =
      "Every finding carries a stable code; a retired code is never reused. verify prints the "
      "cause and the fix with each finding (JSON: `code`, `why`, `fix`); docs/hints.md in the "
      "source tree explains each code with an example scrape. The 7xx codes come from the wasm "
      "checks of inspect and build; their findings name the export, import or metric concerned.";
  for (const verify::Hint& hint : verify::AllHints()) {
    AddHint(page, {std::string(hint.code), std::string(hint.title),
                   Severity(hint.severity, std::to_string(static_cast<int>(hint.exit_code))) +
                       " Detected in: " + std::string(verify::DetectionName(hint.detection)) + ".",
                   std::string(hint.why), std::string(hint.fix)});
  }
  for (const wasm::CheckInfo& check : wasm::kChecks) {
    AddHint(page, {std::string(check.code), std::string(check.title),
                   Severity(check.severity, "3") + " Reported by inspect and build.",
                   std::string(check.why), std::string(check.fix)});
  }
}

cmdtree::ManPage Page(const CLI::App& root) {
  const std::string plugin = std::filesystem::path(build_info::kPluginWasm).filename().string();
  cmdtree::ManPage page;
  page.version = build_info::kVersion;
  page.summary = "build, deploy and verify the metrics of the HFI fault-injection plugin";

  std::string metrics;
  for (const metrics::MetricName& metric : metrics::kAll) {
    metrics += std::string(metrics.empty() ? "" : ", ") + "`" + std::string(metric.prometheus) +
               "` (" + (metric.kind == metrics::Kind::kHistogram ? "histogram" : "counter") + ")";
  }
  page.description = {
      "HFI is a proxy-wasm HTTP filter that aborts or delays requests by policy inside Istio's "
      "Envoy sidecars. hfi-metrics builds it, renders and applies what delivers it and exposes "
      "its metrics, and proves that its three metrics reach /stats/prometheus with the right "
      "names, types and values; when they do not, it says why and what to do, with a stable "
      "hint code (see HINT CODES).",
      "The metrics, as Prometheus sees them: " + metrics + ".",
      "Progress and banners go to standard error; standard output carries only the result "
      "(pure JSON under -o json). Colour is used only on terminals. Errors are one line: "
      "`hfi-metrics: what: why (hint)`.",
  };

  page.exit_codes = cmdtree::ExitCodesFromFooter(root.get_footer());

  page.environment = {
      {"HFI_KUBECTL",
       "The kubectl program to run when --kubectl is not given; without either, kubectl is "
       "looked up on PATH."},
      {"HFI_EMXX",
       "The em++ that build and deploy run when --emxx is not given; without either, em++ is "
       "looked up on PATH."},
      {"NO_COLOR", "When set and not empty, nothing is coloured, as with --no-color."},
      {"KUBECONFIG",
       "Read by kubectl, not by hfi-metrics: the kubeconfig files used when --kubeconfig is not "
       "given."},
      {"PATH", "Where kubectl and em++ are looked up."},
  };

  page.files = {
      {"PREFIX/share/hfi-metrics/" + plugin,
       "The default plugin of an installed hfi-metrics: what sidecar and verify --local run "
       "without --plugin, and whose sha256 version prints. A binary run from its build tree uses "
       "the plugin that build produced."},
      {"PREFIX/share/bash-completion/completions/hfi-metrics",
       "The bash completion script (`hfi-metrics completion bash`)."},
      {"PREFIX/share/zsh/vendor-completions/_hfi-metrics",
       "The zsh completion script (`hfi-metrics completion zsh`)."},
      {"PREFIX/share/fish/vendor_completions.d/hfi-metrics.fish",
       "The fish completion script (`hfi-metrics completion fish`)."},
      {"~/.kube/config", "kubectl's kubeconfig, unless KUBECONFIG or --kubeconfig says otherwise."},
  };

  Hints(page);

  page.examples = {
      {"Build the plugin, then check with no cluster that its metrics reach the embedded "
       "sidecar's /stats/prometheus:",
       {"hfi-metrics build", "hfi-metrics verify --local"}},
      {"Verify a scrape saved from a sidecar, with a JUnit report for CI:",
       {"kubectl port-forward pod/web-1 15000 -n demo &",
        "curl -s localhost:15000/stats/prometheus > scrape.prom",
        "hfi-metrics verify --file scrape.prom -o junit > hfi-metrics.xml"}},
      {"Verify every pod of a workload in the cluster:", {"hfi-metrics verify -n demo -l app=web"}},
      {"Print the manifests that deliver the plugin and expose its metrics, and apply them:",
       {"hfi-metrics render --values values.yaml | kubectl apply --server-side -f -"}},
      {"Load the completion into the running bash:", {"source <(hfi-metrics completion bash)"}},
  };
  page.see_also = {"kubectl(1)", "istioctl(1)", "curl(1)"};
  return page;
}

}  // namespace

Runner AddMan(CLI::App& root, const GlobalOptions& /*global*/) {
  CLI::App* cmd = root.add_subcommand(
      "__man", "Print the man page (roff), generated from the command tree and hint catalogue");
  cmd->group("");
  return [&root]() {
    const std::string page = cmdtree::WriteMan(DocTree(root), Page(root));
    std::fwrite(page.data(), 1, page.size(), stdout);
    return ExitCode::kOk;
  };
}

}  // namespace hfi

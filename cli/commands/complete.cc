// `hfi-metrics __complete -- WORDS...` (hidden): the candidates for the last of WORDS, one per
// line, for the completion scripts. Namespaces, pods and contexts come from kubectl with a
// short deadline; any failure gives no candidates and no message, since a completion must not
// print into the user's command line or hang.
#include "cmdtree/complete.h"

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "commands/commands.h"
#include "commands/doc_tree.h"
#include "kube/kubectl.h"

namespace hfi {
namespace {

// kubectl gives up on the API server first; the process deadline covers a kubectl that hangs
// anyway (an auth plugin waiting for a browser, a dead proxy).
constexpr const char* kRequestTimeout = "--request-timeout=2s";
constexpr std::chrono::milliseconds kDeadline{3000};

class KubectlSource : public cmdtree::DynamicSource {
 public:
  explicit KubectlSource(const GlobalOptions& global) : global_(global) {}

  std::vector<std::string> Namespaces(const cmdtree::KubeSettings& settings) override {
    return List(settings,
                {"get", "namespaces", kRequestTimeout, "-o", "jsonpath={.items[*].metadata.name}"});
  }

  std::vector<std::string> Pods(const cmdtree::KubeSettings& settings) override {
    std::vector<std::string> args = {"get", "pods", kRequestTimeout};
    if (!settings.namespace_name.empty()) {
      args.push_back("-n");
      args.push_back(settings.namespace_name);
    }
    args.push_back("-o");
    args.push_back("jsonpath={.items[*].metadata.name}");
    return List(settings, args);
  }

  std::vector<std::string> Contexts(const cmdtree::KubeSettings& settings) override {
    return List(settings, {"config", "get-contexts", "-o", "name"});
  }

 private:
  std::vector<std::string> List(const cmdtree::KubeSettings& settings,
                                const std::vector<std::string>& args) {
    try {
      kube::KubectlConfig config;
      config.path = settings.kubectl.empty() ? global_.kubectl : settings.kubectl;
      config.kubeconfig = settings.kubeconfig.empty() ? global_.kubeconfig : settings.kubeconfig;
      config.context = settings.context.empty() ? global_.context : settings.context;
      const kube::KubectlResult result = kube::MakeRealKubectl(config)->Run(args, kDeadline);
      if (!result.ok())
        return {};
      std::vector<std::string> names;
      std::istringstream words(result.out);
      for (std::string name; words >> name;)
        names.push_back(name);
      return names;
    } catch (...) {
      return {};
    }
  }

  const GlobalOptions& global_;
};

}  // namespace

Runner AddComplete(CLI::App& root, const GlobalOptions& global) {
  auto words = std::make_shared<std::vector<std::string>>();
  CLI::App* cmd = root.add_subcommand(
      "__complete", "Print the completion candidates for a command line (for the scripts)");
  cmd->group("");
  cmd->add_option("words", *words, "The words after the program name; the last is completed");
  return [&root, &global, words]() {
    KubectlSource source(global);
    const std::string text =
        cmdtree::FormatCompletion(cmdtree::Complete(DocTree(root), *words, source));
    std::fwrite(text.data(), 1, text.size(), stdout);
    return ExitCode::kOk;
  };
}

}  // namespace hfi

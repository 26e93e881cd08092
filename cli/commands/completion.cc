// `hfi-metrics completion bash|zsh|fish`: the shell's completion script, generated from this
// binary's command tree, so it knows every command and flag of this build.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <string>

#include "cmdtree/writers.h"
#include "commands/commands.h"
#include "commands/doc_tree.h"

namespace hfi {

Runner AddCompletion(CLI::App& root, const GlobalOptions& global) {
  auto shell = std::make_shared<std::string>();
  CLI::App* cmd = root.add_subcommand(
      "completion", "Print the completion script for bash, zsh or fish (commands, flags, values)");
  cmd->add_option("shell", *shell, "The shell: bash, zsh or fish")
      ->check(CLI::IsMember({"bash", "zsh", "fish"}))
      ->required()
      ->option_text("SHELL");
  cmd->footer(
      "Namespaces, pods and contexts are listed through kubectl as you type (at most 3 s).\n"
      "cmake --install puts the three scripts where bash-completion, zsh and fish look.\n"
      "\n"
      "Examples:\n"
      "  source <(hfi-metrics completion bash)\n"
      "  hfi-metrics completion bash > ~/.local/share/bash-completion/completions/hfi-metrics\n"
      "  hfi-metrics completion zsh > \"${fpath[1]}/_hfi-metrics\"\n"
      "  hfi-metrics completion fish > ~/.config/fish/completions/hfi-metrics.fish\n");
  return [&root, &global, shell]() {
    if (global.output != OutputFormat::kText || global.output_yaml)
      throw UsageError("-o", "'completion' prints a shell script", "leave -o out");
    const cmdtree::Command tree = DocTree(root);
    const std::string script = *shell == "bash"  ? cmdtree::WriteBash(tree)
                               : *shell == "zsh" ? cmdtree::WriteZsh(tree)
                                                 : cmdtree::WriteFish(tree);
    std::fwrite(script.data(), 1, script.size(), stdout);
    return ExitCode::kOk;
  };
}

}  // namespace hfi

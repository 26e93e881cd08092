#include "commands/doc_tree.h"

#include <CLI/CLI.hpp>
#include <filesystem>
#include <string>
#include <vector>

#include "build_info.h"
#include "cmdtree/walk.h"

namespace hfi {
namespace {

struct OutputForms {
  const char* command;
  std::vector<std::string> forms;
};

// Keep in step with the commands: a command missing here is offered text and json.
const std::vector<OutputForms>& Forms() {
  static const std::vector<OutputForms> forms = {
      {"verify", {"text", "json", "junit"}},
      {"deploy", {"text", "json", "junit"}},
      {"render", {"text", "json", "yaml"}},
      {"completion", {"text"}},
  };
  return forms;
}

void ReplaceAll(std::string& text, const std::string& from, const std::string& to) {
  if (from.empty())
    return;
  for (std::size_t at = text.find(from); at != std::string::npos; at = text.find(from, at))
    text.replace(at, from.size(), to);
}

// Help texts may name this build's directories (defaults such as --source); the generated
// documents are checked in, so they must read the same whichever checkout produced them.
void HideBuildPaths(cmdtree::Command& command) {
  const std::filesystem::path plugin(build_info::kPluginWasm);
  const std::string build_dir = plugin.parent_path().parent_path().string();
  const auto hide = [&](std::string& text) {
    ReplaceAll(text, build_dir, "<build tree>");
    ReplaceAll(text, build_info::kSourceDir, "<source tree>");
  };
  hide(command.description);
  hide(command.footer);
  for (cmdtree::Option& option : command.options)
    hide(option.description);
  for (cmdtree::Option& positional : command.positionals)
    hide(positional.description);
  for (cmdtree::Command& sub : command.subcommands)
    HideBuildPaths(sub);
}

}  // namespace

cmdtree::Command DocTree(const CLI::App& root) {
  cmdtree::Command tree = cmdtree::Walk(root);
  HideBuildPaths(tree);
  std::vector<std::string> names;
  for (const cmdtree::Command& command : tree.subcommands)
    names.push_back(command.name);
  for (const std::string& name : names) {
    std::vector<std::string> forms = {"text", "json"};
    for (const OutputForms& entry : Forms()) {
      if (name == entry.command)
        forms = entry.forms;
    }
    cmdtree::NarrowInheritedChoices(tree, name, "--output", forms);
  }
  return tree;
}

}  // namespace hfi

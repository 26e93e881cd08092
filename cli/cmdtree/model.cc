#include "cmdtree/model.h"

#include <algorithm>
#include <utility>

namespace hfi::cmdtree {

std::string_view ValueKindName(ValueKind kind) {
  switch (kind) {
    case ValueKind::kNone:
      return "none";
    case ValueKind::kText:
      return "text";
    case ValueKind::kChoice:
      return "choice";
    case ValueKind::kFile:
      return "file";
    case ValueKind::kDirectory:
      return "directory";
    case ValueKind::kNamespace:
      return "namespace";
    case ValueKind::kPod:
      return "pod";
    case ValueKind::kContext:
      return "context";
  }
  return "text";
}

bool Option::Has(std::string_view name) const {
  return std::find(names.begin(), names.end(), name) != names.end();
}

const std::string& Option::primary() const {
  for (const std::string& name : names) {
    if (name.rfind("--", 0) == 0)
      return name;
  }
  return names.front();
}

const Command* Command::Subcommand(std::string_view name) const {
  for (const Command& sub : subcommands) {
    if (sub.name == name)
      return &sub;
  }
  return nullptr;
}

Command* Command::Subcommand(std::string_view name) {
  return const_cast<Command*>(std::as_const(*this).Subcommand(name));
}

const Option* Command::FindOption(std::string_view name) const {
  for (const Option& option : options) {
    if (option.Has(name))
      return &option;
  }
  return nullptr;
}

Option* Command::FindOption(std::string_view name) {
  return const_cast<Option*>(std::as_const(*this).FindOption(name));
}

void NarrowInheritedChoices(Command& root, std::string_view command, std::string_view option_name,
                            std::vector<std::string> choices) {
  Command* sub = root.Subcommand(command);
  const Option* global = root.FindOption(option_name);
  if (sub == nullptr || global == nullptr)
    return;
  // The inherited copy may have lost a name to an option of the command's own.
  for (Option& option : sub->options) {
    if (option.inherited && !option.names.empty() && global->Has(option.names.front())) {
      option.kind = ValueKind::kChoice;
      option.choices = std::move(choices);
      return;
    }
  }
}

namespace {

void FlattenInto(const Command& command, const std::string& path, std::vector<PathedCommand>& out) {
  out.push_back({path, &command});
  for (const Command& sub : command.subcommands)
    FlattenInto(sub, path.empty() ? sub.name : path + " " + sub.name, out);
}

}  // namespace

std::vector<PathedCommand> Flatten(const Command& root) {
  std::vector<PathedCommand> out;
  FlattenInto(root, "", out);
  return out;
}

}  // namespace hfi::cmdtree

// The command tree as data: what the completion scripts, `__complete` and the man page are
// generated from. Built from the CLI11 app by Walk (walk.h); nothing else here knows CLI11, so
// the writers are tested on hand-made trees.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace hfi::cmdtree {

// What an option's value (or a positional argument) is, which decides how a shell completes it.
enum class ValueKind {
  kNone,       // a flag: takes no value
  kText,       // free text: nothing to offer
  kChoice,     // one of `choices`
  kFile,       // a file name: the shell completes it
  kDirectory,  // a directory name
  kNamespace,  // a Kubernetes namespace, listed through kubectl
  kPod,        // a pod, listed through kubectl (in the namespace given on the line)
  kContext,    // a kubeconfig context, listed through kubectl
};

std::string_view ValueKindName(ValueKind kind);  // "none", "text", "choice", "file", ...

// True for the kinds whose candidates come from kubectl at completion time.
inline bool IsDynamic(ValueKind kind) {
  return kind == ValueKind::kNamespace || kind == ValueKind::kPod || kind == ValueKind::kContext;
}

struct Option {
  std::vector<std::string> names;  // "-o", "--output" (short names first); a positional's name
  std::string metavar;             // "FORMAT", "FILE.wasm"; empty for flags
  std::string description;
  ValueKind kind = ValueKind::kNone;
  std::vector<std::string> choices;  // kChoice only
  bool positional = false;
  bool repeatable = false;
  bool required = false;
  // Declared on an ancestor and accepted here too (the root's global flags).
  bool inherited = false;
  bool help = false;  // -h/--help or --help-all

  bool takes_value() const { return kind != ValueKind::kNone; }
  bool Has(std::string_view name) const;
  // The first long name ("--output"), else the first name.
  const std::string& primary() const;
};

struct Command {
  std::string name;  // the program's name for the root
  std::string description;
  std::string footer;           // its own help footer (notes, examples); empty when only inherited
  std::vector<Option> options;  // own options first, then inherited ones
  std::vector<Option> positionals;
  std::vector<Command> subcommands;  // visible ones only, in declaration order

  const Command* Subcommand(std::string_view name) const;
  Command* Subcommand(std::string_view name);
  const Option* FindOption(std::string_view name) const;  // "-o" or "--output"
  Option* FindOption(std::string_view name);
};

// Sets the choices of the root option `option_name` as inherited by the subcommand `command`:
// what the command accepts may be narrower than what the root's flag lists (-o yaml is for
// render only). Does nothing when either is absent.
void NarrowInheritedChoices(Command& root, std::string_view command, std::string_view option_name,
                            std::vector<std::string> choices);

// Every command with its path from the root ("verify", "a b"), root first ("" for the root).
struct PathedCommand {
  std::string path;
  const Command* command;
};
std::vector<PathedCommand> Flatten(const Command& root);

}  // namespace hfi::cmdtree

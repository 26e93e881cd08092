// The zsh completion script: one _arguments call per command, generated from its options and
// positional arguments; subcommands through _describe. Works autoloaded from $fpath (#compdef)
// and sourced after compinit.
#include <string>

#include "cmdtree/writers.h"

namespace hfi::cmdtree {
namespace {

// Inside an _arguments [explanation] a backslash, brackets and colons need a backslash.
std::string EscapeExplanation(std::string_view text) {
  std::string out;
  for (char c : FirstLine(text)) {
    if (c == '\\' || c == '[' || c == ']' || c == ':')
      out += '\\';
    out += c;
  }
  return out;
}

// A message or a word of a (WORD...) action: colons, spaces, parens and backslashes escaped.
std::string EscapeWord(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\\' || c == ':' || c == ' ' || c == '(' || c == ')')
      out += '\\';
    out += c;
  }
  return out;
}

std::string Action(const Option& option) {
  switch (option.kind) {
    case ValueKind::kChoice: {
      std::string words;
      for (const std::string& choice : option.choices)
        words += (words.empty() ? "" : " ") + EscapeWord(choice);
      return "(" + words + ")";
    }
    case ValueKind::kFile:
      return "_files";
    case ValueKind::kDirectory:
      return "_files -/";
    case ValueKind::kNamespace:
    case ValueKind::kPod:
    case ValueKind::kContext:
      return "_hfi_dynamic";
    case ValueKind::kNone:
    case ValueKind::kText:
      break;
  }
  return " ";
}

std::string Message(const Option& option) {
  return EscapeWord(option.metavar.empty() ? option.names.front() : option.metavar);
}

void OptionSpecs(const Option& option, const std::string& id, std::string& out) {
  std::string exclusion;
  if (option.repeatable) {
    exclusion = "*";
  } else if (option.names.size() > 1) {
    for (const std::string& name : option.names)
      exclusion += (exclusion.empty() ? "(" : " ") + name;
    exclusion += ")";
  }
  for (const std::string& name : option.names) {
    std::string spec = exclusion + name;
    if (option.takes_value())
      spec += name.rfind("--", 0) == 0 ? "=" : "+";
    spec += "[" + EscapeExplanation(option.description) + "]";
    if (option.takes_value()) {
      std::string action = Action(option);
      if (action == "_hfi_dynamic")
        action = "_" + id + "_dynamic";
      spec += ":" + Message(option) + ":" + action;
    }
    out += "    " + ShellQuote(spec) + " \\\n";
  }
}

std::string FunctionName(const std::string& id, const std::string& path) {
  return "_" + id + "__" + Identifier(path);
}

void CommandFunction(const Command& command, const std::string& path, const std::string& id,
                     std::string& out) {
  const bool has_subcommands = !command.subcommands.empty();
  out += FunctionName(id, path) + "() {\n";
  if (has_subcommands) {
    out += "  local curcontext=$curcontext state state_descr line ret=1\n";
    out += "  typeset -A opt_args\n";
    // -A: the options after the subcommand are the subcommand's (its own -o choices), not ours.
    out += "  _arguments -C -s -S -A '-*' \\\n";
  } else {
    out += "  _arguments -s -S \\\n";
  }
  for (const Option& option : command.options)
    OptionSpecs(option, id, out);
  if (has_subcommands) {
    out += "    ': :->command' \\\n    '*:: :->argument' && ret=0\n";
    out += "  case $state in\n    command)\n      local -a commands\n      commands=(\n";
    for (const Command& sub : command.subcommands) {
      out +=
          "        " + ShellQuote(EscapeWord(sub.name) + ":" + FirstLine(sub.description)) + "\n";
    }
    out += "      )\n      _describe -t commands command commands && ret=0\n      ;;\n";
    out += "    argument)\n      case $words[1] in\n";
    for (const Command& sub : command.subcommands) {
      const std::string sub_path = path.empty() ? sub.name : path + " " + sub.name;
      out +=
          "        " + ShellQuote(sub.name) + ") " + FunctionName(id, sub_path) + " && ret=0 ;;\n";
    }
    out += "      esac\n      ;;\n  esac\n  return ret\n}\n\n";
  } else {
    for (std::size_t i = 0; i < command.positionals.size(); ++i) {
      const Option& positional = command.positionals[i];
      const bool rest = i + 1 == command.positionals.size() && positional.repeatable;
      std::string action = Action(positional);
      if (action == "_hfi_dynamic")
        action = "_" + id + "_dynamic";
      const std::string spec =
          (rest ? "*" : std::to_string(i + 1)) + ":" + Message(positional) + ":" + action;
      out += "    " + ShellQuote(spec) + " \\\n";
    }
    out += "    && return 0\n  return 1\n}\n\n";
  }
  for (const Command& sub : command.subcommands)
    CommandFunction(sub, path.empty() ? sub.name : path + " " + sub.name, id, out);
}

constexpr const char* kDynamic =
    R"script(# Namespaces, pods and contexts come from `@PROG@ __complete` (through kubectl), given the
# words before the cursor; an option glued to its value (-nNS, --namespace=NS) is passed apart.
_@ID@_dynamic() {
  local -a args candidates
  local out prog=${_@ID@_prog/#\~/$HOME}
  args=("${_@ID@_line[@]}")
  [[ -n $IPREFIX ]] && args+=("${IPREFIX%=}")
  out=$("$prog" __complete -- "${args[@]}" "$PREFIX" 2>/dev/null) || return 1
  candidates=("${(@f)out}")
  candidates=("${(@)candidates:#:*}")
  candidates=("${(@)candidates:#}")
  (( ${#candidates} )) || return 1
  compadd -a candidates
}

)script";

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  for (std::string::size_type at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

}  // namespace

std::string WriteZsh(const Command& root) {
  const std::string id = Identifier(root.name);
  const std::string entry = "_" + root.name;
  std::string out;
  out += "#compdef " + root.name + "\n";
  out += "# zsh completion for " + root.name + ". Generated from the command tree by `" +
         root.name + " completion zsh`:\n# do not edit, regenerate. Install it as " + entry +
         " in a directory of $fpath, or load it\n# with `source <(" + root.name +
         " completion zsh)` after compinit.\n\n";
  out += entry + "() {\n";
  out += "  # Kept for _" + id + "_dynamic: _arguments shifts $words for subcommands.\n";
  out += "  local _" + id + "_prog=$words[1]\n";
  out += "  local -a _" + id + "_line\n";
  out += "  _" + id + "_line=(\"${(@)words[2,CURRENT-1]}\")\n";
  out += "  " + FunctionName(id, "") + " \"$@\"\n}\n\n";
  out += Replace(Replace(kDynamic, "@ID@", id), "@PROG@", root.name);
  CommandFunction(root, "", id, out);
  out += "if [ \"$funcstack[1]\" = " + ShellQuote(entry) + " ]; then\n  " + entry +
         " \"$@\"\nelse\n  (( $+functions[compdef] )) && compdef " + entry + " " + root.name +
         "\nfi\n";
  return out;
}

}  // namespace hfi::cmdtree

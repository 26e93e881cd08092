// The bash completion script: the tree as four lookup functions (subcommands, options, how an
// option's value is completed, positional arguments) and one driver that walks COMP_WORDS.
// Works with bash-completion's helpers when they are loaded and without them.
#include <string>

#include "cmdtree/writers.h"

namespace hfi::cmdtree {
namespace {

// How the script completes a value: none (a flag), text, file, dir, dynamic, "choice A B...".
std::string Spec(const Option& option) {
  switch (option.kind) {
    case ValueKind::kNone:
      return "none";
    case ValueKind::kText:
      return "text";
    case ValueKind::kChoice: {
      std::string spec = "choice";
      for (const std::string& choice : option.choices)
        spec += " " + choice;
      return spec;
    }
    case ValueKind::kFile:
      return "file";
    case ValueKind::kDirectory:
      return "dir";
    case ValueKind::kNamespace:
    case ValueKind::kPod:
    case ValueKind::kContext:
      return "dynamic";
  }
  return "text";
}

std::string Join(const std::vector<std::string>& words) {
  std::string joined;
  for (const std::string& word : words)
    joined += (joined.empty() ? "" : " ") + word;
  return joined;
}

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  for (std::string::size_type at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

void Lookups(const Command& root, const std::string& id, std::string& out) {
  const std::vector<PathedCommand> commands = Flatten(root);

  out += "# _" + id + "_subcommands PATH: the subcommands of PATH (\"\" for the program itself).\n";
  out += "_" + id + "_subcommands() {\n  case \"$1\" in\n";
  for (const PathedCommand& c : commands) {
    std::vector<std::string> names;
    for (const Command& sub : c.command->subcommands)
      names.push_back(sub.name);
    if (!names.empty())
      out += "    " + ShellQuote(c.path) + ") echo " + ShellQuote(Join(names)) + " ;;\n";
  }
  out += "  esac\n}\n\n";

  out += "# _" + id + "_options PATH: the options PATH accepts, global ones included.\n";
  out += "_" + id + "_options() {\n  case \"$1\" in\n";
  for (const PathedCommand& c : commands) {
    std::vector<std::string> names;
    for (const Option& option : c.command->options)
      names.insert(names.end(), option.names.begin(), option.names.end());
    out += "    " + ShellQuote(c.path) + ") echo " + ShellQuote(Join(names)) + " ;;\n";
  }
  out += "  esac\n}\n\n";

  out += "# _" + id +
         "_value PATH OPTION: how the value of OPTION is completed: none (a flag), "
         "text,\n# file, dir, dynamic (asks the program) or \"choice WORD...\".\n";
  out += "_" + id + "_value() {\n  case \"$1 $2\" in\n";
  for (const PathedCommand& c : commands) {
    for (const Option& option : c.command->options) {
      if (!option.takes_value())
        continue;
      std::string pattern;
      for (const std::string& name : option.names)
        pattern += (pattern.empty() ? "" : "|") + ShellQuote(c.path + " " + name);
      out += "    " + pattern + ") echo " + ShellQuote(Spec(option)) + " ;;\n";
    }
  }
  out += "    *) echo none ;;\n  esac\n}\n\n";

  out += "# _" + id +
         "_positional PATH INDEX: how the INDEXth argument (from 0) of PATH is "
         "completed.\n";
  out += "_" + id + "_positional() {\n  case \"$1 $2\" in\n";
  for (const PathedCommand& c : commands) {
    const std::vector<Option>& positionals = c.command->positionals;
    for (std::size_t i = 0; i < positionals.size(); ++i) {
      const bool rest = i + 1 == positionals.size() && positionals[i].repeatable;
      const std::string pattern =
          rest ? ShellQuote(c.path + " ") + "*" : ShellQuote(c.path + " " + std::to_string(i));
      out += "    " + pattern + ") echo " + ShellQuote(Spec(positionals[i])) + " ;;\n";
    }
  }
  out += "    *) echo text ;;\n  esac\n}\n\n";
}

// The driver. @ID@ is the identifier form of the program name, @PROG@ the name itself.
constexpr const char* kDriver =
    R"script(# _@ID@_files WORD [-d]: file (or directory) names, through bash-completion when it is loaded.
_@ID@_files() {
  if declare -F _filedir >/dev/null 2>&1; then
    local cur=$1
    _filedir ${2:+-d}
    return
  fi
  compopt -o filenames 2>/dev/null
  local IFS=$'\n'
  COMPREPLY+=($(compgen ${2:--f} -- "$1"))
}

# _@ID@_dynamic WORD STRIP: asks `@PROG@ __complete` (namespaces, pods and contexts come from
# kubectl); STRIP is removed from the front of each candidate.
_@ID@_dynamic() {
  local prog=${COMP_WORDS[0]} out candidate
  [[ $prog == "~/"* ]] && prog=$HOME/${prog#"~/"}
  out=$("$prog" __complete -- "${line[@]}" "$1" 2>/dev/null) || return 0
  while IFS= read -r candidate; do
    case $candidate in
      :files) _@ID@_files "${1#"$2"}" ;;
      :dirs) _@ID@_files "${1#"$2"}" -d ;;
      :*|'') ;;
      *) COMPREPLY+=("${candidate#"$2"}") ;;
    esac
  done <<<"$out"
}

# _@ID@_fill SPEC VALUE PREFIX WORD: the candidates for VALUE under SPEC; PREFIX goes in front
# of fixed words; WORD is the whole word for __complete.
_@ID@_fill() {
  case $1 in
    choice\ *) COMPREPLY=($(compgen -P "$3" -W "${1#choice }" -- "$2")) ;;
    file) _@ID@_files "$2" ;;
    dir) _@ID@_files "$2" -d ;;
    dynamic)
      if [ -n "$3" ]; then _@ID@_dynamic "$4" ""; else _@ID@_dynamic "$4" "${4%"$2"}"; fi ;;
  esac
}

_@ID@() {
  COMPREPLY=()
  # The words up to the cursor, with `--opt=value` rejoined where COMP_WORDBREAKS split it.
  local -a line=()
  local i word glue=0
  for ((i = 1; i <= COMP_CWORD; i++)); do
    word=${COMP_WORDS[i]}
    if [ "$word" = "=" ] && [ ${#line[@]} -gt 0 ] && [[ ${line[-1]} == --* && ${line[-1]} != *=* ]]; then
      line[-1]+="="
      glue=1
    elif [ "$glue" = 1 ] && [ -n "$word" ]; then
      line[-1]+=$word
      glue=0
    else
      line+=("$word")
      glue=0
    fi
  done
  local cur=${line[-1]}
  unset 'line[-1]'

  # Which command the line is in, and whether the word before the cursor wants a value.
  local path="" pending="" npos=0 ended=0 spec
  for word in "${line[@]}"; do
    if [ -n "$pending" ]; then
      pending=""
    elif [ "$ended" = 0 ] && [ "$word" = "--" ]; then
      ended=1
    elif [ "$ended" = 0 ] && [[ $word == -?* ]]; then
      [[ $word == *=* ]] && continue
      [ "$(_@ID@_value "$path" "$word")" != none ] && pending=$word
    elif [ "$npos" = 0 ] && [[ " $(_@ID@_subcommands "$path") " == *" $word "* ]]; then
      path=${path:+$path }$word
    else
      npos=$((npos + 1))
    fi
  done

  if [ -n "$pending" ]; then
    _@ID@_fill "$(_@ID@_value "$path" "$pending")" "$cur" "" "$cur"
    return 0
  fi
  if [ "$ended" = 0 ] && [[ $cur == --*=* ]]; then
    local prefix="${cur%%=*}="
    [[ $COMP_WORDBREAKS == *=* ]] && prefix=""
    _@ID@_fill "$(_@ID@_value "$path" "${cur%%=*}")" "${cur#*=}" "$prefix" "$cur"
    return 0
  fi
  if [ "$ended" = 0 ] && [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$(_@ID@_options "$path")" -- "$cur"))
    return 0
  fi
  if [ "$npos" = 0 ]; then
    COMPREPLY=($(compgen -W "$(_@ID@_subcommands "$path")" -- "$cur"))
    [ ${#COMPREPLY[@]} -gt 0 ] && return 0
  fi
  _@ID@_fill "$(_@ID@_positional "$path" "$npos")" "$cur" "" "$cur"
  return 0
}

complete -F _@ID@ @PROG@
)script";

}  // namespace

std::string WriteBash(const Command& root) {
  const std::string id = Identifier(root.name);
  std::string out;
  out += "# bash completion for " + root.name + "                     -*- shell-script -*-\n";
  out += "# Generated from the command tree by `" + root.name +
         " completion bash`: do not edit, regenerate.\n";
  out += "# Load it with `source <(" + root.name +
         " completion bash)`, or install it as\n# share/bash-completion/completions/" + root.name +
         ".\n\n";
  Lookups(root, id, out);
  out += Replace(Replace(kDriver, "@ID@", id), "@PROG@", root.name);
  return out;
}

}  // namespace hfi::cmdtree

// The fish completion script: `complete` lines conditioned on the command the line is in, which
// a generated helper works out (skipping option values, so `-o json verify` is in verify).
#include <string>

#include "cmdtree/writers.h"

namespace hfi::cmdtree {
namespace {

std::string FishQuote(std::string_view text) {
  std::string quoted = "'";
  for (char c : text) {
    if (c == '\\' || c == '\'')
      quoted += '\\';
    quoted += c;
  }
  return quoted + "'";
}

// The `complete` arguments that say how a value is completed.
std::string ValueArgs(const Option& option, const std::string& id) {
  switch (option.kind) {
    case ValueKind::kChoice: {
      std::string words;
      for (const std::string& choice : option.choices)
        words += (words.empty() ? "" : " ") + choice;
      return " -x -a " + FishQuote(words);
    }
    case ValueKind::kFile:
      return " -r -F";
    case ValueKind::kDirectory:
      return " -x -a '(__fish_complete_directories)'";
    case ValueKind::kNamespace:
    case ValueKind::kPod:
    case ValueKind::kContext:
      return " -x -a '(__" + id + "_dynamic)'";
    case ValueKind::kText:
      return " -x";
    case ValueKind::kNone:
      break;
  }
  return "";
}

// A positional argument has no option name, so only the candidates are given.
std::string PositionalArgs(const Option& positional, const std::string& id) {
  switch (positional.kind) {
    case ValueKind::kFile:
      return " -F";
    case ValueKind::kText:
    case ValueKind::kNone:
      return "";
    default:
      break;
  }
  const std::string args = ValueArgs(positional, id);
  return args.substr(args.find(" -a "));
}

std::string Condition(const std::string& id, const std::string& path) {
  return " -n " + FishQuote("__" + id + "_in " + std::string(path.empty() ? "''" : path));
}

std::string Replace(std::string text, const std::string& from, const std::string& to) {
  for (std::string::size_type at = text.find(from); at != std::string::npos;
       at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

constexpr const char* kHelpers =
    R"script(# __@ID@_path: the command the line is in ("" for none yet, else e.g. "verify").
function __@ID@_path
    set -l tokens (commandline -opc)
    set -l path ''
    set -l skip 0
    for token in $tokens[2..-1]
        if test $skip = 1
            set skip 0
            continue
        end
        switch $token
            case '--'
                break
            case '--*=*'
                continue
            case '-?*'
                __@ID@_takes_value "$path" $token; and set skip 1
                continue
        end
        contains -- $token (__@ID@_subcommands "$path"); or break
        set path (string trim -- "$path $token")
    end
    echo $path
end

function __@ID@_in --argument-names want
    test "$(__@ID@_path)" = "$want"
end

# Namespaces, pods and contexts come from `@PROG@ __complete` (through kubectl), given the
# words before the cursor.
function __@ID@_dynamic
    set -l tokens (commandline -opc)
    set -l current (commandline -ct)
    set -l args $tokens[2..-1]
    if string match -q -- '--*=*' $current
        set -l parts (string split -m 1 = -- $current)
        set args $args $parts[1]
        set current $parts[2]
    end
    # An option being typed is no value: the option lines complete it.
    string match -q -- '-*' $current; and return
    $tokens[1] __complete -- $args $current 2>/dev/null | string match -v -- ':*'
end

)script";

}  // namespace

std::string WriteFish(const Command& root) {
  const std::string id = Identifier(root.name);
  const std::vector<PathedCommand> commands = Flatten(root);
  std::string out;
  out += "# fish completion for " + root.name + ". Generated from the command tree by `" +
         root.name + " completion fish`:\n# do not edit, regenerate. Install it as " + root.name +
         ".fish in ~/.config/fish/completions/ or\n# share/fish/vendor_completions.d/, "
         "or load it with `" +
         root.name + " completion fish | source`.\n\n";

  out += "function __" + id + "_subcommands --argument-names path\n    switch \"$path\"\n";
  for (const PathedCommand& c : commands) {
    if (c.command->subcommands.empty())
      continue;
    out += "        case " + FishQuote(c.path) + "\n";
    for (const Command& sub : c.command->subcommands)
      out += "            echo " + FishQuote(sub.name) + "\n";
  }
  out += "    end\nend\n\n";

  out += "function __" + id + "_takes_value --argument-names path option\n";
  out += "    switch \"$path $option\"\n";
  for (const PathedCommand& c : commands) {
    std::string patterns;
    for (const Option& option : c.command->options) {
      if (!option.takes_value())
        continue;
      for (const std::string& name : option.names)
        patterns += " " + FishQuote(c.path + " " + name);
    }
    if (!patterns.empty())
      out += "        case" + patterns + "\n            return 0\n";
  }
  out += "    end\n    return 1\nend\n\n";

  out += Replace(Replace(kHelpers, "@ID@", id), "@PROG@", root.name);
  out += "complete -c " + root.name + " -f\n";
  for (const PathedCommand& c : commands) {
    out += "\n# " + (c.path.empty() ? root.name : root.name + " " + c.path) + "\n";
    const std::string condition = Condition(id, c.path);
    for (const Command& sub : c.command->subcommands) {
      out += "complete -c " + root.name + condition + " -a " + FishQuote(sub.name) + " -d " +
             FishQuote(FirstLine(sub.description)) + "\n";
    }
    for (const Option& option : c.command->options) {
      std::string line = "complete -c " + root.name + condition;
      for (const std::string& name : option.names) {
        if (name.rfind("--", 0) == 0)
          line += " -l " + name.substr(2);
        else
          line += " -s " + name.substr(1);
      }
      line += ValueArgs(option, id);
      out += line + " -d " + FishQuote(FirstLine(option.description)) + "\n";
    }
    // fish has no positions: the first positional argument's values are offered.
    if (c.command->subcommands.empty() && !c.command->positionals.empty()) {
      const Option& positional = c.command->positionals.front();
      const std::string args = PositionalArgs(positional, id);
      if (args.empty())
        continue;
      out += "complete -c " + root.name + condition + args + " -d " +
             FishQuote(FirstLine(positional.description)) + "\n";
    }
  }
  return out;
}

}  // namespace hfi::cmdtree

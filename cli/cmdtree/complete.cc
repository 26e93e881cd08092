#include "cmdtree/complete.h"

#include <algorithm>
#include <string_view>

namespace hfi::cmdtree {
namespace {

bool StartsWith(std::string_view text, std::string_view prefix) {
  return text.substr(0, prefix.size()) == prefix;
}

// Adds the candidates that start with `typed`, each written after `prefix` ("--output=").
void AddMatching(const std::vector<std::string>& words, const std::string& typed,
                 const std::string& prefix, Completion& out) {
  for (const std::string& word : words) {
    if (!StartsWith(word, typed))
      continue;
    std::string candidate = prefix + word;
    if (std::find(out.candidates.begin(), out.candidates.end(), candidate) == out.candidates.end())
      out.candidates.push_back(std::move(candidate));
  }
}

void Record(const Option& option, const std::string& value, KubeSettings& settings) {
  if (option.Has("--kubectl"))
    settings.kubectl = value;
  else if (option.Has("--kubeconfig"))
    settings.kubeconfig = value;
  else if (option.Has("--context"))
    settings.context = value;
  else if (option.kind == ValueKind::kNamespace)
    settings.namespace_name = value;
}

Completion Values(const Option& option, const std::string& typed, const std::string& prefix,
                  const KubeSettings& settings, DynamicSource& source) {
  Completion out;
  switch (option.kind) {
    case ValueKind::kChoice:
      AddMatching(option.choices, typed, prefix, out);
      break;
    case ValueKind::kFile:
      out.directive = Completion::Directive::kFiles;
      break;
    case ValueKind::kDirectory:
      out.directive = Completion::Directive::kDirs;
      break;
    case ValueKind::kNamespace:
      AddMatching(source.Namespaces(settings), typed, prefix, out);
      break;
    case ValueKind::kPod:
      AddMatching(source.Pods(settings), typed, prefix, out);
      break;
    case ValueKind::kContext:
      AddMatching(source.Contexts(settings), typed, prefix, out);
      break;
    case ValueKind::kNone:
    case ValueKind::kText:
      break;
  }
  return out;
}

struct OptionWord {
  const Option* option = nullptr;
  std::string value;  // the inline value of `--opt=VALUE` or `-oVALUE`
  bool has_value = false;
};

// `--opt=VALUE`, `-oVALUE` (a short option that takes a value, glued to it) or a plain option.
OptionWord ReadOptionWord(const Command& command, const std::string& word) {
  OptionWord read;
  if (StartsWith(word, "--")) {
    const std::string::size_type equals = word.find('=');
    read.option = command.FindOption(word.substr(0, equals));
    if (equals != std::string::npos) {
      read.value = word.substr(equals + 1);
      read.has_value = true;
    }
    return read;
  }
  read.option = command.FindOption(word.substr(0, 2));
  if (word.size() > 2 && read.option != nullptr && read.option->takes_value()) {
    read.value = word.substr(2);
    read.has_value = true;
  }
  return read;
}

const Option* PositionalAt(const Command& command, std::size_t index) {
  if (command.positionals.empty())
    return nullptr;
  if (index < command.positionals.size())
    return &command.positionals[index];
  const Option& last = command.positionals.back();
  return last.repeatable ? &last : nullptr;
}

}  // namespace

Completion Complete(const Command& root, const std::vector<std::string>& words,
                    DynamicSource& source) {
  const std::string current = words.empty() ? std::string() : words.back();
  const Command* command = &root;
  KubeSettings settings;
  const Option* pending = nullptr;  // an option whose value is the next word
  std::size_t positionals = 0;      // of the current command
  bool options_ended = false;       // after `--`

  // Every word but the one being completed: which command, which options, what settings.
  for (std::size_t i = 0; i + 1 < words.size(); ++i) {
    const std::string& word = words[i];
    if (pending != nullptr) {
      Record(*pending, word, settings);
      pending = nullptr;
    } else if (!options_ended && word == "--") {
      options_ended = true;
    } else if (!options_ended && word.size() > 1 && word[0] == '-') {
      const OptionWord read = ReadOptionWord(*command, word);
      if (read.option != nullptr && read.option->takes_value()) {
        if (read.has_value)
          Record(*read.option, read.value, settings);
        else
          pending = read.option;
      }
    } else if (const Command* sub = positionals == 0 ? command->Subcommand(word) : nullptr) {
      command = sub;
    } else {
      ++positionals;
    }
  }

  if (pending != nullptr)
    return Values(*pending, current, "", settings, source);
  if (!options_ended && StartsWith(current, "--") && current.find('=') != std::string::npos) {
    const OptionWord read = ReadOptionWord(*command, current);
    if (read.option == nullptr || !read.option->takes_value())
      return {};
    const std::string prefix = current.substr(0, current.find('=') + 1);
    return Values(*read.option, read.value, prefix, settings, source);
  }
  if (!options_ended && StartsWith(current, "-")) {
    Completion out;
    for (const Option& option : command->options)
      AddMatching(option.names, current, "", out);
    return out;
  }

  Completion out;
  if (positionals == 0) {
    std::vector<std::string> names;
    for (const Command& sub : command->subcommands)
      names.push_back(sub.name);
    AddMatching(names, current, "", out);
  }
  if (const Option* positional = PositionalAt(*command, positionals)) {
    Completion values = Values(*positional, current, "", settings, source);
    AddMatching(values.candidates, "", "", out);
    out.directive = values.directive;
  }
  return out;
}

std::string FormatCompletion(const Completion& completion) {
  std::string text;
  for (const std::string& candidate : completion.candidates)
    text += candidate + "\n";
  if (completion.directive == Completion::Directive::kFiles)
    text += ":files\n";
  else if (completion.directive == Completion::Directive::kDirs)
    text += ":dirs\n";
  return text;
}

}  // namespace hfi::cmdtree

#include "cmdtree/walk.h"

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cctype>
#include <string>
#include <vector>

namespace hfi::cmdtree {
namespace {

std::string Upper(std::string text) {
  for (char& c : text)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

std::vector<std::string> Split(const std::string& text, char separator) {
  std::vector<std::string> parts;
  std::string::size_type start = 0;
  for (;;) {
    const std::string::size_type end = text.find(separator, start);
    parts.push_back(text.substr(start, end - start));
    if (end == std::string::npos)
      return parts;
    start = end + 1;
  }
}

// CLI11 describes an IsMember check as "{a,b,c}" inside the type name ("TEXT:{a,b,c}"); the
// other validators it has (ranges, existing files) have no braces.
std::vector<std::string> ChoicesFromValidators(const CLI::Option& option) {
  const std::string type = option.get_type_name();
  const std::string::size_type open = type.find('{');
  const std::string::size_type close = type.find('}', open);
  if (open == std::string::npos || close == std::string::npos)
    return {};
  std::vector<std::string> choices = Split(type.substr(open + 1, close - open - 1), ',');
  // A map-shaped check ("{a->1,b->2}") names its keys first.
  for (std::string& choice : choices)
    choice = choice.substr(0, choice.find("->"));
  choices.erase(std::remove(choices.begin(), choices.end(), std::string()), choices.end());
  return choices;
}

// option_text("istio|all|none") lists the accepted words where the command checks them itself.
std::vector<std::string> ChoicesFromText(const std::string& text) {
  if (text.find('|') == std::string::npos || text.find_first_of(" []<>{}") != std::string::npos)
    return {};
  std::vector<std::string> choices = Split(text, '|');
  if (std::find(choices.begin(), choices.end(), std::string()) != choices.end())
    return {};
  return choices;
}

bool HasLongName(const CLI::Option& option, const std::string& name) {
  const auto& names = option.get_lnames();
  return std::find(names.begin(), names.end(), name) != names.end();
}

// add_flag options expect no value (CLI11 sets expected(0) on them).
bool IsFlag(const CLI::Option& option) {
  return option.get_expected_max() == 0 || option.get_type_size_max() == 0;
}

bool Visible(const CLI::Option& option) {
  return !option.get_group().empty();
}

std::string Metavar(const CLI::Option& option) {
  if (IsFlag(option))
    return {};
  if (!option.get_option_text().empty())
    return option.get_option_text();
  if (!option.nonpositional())
    return Upper(option.get_single_name());
  const std::string type = option.get_type_name();
  return type.substr(0, type.find(':'));
}

Option ReadOption(const CLI::Option& source) {
  Option option;
  if (source.nonpositional()) {
    for (const std::string& name : source.get_snames())
      option.names.push_back("-" + name);
    for (const std::string& name : source.get_lnames())
      option.names.push_back("--" + name);
  } else {
    option.names.push_back(source.get_single_name());
    option.positional = true;
  }
  option.metavar = Metavar(source);
  option.description = source.get_description();
  option.kind = InferKind(source, &option.choices);
  option.required = source.get_required();
  option.repeatable = option.takes_value() && source.get_items_expected_max() > 1;
  return option;
}

// A parent's option as a subcommand sees it: without the names the subcommand has taken for
// options of its own (build's --output FILE leaves the global -o reachable as -o only).
Option Inherited(const Command& command, Option option) {
  std::erase_if(option.names,
                [&](const std::string& name) { return command.FindOption(name) != nullptr; });
  option.inherited = true;
  return option;
}

Command WalkApp(const CLI::App& app, const Command* parent, const std::string& parent_footer) {
  Command command;
  command.name = app.get_name();
  command.description = app.get_description();
  // A subcommand starts with its parent's footer; only one it sets itself is its own.
  command.footer = app.get_footer();
  if (parent != nullptr && command.footer == parent_footer)
    command.footer.clear();
  for (const CLI::Option* source : app.get_options()) {
    if (!Visible(*source))
      continue;
    Option option = ReadOption(*source);
    option.help = source == app.get_help_ptr() || source == app.get_help_all_ptr();
    (option.positional ? command.positionals : command.options).push_back(std::move(option));
  }
  if (parent != nullptr && app.get_fallthrough()) {
    for (const Option& option : parent->options) {
      Option inherited = Inherited(command, option);
      if (!inherited.names.empty())
        command.options.push_back(std::move(inherited));
    }
  }
  const auto subcommands =
      app.get_subcommands([](const CLI::App* sub) { return !sub->get_group().empty(); });
  for (const CLI::App* sub : subcommands)
    command.subcommands.push_back(WalkApp(*sub, &command, app.get_footer()));
  return command;
}

}  // namespace

ValueKind InferKind(const CLI::Option& option, std::vector<std::string>* choices) {
  choices->clear();
  if (IsFlag(option))
    return ValueKind::kNone;
  *choices = ChoicesFromValidators(option);
  if (choices->empty())
    *choices = ChoicesFromText(option.get_option_text());
  if (!choices->empty())
    return ValueKind::kChoice;

  const std::string text = Upper(option.get_option_text());
  const std::string name = Upper(option.get_single_name());
  if (text == "NS" || text == "NAMESPACE" || (text.empty() && HasLongName(option, "namespace")))
    return ValueKind::kNamespace;
  if (text.find("POD") != std::string::npos ||
      (!option.nonpositional() && name.find("POD") != std::string::npos))
    return ValueKind::kPod;
  if (text.find("DIR") != std::string::npos)
    return ValueKind::kDirectory;
  if (text.find("FILE") != std::string::npos || text.find("PATH") != std::string::npos)
    return ValueKind::kFile;
  if (HasLongName(option, "context"))
    return ValueKind::kContext;
  return ValueKind::kText;
}

Command Walk(const CLI::App& app) {
  return WalkApp(app, nullptr, std::string());
}

}  // namespace hfi::cmdtree

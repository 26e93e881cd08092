#include "cmdtree/man.h"

#include <algorithm>
#include <cctype>

#include "cmdtree/roff.h"

namespace hfi::cmdtree {
namespace {

std::vector<std::string_view> Lines(std::string_view text) {
  std::vector<std::string_view> lines;
  while (!text.empty()) {
    const std::size_t end = text.find('\n');
    lines.push_back(text.substr(0, end));
    if (end == std::string_view::npos)
      break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

bool Blank(std::string_view line) {
  return line.find_first_not_of(" \t") == std::string_view::npos;
}

std::string Upper(std::string text) {
  for (char& c : text)
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

void Literal(const std::vector<std::string_view>& lines, std::string& out) {
  std::size_t indent = std::string_view::npos;
  for (std::string_view line : lines) {
    if (!Blank(line))
      indent = std::min(indent, line.find_first_not_of(' '));
  }
  out += ".PP\n.RS 4\n.nf\n";
  for (std::string_view line : lines)
    out += RoffLiteral(Blank(line) ? std::string_view() : line.substr(indent)) + "\n";
  out += ".fi\n.RE\n";
}

// A help footer: running lines become paragraphs, indented lines (examples) literal blocks.
void Footer(std::string_view footer, std::string& out) {
  std::string paragraph;
  std::vector<std::string_view> literal;
  const auto flush = [&] {
    if (!paragraph.empty())
      out += ".PP\n" + RoffText(paragraph) + "\n";
    if (!literal.empty())
      Literal(literal, out);
    paragraph.clear();
    literal.clear();
  };
  for (std::string_view line : Lines(footer)) {
    if (Blank(line)) {
      flush();
    } else if (line.front() == ' ' || line.front() == '\t') {
      if (!paragraph.empty())
        flush();
      literal.push_back(line);
    } else {
      if (!literal.empty())
        flush();
      paragraph += (paragraph.empty() ? "" : " ") + std::string(line);
    }
  }
  flush();
}

std::string Bold(std::string_view text) {
  return "\\fB" + RoffLiteral(text) + "\\fR";
}

std::string Italic(std::string_view text) {
  return "\\fI" + RoffLiteral(text) + "\\fR";
}

// "\fB-o\fR, \fB--output\fR \fIFORMAT\fR"
std::string OptionTerm(const Option& option) {
  if (option.positional)
    return Italic(option.metavar);
  std::string term;
  for (const std::string& name : option.names)
    term += (term.empty() ? "" : ", ") + Bold(name);
  if (option.takes_value())
    term += " " + Italic(option.metavar.empty() ? "VALUE" : option.metavar);
  return term;
}

void Options(const std::vector<Option>& options, std::string& out) {
  for (const Option& option : options) {
    out += ".TP\n" + OptionTerm(option) + "\n";
    out += (option.description.empty() ? std::string("\\&") : RoffText(option.description)) + "\n";
  }
}

std::string Synopsis(const std::string& program, const std::string& path, const Command& c) {
  std::string line = ".B " + RoffArgument(program + " " + path) + "\n";
  if (std::any_of(c.options.begin(), c.options.end(), [](const Option& o) { return !o.inherited; }))
    line += "[\\fIoptions\\fR]\n";
  if (!c.subcommands.empty())
    line += "\\fIcommand\\fR\n";
  for (const Option& positional : c.positionals) {
    std::string word =
        Italic(positional.metavar.empty() ? Upper(positional.names.front()) : positional.metavar);
    if (positional.repeatable && !positional.metavar.ends_with("..."))
      word += "...";
    line += (positional.required ? word : "[" + word + "]") + "\n";
  }
  return line;
}

// What an inherited option accepts here when that differs from the root (-o per command).
void NarrowedChoices(const Command& root, const Command& command, std::string& out) {
  for (const Option& option : command.options) {
    const Option* global = root.FindOption(option.primary());
    if (!option.inherited || option.kind != ValueKind::kChoice || global == nullptr ||
        global->choices == option.choices)
      continue;
    std::string list;
    for (const std::string& choice : option.choices)
      list += (list.empty() ? "" : ", ") + Bold(choice);
    out += ".PP\n" + Bold(option.names.front()) + " accepts " + list + " here.\n";
  }
}

void Entries(const std::vector<ManEntry>& entries, bool bold_terms, std::string& out) {
  for (const ManEntry& entry : entries) {
    // Terms may be long paths: RoffText lets them break.
    out += ".TP\n" + std::string(bold_terms ? "\\fB" : "\\fI") + RoffText(entry.term) + "\\fR\n";
    out += RoffText(entry.text) + "\n";
  }
}

void Hints(const ManPage& page, std::string& out) {
  out += ".SH \"HINT CODES\"\n";
  if (!page.hints_intro.empty())
    out += RoffText(page.hints_intro) + "\n";
  for (const ManHintGroup& group : page.hints) {
    out += ".SS " + RoffArgument(group.heading) + "\n";
    for (const ManHint& hint : group.hints) {
      out += ".TP\n" + Bold(hint.code) + ": " + RoffText(hint.title) + "\n";
      if (!hint.detail.empty())
        out += RoffText(hint.detail) + "\n";
      if (!hint.cause.empty())
        out += ".IP\n\\fICause:\\fR " + RoffText(hint.cause) + "\n";
      if (!hint.fix.empty())
        out += ".IP\n\\fIFix:\\fR " + RoffText(hint.fix) + "\n";
    }
  }
}

}  // namespace

std::vector<ManEntry> ExitCodesFromFooter(std::string_view footer) {
  std::vector<ManEntry> codes;
  for (std::string_view line : Lines(footer)) {
    const std::size_t start = line.find_first_not_of(' ');
    if (start == 0 || start == std::string_view::npos || !std::isdigit(line[start]))
      continue;
    const std::size_t end = line.find_first_not_of("0123456789", start);
    if (end == std::string_view::npos || line[end] != ' ')
      continue;
    const std::size_t text = line.find_first_not_of(' ', end);
    if (text == std::string_view::npos)
      continue;
    codes.push_back({std::string(line.substr(start, end - start)), std::string(line.substr(text))});
  }
  return codes;
}

std::string WriteMan(const Command& root, const ManPage& page) {
  const std::vector<PathedCommand> commands = Flatten(root);
  std::string out;
  out += ".\\\" Generated from the command tree by `" + root.name +
         " __man`: do not edit, regenerate.\n";
  out += ".TH " + RoffArgument(Upper(root.name)) + " 1 \"\" " +
         RoffArgument(root.name + " " + page.version) + " \"User Commands\"\n";
  // Ragged right and no hyphenation: lines holding long commands are not stretched, and names
  // are never split by a hyphen that is not theirs (copied from a terminal, it would break them).
  out += ".ad l\n.nh\n";
  out += ".SH NAME\n" + RoffLiteral(root.name) + " \\- " + RoffText(page.summary) + "\n";

  out += ".SH SYNOPSIS\n.B " + RoffArgument(root.name) +
         "\n[\\fIglobal options\\fR]\n\\fIcommand\\fR\n[\\fIoptions\\fR]\n";
  for (std::size_t i = 1; i < commands.size(); ++i)
    out += ".br\n" + Synopsis(root.name, commands[i].path, *commands[i].command);

  out += ".SH DESCRIPTION\n" + RoffText(root.description) + "\n";
  for (const std::string& paragraph : page.description)
    out += ".PP\n" + RoffText(paragraph) + "\n";

  out += ".SH COMMANDS\n";
  for (std::size_t i = 1; i < commands.size(); ++i) {
    const Command& command = *commands[i].command;
    out += ".SS " + RoffArgument(root.name + " " + commands[i].path) + "\n";
    out += RoffText(command.description) + "\n";
    std::vector<Option> own;
    for (const Option& option : command.options) {
      if (!option.inherited && !option.help)
        own.push_back(option);
    }
    for (const Option& positional : command.positionals)
      own.insert(own.begin(), positional);
    Options(own, out);
    NarrowedChoices(root, command, out);
    Footer(command.footer, out);
  }

  out += ".SH \"GLOBAL OPTIONS\"\nAccepted before and after the command.\n";
  Options(root.options, out);

  out += ".SH \"EXIT STATUS\"\n";
  Entries(page.exit_codes, true, out);
  out += ".SH ENVIRONMENT\n";
  Entries(page.environment, true, out);
  out += ".SH FILES\n";
  Entries(page.files, false, out);
  Hints(page, out);

  out += ".SH EXAMPLES\n";
  for (const ManExample& example : page.examples) {
    out += ".PP\n" + RoffText(example.text) + "\n";
    std::vector<std::string_view> lines(example.commands.begin(), example.commands.end());
    Literal(lines, out);
  }

  if (!page.see_also.empty()) {
    out += ".SH \"SEE ALSO\"\n";
    for (std::size_t i = 0; i < page.see_also.size(); ++i) {
      const std::string& ref = page.see_also[i];
      const std::size_t paren = ref.find('(');
      out += ".BR " + RoffLiteral(ref.substr(0, paren)) + " " + ref.substr(paren) +
             (i + 1 < page.see_also.size() ? "," : "") + "\n";
    }
  }
  return out;
}

}  // namespace hfi::cmdtree

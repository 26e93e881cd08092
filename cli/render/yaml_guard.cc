#include "render/yaml_guard.h"

namespace hfi::render {
namespace {

bool IsSpace(char c) {
  return c == ' ' || c == '\t' || c == '\r';
}

}  // namespace

std::optional<TextPosition> FindStrayComma(std::string_view text) {
  enum class Quote { kNone, kSingle, kDouble };
  Quote quote = Quote::kNone;
  int depth = 0;       // flow collections open
  bool plain = false;  // inside a plain scalar
  bool token = false;  // inside an anchor, alias, tag or document marker
  bool comment = false;
  // A block scalar (| or >) swallows the lines indented deeper than the line that opened it.
  bool in_block = false;
  std::size_t block_indent = 0;
  std::size_t line = 1, column = 0, indent = 0;
  bool line_start = true;  // only spaces so far on this line
  char prev = '\n';
  // A plain scalar outside flow collections goes on over the following lines indented deeper than
  // the line it started on; their first character is then scalar text, not an indicator (a quote
  // there is literal and opens nothing).
  std::size_t plain_indent = 0;
  bool plain_may_continue = false;

  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    ++column;
    if (c == '\n') {
      ++line;
      column = 0;
      indent = 0;
      line_start = true;
      comment = token = false;
      if (depth == 0) {
        plain_may_continue = plain;
        plain = false;
      }
      prev = c;
      continue;
    }
    if (line_start && c == ' ') {
      ++indent;
      prev = c;
      continue;
    }
    if (line_start) {
      line_start = false;
      if (in_block && (indent > block_indent || IsSpace(c)))
        comment = true;  // block scalar content: skip the line
      else
        in_block = false;
      if (plain_may_continue && indent > plain_indent && c != '#')
        plain = true;
      else if (depth == 0)
        plain_indent = indent;
      plain_may_continue = false;
    }
    if (comment)
      continue;
    if (quote == Quote::kDouble) {
      if (c == '\\')
        ++i, ++column;
      else if (c == '"')
        quote = Quote::kNone;
      prev = c;
      continue;
    }
    if (quote == Quote::kSingle) {
      if (c == '\'') {
        if (i + 1 < text.size() && text[i + 1] == '\'')
          ++i, ++column;
        else
          quote = Quote::kNone;
      }
      prev = c;
      continue;
    }
    const char next = i + 1 < text.size() ? text[i + 1] : '\n';
    const bool next_blank = IsSpace(next) || next == '\n';
    if (IsSpace(c)) {
      token = false;
      prev = c;
      continue;
    }
    if (c == '#' && (IsSpace(prev) || prev == '\n')) {
      comment = true;
      if (depth == 0)
        plain = false;
      continue;
    }
    // Anchor, alias and tag names end at a flow indicator as well as at a space.
    const bool flow_indicator = c == ',' || c == '[' || c == ']' || c == '{' || c == '}';
    if (token && !flow_indicator) {
      prev = c;
      continue;
    }
    token = false;
    if (plain) {
      const bool ends_flow =
          depth > 0 && (c == ',' || c == '[' || c == ']' || c == '{' || c == '}');
      if (!ends_flow) {
        if (c == ':' && (next_blank || (depth > 0 && next == ',')))
          plain = false;
        prev = c;
        continue;
      }
      plain = false;
    }
    switch (c) {
      case '"':
        quote = Quote::kDouble;
        break;
      case '\'':
        quote = Quote::kSingle;
        break;
      case '&':
      case '*':
      case '!':
        token = true;
        break;
      case '[':
      case '{':
        ++depth;
        break;
      case ']':
      case '}':
        if (depth > 0)
          --depth;
        break;
      case ',':
        if (depth == 0)
          return TextPosition{line, column};
        break;
      case '|':
      case '>':
        if (depth == 0) {
          in_block = true;
          block_indent = indent;
        } else
          plain = true;
        break;
      case '%':
        if (column == 1)
          comment = true;  // a directive
        else
          plain = true;
        break;
      case '-':
      case '.':
        if (column == 1 && text.substr(i, 3) == std::string_view(c == '-' ? "---" : "..."))
          token = true;  // a document marker
        else if (!(c == '-' && next_blank))
          plain = true;
        break;
      case '?':
      case ':':
        if (!next_blank)
          plain = true;
        break;
      default:
        plain = true;
        break;
    }
    prev = c;
  }
  return std::nullopt;
}

std::optional<TextPosition> FindControlCharacter(std::string_view text) {
  std::size_t line = 1, column = 0;
  for (const char c : text) {
    ++column;
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\n') {
      ++line;
      column = 0;
    } else if ((byte < 0x20 && c != '\t' && c != '\r') || byte == 0x7f) {
      return TextPosition{line, column};
    }
  }
  return std::nullopt;
}

}  // namespace hfi::render

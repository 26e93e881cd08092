#include "cmdtree/roff.h"

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <vector>

namespace hfi::cmdtree {
namespace {

// Decodes one UTF-8 sequence at `at`; an invalid byte is taken as U+FFFD.
std::uint32_t DecodeUtf8(std::string_view text, std::size_t& at) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(at);
  int length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
  std::uint32_t code = length == 4 ? lead & 0x07u : length == 3 ? lead & 0x0Fu : lead & 0x1Fu;
  if (length == 1 || at + length > text.size()) {
    ++at;
    return 0xFFFD;
  }
  for (int i = 1; i < length; ++i) {
    if ((byte(at + i) & 0xC0) != 0x80) {
      ++at;
      return 0xFFFD;
    }
    code = (code << 6) | (byte(at + i) & 0x3Fu);
  }
  at += length;
  return code;
}

// A word longer than this (a JSON patch, a URL) gets break points after its punctuation, so a
// narrow terminal can wrap it instead of overflowing (groff warns "cannot break line").
constexpr std::size_t kLongWord = 40;

bool BreakAfter(char c) {
  return std::string_view(",/:;{}[]|&_=").find(c) != std::string_view::npos;
}

// For each byte: whether it belongs to a word longer than kLongWord.
std::vector<bool> InLongWord(std::string_view text) {
  std::vector<bool> marks(text.size(), false);
  std::size_t start = 0;
  for (std::size_t i = 0; i <= text.size(); ++i) {
    if (i < text.size() && text[i] != ' ' && text[i] != '\n')
      continue;
    if (i - start > kLongWord)
      std::fill(marks.begin() + start, marks.begin() + i, true);
    start = i + 1;
  }
  return marks;
}

std::string Escape(std::string_view text, bool running_text, bool in_quotes) {
  // Bold only where a closing backquote follows; a lone one stays a character.
  const bool code_spans = running_text;
  std::size_t last_backquote = text.rfind('`');
  const std::vector<bool> long_word = running_text ? InLongWord(text) : std::vector<bool>();
  bool in_code = false;
  std::string out;
  for (std::size_t at = 0; at < text.size();) {
    const char c = text[at];
    if (running_text && long_word[at] && at + 1 < text.size() && long_word[at + 1] && at > 0 &&
        BreakAfter(text[at - 1]))
      out += "\\:";
    if (static_cast<unsigned char>(c) >= 0x80) {
      char buffer[16];
      std::snprintf(buffer, sizeof buffer, "\\[u%04X]", DecodeUtf8(text, at));
      out += buffer;
      continue;
    }
    ++at;
    if (c == '\\') {
      out += "\\e";
    } else if (c == '-') {
      out += "\\-";
    } else if (c == '\n' || c == '\t') {
      out += ' ';
    } else if (c == '"' && in_quotes) {
      out += "\\(dq";
    } else if (c == '`' && code_spans && (in_code || at - 1 < last_backquote)) {
      out += in_code ? "\\fR" : "\\fB";
      in_code = !in_code;
    } else {
      out += c;
    }
  }
  if (!out.empty() && (out[0] == '.' || out[0] == '\''))
    out.insert(0, "\\&");
  return out;
}

}  // namespace

std::string RoffText(std::string_view text) {
  return Escape(text, true, false);
}

std::string RoffLiteral(std::string_view line) {
  return Escape(line, false, false);
}

std::string RoffArgument(std::string_view text) {
  return "\"" + Escape(text, true, true) + "\"";
}

}  // namespace hfi::cmdtree

#include "prom/text.h"

#include <cstdint>
#include <cstring>

namespace hfi::prom {

bool IsValidUtf8(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const auto* end = p + s.size();
  while (p < end) {
    // Skip ASCII eight bytes at a time: label values are almost always plain ASCII.
    if (end - p >= 8) {
      std::uint64_t word;
      std::memcpy(&word, p, 8);
      if ((word & 0x8080808080808080ULL) == 0) {
        p += 8;
        continue;
      }
    }
    const unsigned char c = *p;
    if (c < 0x80) {
      ++p;
      continue;
    }
    // Well-formed sequences per RFC 3629 (no overlongs, no surrogates, nothing above U+10FFFF).
    std::size_t len;
    unsigned char lo = 0x80, hi = 0xBF;
    if (c >= 0xC2 && c <= 0xDF) {
      len = 2;
    } else if (c >= 0xE0 && c <= 0xEF) {
      len = 3;
      if (c == 0xE0)
        lo = 0xA0;
      if (c == 0xED)
        hi = 0x9F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      len = 4;
      if (c == 0xF0)
        lo = 0x90;
      if (c == 0xF4)
        hi = 0x8F;
    } else {
      return false;
    }
    if (static_cast<std::size_t>(end - p) < len)
      return false;
    if (p[1] < lo || p[1] > hi)
      return false;
    for (std::size_t i = 2; i < len; ++i) {
      if (p[i] < 0x80 || p[i] > 0xBF)
        return false;
    }
    p += len;
  }
  return true;
}

void AppendUnescapedLabelValue(std::string_view raw, std::string* out) {
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const char c = raw[i];
    if (c == '\\' && i + 1 < raw.size()) {
      const char next = raw[i + 1];
      if (next == '\\' || next == '"') {
        out->push_back(next);
        ++i;
        continue;
      }
      if (next == 'n') {
        out->push_back('\n');
        ++i;
        continue;
      }
    }
    out->push_back(c);
  }
}

void AppendUnescapedHelp(std::string_view raw, bool open_metrics, std::string* out) {
  for (std::size_t i = 0; i < raw.size(); ++i) {
    const char c = raw[i];
    if (c == '\\' && i + 1 < raw.size()) {
      const char next = raw[i + 1];
      if (next == '\\' || (open_metrics && next == '"')) {
        out->push_back(next);
        ++i;
        continue;
      }
      if (next == 'n') {
        out->push_back('\n');
        ++i;
        continue;
      }
    }
    out->push_back(c);
  }
}

std::string Quote(std::string_view s) {
  constexpr std::size_t kMax = 60;
  std::string out = "\"";
  const bool cut = s.size() > kMax;
  if (cut)
    s = s.substr(0, kMax);
  for (const char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20 || c >= 0x7F) {
          static constexpr char kHex[] = "0123456789abcdef";
          out += "\\x";
          out += kHex[c >> 4];
          out += kHex[c & 15];
        } else {
          out += ch;
        }
    }
  }
  out += cut ? "\"..." : "\"";
  return out;
}

}  // namespace hfi::prom

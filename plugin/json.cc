#include "plugin/json.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <set>
#include <utility>

namespace hfi::json {
namespace {

constexpr int kMaxDepth = 64;
// Below this many members a linear scan finds duplicate keys fastest; above it a set keeps a
// large object from costing quadratic time.
constexpr std::size_t kLinearKeyScan = 16;
// Longest key or token quoted in an error message; the message stays one short line.
constexpr std::size_t kMaxQuoted = 40;

// Converts a number already checked against the RFC 8259 grammar. Must not depend on the C
// locale: the native CLI may run under any setlocale(). libstdc++'s from_chars never looks at
// the locale; Emscripten's libc (musl) has no from_chars for double, but its strtod always uses
// '.' whatever the locale.
bool ToDouble(const char* begin, const char* end, double* out) {
#if defined(__cpp_lib_to_chars)
  std::from_chars_result result = std::from_chars(begin, end, *out);
  return result.ec == std::errc() && result.ptr == end;
#elif defined(__EMSCRIPTEN__)
  std::string copy(begin, end);  // strtod needs a terminated string
  char* stop = nullptr;
  *out = std::strtod(copy.c_str(), &stop);
  return stop == copy.c_str() + copy.size() && *out != HUGE_VAL && *out != -HUGE_VAL;
#else
#error "no locale-independent string-to-double conversion for this platform"
#endif
}

// Two upper-case hex digits; hand-written because printf would add to the Wasm size.
std::string Hex2(unsigned char c) {
  const char* digits = "0123456789ABCDEF";
  return {digits[c >> 4], digits[c & 0xF]};
}

// A byte or short text shown in an error: printable ASCII quoted, anything else as hex, so the
// message is always one printable line.
std::string Describe(std::string_view text) {
  std::string out = "'";
  for (std::size_t i = 0; i < text.size() && i < kMaxQuoted; ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c >= 0x20 && c < 0x7f) {
      out += static_cast<char>(c);
    } else {
      out += "\\x";
      out += Hex2(c);
    }
  }
  if (text.size() > kMaxQuoted)
    out += "...";
  return out + "'";
}

class Parser {
 public:
  explicit Parser(std::string_view text) : text_(text) {}

  bool ParseDocument(Value* out) {
    // RFC 8259 §8.1 lets a parser ignore a leading byte order mark; editors on some systems add
    // one to policy files.
    if (text_.substr(0, 3) == "\xEF\xBB\xBF")
      pos_ = 3;
    SkipSpace();
    if (!ParseValue(out, 0))
      return false;
    SkipSpace();
    if (pos_ < text_.size())
      return Fail("expected end of input after the value, found " + Here());
    return true;
  }

  // "line L, column C: why"; columns count bytes from 1.
  std::string Error() const {
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i < error_pos_ && i < text_.size(); ++i) {
      if (text_[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    return "line " + std::to_string(line) + ", column " + std::to_string(column) + ": " + why_;
  }

 private:
  bool Fail(std::string why) { return FailAt(pos_, std::move(why)); }
  bool FailAt(std::size_t pos, std::string why) {
    error_pos_ = pos;
    why_ = std::move(why);
    return false;
  }

  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return text_[pos_]; }

  // What stands at the current position, for "found ..." in messages.
  std::string Here() const {
    if (AtEnd())
      return "end of input";
    char c = Peek();
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) {
      std::size_t end = pos_;
      while (end < text_.size() && ((text_[end] >= 'a' && text_[end] <= 'z') ||
                                    (text_[end] >= 'A' && text_[end] <= 'Z'))) {
        ++end;
      }
      return Describe(text_.substr(pos_, end - pos_));
    }
    return Describe(text_.substr(pos_, 1));
  }

  void SkipSpace() {
    while (!AtEnd()) {
      char c = Peek();
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r')
        break;
      ++pos_;
    }
  }

  bool ParseValue(Value* out, int depth) {
    if (AtEnd())
      return Fail("expected a value, found end of input");
    switch (Peek()) {
      case '{':
        return ParseObject(out, depth + 1);
      case '[':
        return ParseArray(out, depth + 1);
      case '"':
        out->type = Type::kString;
        return ParseString(&out->string);
      case 't':
        return ParseWord("true", Type::kBool, true, out);
      case 'f':
        return ParseWord("false", Type::kBool, false, out);
      case 'n':
        return ParseWord("null", Type::kNull, false, out);
      default:
        break;
    }
    char c = Peek();
    if (c == '-' || (c >= '0' && c <= '9'))
      return ParseNumber(out);
    return Fail("expected a value, found " + Here());
  }

  bool ParseWord(std::string_view word, Type type, bool boolean, Value* out) {
    if (text_.substr(pos_, word.size()) != word)
      return Fail("expected a value, found " + Here());
    std::size_t end = pos_ + word.size();
    if (end < text_.size()) {
      char c = text_[end];
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) {
        return Fail("expected a value, found " + Here());
      }
    }
    pos_ = end;
    out->type = type;
    out->boolean = boolean;
    return true;
  }

  bool ParseObject(Value* out, int depth) {
    if (depth > kMaxDepth)
      return Fail("nesting deeper than 64 levels");
    out->type = Type::kObject;
    ++pos_;  // '{'
    SkipSpace();
    if (!AtEnd() && Peek() == '}') {
      ++pos_;
      return true;
    }
    std::set<std::string, std::less<>> seen;  // filled only for large objects
    while (true) {
      if (AtEnd() || Peek() != '"') {
        if (!out->members.empty() && !AtEnd() && Peek() == '}') {
          return Fail("trailing comma before '}'");
        }
        return Fail("expected an object key (a string), found " + Here());
      }
      std::size_t key_pos = pos_;
      std::string key;
      if (!ParseString(&key))
        return false;
      if (IsDuplicate(out->members, key, &seen)) {
        return FailAt(key_pos, "duplicate key " + Describe(key));
      }
      SkipSpace();
      if (AtEnd() || Peek() != ':')
        return Fail("expected ':' after object key");
      ++pos_;
      SkipSpace();
      out->members.emplace_back(std::move(key), Value());
      if (!ParseValue(&out->members.back().second, depth))
        return false;
      SkipSpace();
      if (!AtEnd() && Peek() == ',') {
        ++pos_;
        SkipSpace();
        continue;
      }
      if (!AtEnd() && Peek() == '}') {
        ++pos_;
        return true;
      }
      return Fail("expected ',' or '}' after object member, found " + Here());
    }
  }

  static bool IsDuplicate(const std::vector<std::pair<std::string, Value>>& members,
                          const std::string& key, std::set<std::string, std::less<>>* seen) {
    if (members.size() < kLinearKeyScan) {
      for (const auto& member : members) {
        if (member.first == key)
          return true;
      }
      return false;
    }
    if (seen->empty()) {
      for (const auto& member : members)
        seen->insert(member.first);
    }
    return !seen->insert(key).second;
  }

  bool ParseArray(Value* out, int depth) {
    if (depth > kMaxDepth)
      return Fail("nesting deeper than 64 levels");
    out->type = Type::kArray;
    ++pos_;  // '['
    SkipSpace();
    if (!AtEnd() && Peek() == ']') {
      ++pos_;
      return true;
    }
    while (true) {
      if (!out->items.empty() && !AtEnd() && Peek() == ']') {
        return Fail("trailing comma before ']'");
      }
      out->items.emplace_back();
      if (!ParseValue(&out->items.back(), depth))
        return false;
      SkipSpace();
      if (!AtEnd() && Peek() == ',') {
        ++pos_;
        SkipSpace();
        continue;
      }
      if (!AtEnd() && Peek() == ']') {
        ++pos_;
        return true;
      }
      return Fail("expected ',' or ']' after array element, found " + Here());
    }
  }

  // number = [ "-" ] int [ frac ] [ exp ] (RFC 8259 §6); no NaN, no Infinity, no leading '+'.
  bool ParseNumber(Value* out) {
    std::size_t start = pos_;
    if (Peek() == '-')
      ++pos_;
    if (AtEnd() || !IsDigit(Peek()))
      return Fail("expected a digit after '-', found " + Here());
    if (Peek() == '0') {
      ++pos_;
      if (!AtEnd() && IsDigit(Peek()))
        return FailAt(pos_ - 1, "leading zeros are not allowed");
    } else {
      while (!AtEnd() && IsDigit(Peek()))
        ++pos_;
    }
    if (!AtEnd() && Peek() == '.') {
      ++pos_;
      if (AtEnd() || !IsDigit(Peek()))
        return Fail("expected a digit after '.', found " + Here());
      while (!AtEnd() && IsDigit(Peek()))
        ++pos_;
    }
    if (!AtEnd() && (Peek() == 'e' || Peek() == 'E')) {
      ++pos_;
      if (!AtEnd() && (Peek() == '+' || Peek() == '-'))
        ++pos_;
      if (AtEnd() || !IsDigit(Peek())) {
        return Fail("expected a digit in the exponent, found " + Here());
      }
      while (!AtEnd() && IsDigit(Peek()))
        ++pos_;
    }
    const char* begin = text_.data() + start;
    const char* end = text_.data() + pos_;
    if (!ToDouble(begin, end, &out->number)) {
      if (IsTiny(text_.substr(start, pos_ - start))) {
        // RFC 8259 §6 leaves precision to the implementation: a magnitude too small for a
        // double reads as zero, as strtod does.
        out->number = text_[start] == '-' ? -0.0 : 0.0;
      } else {
        return FailAt(start,
                      "number " + Describe(text_.substr(start, pos_ - start)) + " is out of range");
      }
    }
    out->type = Type::kNumber;
    return true;
  }

  static bool IsDigit(char c) { return c >= '0' && c <= '9'; }

  // True if a grammatical number that failed to convert has a negative decimal magnitude
  // (underflow) rather than a positive one (overflow).
  static bool IsTiny(std::string_view number) {
    std::size_t i = 0;
    if (number[i] == '-')
      ++i;
    long long magnitude = 0;  // decimal position of the first significant digit, roughly
    bool seen_significant = false;
    bool after_point = false;
    for (; i < number.size() && number[i] != 'e' && number[i] != 'E'; ++i) {
      char c = number[i];
      if (c == '.') {
        after_point = true;
      } else if (!seen_significant && c == '0') {
        if (after_point)
          --magnitude;
      } else if (!seen_significant) {
        seen_significant = true;
      } else if (!after_point) {
        ++magnitude;
      }
    }
    if (!seen_significant)
      return true;
    long long exponent = 0;
    bool negative = false;
    if (i < number.size()) {
      ++i;  // 'e'
      if (number[i] == '+' || number[i] == '-')
        negative = number[i++] == '-';
      for (; i < number.size(); ++i) {
        if (exponent < 1000000)
          exponent = exponent * 10 + (number[i] - '0');
      }
    }
    return magnitude + (negative ? -exponent : exponent) < 0;
  }

  // Reads a string starting at '"' into *out as UTF-8.
  bool ParseString(std::string* out) {
    std::size_t open = pos_;
    ++pos_;  // '"'
    while (true) {
      if (AtEnd())
        return FailAt(open, "unterminated string");
      unsigned char c = static_cast<unsigned char>(Peek());
      if (c == '"') {
        ++pos_;
        return true;
      }
      if (c == '\\') {
        if (!ParseEscape(out))
          return false;
        continue;
      }
      if (c < 0x20) {
        return Fail("control character 0x" + Hex2(c) + " in a string must be escaped");
      }
      if (c < 0x80) {
        out->push_back(static_cast<char>(c));
        ++pos_;
        continue;
      }
      std::size_t length = Utf8SequenceLength(text_.substr(pos_));
      if (length == 0)
        return Fail("invalid UTF-8 in a string");
      out->append(text_.data() + pos_, length);
      pos_ += length;
    }
  }

  // Length of the well-formed UTF-8 sequence at the start of `s` (RFC 3629 §4: no overlong
  // forms, no surrogates, nothing above U+10FFFF), or 0.
  static std::size_t Utf8SequenceLength(std::string_view s) {
    auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
    unsigned char lead = byte(0);
    std::size_t length;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      if (lead == 0xE0)
        lo = 0xA0;
      if (lead == 0xED)
        hi = 0x9F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      if (lead == 0xF0)
        lo = 0x90;
      if (lead == 0xF4)
        hi = 0x8F;
    } else {
      return 0;
    }
    if (s.size() < length)
      return 0;
    if (byte(1) < lo || byte(1) > hi)
      return 0;
    for (std::size_t i = 2; i < length; ++i) {
      if (byte(i) < 0x80 || byte(i) > 0xBF)
        return 0;
    }
    return length;
  }

  bool ParseEscape(std::string* out) {
    std::size_t backslash = pos_;
    ++pos_;
    if (AtEnd())
      return FailAt(backslash, "unterminated string");
    char c = Peek();
    ++pos_;
    switch (c) {
      case '"':
      case '\\':
      case '/':
        out->push_back(c);
        return true;
      case 'b':
        out->push_back('\b');
        return true;
      case 'f':
        out->push_back('\f');
        return true;
      case 'n':
        out->push_back('\n');
        return true;
      case 'r':
        out->push_back('\r');
        return true;
      case 't':
        out->push_back('\t');
        return true;
      case 'u':
        break;
      default:
        return FailAt(backslash,
                      "invalid escape " + Describe(text_.substr(backslash, 2)) + " in a string");
    }
    std::uint32_t unit;
    if (!ReadHex4(backslash, &unit))
      return false;
    std::uint32_t code_point = unit;
    if (unit >= 0xDC00 && unit <= 0xDFFF) {
      return FailAt(backslash, "unpaired surrogate " + Describe(text_.substr(backslash, 6)));
    }
    if (unit >= 0xD800 && unit <= 0xDBFF) {
      // RFC 8259 §7: a character outside the BMP is a high surrogate escape followed by a low one.
      std::size_t second = pos_;
      std::uint32_t low;
      if (text_.substr(pos_, 2) != "\\u") {
        return FailAt(backslash, "unpaired surrogate " + Describe(text_.substr(backslash, 6)));
      }
      pos_ += 2;
      if (!ReadHex4(second, &low))
        return false;
      if (low < 0xDC00 || low > 0xDFFF) {
        return FailAt(backslash, "unpaired surrogate " + Describe(text_.substr(backslash, 6)));
      }
      code_point = 0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00);
    }
    AppendUtf8(code_point, out);
    return true;
  }

  bool ReadHex4(std::size_t escape_pos, std::uint32_t* out) {
    *out = 0;
    for (int i = 0; i < 4; ++i) {
      if (AtEnd())
        return FailAt(escape_pos, "\\u escape needs 4 hex digits");
      char c = Peek();
      std::uint32_t digit;
      if (c >= '0' && c <= '9') {
        digit = static_cast<std::uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        digit = static_cast<std::uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        digit = static_cast<std::uint32_t>(c - 'A' + 10);
      } else {
        return FailAt(escape_pos, "\\u escape needs 4 hex digits");
      }
      *out = *out * 16 + digit;
      ++pos_;
    }
    return true;
  }

  static void AppendUtf8(std::uint32_t cp, std::string* out) {
    if (cp < 0x80) {
      out->push_back(static_cast<char>(cp));
    } else if (cp < 0x800) {
      out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else if (cp < 0x10000) {
      out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    } else {
      out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
      out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
    }
  }

  std::string_view text_;
  std::size_t pos_ = 0;
  std::size_t error_pos_ = 0;
  std::string why_;
};

}  // namespace

const Value* Value::Find(std::string_view key) const {
  if (type != Type::kObject)
    return nullptr;
  for (const auto& member : members) {
    if (member.first == key)
      return &member.second;
  }
  return nullptr;
}

bool Parse(std::string_view text, Value* out, std::string* error) {
  Parser parser(text);
  Value value;
  if (!parser.ParseDocument(&value)) {
    if (error != nullptr)
      *error = parser.Error();
    return false;
  }
  *out = std::move(value);
  return true;
}

const char* TypeName(Type type) {
  switch (type) {
    case Type::kNull:
      return "null";
    case Type::kBool:
      return "boolean";
    case Type::kNumber:
      return "number";
    case Type::kString:
      return "string";
    case Type::kArray:
      return "array";
    case Type::kObject:
      return "object";
  }
  return "unknown";
}

}  // namespace hfi::json

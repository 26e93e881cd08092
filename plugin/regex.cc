#include "plugin/regex.h"

#include <utility>

namespace hfi::re {
namespace {

constexpr std::uint32_t kMaxInst = 5000;
constexpr int kMaxRepeat = 1000;
constexpr int kMaxNesting = 100;

enum AssertKind : std::uint8_t {
  kBeginText,  // ^ (without (?m)) and \A
  kEndText,    // $ (without (?m)) and \z
  kBeginLine,  // ^ under (?m)
  kEndLine,    // $ under (?m)
  kWordBoundary,
  kNotWordBoundary,
};

bool IsWordByte(int c) {
  return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool IsDigit(char c) {
  return c >= '0' && c <= '9';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

// A set of characters as the parser sees them: any ASCII subset, plus "every non-ASCII
// character" or none of them. Non-ASCII members cannot be listed one by one (that needs Unicode
// tables); they only enter through negation, as in [^a] or \D.
struct CharSet {
  std::uint64_t ascii[2] = {0, 0};
  bool non_ascii = false;

  void Add(int c) { ascii[c >> 6] |= std::uint64_t{1} << (c & 63); }
  void AddRange(int lo, int hi) {
    for (int c = lo; c <= hi; ++c)
      Add(c);
  }
  bool Has(int c) const { return (ascii[c >> 6] >> (c & 63)) & 1; }
  void Merge(const CharSet& other) {
    ascii[0] |= other.ascii[0];
    ascii[1] |= other.ascii[1];
    non_ascii = non_ascii || other.non_ascii;
  }
  void Negate() {
    ascii[0] = ~ascii[0];
    ascii[1] = ~ascii[1];
    non_ascii = !non_ascii;
  }
  // ASCII-only case folding, applied under (?i).
  void FoldCase() {
    for (int c = 'a'; c <= 'z'; ++c) {
      if (Has(c) || Has(c - 'a' + 'A')) {
        Add(c);
        Add(c - 'a' + 'A');
      }
    }
  }
};

CharSet PerlClass(char name) {
  CharSet set;
  switch (name | 0x20) {  // lower case
    case 'd':
      set.AddRange('0', '9');
      break;
    case 'w':
      set.AddRange('0', '9');
      set.AddRange('a', 'z');
      set.AddRange('A', 'Z');
      set.Add('_');
      break;
    case 's':  // RE2's \s is [\t\n\f\r ]: no \v
      set.Add('\t');
      set.Add('\n');
      set.Add('\f');
      set.Add('\r');
      set.Add(' ');
      break;
  }
  if (name >= 'A' && name <= 'Z')
    set.Negate();
  return set;
}

// The [[:name:]] classes RE2 accepts; all ASCII.
bool PosixClass(std::string_view name, CharSet* set) {
  struct Entry {
    const char* name;
    const char* ranges;  // pairs of bytes: lo hi lo hi ...
  };
  static const Entry kClasses[] = {
      {"alnum", "09AZaz"},
      {"alpha", "AZaz"},
      {"ascii", "\x01\x7f"},
      {"blank", "\t\t  "},
      {"cntrl", "\x01\x1f\x7f\x7f"},
      {"digit", "09"},
      {"graph", "!~"},
      {"lower", "az"},
      {"print", " ~"},
      {"punct", "!/:@[`{~"},
      {"space", "\t\r  "},
      {"upper", "AZ"},
      {"word", "09AZaz__"},
      {"xdigit", "09AFaf"},
  };
  for (const Entry& entry : kClasses) {
    if (name != entry.name)
      continue;
    for (const char* r = entry.ranges; r[0] != '\0'; r += 2)
      set->AddRange(r[0], r[1]);
    // The tables cannot hold a NUL byte; "ascii" and "cntrl" start at \x00.
    if (name == "ascii" || name == "cntrl")
      set->Add(0);
    return true;
  }
  return false;
}

// One node of the parsed pattern. `size` is the number of instructions it compiles to, clamped
// at kMaxInst + 1, so that a pattern too large is rejected before anything is emitted.
struct Node {
  enum Kind : std::uint8_t { kEmpty, kBytes, kConcat, kAlt, kRepeat, kAssert } kind = kEmpty;
  AssertKind assertion = kBeginText;
  std::array<std::uint64_t, 4> bytes = {0, 0, 0, 0};  // kBytes
  std::vector<int> kids;                              // kConcat, kAlt, kRepeat (one kid)
  int min = 0, max = 0;                               // kRepeat; max -1 = unbounded
  std::uint32_t size = 0;
};

}  // namespace

// Parses a pattern into Nodes (Parser) and emits the program (Emit). Named in regex.h so it can
// fill Regex's private members.
class Compiler {
 public:
  explicit Compiler(std::string_view pattern) : p_(pattern) {}

  bool Run(Regex* out, std::string* error);

 private:
  struct Flags {
    bool fold = false;       // (?i)
    bool multiline = false;  // (?m)
    bool dot_nl = false;     // (?s)
  };

  // --- Parsing ---
  bool ParseAlternation(int depth, Flags flags, int* out);
  bool ParseConcat(int depth, Flags* flags, int* out);
  bool ParseAtom(int depth, Flags* flags, int* out, bool* is_atom);
  bool ParseGroup(int depth, Flags* flags, int* out, bool* is_atom);
  bool ParseFlags(std::size_t open, Flags* flags, bool* scoped);
  bool ParseClass(const Flags& flags, int* out);
  bool ParseClassChar(std::size_t range_start, int* c);
  std::size_t RepeatOperatorEnd(std::size_t at) const;
  std::size_t CountedRepeat(std::size_t at, int* min, int* max) const;
  struct Escape {
    enum Kind { kChar, kClass, kAssert, kAnyByte, kQuote } kind = kChar;
    std::uint32_t code_point = 0;
    CharSet set;
    AssertKind assertion = kBeginText;
  };
  bool ParseEscape(bool in_class, Escape* out);
  bool DecodeUtf8(std::uint32_t* code_point);

  // --- Node construction (each checks the size limit) ---
  int NewNode(Node node);
  bool Literal(std::uint32_t code_point, const Flags& flags, std::size_t at, int* out);
  int Bytes(int lo, int hi);
  int Set(const CharSet& set);
  bool Sequence(std::vector<int> kids, Node::Kind kind, int* out);
  bool Repeat(int kid, int min, int max, std::size_t at, int* out);
  bool CheckSize(std::uint64_t size, std::size_t at, std::uint32_t* out);

  // --- Emission ---
  void Emit(int node);
  std::uint32_t Add(Regex::Inst inst);

  bool Fail(std::size_t at, std::string why) {
    error_at_ = at;
    why_ = std::move(why);
    return false;
  }
  // Part of the pattern for an error message, kept short and on one printable line.
  std::string Quote(std::size_t from, std::size_t to) const;
  bool AtEnd() const { return pos_ >= p_.size(); }
  bool LookingAt(std::string_view s) const { return p_.substr(pos_, s.size()) == s; }

  std::string_view p_;
  std::size_t pos_ = 0;
  bool in_quote_ = false;  // inside \Q...\E
  std::vector<std::string> group_names_;
  std::vector<Node> nodes_;
  std::size_t error_at_ = 0;
  std::string why_;
  Regex* out_ = nullptr;
};

std::string Compiler::Quote(std::size_t from, std::size_t to) const {
  constexpr std::size_t kMaxQuoted = 40;
  std::string out = "'";
  for (std::size_t i = from; i < to && i < p_.size(); ++i) {
    if (i - from == kMaxQuoted) {
      out += "...";
      break;
    }
    unsigned char c = static_cast<unsigned char>(p_[i]);
    if (c >= 0x20 && c < 0x7F) {
      out += static_cast<char>(c);
    } else {
      const char* digits = "0123456789ABCDEF";
      out += "\\x";
      out += digits[c >> 4];
      out += digits[c & 0xF];
    }
  }
  return out + "'";
}

bool Compiler::Run(Regex* out, std::string* error) {
  int root;
  bool ok = ParseAlternation(0, Flags(), &root);
  if (ok && !AtEnd())
    ok = Fail(pos_, "unmatched ')'");  // the only thing that stops a parse
  if (!ok) {
    if (error != nullptr)
      *error = "offset " + std::to_string(error_at_) + ": " + why_;
    return false;
  }
  Regex regex;
  regex.pattern_ = std::string(p_);
  out_ = &regex;
  // Each node's size was checked as it was built, so the root's is within the limit.
  regex.prog_.reserve(nodes_[root].size + 1);
  Emit(root);
  Regex::Inst match{Regex::Inst::kMatch};
  Add(match);
  std::size_t n = regex.prog_.size();
  for (int i = 0; i < 2; ++i) {
    regex.dense_[i].assign(n, 0);
    regex.sparse_[i].assign(n, 0);
  }
  // Each instruction enters a list once and pushes at most two successors.
  regex.stack_.assign(2 * n + 1, 0);
  *out = std::move(regex);
  return true;
}

// alternation = concat ( '|' concat )*
bool Compiler::ParseAlternation(int depth, Flags flags, int* out) {
  std::vector<int> branches;
  while (true) {
    int branch;
    if (!ParseConcat(depth, &flags, &branch))
      return false;
    branches.push_back(branch);
    if (AtEnd() || p_[pos_] != '|')
      break;
    ++pos_;
  }
  return Sequence(std::move(branches), Node::kAlt, out);
}

// concat = piece*, where piece = atom [ repetition [ '?' ] ]
bool Compiler::ParseConcat(int depth, Flags* flags, int* out) {
  std::vector<int> items;
  std::uint64_t size = 0;
  while (!AtEnd() && (in_quote_ || (p_[pos_] != '|' && p_[pos_] != ')'))) {
    std::size_t atom_start = pos_;
    int atom;
    bool is_atom;
    if (!ParseAtom(depth, flags, &atom, &is_atom))
      return false;
    if (!is_atom)
      continue;  // a flag group or an empty \Q\E
    std::size_t op_end = in_quote_ ? 0 : RepeatOperatorEnd(pos_);
    if (op_end != 0) {
      std::size_t op_start = pos_;
      int min = 0, max = -1;
      if (p_[pos_] == '?')
        max = 1;
      if (p_[pos_] == '+')
        min = 1;
      if (p_[pos_] == '{') {
        CountedRepeat(pos_, &min, &max);
        if (min > kMaxRepeat || max > kMaxRepeat) {
          return Fail(op_start, "counted repetition " + Quote(op_start, op_end) +
                                    " exceeds the maximum of 1000");
        }
        if (max != -1 && max < min) {
          return Fail(op_start, "counted repetition " + Quote(op_start, op_end) +
                                    " has its maximum below its minimum");
        }
      }
      pos_ = op_end;
      if (!AtEnd() && p_[pos_] == '?')
        ++pos_;  // lazy: same yes/no result
      // RE2, like Perl, rejects stacked repetitions such as a** or a{2}*.
      if (std::size_t stacked = RepeatOperatorEnd(pos_); stacked != 0) {
        return Fail(op_start, "bad repetition operator " + Quote(op_start, stacked) +
                                  ": repetitions cannot be stacked; use a group");
      }
      if (!Repeat(atom, min, max, op_start, &atom))
        return false;
    }
    items.push_back(atom);
    size += nodes_[atom].size;
    std::uint32_t ignored;
    if (!CheckSize(size, atom_start, &ignored))
      return false;
  }
  return Sequence(std::move(items), Node::kConcat, out);
}

// The end of the repetition operator (`*`, `+`, `?` or a well-formed counted repetition) at
// `at`, or 0 if there is none there.
std::size_t Compiler::RepeatOperatorEnd(std::size_t at) const {
  if (at >= p_.size())
    return 0;
  char c = p_[at];
  if (c == '*' || c == '+' || c == '?')
    return at + 1;
  int min, max;
  return c == '{' ? CountedRepeat(at, &min, &max) : 0;
}

// Reads {n}, {n,} or {n,m} at `at` and returns its end, or 0 if the text there is not one (then
// '{' is a literal, as in RE2). *max is -1 for {n,}. Numbers above kMaxRepeat read as
// kMaxRepeat + 1 so that the caller reports them.
std::size_t Compiler::CountedRepeat(std::size_t at, int* min, int* max) const {
  std::size_t i = at + 1;
  auto number = [&](int* value) {
    std::size_t start = i;
    int v = 0;
    while (i < p_.size() && IsDigit(p_[i])) {
      if (v <= kMaxRepeat)
        v = v * 10 + (p_[i] - '0');
      ++i;
    }
    *value = v > kMaxRepeat ? kMaxRepeat + 1 : v;
    return i > start;
  };
  if (!number(min))
    return 0;
  if (i < p_.size() && p_[i] == '}') {
    *max = *min;
  } else if (i < p_.size() && p_[i] == ',') {
    ++i;
    if (i < p_.size() && p_[i] == '}') {
      *max = -1;
    } else if (!number(max) || i >= p_.size() || p_[i] != '}') {
      return 0;
    }
  } else {
    return 0;
  }
  return i + 1;
}

bool Compiler::ParseAtom(int depth, Flags* flags, int* out, bool* is_atom) {
  *is_atom = true;
  std::size_t start = pos_;
  if (in_quote_) {
    std::uint32_t c;
    if (!DecodeUtf8(&c))
      return false;
    // Consume a closing \E now so that a repetition after it applies to this character.
    if (LookingAt("\\E")) {
      pos_ += 2;
      in_quote_ = false;
    }
    return Literal(c, *flags, start, out);
  }
  char c = p_[pos_];
  switch (c) {
    case '(':
      return ParseGroup(depth, flags, out, is_atom);
    case '[':
      return ParseClass(*flags, out);
    case '.': {
      ++pos_;
      CharSet set;
      set.Negate();
      if (!flags->dot_nl)
        set.ascii[0] &= ~(std::uint64_t{1} << '\n');
      *out = Set(set);
      return true;
    }
    case '^':
    case '$': {
      ++pos_;
      Node node;
      node.kind = Node::kAssert;
      node.size = 1;
      if (c == '^') {
        node.assertion = flags->multiline ? kBeginLine : kBeginText;
      } else {
        node.assertion = flags->multiline ? kEndLine : kEndText;
      }
      *out = NewNode(std::move(node));
      return true;
    }
    case '*':
    case '+':
    case '?':
      return Fail(pos_, "missing argument to repetition operator " + Quote(pos_, pos_ + 1));
    case '{': {
      if (std::size_t end = RepeatOperatorEnd(pos_); end != 0) {
        return Fail(pos_, "missing argument to repetition operator " + Quote(pos_, end));
      }
      ++pos_;
      return Literal('{', *flags, start, out);
    }
    case '\\': {
      Escape escape;
      if (!ParseEscape(false, &escape))
        return false;
      switch (escape.kind) {
        case Escape::kChar:
          return Literal(escape.code_point, *flags, start, out);
        case Escape::kClass:
          if (flags->fold)
            escape.set.FoldCase();
          *out = Set(escape.set);
          return true;
        case Escape::kAnyByte:
          *out = Bytes(0, 255);
          return true;
        case Escape::kAssert: {
          Node node;
          node.kind = Node::kAssert;
          node.assertion = escape.assertion;
          node.size = 1;
          *out = NewNode(std::move(node));
          return true;
        }
        case Escape::kQuote:
          in_quote_ = true;
          if (LookingAt("\\E")) {
            pos_ += 2;
            in_quote_ = false;
          }
          *is_atom = false;
          return true;
      }
      return true;
    }
    default: {
      std::uint32_t code_point;
      if (!DecodeUtf8(&code_point))
        return false;
      return Literal(code_point, *flags, start, out);
    }
  }
}

bool Compiler::ParseGroup(int depth, Flags* flags, int* out, bool* is_atom) {
  std::size_t open = pos_;
  if (depth >= kMaxNesting)
    return Fail(open, "groups nested deeper than 100 levels");
  ++pos_;  // '('
  Flags inner = *flags;
  if (LookingAt("?")) {
    std::size_t q = pos_ + 1;
    auto unsupported = [&](std::size_t length, const char* what) {
      return Fail(open, std::string(what) + " " + Quote(open, open + length) + " is not supported");
    };
    if (LookingAt("?="))
      return unsupported(3, "lookahead");
    if (LookingAt("?!"))
      return unsupported(3, "negative lookahead");
    if (LookingAt("?<="))
      return unsupported(4, "lookbehind");
    if (LookingAt("?<!"))
      return unsupported(4, "negative lookbehind");
    if (LookingAt("?P="))
      return unsupported(4, "named backreference");
    if (LookingAt("?P>") || LookingAt("?&") || LookingAt("?R") ||
        (q < p_.size() && IsDigit(p_[q]))) {
      return unsupported(LookingAt("?P>") ? 4 : 3, "recursion");
    }
    if (LookingAt("?P<") || LookingAt("?<")) {
      // Named groups only capture, which a yes/no matcher ignores; RE2 checks the name.
      std::size_t name_start = pos_ + (LookingAt("?P<") ? 3 : 2);
      std::size_t i = name_start;
      while (i < p_.size() && IsWordByte(static_cast<unsigned char>(p_[i])))
        ++i;
      if (i == name_start || i >= p_.size() || p_[i] != '>') {
        std::size_t end = i < p_.size() ? i + 1 : i;
        return Fail(open, "invalid named group " + Quote(open, end) +
                              ": a name is letters, digits or '_' followed by '>'");
      }
      std::string name(p_.substr(name_start, i - name_start));
      for (const std::string& seen : group_names_) {
        if (seen == name)
          return Fail(open, "duplicate group name '" + name + "'");
      }
      group_names_.push_back(std::move(name));
      pos_ = i + 1;
    } else if (LookingAt("?:")) {
      pos_ += 2;
    } else {
      bool scoped;
      if (!ParseFlags(open, &inner, &scoped))
        return false;
      if (!scoped) {
        // (?flags) changes the flags for the rest of the enclosing group.
        *flags = inner;
        *is_atom = false;
        return true;
      }
    }
  }
  if (!ParseAlternation(depth + 1, inner, out))
    return false;
  if (AtEnd() || p_[pos_] != ')')
    return Fail(open, "missing ')' for the group opened here");
  ++pos_;
  return true;
}

// Flags after "(?": [imsU]* [ '-' [imsU]+ ] then ')' (for the rest of the group) or ':' (a
// group of its own, *scoped = true).
bool Compiler::ParseFlags(std::size_t open, Flags* flags, bool* scoped) {
  ++pos_;  // '?'
  bool negated = false, any = false, any_after_minus = false;
  while (!AtEnd()) {
    char c = p_[pos_];
    if (c == ')' || c == ':') {
      if (!any || (negated && !any_after_minus))
        break;
      *scoped = c == ':';
      ++pos_;
      return true;
    }
    if (c == '-') {
      if (negated)
        break;
      negated = true;
      ++pos_;
      continue;
    }
    bool value = !negated;
    if (c == 'i') {
      flags->fold = value;
    } else if (c == 'm') {
      flags->multiline = value;
    } else if (c == 's') {
      flags->dot_nl = value;
    } else if (c != 'U') {  // ungreedy: no effect on a yes/no match
      break;
    }
    any = true;
    any_after_minus = negated;
    ++pos_;
  }
  std::size_t end = AtEnd() ? pos_ : pos_ + 1;
  return Fail(open, "invalid or unsupported group syntax " + Quote(open, end));
}

bool Compiler::ParseClass(const Flags& flags, int* out) {
  std::size_t open = pos_;
  ++pos_;  // '['
  bool negated = false;
  if (!AtEnd() && p_[pos_] == '^') {
    negated = true;
    ++pos_;
  }
  CharSet set;
  bool first = true;
  while (true) {
    if (AtEnd())
      return Fail(open, "missing ']' for the character class opened here");
    char c = p_[pos_];
    if (c == ']' && !first)
      break;
    first = false;
    if (LookingAt("[:")) {
      std::size_t close = p_.find(":]", pos_ + 2);
      if (close != std::string_view::npos) {
        std::size_t name_start = pos_ + 2;
        bool negated_name = name_start < p_.size() && p_[name_start] == '^';
        if (negated_name)
          ++name_start;
        CharSet named;
        if (!PosixClass(p_.substr(name_start, close - name_start), &named)) {
          return Fail(pos_, "invalid character class name " + Quote(pos_, close + 2));
        }
        if (negated_name)
          named.Negate();
        set.Merge(named);
        pos_ = close + 2;
        continue;
      }
    }
    std::size_t item = pos_;
    if (c == '\\') {
      Escape escape;
      if (!ParseEscape(true, &escape))
        return false;
      if (escape.kind == Escape::kClass) {
        set.Merge(escape.set);
        continue;
      }
      pos_ = item;  // a character: re-read as the start of a possible range
    }
    int lo;
    if (!ParseClassChar(item, &lo))
      return false;
    int hi = lo;
    if (pos_ + 1 < p_.size() && p_[pos_] == '-' && p_[pos_ + 1] != ']') {
      ++pos_;
      if (!ParseClassChar(item, &hi))
        return false;
      if (hi < lo) {
        return Fail(item, "invalid character class range " + Quote(item, pos_) +
                              ": the end is below the start");
      }
    }
    set.AddRange(lo, hi);
  }
  ++pos_;  // ']'
  if (flags.fold)
    set.FoldCase();
  if (negated)
    set.Negate();
  *out = Set(set);
  return true;
}

// One character of a class (a literal or a character escape), which must be ASCII.
bool Compiler::ParseClassChar(std::size_t range_start, int* c) {
  std::size_t start = pos_;
  std::uint32_t code_point;
  if (p_[pos_] == '\\') {
    Escape escape;
    if (!ParseEscape(true, &escape))
      return false;
    if (escape.kind != Escape::kChar) {
      return Fail(range_start, "invalid character class range " + Quote(range_start, pos_));
    }
    code_point = escape.code_point;
  } else if (!DecodeUtf8(&code_point)) {
    return false;
  }
  if (code_point >= 0x80) {
    return Fail(start, "non-ASCII character " + Quote(start, pos_) +
                           " in a character class is not supported");
  }
  *c = static_cast<int>(code_point);
  return true;
}

bool Compiler::ParseEscape(bool in_class, Escape* out) {
  std::size_t start = pos_;
  ++pos_;  // '\'
  if (AtEnd())
    return Fail(start, "trailing '\\' at the end of the pattern");
  char c = p_[pos_++];
  auto unsupported = [&](const char* what) {
    return Fail(start, std::string(what) + " " + Quote(start, pos_) + " is not supported");
  };
  out->kind = Escape::kChar;
  switch (c) {
    case 'a':
      out->code_point = '\a';
      return true;
    case 'f':
      out->code_point = '\f';
      return true;
    case 't':
      out->code_point = '\t';
      return true;
    case 'n':
      out->code_point = '\n';
      return true;
    case 'r':
      out->code_point = '\r';
      return true;
    case 'v':
      out->code_point = '\v';
      return true;
    case 'd':
    case 'D':
    case 'w':
    case 'W':
    case 's':
    case 'S':
      out->kind = Escape::kClass;
      out->set = PerlClass(c);
      return true;
    case 'p':
    case 'P':
      if (!AtEnd() && p_[pos_] == '{') {
        std::size_t close = p_.find('}', pos_);
        pos_ = close == std::string_view::npos ? p_.size() : close + 1;
      } else if (!AtEnd()) {
        ++pos_;
      }
      return unsupported("Unicode class");
    case 'x': {
      std::uint32_t value = 0;
      if (!AtEnd() && p_[pos_] == '{') {
        std::size_t i = pos_ + 1;
        int digits = 0;
        while (i < p_.size() && HexValue(p_[i]) >= 0 && value <= 0x10FFFF) {
          value = value * 16 + static_cast<std::uint32_t>(HexValue(p_[i++]));
          ++digits;
        }
        if (digits == 0 || i >= p_.size() || p_[i] != '}' || value > 0x10FFFF) {
          pos_ = i < p_.size() ? i + 1 : i;
          return Fail(start, "invalid escape " + Quote(start, pos_) +
                                 ": expected \\x{H...} with a code point up to 10FFFF");
        }
        pos_ = i + 1;
      } else {
        for (int i = 0; i < 2; ++i) {
          if (AtEnd() || HexValue(p_[pos_]) < 0) {
            return Fail(start, "invalid escape " + Quote(start, pos_) +
                                   ": expected two hex digits or \\x{...}");
          }
          value = value * 16 + static_cast<std::uint32_t>(HexValue(p_[pos_++]));
        }
      }
      out->code_point = value;
      return true;
    }
    case '0':
    case '1':
    case '2':
    case '3':
    case '4':
    case '5':
    case '6':
    case '7': {
      // RE2: \0 and \1-\7 followed by another digit are octal (up to three digits); a lone
      // \1-\9 is a backreference.
      if (c != '0' && (AtEnd() || !IsDigit(p_[pos_])))
        return unsupported("backreference");
      std::uint32_t value = static_cast<std::uint32_t>(c - '0');
      for (int i = 0; i < 2 && !AtEnd() && p_[pos_] >= '0' && p_[pos_] <= '7'; ++i) {
        value = value * 8 + static_cast<std::uint32_t>(p_[pos_++] - '0');
      }
      out->code_point = value;
      return true;
    }
    case '8':
    case '9':
      return unsupported("backreference");
    default:
      break;
  }
  if (!in_class) {
    switch (c) {
      case 'A':
        out->kind = Escape::kAssert;
        out->assertion = kBeginText;
        return true;
      case 'z':
        out->kind = Escape::kAssert;
        out->assertion = kEndText;
        return true;
      case 'b':
        out->kind = Escape::kAssert;
        out->assertion = kWordBoundary;
        return true;
      case 'B':
        out->kind = Escape::kAssert;
        out->assertion = kNotWordBoundary;
        return true;
      case 'C':
        out->kind = Escape::kAnyByte;
        return true;
      case 'Q':
        out->kind = Escape::kQuote;
        return true;
      default:
        break;
    }
  }
  unsigned char u = static_cast<unsigned char>(c);
  if (u < 0x80 && !IsWordByte(u)) {
    out->code_point = u;  // escaped punctuation is itself
    return true;
  }
  if (u >= 0x80) {
    pos_ = start + 1;
    std::uint32_t code_point;
    if (!DecodeUtf8(&code_point))
      return false;
  }
  return Fail(start, "unsupported escape " + Quote(start, pos_) +
                         (in_class ? " in a character class" : ""));
}

// Reads one UTF-8 encoded character at pos_. RE2 rejects patterns that are not valid UTF-8.
bool Compiler::DecodeUtf8(std::uint32_t* code_point) {
  std::size_t start = pos_;
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(p_[i]); };
  unsigned char lead = byte(pos_);
  if (lead < 0x80) {
    *code_point = lead;
    ++pos_;
    return true;
  }
  std::size_t length = 0;
  std::uint32_t value = 0, min = 0;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    value = lead & 0x1F;
    min = 0x80;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    value = lead & 0x0F;
    min = 0x800;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    value = lead & 0x07;
    min = 0x10000;
  }
  bool ok = length != 0 && start + length <= p_.size();
  for (std::size_t i = 1; ok && i < length; ++i) {
    unsigned char b = byte(start + i);
    ok = (b & 0xC0) == 0x80;
    value = (value << 6) | (b & 0x3F);
  }
  ok = ok && value >= min && value <= 0x10FFFF && !(value >= 0xD800 && value <= 0xDFFF);
  if (!ok)
    return Fail(start, "invalid UTF-8 in the pattern");
  pos_ = start + length;
  *code_point = value;
  return true;
}

int Compiler::NewNode(Node node) {
  nodes_.push_back(std::move(node));
  return static_cast<int>(nodes_.size() - 1);
}

int Compiler::Bytes(int lo, int hi) {
  Node node;
  node.kind = Node::kBytes;
  for (int b = lo; b <= hi; ++b)
    node.bytes[b >> 6] |= std::uint64_t{1} << (b & 63);
  node.size = 1;
  return NewNode(std::move(node));
}

// A literal character: its UTF-8 bytes in sequence, so that a repetition applies to the whole
// character.
bool Compiler::Literal(std::uint32_t code_point, const Flags& flags, std::size_t at, int* out) {
  if (code_point < 0x80) {
    if (flags.fold) {
      CharSet set;
      set.Add(static_cast<int>(code_point));
      set.FoldCase();
      *out = Set(set);
    } else {
      *out = Bytes(static_cast<int>(code_point), static_cast<int>(code_point));
    }
    return true;
  }
  if (flags.fold) {
    return Fail(at, "non-ASCII character " + Quote(at, pos_) +
                        " under (?i) is not supported: case folding is ASCII-only");
  }
  unsigned char utf8[4];
  int length;
  if (code_point < 0x800) {
    utf8[0] = static_cast<unsigned char>(0xC0 | (code_point >> 6));
    length = 2;
  } else if (code_point < 0x10000) {
    utf8[0] = static_cast<unsigned char>(0xE0 | (code_point >> 12));
    length = 3;
  } else {
    utf8[0] = static_cast<unsigned char>(0xF0 | (code_point >> 18));
    length = 4;
  }
  for (int i = 1; i < length; ++i) {
    utf8[i] = static_cast<unsigned char>(0x80 | ((code_point >> (6 * (length - 1 - i))) & 0x3F));
  }
  std::vector<int> bytes;
  for (int i = 0; i < length; ++i)
    bytes.push_back(Bytes(utf8[i], utf8[i]));
  return Sequence(std::move(bytes), Node::kConcat, out);
}

// A character set as bytes. Non-ASCII members are the UTF-8 encodings of U+0080 and above, in
// the same relaxed form RE2 compiles them to (lead byte C2-DF, E0-EF or F0-F4, then 1-3
// continuation bytes; overlong and out-of-range forms from E0 and F4 are not excluded).
int Compiler::Set(const CharSet& set) {
  Node ascii;
  ascii.kind = Node::kBytes;
  ascii.bytes = {set.ascii[0], set.ascii[1], 0, 0};
  ascii.size = 1;
  bool has_ascii = set.ascii[0] != 0 || set.ascii[1] != 0;
  if (!set.non_ascii)
    return NewNode(std::move(ascii));
  std::vector<int> branches;
  if (has_ascii)
    branches.push_back(NewNode(std::move(ascii)));
  const int kLeads[3][2] = {{0xC2, 0xDF}, {0xE0, 0xEF}, {0xF0, 0xF4}};
  for (int n = 0; n < 3; ++n) {
    std::vector<int> seq{Bytes(kLeads[n][0], kLeads[n][1])};
    for (int i = 0; i <= n; ++i)
      seq.push_back(Bytes(0x80, 0xBF));
    int branch;
    Sequence(std::move(seq), Node::kConcat, &branch);  // a few instructions: cannot fail
    branches.push_back(branch);
  }
  int out;
  Sequence(std::move(branches), Node::kAlt, &out);
  return out;
}

bool Compiler::CheckSize(std::uint64_t size, std::size_t at, std::uint32_t* out) {
  if (size > kMaxInst) {
    return Fail(at, "pattern too large: it compiles to more than 5000 instructions");
  }
  *out = static_cast<std::uint32_t>(size);
  return true;
}

bool Compiler::Sequence(std::vector<int> kids, Node::Kind kind, int* out) {
  if (kids.size() == 1) {
    *out = kids[0];
    return true;
  }
  Node node;
  node.kind = kids.empty() ? Node::kEmpty : kind;
  std::uint64_t size = 0;
  for (int kid : kids)
    size += nodes_[kid].size;
  if (kind == Node::kAlt && !kids.empty())
    size += 2 * (kids.size() - 1);  // split + jmp each
  node.kids = std::move(kids);
  if (!CheckSize(size, pos_, &node.size))
    return false;
  *out = NewNode(std::move(node));
  return true;
}

bool Compiler::Repeat(int kid, int min, int max, std::size_t at, int* out) {
  std::uint64_t body = nodes_[kid].size;
  if ((min == 1 && max == 1) || body == 0) {
    // x{1} is x, and repeating a node that matches only the empty string changes nothing.
    *out = kid;
    return true;
  }
  Node node;
  node.kind = Node::kRepeat;
  node.min = min;
  node.max = max;
  node.kids = {kid};
  std::uint64_t size;
  if (max == -1) {
    size = min == 0 ? body + 2 : min * body + 1;  // x* = split x jmp; x{n,} = x{n-1} x+
  } else {
    size = min * body + (max - min) * (body + 1);  // each optional copy: split x
  }
  if (!CheckSize(size, at, &node.size))
    return false;
  *out = NewNode(std::move(node));
  return true;
}

std::uint32_t Compiler::Add(Regex::Inst inst) {
  out_->prog_.push_back(inst);
  return static_cast<std::uint32_t>(out_->prog_.size() - 1);
}

void Compiler::Emit(int index) {
  const Node& node = nodes_[index];
  auto here = [&] { return static_cast<std::uint32_t>(out_->prog_.size()); };
  switch (node.kind) {
    case Node::kEmpty:
      return;
    case Node::kAssert: {
      Regex::Inst inst{Regex::Inst::kAssert};
      inst.lo = node.assertion;
      inst.x = here() + 1;
      Add(inst);
      return;
    }
    case Node::kBytes: {
      // A contiguous range needs no class table entry.
      int lo = -1, hi = -1;
      bool contiguous = true;
      for (int b = 0; b < 256; ++b) {
        if (!((node.bytes[b >> 6] >> (b & 63)) & 1))
          continue;
        if (lo == -1) {
          lo = hi = b;
        } else if (b == hi + 1) {
          hi = b;
        } else {
          contiguous = false;
        }
      }
      Regex::Inst inst{Regex::Inst::kByteRange};
      inst.x = here() + 1;
      if (contiguous && lo != -1) {
        inst.lo = static_cast<std::uint8_t>(lo);
        inst.hi = static_cast<std::uint8_t>(hi);
      } else {
        inst.op = Regex::Inst::kClass;
        std::vector<Regex::ByteBitmap>& classes = out_->classes_;
        std::size_t i = 0;
        while (i < classes.size() && classes[i] != node.bytes)
          ++i;
        if (i == classes.size())
          classes.push_back(node.bytes);
        inst.y = static_cast<std::uint32_t>(i);
      }
      Add(inst);
      return;
    }
    case Node::kConcat:
      for (int kid : node.kids)
        Emit(kid);
      return;
    case Node::kAlt: {
      std::vector<std::uint32_t> jumps;
      for (std::size_t i = 0; i + 1 < node.kids.size(); ++i) {
        std::uint32_t split = Add({Regex::Inst::kSplit});
        out_->prog_[split].x = here();
        Emit(node.kids[i]);
        jumps.push_back(Add({Regex::Inst::kJmp}));
        out_->prog_[split].y = here();
      }
      Emit(node.kids.back());
      for (std::uint32_t jump : jumps)
        out_->prog_[jump].x = here();
      return;
    }
    case Node::kRepeat: {
      int kid = node.kids[0];
      if (node.max == -1 && node.min == 0) {  // L: split L+1, END; x; jmp L; END:
        std::uint32_t split = Add({Regex::Inst::kSplit});
        out_->prog_[split].x = here();
        Emit(kid);
        std::uint32_t jump = Add({Regex::Inst::kJmp});
        out_->prog_[jump].x = split;
        out_->prog_[split].y = here();
        return;
      }
      int copies = node.max == -1 ? node.min - 1 : node.min;
      for (int i = 0; i < copies; ++i)
        Emit(kid);
      if (node.max == -1) {  // L: x; split L, END
        std::uint32_t loop = here();
        Emit(kid);
        std::uint32_t split = Add({Regex::Inst::kSplit});
        out_->prog_[split].x = loop;
        out_->prog_[split].y = here();
        return;
      }
      // Optional copies: split x_i, END; x_i ... Skipping one skips the rest.
      std::vector<std::uint32_t> splits;
      for (int i = node.min; i < node.max; ++i) {
        std::uint32_t split = Add({Regex::Inst::kSplit});
        out_->prog_[split].x = here();
        splits.push_back(split);
        Emit(kid);
      }
      for (std::uint32_t split : splits)
        out_->prog_[split].y = here();
      return;
    }
  }
}

bool Regex::Compile(std::string_view pattern, Regex* out, std::string* error) {
  Compiler compiler(pattern);
  return compiler.Run(out, error);
}

bool Regex::Search(std::string_view text) const {
  return Run(text, false);
}

bool Regex::FullMatch(std::string_view text) const {
  return Run(text, true);
}

bool Regex::AddThread(int which, std::uint32_t pc, std::string_view text, std::size_t pos) const {
  std::vector<std::uint32_t>& dense = dense_[which];
  std::vector<std::uint32_t>& sparse = sparse_[which];
  std::uint32_t& count = count_[which];
  bool matched = false;
  std::size_t top = 0;
  stack_[top++] = pc;
  while (top > 0) {
    pc = stack_[--top];
    std::uint32_t slot = sparse[pc];
    if (slot < count && dense[slot] == pc)
      continue;  // already in the list
    sparse[pc] = count;
    dense[count++] = pc;
    const Inst& inst = prog_[pc];
    switch (inst.op) {
      case Inst::kJmp:
        stack_[top++] = inst.x;
        break;
      case Inst::kSplit:
        stack_[top++] = inst.y;
        stack_[top++] = inst.x;
        break;
      case Inst::kAssert: {
        int before = pos > 0 ? static_cast<unsigned char>(text[pos - 1]) : -1;
        int after = pos < text.size() ? static_cast<unsigned char>(text[pos]) : -1;
        bool holds = false;
        switch (inst.lo) {
          case kBeginText:
            holds = pos == 0;
            break;
          case kEndText:
            holds = pos == text.size();
            break;
          case kBeginLine:
            holds = before == -1 || before == '\n';
            break;
          case kEndLine:
            holds = after == -1 || after == '\n';
            break;
          case kWordBoundary:
          case kNotWordBoundary: {
            bool boundary = IsWordByte(before) != IsWordByte(after);
            holds = boundary == (inst.lo == kWordBoundary);
            break;
          }
        }
        if (holds)
          stack_[top++] = inst.x;
        break;
      }
      case Inst::kMatch:
        matched = true;
        break;
      case Inst::kByteRange:
      case Inst::kClass:
        break;  // waits in the list for the next byte
    }
  }
  return matched;
}

// Thompson NFA simulation: every thread advances in lockstep over the text, each instruction
// at most once per position, so time is O(text * program) and nothing recurses on the text.
bool Regex::Run(std::string_view text, bool full_match) const {
  if (prog_.empty())
    return false;
  int current = 0;
  count_[0] = 0;
  bool matched = false;  // the current list holds the match instruction
  for (std::size_t pos = 0;; ++pos) {
    // Search starts a new thread at every position, which is an implicit leading .*? .
    if (pos == 0 || !full_match)
      matched = AddThread(current, 0, text, pos) || matched;
    if (matched && (!full_match || pos == text.size()))
      return true;
    if (pos == text.size() || count_[current] == 0)
      return false;
    int next = 1 - current;
    count_[next] = 0;
    matched = false;
    unsigned char c = static_cast<unsigned char>(text[pos]);
    for (std::uint32_t i = 0; i < count_[current]; ++i) {
      const Inst& inst = prog_[dense_[current][i]];
      bool step = false;
      if (inst.op == Inst::kByteRange) {
        step = c >= inst.lo && c <= inst.hi;
      } else if (inst.op == Inst::kClass) {
        step = (classes_[inst.y][c >> 6] >> (c & 63)) & 1;
      }
      if (step)
        matched = AddThread(next, inst.x, text, pos + 1) || matched;
    }
    current = next;
  }
}

}  // namespace hfi::re

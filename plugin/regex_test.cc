#include "plugin/regex.h"

#include <gtest/gtest.h>

// libstdc++ 12's <regex> (the reference engine of the differential test) trips a false
// -Wmaybe-uninitialized inside std::function when built with sanitizers.
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"

#include <atomic>
#include <cstdlib>
#include <new>
#include <random>
#include <regex>
#include <string>
#include <vector>

// Counts heap allocations in this test binary, to prove that matching does not allocate.
namespace {
std::atomic<long> g_allocations{0};
}  // namespace

void* operator new(std::size_t size) {
  ++g_allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size))
    return p;
  throw std::bad_alloc();
}
// GCC cannot see that every operator new above comes from malloc once it inlines library code.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void operator delete(void* p) noexcept {
  std::free(p);
}
void operator delete(void* p, std::size_t) noexcept {
  std::free(p);
}
#pragma GCC diagnostic pop

namespace hfi::re {
namespace {

Regex MustCompile(std::string_view pattern) {
  Regex regex;
  std::string error;
  EXPECT_TRUE(Regex::Compile(pattern, &regex, &error)) << pattern << ": " << error;
  return regex;
}

std::string CompileError(std::string_view pattern) {
  Regex regex;
  std::string error;
  if (Regex::Compile(pattern, &regex, &error))
    return "<compiled>";
  return error;
}

struct MatchCase {
  std::string pattern;
  std::string text;
  bool search;  // matches somewhere
  bool full;    // matches the whole text
};

void CheckCases(const std::vector<MatchCase>& cases) {
  for (const MatchCase& c : cases) {
    Regex regex = MustCompile(c.pattern);
    EXPECT_EQ(regex.Search(c.text), c.search)
        << "Search /" << c.pattern << "/ on '" << c.text << "'";
    EXPECT_EQ(regex.FullMatch(c.text), c.full)
        << "FullMatch /" << c.pattern << "/ on '" << c.text << "'";
  }
}

TEST(RegexTest, Literals) {
  CheckCases({
      {"abc", "abc", true, true},
      {"abc", "xabcx", true, false},
      {"abc", "ab", false, false},
      {"abc", "", false, false},
      {"abc", "abxabc", true, false},
      {"aab", "aaab", true, false},
      {"/api/v1", "/api/v1/users", true, false},
      {"a b", "a b", true, true},
      {"]", "]", true, true},
      {"}", "}", true, true},
      {"\xC3\xA9", "caf\xC3\xA9", true, false},  // UTF-8 literal
  });
}

TEST(RegexTest, EmptyPatternAndEmptyAlternatives) {
  CheckCases({
      {"", "", true, true},
      {"", "abc", true, false},
      {"a|", "", true, true},
      {"a|", "a", true, true},
      {"a|", "b", true, false},
      {"|a", "a", true, true},
      {"a||b", "", true, true},
      {"()", "", true, true},
      {"(?:)", "x", true, false},
      {"(|a)+", "aa", true, true},
      {"x(|y)z", "xz", true, true},
      {"x(|y)z", "xyz", true, true},
  });
}

TEST(RegexTest, DotAndUtf8) {
  CheckCases({
      {"a.c", "abc", true, true},
      {"a.c", "a\nc", false, false},
      {"(?s)a.c", "a\nc", true, true},
      {"(?s:.)", "\n", true, true},
      {"a.c",
       "a\xC3\xA9"
       "c",
       true, true},                             // a two-byte character is one '.'
      {"^.$", "\xE2\x82\xAC", true, true},      // three bytes
      {"^.$", "\xF0\x9F\x98\x80", true, true},  // four bytes
      {"^..$", "\xE2\x82\xAC", false, false},
      {"^.$", "\x80", false, false},              // a stray continuation byte is no character
      {"\\C\\C\\C", "\xE2\x82\xAC", true, true},  // \C is any byte
      {"\\C", "\n", true, true},
      {"\xC3\xA9+", "\xC3\xA9\xC3\xA9", true, true},  // repetition applies to the character
      {"\xC3\xA9+", "\xC3\xA9\xA9", true, false},
      {"\\x{e9}", "\xC3\xA9", true, true},  // code point U+00E9, as UTF-8
      {"\\xe9", "\xC3\xA9", true, true},
      {"\\xe9", "\xE9", false, false},
      {"\\x{1F600}", "\xF0\x9F\x98\x80", true, true},
      {".*", "", true, true},
      {".*", "any\xC3\xA9thing", true, true},
      {".*", "two\nlines", true, false},
  });
}

TEST(RegexTest, Escapes) {
  CheckCases({
      {"a\\.c", "a.c", true, true},
      {"a\\.c", "abc", false, false},
      {"\\*\\+\\?\\(\\)\\[\\]\\{\\}\\|\\^\\$\\\\\\/\\-", "*+?()[]{}|^$\\/-", true, true},
      {"\\ ", " ", true, true},
      {"\\t\\n\\r\\f\\v\\a", "\t\n\r\f\v\a", true, true},
      {"\\x41\\x{42}", "AB", true, true},
      {"\\101", "A", true, true},  // octal
      {"\\0", std::string(1, '\0'), true, true},
      {"\\012", "\n", true, true},
      {"\\Qa.b\\E", "a.b", true, true},
      {"\\Qa.b\\E", "axb", false, false},
      {"\\Qab\\E*", "abbb", true, true},  // the repetition applies to the last quoted character
      {"\\Qab\\E*", "abab", true, false},
      {"\\Qa*(", "a*(", true, true},  // \Q without \E quotes to the end
      {"x\\Q\\Ey", "xy", true, true},
  });
}

TEST(RegexTest, Classes) {
  CheckCases({
      {"[abc]+", "abcabc", true, true},
      {"[abc]", "d", false, false},
      {"[a-c]", "b", true, true},
      {"[a-c]", "d", false, false},
      {"[a-cx-z0-2]+", "az0x2", true, true},
      {"[^a-c]", "d", true, true},
      {"[^a-c]", "b", false, false},
      {"[^a]", "\n", true, true},        // negated classes include newline, as in RE2
      {"[^a]", "\xC3\xA9", true, true},  // and one whole non-ASCII character
      {"[^a]", "\xC3", false, false},    // but not a broken one
      {"[]a]", "]", true, true},         // ']' first is a literal
      {"[^]a]", "b", true, true},
      {"[^]a]", "]", false, false},
      {"[a-]", "-", true, true},
      {"[-a]", "-", true, true},
      {"[a\\-z]", "-", true, true},
      {"[a\\-z]", "b", false, false},
      {"[\\d-z]", "-", true, true},  // after a class escape, '-' is a literal
      {"[a-b-c]", "-", true, true},
      {"[.*+?]", "+", true, true},
      {"[.]", "a", false, false},
      {"[\\]]", "]", true, true},
      {"[\\x41-\\x43]+", "ABC", true, true},
      {"[\\n]", "\n", true, true},
      {"[[]", "[", true, true},
      {"[[:alpha:]]+", "abcXYZ", true, true},
      {"[[:alpha:]]", "1", false, false},
      {"[[:digit:][:upper:]]+", "A1B2", true, true},
      {"[[:^digit:]]", "5", false, false},
      {"[[:^digit:]]", "x", true, true},
      {"[^[:digit:]]", "x", true, true},
      {"[[:space:]]", "\v", true, true},
      {"[[:blank:]]", "\n", false, false},
      {"[[:xdigit:]]+", "09afAF", true, true},
      {"[[:xdigit:]]", "g", false, false},
      {"[[:word:]]+", "a_1", true, true},
      {"[[:punct:]]+", "!/:@[`{~", true, true},
      {"[[:upper:]]", "a", false, false},
      {"[[:lower:]]", "a", true, true},
      {"[[:alnum:]]+", "a1Z", true, true},
      {"[[:cntrl:]]", std::string(1, '\0'), true, true},
      {"[[:ascii:]]", "\xC3\xA9", false, false},
      {"[[:print:]]+", " ~", true, true},
      {"[[:graph:]]", " ", false, false},
      {"\\d+", "0123", true, true},
      {"\\d", "a", false, false},
      {"\\D", "5", false, false},
      {"\\D", "\xC3\xA9", true, true},
      {"\\w+", "a_1Z", true, true},
      {"\\w", "-", false, false},
      {"\\W", "-", true, true},
      {"\\s", " ", true, true},
      {"\\s+", "\t\n\f\r ", true, true},
      {"\\s", "\v", false, false},  // RE2's \s has no \v
      {"\\S", "\t", false, false},
      {"\\S", "x", true, true},
      {"[\\d\\s]+", "1 2", true, true},
      {"[\\D]", "\xC3\xA9", true, true},
      {"[^\\D]", "7", true, true},
      {"[^\\D]", "x", false, false},
  });
}

TEST(RegexTest, Anchors) {
  CheckCases({
      {"^abc", "abc", true, true},
      {"^abc", "xabc", false, false},
      {"abc$", "abc", true, true},
      {"abc$", "abcx", false, false},
      {"abc$", "abc\n", false, false},  // $ is the end of the text, not before a final newline
      {"^", "", true, true},
      {"$", "x", true, false},
      {"^$", "", true, true},
      {"^$", "\n", false, false},
      {"a^b", "a^b", false, false},
      {"a$b", "a$b", false, false},
      {"(?m)^b", "a\nb", true, false},
      {"(?m)a$", "a\nb", true, false},
      {"(?m)^a$\\n^b$", "a\nb", true, true},
      {"^b", "a\nb", false, false},
      {"\\Aab\\z", "ab", true, true},
      {"x\\z", "x\n", false, false},
      {"(?m)\\Ab", "a\nb", false, false},  // \A ignores (?m)
      {"^*a", "a", true, true},            // RE2 accepts a repeated empty-width assertion
      {"(^)*a", "ba", true, false},
  });
}

TEST(RegexTest, WordBoundaries) {
  CheckCases({
      {"\\bfoo\\b", "a foo b", true, false},
      {"\\bfoo\\b", "foo", true, true},
      {"\\bfoo\\b", "afoo", false, false},
      {"\\bfoo\\b", "foo_", false, false},
      {"\\Bfoo", "afoo", true, false},
      {"\\Bfoo", "foo", false, false},
      {"\\b", "", false, false},
      {"\\B", "", true, true},
      {"a\\b-", "a-", true, true},
  });
}

TEST(RegexTest, AlternationAndGroups) {
  CheckCases({
      {"cat|dog", "hotdog", true, false},
      {"cat|dog", "cat", true, true},
      {"cat|dog", "catdog", true, false},
      {"a(b|c)d", "acd", true, true},
      {"a(b|c)d", "aed", false, false},
      {"(ab)+", "ababab", true, true},
      {"(ab)+", "aba", true, false},
      {"(?:ab)+", "abab", true, true},
      {"(?P<x>ab)+", "abab", true, true},
      {"(?<year>\\d{4})-(?P<month>\\d\\d)", "2024-05", true, true},
      {"((a|b)(c|d))+", "acbdad", true, true},
      {"(a|ab)(c|bcd)(d*)", "abcd", true, true},
      {"GET|POST|PUT", "PUT", true, true},
      {"^(GET|HEAD)$", "GETX", false, false},
      {"^/api/(v1|v2)/users/[0-9]+$", "/api/v2/users/42", true, true},
      {"^/api/(v1|v2)/users/[0-9]+$", "/api/v3/users/42", false, false},
  });
}

TEST(RegexTest, Quantifiers) {
  CheckCases({
      {"a*", "", true, true},
      {"a*", "aaa", true, true},
      {"a*", "b", true, false},
      {"a+", "", false, false},
      {"a+", "aaa", true, true},
      {"a?", "", true, true},
      {"a?", "a", true, true},
      {"a?", "aa", true, false},
      {"a{3}", "aaa", true, true},
      {"a{3}", "aa", false, false},
      {"a{3}", "aaaa", true, false},
      {"a{2,}", "a", false, false},
      {"a{2,}", "aa", true, true},
      {"a{2,}", "aaaaa", true, true},
      {"a{2,3}", "aaa", true, true},
      {"a{2,3}", "aaaa", true, false},
      {"a{0}", "", true, true},
      {"a{0}", "a", true, false},
      {"a{0,0}b", "b", true, true},
      {"a{0,1}", "a", true, true},
      {"a{0,}", "aaaa", true, true},
      {"a{1}", "a", true, true},
      {"(ab){2}", "abab", true, true},
      {"(ab){2}", "ab", false, false},
      {"x{1000}", std::string(1000, 'x'), true, true},
      {"x{1000}", std::string(999, 'x'), false, false},
      {"x{1000,}", std::string(1500, 'x'), true, true},
      {"x{0,1000}y", std::string(1000, 'x') + "y", true, true},
      {"x{0,1000}y", std::string(1001, 'x') + "y", true, false},
      // Lazy forms: the same yes/no answer as the greedy ones.
      {"a*?", "aaa", true, true},
      {"a+?", "", false, false},
      {"a+?", "aa", true, true},
      {"a??", "a", true, true},
      {"a{2,3}?", "aaa", true, true},
      {"a{2,}?", "a", false, false},
      {"a{2}?", "aa", true, true},
      {"<.+?>", "<a><b>", true, true},
      // A '{' that does not start a counted repetition is a literal, as in RE2.
      {"a{,3}", "a{,3}", true, true},
      {"a{", "a{", true, true},
      {"a{1,2", "a{1,2", true, true},
      {"a{x}", "a{x}", true, true},
      {"{", "{", true, true},
      {"a{1,2}}", "aa}", true, true},
      // Loops whose body can match the empty string.
      {"(a*)*", "aaa", true, true},
      {"(a*)+", "", true, true},
      {"(a*)*b", "aab", true, true},
      {"(a?)*?b", "aab", true, true},
      {"(?:a?){3}", "aa", true, true},
  });
}

TEST(RegexTest, CaseInsensitiveFlags) {
  CheckCases({
      {"(?i)abc", "AbC", true, true},
      {"(?i)[a-c]+", "ABCabc", true, true},
      {"(?i)[^a]", "A", false, false},
      {"(?i)[[:lower:]]", "Q", true, true},
      {"a(?i)b", "aB", true, true},
      {"a(?i)b", "AB", false, false},
      {"(?i:a)b", "Ab", true, true},
      {"(?i:a)b", "AB", false, false},
      {"(?i)a|b", "B", true, true},      // flags last to the end of the group, across '|'
      {"(a(?i)b)c", "aBc", true, true},  // but not beyond it
      {"(a(?i)b)c", "aBC", false, false},
      {"(?i)a(?-i)b", "Ab", true, true},
      {"(?i)a(?-i)b", "AB", false, false},
      {"(?i)\\x41", "a", true, true},
      {"(?i)1", "1", true, true},
      {"(?U)a+", "aaa", true, true},
      {"(?ims-U:^a.b$)", "x\nA\nB", true, false},
  });
}

TEST(RegexTest, PatternsExponentialForBacktrackingStayLinear) {
  const std::string as(30, 'a');
  CheckCases({
      {"(a*)*b", as, false, false},
      {"(a+)+b", as, false, false},
      {"(a|a)*b", as, false, false},
      {"(a|aa)+$", as + "!", false, false},
      {"(x+x+)+y", std::string(30, 'x'), false, false},
      {"(.*a){12}", as, true, true},
      {"^(a?){30}a{30}$", as, true, true},
      {"(\\w+\\s?)*$", "a a a a a a a a a a a a a a a a a a a a a a a a!", true, false},
  });
  // A long request path with a pattern that backtracks on every suffix elsewhere.
  std::string path = "/" + std::string(1 << 20, 'a');
  Regex regex = MustCompile("(a*)*b");
  EXPECT_FALSE(regex.Search(path));
  EXPECT_TRUE(MustCompile("a{5}$").Search(path));
}

struct ErrorCase {
  std::string pattern;
  std::string error;
};

std::string Nested(int depth) {
  return std::string(depth, '(') + "a" + std::string(depth, ')');
}

TEST(RegexTest, RejectedPatternsNameOffsetAndConstruct) {
  const ErrorCase cases[] = {
      // Structure.
      {"(", "offset 0: missing ')' for the group opened here"},
      {"a(b(c)", "offset 1: missing ')' for the group opened here"},
      {"a)", "offset 1: unmatched ')'"},
      {")", "offset 0: unmatched ')'"},
      {"[a", "offset 0: missing ']' for the character class opened here"},
      {"x[]", "offset 1: missing ']' for the character class opened here"},
      {"[^]", "offset 0: missing ']' for the character class opened here"},
      {"[z-a]", "offset 1: invalid character class range 'z-a': the end is below the start"},
      {"[a-\\d]", "offset 1: invalid character class range 'a-\\d'"},
      {"[\n-\x01]",
       "offset 1: invalid character class range '\\x0A-\\x01': the end is below the start"},
      {"[[:foo:]]", "offset 1: invalid character class name '[:foo:]'"},
      {"a\\", "offset 1: trailing '\\' at the end of the pattern"},
      // Repetition.
      {"*a", "offset 0: missing argument to repetition operator '*'"},
      {"+", "offset 0: missing argument to repetition operator '+'"},
      {"a|?", "offset 2: missing argument to repetition operator '?'"},
      {"(*)", "offset 1: missing argument to repetition operator '*'"},
      {"{2}", "offset 0: missing argument to repetition operator '{2}'"},
      {"(?i)*", "offset 4: missing argument to repetition operator '*'"},
      {"\\Q\\E*", "offset 4: missing argument to repetition operator '*'"},
      {"a**", "offset 1: bad repetition operator '**': repetitions cannot be stacked; use a group"},
      {"a*+", "offset 1: bad repetition operator '*+': repetitions cannot be stacked; use a group"},
      {"a*??",
       "offset 1: bad repetition operator '*?"
       "?': repetitions cannot be stacked; use a group"},
      {"a{2}{3}",
       "offset 1: bad repetition operator '{2}{3}': repetitions cannot be stacked; use a group"},
      {"a{2}*",
       "offset 1: bad repetition operator '{2}*': repetitions cannot be stacked; use a group"},
      {"a{1001}", "offset 1: counted repetition '{1001}' exceeds the maximum of 1000"},
      {"a{2,1001}", "offset 1: counted repetition '{2,1001}' exceeds the maximum of 1000"},
      {"a{1001,}", "offset 1: counted repetition '{1001,}' exceeds the maximum of 1000"},
      {"a{99999999999}",
       "offset 1: counted repetition '{99999999999}' exceeds the maximum of 1000"},
      {"a{3,2}", "offset 1: counted repetition '{3,2}' has its maximum below its minimum"},
      // Size limits.
      {"(a{1000}){6}", "offset 9: pattern too large: it compiles to more than 5000 instructions"},
      {"((a{100}){100}){100}",
       "offset 9: pattern too large: it compiles to more than 5000 instructions"},
      {".{1000}", "offset 1: pattern too large: it compiles to more than 5000 instructions"},
      {std::string(5001, 'a'),
       "offset 5000: pattern too large: it compiles to more than 5000 instructions"},
      {Nested(101), "offset 100: groups nested deeper than 100 levels"},
      {std::string(100000, '('), "offset 100: groups nested deeper than 100 levels"},
      // Backreferences and lookaround.
      {"(a)\\1", "offset 3: backreference '\\1' is not supported"},
      {"\\9", "offset 0: backreference '\\9' is not supported"},
      {"(?P<n>a)(?P=n)", "offset 8: named backreference '(?P=' is not supported"},
      {"(?=a)", "offset 0: lookahead '(?=' is not supported"},
      {"a(?!b)", "offset 1: negative lookahead '(?!' is not supported"},
      {"(?<=a)b", "offset 0: lookbehind '(?<=' is not supported"},
      {"(?<!a)b", "offset 0: negative lookbehind '(?<!' is not supported"},
      {"(?R)", "offset 0: recursion '(?R' is not supported"},
      {"(?1)", "offset 0: recursion '(?1' is not supported"},
      // Groups and flags.
      {"(?P<>a)",
       "offset 0: invalid named group '(?P<>': a name is letters, digits or '_' followed by '>'"},
      {"(?<a-b>x)",
       "offset 0: invalid named group '(?<a-': a name is letters, digits or '_' followed by '>'"},
      {"(?P<a>x)(?P<a>y)", "offset 8: duplicate group name 'a'"},
      {"(?x)a", "offset 0: invalid or unsupported group syntax '(?x'"},
      {"(?)", "offset 0: invalid or unsupported group syntax '(?)'"},
      {"(?i-)", "offset 0: invalid or unsupported group syntax '(?i-)'"},
      {"(?i--s)", "offset 0: invalid or unsupported group syntax '(?i--'"},
      {"(?#comment)", "offset 0: invalid or unsupported group syntax '(?#'"},
      {"(?i", "offset 0: invalid or unsupported group syntax '(?i'"},
      // Escapes.
      {"\\pL", "offset 0: Unicode class '\\pL' is not supported"},
      {"\\p{Greek}", "offset 0: Unicode class '\\p{Greek}' is not supported"},
      {"x\\PN", "offset 1: Unicode class '\\PN' is not supported"},
      {"[\\pL]", "offset 1: Unicode class '\\pL' is not supported"},
      {"\\Z", "offset 0: unsupported escape '\\Z'"},
      {"\\G", "offset 0: unsupported escape '\\G'"},
      {"\\K", "offset 0: unsupported escape '\\K'"},
      {"\\X", "offset 0: unsupported escape '\\X'"},
      {"\\R", "offset 0: unsupported escape '\\R'"},
      {"\\cA", "offset 0: unsupported escape '\\c'"},
      {"\\_", "offset 0: unsupported escape '\\_'"},
      {"\\E", "offset 0: unsupported escape '\\E'"},
      {"[\\b]", "offset 1: unsupported escape '\\b' in a character class"},
      {"[\\Q]", "offset 1: unsupported escape '\\Q' in a character class"},
      {"\\\xC3\xA9", "offset 0: unsupported escape '\\\\xC3\\xA9'"},
      {"\\xZ", "offset 0: invalid escape '\\x': expected two hex digits or \\x{...}"},
      {"\\x4", "offset 0: invalid escape '\\x4': expected two hex digits or \\x{...}"},
      {"\\x{}",
       "offset 0: invalid escape '\\x{}': expected \\x{H...} with a code point up to 10FFFF"},
      {"\\x{110000}",
       "offset 0: invalid escape '\\x{110000}': expected \\x{H...} with a code point up to 10FFFF"},
      {"\\x{41",
       "offset 0: invalid escape '\\x{41': expected \\x{H...} with a code point up to 10FFFF"},
      // What the engine cannot do with non-ASCII characters.
      {"[\xC3\xA9]",
       "offset 1: non-ASCII character '\\xC3\\xA9' in a character class is not supported"},
      {"[a-\xC3\xA9]",
       "offset 3: non-ASCII character '\\xC3\\xA9' in a character class is not supported"},
      {"[\\x{e9}]",
       "offset 1: non-ASCII character '\\x{e9}' in a character class is not supported"},
      {"(?i)\xC3\xA9",
       "offset 4: non-ASCII character '\\xC3\\xA9' under (?i) is not supported: case folding is "
       "ASCII-only"},
      {"(?i)\\x{e9}",
       "offset 4: non-ASCII character '\\x{e9}' under (?i) is not supported: case folding is "
       "ASCII-only"},
      // Patterns must be UTF-8, as in RE2.
      {"\xFF", "offset 0: invalid UTF-8 in the pattern"},
      {"a\xC3", "offset 1: invalid UTF-8 in the pattern"},
      {"\xC0\xAF", "offset 0: invalid UTF-8 in the pattern"},
      {"\xED\xA0\x80", "offset 0: invalid UTF-8 in the pattern"},
      {"[\xFF]", "offset 1: invalid UTF-8 in the pattern"},
  };
  for (const ErrorCase& c : cases) {
    EXPECT_EQ(CompileError(c.pattern), c.error) << "pattern: " << c.pattern.substr(0, 60);
  }
}

TEST(RegexTest, LimitsAreInclusive) {
  EXPECT_EQ(MustCompile(Nested(100)).FullMatch("a"), true);
  Regex big = MustCompile(std::string(4999, 'a'));
  EXPECT_EQ(big.program_size(), 5000u);
  EXPECT_TRUE(big.FullMatch(std::string(4999, 'a')));
  EXPECT_EQ(CompileError(std::string(5000, 'a')), "<compiled>");
  EXPECT_EQ(MustCompile("(a{1000}){4}").program_size(), 4001u);
}

TEST(RegexTest, FailedCompileLeavesTheRegexUntouched) {
  Regex regex = MustCompile("keep");
  std::string error;
  EXPECT_FALSE(Regex::Compile("(", &regex, &error));
  EXPECT_EQ(error, "offset 0: missing ')' for the group opened here");
  EXPECT_EQ(regex.pattern(), "keep");
  EXPECT_TRUE(regex.FullMatch("keep"));
  EXPECT_FALSE(Regex::Compile("(", &regex, nullptr));  // a null error pointer is allowed
}

TEST(RegexTest, DefaultRegexMatchesNothingAndCopiesAreIndependent) {
  Regex none;
  EXPECT_FALSE(none.Search(""));
  EXPECT_FALSE(none.FullMatch("x"));
  EXPECT_EQ(none.pattern(), "");
  Regex original = MustCompile("^/a+$");
  Regex copy = original;
  EXPECT_TRUE(copy.FullMatch("/aaa"));
  EXPECT_TRUE(original.FullMatch("/a"));
  EXPECT_FALSE(copy.Search("/ab"));
  EXPECT_EQ(copy.pattern(), "^/a+$");
}

TEST(RegexTest, MatchingDoesNotAllocate) {
  Regex regex = MustCompile("^/api/(v1|v2)/[a-z]+/\\d{1,6}(\\?.*)?$");
  Regex search = MustCompile("(?i)x-fault-[a-z]+|\\bdelay\\b");
  std::string long_path = "/" + std::string(10000, 'q');
  bool results[6];
  long before = g_allocations.load();
  results[0] = regex.FullMatch("/api/v1/users/123");
  results[1] = regex.FullMatch("/api/v3/users/123");
  results[2] = regex.Search(long_path);
  results[3] = search.Search("header X-FAULT-abort");
  results[4] = search.Search(long_path);
  results[5] = search.FullMatch("");
  long after = g_allocations.load();
  EXPECT_EQ(after - before, 0);
  EXPECT_TRUE(results[0]);
  EXPECT_FALSE(results[1]);
  EXPECT_FALSE(results[2]);
  EXPECT_TRUE(results[3]);
  EXPECT_FALSE(results[4]);
  EXPECT_FALSE(results[5]);
  // The counter itself works: compiling allocates.
  MustCompile("a");
  EXPECT_GT(g_allocations.load(), after);
}

// Differential test against std::regex (ECMAScript) on patterns from the syntax both engines
// read the same way: ASCII literals, '.', simple classes, \d \w \s, groups, alternation, every
// quantifier (greedy and lazy), anchors at the ends and \b. Texts avoid '\r' and '\v', which
// '.' and \s treat differently in ECMAScript.
class PatternGenerator {
 public:
  explicit PatternGenerator(std::uint32_t seed) : random_(seed) {}

  std::string Pattern() {
    std::string p;
    if (Pick(4) == 0)
      p += "^";
    p += Alternation(0);
    if (Pick(4) == 0)
      p += "$";
    return p;
  }

  std::string Text() {
    static const char kAlphabet[] = "abc1 _\n-";
    std::string text;
    int length = Pick(9);
    for (int i = 0; i < length; ++i)
      text += kAlphabet[Pick(sizeof kAlphabet - 1)];
    return text;
  }

 private:
  // mt19937's output is fixed by the standard, so the cases are the same everywhere
  // (std::uniform_int_distribution's are not).
  int Pick(int n) { return static_cast<int>(random_() % static_cast<std::uint32_t>(n)); }

  std::string Alternation(int depth) {
    std::string p = Concat(depth);
    while (Pick(4) == 0)
      p += "|" + Concat(depth);
    return p;
  }

  std::string Concat(int depth) {
    std::string p;
    int pieces = Pick(8) == 0 ? 0 : 1 + Pick(3);  // empty alternatives now and then
    for (int i = 0; i < pieces; ++i)
      p += Piece(depth);
    return p;
  }

  std::string Piece(int depth) {
    static const char* const kQuantifiers[] = {"*",     "+",    "?",    "{2}",
                                               "{1,2}", "{0,}", "{2,}", "{0,1}"};
    std::string atom = Atom(depth);
    bool assertion = atom == "\\b" || atom == "\\B";  // ECMAScript cannot repeat these
    if (!assertion && Pick(3) == 0) {
      atom += kQuantifiers[Pick(8)];
      if (Pick(3) == 0)
        atom += "?";
    }
    return atom;
  }

  std::string Atom(int depth) {
    static const char* const kAtoms[] = {
        "a",   "b",    "c",    "1",     " ",       ".",      "-",   "\\d", "\\w", "\\s", "\\D",
        "\\W", "[ab]", "[^a]", "[a-c]", "[^b-c1]", "[\\d_]", "\\.", "\\b", "\\B", "[-a]"};
    int choice = Pick(depth < 2 ? 26 : 21);
    if (choice < 21)
      return kAtoms[choice];
    if (choice < 24)
      return "(" + Alternation(depth + 1) + ")";
    return "(?:" + Alternation(depth + 1) + ")";
  }

  std::mt19937 random_;
};

TEST(RegexTest, AgreesWithStdRegexOnSharedSyntax) {
  PatternGenerator generator(20240601);
  int compared = 0, searched_true = 0, full_true = 0;
  for (int i = 0; i < 400; ++i) {
    std::string pattern = generator.Pattern();
    Regex ours = MustCompile(pattern);
    std::regex theirs(pattern, std::regex::ECMAScript);
    for (int j = 0; j < 6; ++j) {
      std::string text = generator.Text();
      bool search = std::regex_search(text, theirs);
      bool full = std::regex_match(text, theirs);
      EXPECT_EQ(ours.Search(text), search) << "Search /" << pattern << "/ on '" << text << "'";
      EXPECT_EQ(ours.FullMatch(text), full) << "FullMatch /" << pattern << "/ on '" << text << "'";
      ++compared;
      searched_true += search;
      full_true += full;
    }
  }
  EXPECT_EQ(compared, 2400);
  // Both answers occur often enough for the comparison to mean something.
  EXPECT_GT(searched_true, 400);
  EXPECT_LT(searched_true, 2000);
  EXPECT_GT(full_true, 100);
  EXPECT_LT(full_true, 2000);
}

}  // namespace
}  // namespace hfi::re

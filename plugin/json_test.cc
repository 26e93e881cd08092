#include "plugin/json.h"

#include <gtest/gtest.h>

#include <clocale>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <string>
#include <vector>

namespace hfi::json {
namespace {

Value MustParse(std::string_view text) {
  Value value;
  std::string error;
  EXPECT_TRUE(Parse(text, &value, &error)) << text.substr(0, 200) << ": " << error;
  return value;
}

std::string ErrorOf(std::string_view text) {
  Value value;
  std::string error;
  if (Parse(text, &value, &error))
    return "<parsed>";
  return error;
}

TEST(JsonTest, Scalars) {
  EXPECT_EQ(MustParse("null").type, Type::kNull);
  Value t = MustParse("true");
  EXPECT_EQ(t.type, Type::kBool);
  EXPECT_TRUE(t.boolean);
  Value f = MustParse(" \t\r\nfalse\n");
  EXPECT_EQ(f.type, Type::kBool);
  EXPECT_FALSE(f.boolean);
  Value s = MustParse(R"("hello")");
  EXPECT_EQ(s.type, Type::kString);
  EXPECT_EQ(s.string, "hello");
}

struct NumberCase {
  const char* text;
  double value;
};

TEST(JsonTest, Numbers) {
  const NumberCase cases[] = {
      {"0", 0},
      {"-0", -0.0},
      {"7", 7},
      {"-12", -12},
      {"100", 100},
      {"3.25", 3.25},
      {"-0.5", -0.5},
      {"1e3", 1000},
      {"1E3", 1000},
      {"1e+3", 1000},
      {"25e-1", 2.5},
      {"0.1", 0.1},
      {"30000", 30000},
      {"18446744073709551616", 18446744073709551616.0},
      {"1.7976931348623157e308", std::numeric_limits<double>::max()},
      {"5e-324", std::numeric_limits<double>::denorm_min()},
      {"1e-400", 0},  // underflow reads as zero
      {"-1e-400", -0.0},
      {"0.000000000000000000000000000000000000000000000000000000000000001", 1e-63},
  };
  for (const NumberCase& c : cases) {
    Value v = MustParse(c.text);
    EXPECT_EQ(v.type, Type::kNumber) << c.text;
    EXPECT_EQ(v.number, c.value) << c.text;
    EXPECT_EQ(std::signbit(v.number), std::signbit(c.value)) << c.text;
  }
}

// Switches LC_NUMERIC to a locale whose decimal separator is ','. Debian ships the definitions
// but compiles few locales, so one is compiled into a temporary directory when none is installed.
bool UseCommaLocale() {
  auto try_locale = [] {
    for (const char* name : {"de_DE.UTF-8", "fr_FR.UTF-8", "de_DE", "fr_FR"}) {
      if (std::setlocale(LC_NUMERIC, name) != nullptr &&
          std::string(std::localeconv()->decimal_point) == ",") {
        return true;
      }
    }
    return false;
  };
  if (try_locale())
    return true;
  std::string dir = testing::TempDir() + "hfi_json_locale";
  std::string command = "mkdir -p '" + dir + "' && localedef -i de_DE -f UTF-8 '" + dir +
                        "/de_DE.UTF-8' >/dev/null 2>&1";
  if (std::system(command.c_str()) != 0)
    return false;
  setenv("LOCPATH", dir.c_str(), 1);
  return try_locale();
}

TEST(JsonTest, NumbersIgnoreTheLocale) {
  std::string previous = std::setlocale(LC_NUMERIC, nullptr);
  if (!UseCommaLocale())
    GTEST_SKIP() << "no locale with ',' as decimal point available";
  // The C library now reads "3.25" as 3: proof that the locale is in effect.
  double locale_read = std::strtod("3.25", nullptr);
  Value v = MustParse("[3.25, 1e2, -0.5, 2.5e-1]");
  std::setlocale(LC_NUMERIC, previous.c_str());
  EXPECT_EQ(locale_read, 3);
  ASSERT_EQ(v.items.size(), 4u);
  EXPECT_EQ(v.items[0].number, 3.25);
  EXPECT_EQ(v.items[1].number, 100);
  EXPECT_EQ(v.items[2].number, -0.5);
  EXPECT_EQ(v.items[3].number, 0.25);
}

struct StringCase {
  const char* json;
  std::string value;
};

TEST(JsonTest, StringEscapesAndUtf8) {
  const StringCase cases[] = {
      {R"("")", ""},
      {R"("a\"b")", "a\"b"},
      {R"("a\\b")", "a\\b"},
      {R"("a\/b")", "a/b"},
      {R"("\b\f\n\r\t")", "\b\f\n\r\t"},
      {R"("\u0041")", "A"},
      {R"("\u0000")", std::string(1, '\0')},
      {R"("\u00e9")", "\xC3\xA9"},
      {R"("\u00E9")", "\xC3\xA9"},
      {R"("\u20AC")", "\xE2\x82\xAC"},
      {R"("\uFFFF")", "\xEF\xBF\xBF"},
      {R"("\uD83D\uDE00")", "\xF0\x9F\x98\x80"},  // U+1F600, a surrogate pair
      {R"("\uDBFF\uDFFF")", "\xF4\x8F\xBF\xBF"},  // U+10FFFF
      {"\"\xC3\xA9\"", "\xC3\xA9"},               // raw UTF-8 passes through
      {"\"\xE2\x82\xAC\"", "\xE2\x82\xAC"},
      {"\"\xF0\x9F\x98\x80\"", "\xF0\x9F\x98\x80"},
      {"\"\x7F\"", "\x7F"},  // DEL is not a control character in RFC 8259
  };
  for (const StringCase& c : cases) {
    Value v = MustParse(c.json);
    EXPECT_EQ(v.type, Type::kString) << c.json;
    EXPECT_EQ(v.string, c.value) << c.json;
  }
}

TEST(JsonTest, ArraysAndObjects) {
  Value v = MustParse(R"({"policies": [ {"a": 1, "b": [true, null, "x"]}, [], {} ], "n": -1})");
  ASSERT_EQ(v.type, Type::kObject);
  ASSERT_EQ(v.members.size(), 2u);
  EXPECT_EQ(v.members[0].first, "policies");
  EXPECT_EQ(v.members[1].first, "n");
  const Value* policies = v.Find("policies");
  ASSERT_NE(policies, nullptr);
  ASSERT_EQ(policies->type, Type::kArray);
  ASSERT_EQ(policies->items.size(), 3u);
  const Value& first = policies->items[0];
  ASSERT_NE(first.Find("a"), nullptr);
  EXPECT_EQ(first.Find("a")->number, 1);
  const Value* b = first.Find("b");
  ASSERT_NE(b, nullptr);
  ASSERT_EQ(b->items.size(), 3u);
  EXPECT_EQ(b->items[0].type, Type::kBool);
  EXPECT_EQ(b->items[1].type, Type::kNull);
  EXPECT_EQ(b->items[2].string, "x");
  EXPECT_EQ(policies->items[1].type, Type::kArray);
  EXPECT_TRUE(policies->items[1].items.empty());
  EXPECT_EQ(policies->items[2].type, Type::kObject);
  EXPECT_TRUE(policies->items[2].members.empty());
  EXPECT_EQ(v.Find("n")->number, -1);
  EXPECT_EQ(v.Find("missing"), nullptr);
  EXPECT_EQ(policies->Find("a"), nullptr);  // not an object
}

TEST(JsonTest, KeysWithEscapesAreDecoded) {
  Value v = MustParse(R"({"a\u0062": 1, "\u00e9": 2})");
  EXPECT_NE(v.Find("ab"), nullptr);
  EXPECT_NE(v.Find("\xC3\xA9"), nullptr);
}

TEST(JsonTest, ByteOrderMarkIsIgnored) {
  Value v = MustParse("\xEF\xBB\xBF{\"a\": 1}");
  EXPECT_EQ(v.Find("a")->number, 1);
}

std::string Nested(int depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

TEST(JsonTest, NestingUpTo64LevelsIsAccepted) {
  Value v = MustParse(Nested(64));
  int depth = 0;
  const Value* at = &v;
  while (at->type == Type::kArray) {
    ++depth;
    if (at->items.empty())
      break;
    at = &at->items[0];
  }
  EXPECT_EQ(depth, 64);
  std::string objects;
  for (int i = 0; i < 64; ++i)
    objects += "{\"k\":";
  objects += "0" + std::string(64, '}');
  EXPECT_EQ(MustParse(objects).type, Type::kObject);
}

TEST(JsonTest, LargeObjectsFindDuplicatesWithoutQuadraticCost) {
  std::string members;
  for (int i = 0; i < 20000; ++i) {
    members += "\"k" + std::to_string(i) + "\":" + std::to_string(i) + ",";
  }
  std::string error = ErrorOf("{" + members + "\"k17\":0}");
  EXPECT_EQ(error.substr(error.find(": ") + 2), "duplicate key 'k17'");
  Value v = MustParse("{" + members + "\"last\":0}");
  EXPECT_EQ(v.members.size(), 20001u);
  ASSERT_NE(v.Find("k19999"), nullptr);
  EXPECT_EQ(v.Find("k19999")->number, 19999);
}

struct ErrorCase {
  std::string text;
  const char* error;
};

TEST(JsonTest, ErrorsNameLineColumnAndCause) {
  const ErrorCase cases[] = {
      // Structure.
      {"", "line 1, column 1: expected a value, found end of input"},
      {"   ", "line 1, column 4: expected a value, found end of input"},
      {"{", "line 1, column 2: expected an object key (a string), found end of input"},
      {"[", "line 1, column 2: expected a value, found end of input"},
      {"[1", "line 1, column 3: expected ',' or ']' after array element, found end of input"},
      {"[1 2]", "line 1, column 4: expected ',' or ']' after array element, found '2'"},
      {"{\"a\"}", "line 1, column 5: expected ':' after object key"},
      {"{\"a\" 1}", "line 1, column 6: expected ':' after object key"},
      {"{\"a\":}", "line 1, column 6: expected a value, found '}'"},
      {"{\"a\":1 \"b\":2}",
       "line 1, column 8: expected ',' or '}' after object member, found '\"'"},
      {"{a:1}", "line 1, column 2: expected an object key (a string), found 'a'"},
      {"{'a':1}", "line 1, column 2: expected an object key (a string), found '''"},
      {"{1:1}", "line 1, column 2: expected an object key (a string), found '1'"},
      {"{,}", "line 1, column 2: expected an object key (a string), found ','"},
      {"[,]", "line 1, column 2: expected a value, found ','"},
      // Trailing commas.
      {"[1,]", "line 1, column 4: trailing comma before ']'"},
      {"[1, ]", "line 1, column 5: trailing comma before ']'"},
      {"{\"a\":1,}", "line 1, column 8: trailing comma before '}'"},
      {"{\"a\":1,\n}", "line 2, column 1: trailing comma before '}'"},
      // Trailing garbage.
      {"1 2", "line 1, column 3: expected end of input after the value, found '2'"},
      {"{} x", "line 1, column 4: expected end of input after the value, found 'x'"},
      {"[]]", "line 1, column 3: expected end of input after the value, found ']'"},
      {"null\n\nnull", "line 3, column 1: expected end of input after the value, found 'null'"},
      {std::string("1\0", 2),
       "line 1, column 2: expected end of input after the value, found '\\x00'"},
      // Literals, NaN and Infinity.
      {"tru", "line 1, column 1: expected a value, found 'tru'"},
      {"True", "line 1, column 1: expected a value, found 'True'"},
      {"nullx", "line 1, column 1: expected a value, found 'nullx'"},
      {"NaN", "line 1, column 1: expected a value, found 'NaN'"},
      {"Infinity", "line 1, column 1: expected a value, found 'Infinity'"},
      {"-Infinity", "line 1, column 2: expected a digit after '-', found 'Infinity'"},
      {"[nan]", "line 1, column 2: expected a value, found 'nan'"},
      // Numbers.
      {"01", "line 1, column 1: leading zeros are not allowed"},
      {"-01", "line 1, column 2: leading zeros are not allowed"},
      {"00", "line 1, column 1: leading zeros are not allowed"},
      {"+1", "line 1, column 1: expected a value, found '+'"},
      {"-", "line 1, column 2: expected a digit after '-', found end of input"},
      {".5", "line 1, column 1: expected a value, found '.'"},
      {"1.", "line 1, column 3: expected a digit after '.', found end of input"},
      {"1.e3", "line 1, column 3: expected a digit after '.', found 'e'"},
      {"1e", "line 1, column 3: expected a digit in the exponent, found end of input"},
      {"1e+", "line 1, column 4: expected a digit in the exponent, found end of input"},
      {"0x10", "line 1, column 2: expected end of input after the value, found 'x'"},
      {"1e400", "line 1, column 1: number '1e400' is out of range"},
      {"[-1e99999999999999999999]",
       "line 1, column 2: number '-1e99999999999999999999' is out of range"},
      // Strings.
      {"\"abc", "line 1, column 1: unterminated string"},
      {"[\"a\\", "line 1, column 4: unterminated string"},
      {"\"a\nb\"", "line 1, column 3: control character 0x0A in a string must be escaped"},
      {"\"a\tb\"", "line 1, column 3: control character 0x09 in a string must be escaped"},
      {std::string("\"\0\"", 3),
       "line 1, column 2: control character 0x00 in a string must be escaped"},
      {"\"\x1F\"", "line 1, column 2: control character 0x1F in a string must be escaped"},
      {R"("\x41")", "line 1, column 2: invalid escape '\\x' in a string"},
      {R"("\a")", "line 1, column 2: invalid escape '\\a' in a string"},
      {R"("\U0041")", "line 1, column 2: invalid escape '\\U' in a string"},
      {R"("\u12")", "line 1, column 2: \\u escape needs 4 hex digits"},
      {R"("\u12G4")", "line 1, column 2: \\u escape needs 4 hex digits"},
      {R"("\u)", "line 1, column 2: \\u escape needs 4 hex digits"},
      {R"("\uD800")", "line 1, column 2: unpaired surrogate '\\uD800'"},
      {R"("\uD800x")", "line 1, column 2: unpaired surrogate '\\uD800'"},
      {R"("\uD800\n")", "line 1, column 2: unpaired surrogate '\\uD800'"},
      {R"("\uD800\u0041")", "line 1, column 2: unpaired surrogate '\\uD800'"},
      {R"("\uD800\uD800")", "line 1, column 2: unpaired surrogate '\\uD800'"},
      {R"("\uDC00")", "line 1, column 2: unpaired surrogate '\\uDC00'"},
      {R"("\uD800\u12")", "line 1, column 8: \\u escape needs 4 hex digits"},
      // Invalid UTF-8 (RFC 3629): stray continuation, overlong, surrogate, too large, truncated.
      {"\"\x80\"", "line 1, column 2: invalid UTF-8 in a string"},
      {"\"\xC0\xAF\"", "line 1, column 2: invalid UTF-8 in a string"},
      {"\"\xC1\xBF\"", "line 1, column 2: invalid UTF-8 in a string"},
      {"\"\xE0\x80\xAF\"", "line 1, column 2: invalid UTF-8 in a string"},
      {"\"\xED\xA0\x80\"", "line 1, column 2: invalid UTF-8 in a string"},
      {"\"\xF0\x80\x80\xAF\"", "line 1, column 2: invalid UTF-8 in a string"},
      {"\"\xF4\x90\x80\x80\"", "line 1, column 2: invalid UTF-8 in a string"},
      {"\"\xF5\x80\x80\x80\"", "line 1, column 2: invalid UTF-8 in a string"},
      {"\"\xFF\"", "line 1, column 2: invalid UTF-8 in a string"},
      {"\"ab\xC3\"", "line 1, column 4: invalid UTF-8 in a string"},
      {"\"\xE2\x82\"", "line 1, column 2: invalid UTF-8 in a string"},
      {"\"\xC3", "line 1, column 2: invalid UTF-8 in a string"},
      {"\xC3\xA9", "line 1, column 1: expected a value, found '\\xC3'"},
      // Duplicate keys, also when spelled differently.
      {R"({"a":1,"a":2})", "line 1, column 8: duplicate key 'a'"},
      {"{\"name\": 1,\n \"x\": {\"name\": 2},\n \"name\": 3}",
       "line 3, column 2: duplicate key 'name'"},
      {R"({"ab":1,"a\u0062":2})", "line 1, column 9: duplicate key 'ab'"},
      {R"({"a\n":1,"a\n":2})", "line 1, column 10: duplicate key 'a\\x0A'"},
      // Nesting.
      {Nested(65), "line 1, column 65: nesting deeper than 64 levels"},
      {"[" + Nested(64) + "]", "line 1, column 65: nesting deeper than 64 levels"},
      {std::string(100000, '['), "line 1, column 65: nesting deeper than 64 levels"},
      {"{\"a\":" + Nested(64) + "}", "line 1, column 69: nesting deeper than 64 levels"},
  };
  for (const ErrorCase& c : cases) {
    EXPECT_EQ(ErrorOf(c.text), c.error) << "input: " << c.text;
  }
}

TEST(JsonTest, LongTokensAreShortenedInErrors) {
  std::string key(100, 'k');
  std::string text = "{\"" + key + "\":1,\"" + key + "\":2}";
  EXPECT_EQ(ErrorOf(text), "line 1, column 107: duplicate key '" + std::string(40, 'k') + "...'");
}

TEST(JsonTest, FailureLeavesTheOutputUntouched) {
  Value value = MustParse(R"({"keep": true})");
  std::string error;
  EXPECT_FALSE(Parse(R"({"keep": false,})", &value, &error));
  EXPECT_EQ(error, "line 1, column 16: trailing comma before '}'");
  ASSERT_NE(value.Find("keep"), nullptr);
  EXPECT_TRUE(value.Find("keep")->boolean);
  EXPECT_FALSE(Parse("[", &value, nullptr));  // a null error pointer is allowed
}

TEST(JsonTest, TypeNames) {
  EXPECT_STREQ(TypeName(Type::kNull), "null");
  EXPECT_STREQ(TypeName(Type::kBool), "boolean");
  EXPECT_STREQ(TypeName(Type::kNumber), "number");
  EXPECT_STREQ(TypeName(Type::kString), "string");
  EXPECT_STREQ(TypeName(Type::kArray), "array");
  EXPECT_STREQ(TypeName(Type::kObject), "object");
}

}  // namespace
}  // namespace hfi::json

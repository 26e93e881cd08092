#include "render/yaml_guard.h"

#include <gtest/gtest.h>
#include <yaml-cpp/exceptions.h>

#include <string>

namespace hfi::render {
namespace {

void ExpectSecondAt(const std::string& text, std::size_t line, std::size_t column, char first) {
  SCOPED_TRACE(text);
  const auto at = FindSecondDocument(text);
  ASSERT_TRUE(at.has_value());
  EXPECT_EQ(at->line, line);
  EXPECT_EQ(at->column, column);
  ASSERT_LT(at->offset, text.size());
  EXPECT_EQ(text[at->offset], first);
}

void ExpectOneDocument(const std::string& text) {
  EXPECT_FALSE(FindSecondDocument(text).has_value()) << text;
}

// The shapes on which yaml-cpp 0.7's LoadAll never returns: a ',' token where a block node would
// be. Each must come back, pointing at the comma.
TEST(FindSecondDocument, CommaTokensOutsideFlowCollections) {
  ExpectSecondAt(",\n", 1, 1, ',');
  ExpectSecondAt("  ,x\n", 1, 3, ',');
  ExpectSecondAt("# comment\n,\n", 2, 1, ',');
  ExpectSecondAt("a: 1\n...\n,\n", 3, 1, ',');
  ExpectSecondAt("&a ,\n", 1, 4, ',');
  ExpectSecondAt("!!map ,\n", 1, 7, ',');
  ExpectSecondAt("\"x\" ,\n", 1, 5, ',');
  ExpectSecondAt("'x' ,\n", 1, 5, ',');
  ExpectSecondAt("[a] ,\n", 1, 5, ',');
  // A plain scalar at the top goes on over lines at any indentation, so the quote on line 2 is text
  // and the ',' after the comment is a token (values_fuzz, twice).
  ExpectSecondAt("l\n\"'& # OCIe    kind: oc dginName: hfi\n  ,phast-\n", 3, 3, ',');
  ExpectSecondAt("l\n  '& # OCIe   kind: oc dginName: hfi\n    ,phast-injion\n", 3, 5, ',');
}

TEST(FindSecondDocument, ExplicitSecondDocuments) {
  ExpectSecondAt("a: 1\n---\nb: 2\n", 2, 1, '-');
  ExpectSecondAt("a: 1\n---\n", 2, 1, '-');
}

// Commas that belong to something: flow collections, quoted and plain scalars, comments, block
// scalars; every values file the project ships is among these.
TEST(FindSecondDocument, OneDocumentWithCommas) {
  ExpectOneDocument("namespace: demo\nselector: {app: frontend, tier: web}\n");
  ExpectOneDocument("workloads: [deployment/a, deployment/b]\n");
  ExpectOneDocument("nested: [{a: 1, b: [2, 3]}, x]\n");
  ExpectOneDocument("url: http://h/p?a=1,b=2\n");
  ExpectOneDocument("name: x, y\n");
  ExpectOneDocument("quoted: \",\"\nsingle: ',' \nescaped: \"\\\",\"\nsq: 'it''s, ok'\n");
  ExpectOneDocument("# a, comment\nkey: value # another, comment\n");
  ExpectOneDocument("text: |\n  ,starts with a comma\n  , and again\nnext: 1\n");
  ExpectOneDocument("folded: >-\n    , folded\nnext: 1\n");
  ExpectOneDocument("%YAML 1.2\n---\na: b\n");
  ExpectOneDocument("- a, b\n- c\n");
  ExpectOneDocument("key: a long\n  'continued, line\nnext: 1\n");
  ExpectOneDocument("key: 'quoted, across\n  lines, too'\nnext: 1\n");
  ExpectOneDocument("");
}

TEST(FindSecondDocument, ParseErrorsInTheFirstDocumentAreThrown) {
  EXPECT_THROW(FindSecondDocument("a: [b\n"), YAML::ParserException);
  EXPECT_THROW(FindSecondDocument("- ,\n"), YAML::ParserException);
  EXPECT_THROW(FindSecondDocument("? a\n: b\n, c\n"), YAML::ParserException);
}

TEST(FindControlCharacter, OnlyTabLineFeedAndCarriageReturnPass) {
  EXPECT_FALSE(FindControlCharacter("a:\tb\r\nc: d\n").has_value());
  EXPECT_FALSE(FindControlCharacter("name: caf\xc3\xa9\n").has_value());
  const auto nul = FindControlCharacter(std::string("a: 1\nb\0: 2\n", 11));
  ASSERT_TRUE(nul.has_value());
  EXPECT_EQ(nul->line, 2u);
  EXPECT_EQ(nul->column, 2u);
  EXPECT_EQ(nul->offset, 6u);
  EXPECT_TRUE(FindControlCharacter("\x7f").has_value());
  EXPECT_TRUE(FindControlCharacter("\x01").has_value());
}

}  // namespace
}  // namespace hfi::render

#include "render/yaml_guard.h"

#include <gtest/gtest.h>

#include <string>

namespace hfi::render {
namespace {

void ExpectStray(const std::string& text, std::size_t line, std::size_t column) {
  SCOPED_TRACE(text);
  const auto at = FindStrayComma(text);
  ASSERT_TRUE(at.has_value());
  EXPECT_EQ(at->line, line);
  EXPECT_EQ(at->column, column);
}

void ExpectClean(const std::string& text) {
  EXPECT_FALSE(FindStrayComma(text).has_value()) << text;
}

// The shapes that make yaml-cpp 0.7 loop: a ',' token where a block node would be.
TEST(FindStrayComma, CommaTokensOutsideFlowCollections) {
  ExpectStray(",\n", 1, 1);
  ExpectStray("  ,x\n", 1, 3);
  ExpectStray("# comment\n,\n", 2, 1);
  ExpectStray("---\n,\n", 2, 1);
  ExpectStray("--- ,\n", 1, 5);
  ExpectStray("a: 1\n---\n,\n", 3, 1);
  ExpectStray("a: 1\n...\n,\n", 3, 1);
  ExpectStray("&a ,\n", 1, 4);
  ExpectStray("!!map ,\n", 1, 7);
  ExpectStray("\"x\" ,\n", 1, 5);
  ExpectStray("'x' ,\n", 1, 5);
  ExpectStray("[a] ,\n", 1, 5);
  ExpectStray("a: ,\n", 1, 4);
  ExpectStray("- ,\n", 1, 3);
  ExpectStray(std::string("&\x01\0\0y\x01\0,,,\n *a\n", 13), 1, 8);
  // A quote that starts a deeper-indented line continues a plain scalar: it is text, not the
  // start of a quoted scalar that would hide the ',' token after the comment (values_fuzz).
  ExpectStray("l\n  '& # OCIe   kind: oc dginName: hfi\n    ,phast-injion\n", 3, 5);
  ExpectStray("key: a\n  \"b # note\n  ,\n", 3, 3);
}

// Commas that belong to something: flow collections, quoted and plain scalars, comments, block
// scalars; every values file the project ships is among these.
TEST(FindStrayComma, CommasThatBelongToSomething) {
  ExpectClean("namespace: demo\nselector: {app: frontend, tier: web}\n");
  ExpectClean("workloads: [deployment/a, deployment/b]\n");
  ExpectClean("nested: [{a: 1, b: [2, 3]}, x]\n");
  ExpectClean("url: http://h/p?a=1,b=2\n");
  ExpectClean("name: x, y\n");
  ExpectClean("quoted: \",\"\nsingle: ',' \nescaped: \"\\\",\"\nsq: 'it''s, ok'\n");
  ExpectClean("# a, comment\nkey: value # another, comment\n");
  ExpectClean("text: |\n  ,starts with a comma\n  , and again\nnext: 1\n");
  ExpectClean("folded: >-\n    , folded\nnext: 1\n");
  ExpectClean("%YAML 1.2\n---\na: b\n");
  ExpectClean("- a, b\n- c\n");
  ExpectClean("key: a long\n  'continued, line\nnext: 1\n");
  ExpectClean("key: 'quoted, across\n  lines, too'\nnext: 1\n");
  ExpectClean("");
}

TEST(FindControlCharacter, OnlyTabLineFeedAndCarriageReturnPass) {
  EXPECT_FALSE(FindControlCharacter("a:\tb\r\nc: d\n").has_value());
  EXPECT_FALSE(FindControlCharacter("name: caf\xc3\xa9\n").has_value());
  const auto nul = FindControlCharacter(std::string("a: 1\nb\0: 2\n", 11));
  ASSERT_TRUE(nul.has_value());
  EXPECT_EQ(nul->line, 2u);
  EXPECT_EQ(nul->column, 2u);
  EXPECT_TRUE(FindControlCharacter("\x7f").has_value());
  EXPECT_TRUE(FindControlCharacter("\x01").has_value());
}

}  // namespace
}  // namespace hfi::render

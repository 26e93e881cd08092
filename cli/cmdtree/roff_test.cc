#include "cmdtree/roff.h"

#include <gtest/gtest.h>

namespace hfi::cmdtree {
namespace {

TEST(Roff, EscapesBackslashesAndHyphens) {
  EXPECT_EQ(RoffText("--file a\\b"), "\\-\\-file a\\eb");
  EXPECT_EQ(RoffLiteral("x-y"), "x\\-y");
}

TEST(Roff, SetsCodeSpansInBold) {
  EXPECT_EQ(RoffText("run `kubectl get pods` now"), "run \\fBkubectl get pods\\fR now");
  EXPECT_EQ(RoffText("a lone ` stays"), "a lone ` stays");
  EXPECT_EQ(RoffText("`a` and `b` and `c"), "\\fBa\\fR and \\fBb\\fR and `c");
  EXPECT_EQ(RoffLiteral("`kept`"), "`kept`");
}

TEST(Roff, GuardsControlCharactersAtTheStart) {
  EXPECT_EQ(RoffText(".hidden"), "\\&.hidden");
  EXPECT_EQ(RoffText("'quoted'"), "\\&'quoted'");
  EXPECT_EQ(RoffText("not .here"), "not .here");
}

TEST(Roff, WritesNonAsciiAsNamedCodePoints) {
  EXPECT_EQ(RoffText("a \xE2\x89\xA5 1"), "a \\[u2265] 1");         // ≥
  EXPECT_EQ(RoffText("\xC3\xA9t\xC3\xA9"), "\\[u00E9]t\\[u00E9]");  // été
  EXPECT_EQ(RoffText("bad \xFF byte"), "bad \\[uFFFD] byte");
  EXPECT_EQ(RoffText("cut \xE2\x89"), "cut \\[uFFFD]\\[uFFFD]");
}

TEST(Roff, LetsVeryLongWordsBreakAfterPunctuation) {
  EXPECT_EQ(
      RoffText("-p '{\"spec\":{\"template\":{\"metadata\":{\"x\":1}}}}' x"),
      "\\-p '{\\:\"spec\":\\:{\\:\"template\":\\:{\\:\"metadata\":\\:{\\:\"x\":\\:1}\\:}\\:}\\:}' "
      "x");
  // Words up to 40 characters stay whole: a line break inside would break a copied command.
  EXPECT_EQ(RoffText("curl -s localhost:15000/stats/prometheus"),
            "curl \\-s localhost:15000/stats/prometheus");
  EXPECT_EQ(RoffLiteral("a/very/long/path/that/is/kept/whole/in/literal/blocks"),
            "a/very/long/path/that/is/kept/whole/in/literal/blocks");
}

TEST(Roff, JoinsLinesAndQuotesArguments) {
  EXPECT_EQ(RoffText("one\ntwo"), "one two");
  EXPECT_EQ(RoffArgument("say \"hi\""), "\"say \\(dqhi\\(dq\"");
}

}  // namespace
}  // namespace hfi::cmdtree

#include "cmdtree/man.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cmdtree/test_app.h"
#include "cmdtree/walk.h"

namespace hfi::cmdtree {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::TestApp;

ManPage Page() {
  ManPage page;
  page.version = "1.2.3";
  page.summary = "check things";
  page.description = {"More about `tool`."};
  page.exit_codes = {{"0", "fine"}, {"64", "usage error"}};
  page.environment = {{"TOOL_KUBECTL", "The kubectl to run."}};
  page.files = {{"share/tool/plugin.wasm", "The default plugin."}};
  page.hints_intro = "Every finding has a code.";
  page.hints = {
      {"1xx: names",
       {{"HFI101", "Metric missing", "Severity error.", "It is absent.", "Run `tool build`."}}},
      {"7xx: modules", {{"HFI701", "not a module", "Severity error.", "", ""}}}};
  page.examples = {{"Check a scrape:", {"tool verify --file s.prom"}}};
  page.see_also = {"kubectl(1)", "istioctl(1)"};
  return page;
}

class ManTest : public ::testing::Test {
 protected:
  ManTest() {
    NarrowInheritedChoices(root, "render", "--output", {"text", "yaml"});
    page = WriteMan(root, Page());
  }
  TestApp t;
  Command root = Walk(t.app);
  std::string page;
};

TEST_F(ManTest, HeaderAndName) {
  EXPECT_EQ(page.rfind(".\\\" Generated from the command tree by `tool __man`", 0), 0u);
  EXPECT_THAT(page, HasSubstr(".TH \"TOOL\" 1 \"\" \"tool 1.2.3\" \"User Commands\"\n"));
  EXPECT_THAT(page, HasSubstr(".SH NAME\ntool \\- check things\n"));
}

TEST_F(ManTest, SynopsisListsEveryVisibleCommand) {
  EXPECT_THAT(page, HasSubstr(".br\n.B \"tool verify\"\n[\\fIoptions\\fR]\n[\\fIPOD\\fR...]\n"));
  EXPECT_THAT(page, HasSubstr(".br\n.B \"tool completion\"\n[\\fIoptions\\fR]\n\\fISHELL\\fR\n"));
  EXPECT_THAT(page, Not(HasSubstr("__complete\"")));
}

TEST_F(ManTest, CommandsWithTheirOptionsAndFooters) {
  EXPECT_THAT(page, HasSubstr(".SS \"tool verify\"\nVerify the metrics second line\n"));
  EXPECT_THAT(page, HasSubstr(".TP\n\\fB\\-\\-file\\fR \\fIFILE\\fR\nA saved scrape [repeatable]: "
                              "see \\fBman\\fR\n"));
  EXPECT_THAT(page, HasSubstr(".TP\n\\fB\\-n\\fR, \\fB\\-\\-namespace\\fR \\fINS\\fR\n"));
  EXPECT_THAT(page, HasSubstr(".TP\n\\fIPOD\\fR"));
  EXPECT_THAT(page, HasSubstr(".PP\nExamples:\n.PP\n.RS 4\n.nf\ntool verify \\-\\-local\ntool "
                              "verify \\-n prod web\\-1\n.fi\n.RE\n"));
  EXPECT_THAT(page, HasSubstr(".PP\n\\fB\\-o\\fR accepts \\fBtext\\fR, \\fByaml\\fR here.\n"));
  EXPECT_THAT(page, Not(HasSubstr("secret")));
}

TEST_F(ManTest, GlobalOptionsOnce) {
  EXPECT_THAT(page, HasSubstr(".SH \"GLOBAL OPTIONS\"\nAccepted before and after the command.\n"
                              ".TP\n\\fB\\-h\\fR, \\fB\\-\\-help\\fR\n"));
  const std::string kubeconfig = "\\fB\\-\\-kubeconfig\\fR \\fIFILE\\fR";
  const std::size_t first = page.find(kubeconfig);
  ASSERT_NE(first, std::string::npos);
  EXPECT_EQ(page.find(kubeconfig, first + 1), std::string::npos);
}

TEST_F(ManTest, PageSections) {
  EXPECT_THAT(page, HasSubstr(".SH \"EXIT STATUS\"\n.TP\n\\fB0\\fR\nfine\n.TP\n\\fB64\\fR\nusage "
                              "error\n"));
  EXPECT_THAT(page, HasSubstr(".SH ENVIRONMENT\n.TP\n\\fBTOOL_KUBECTL\\fR\nThe kubectl to run.\n"));
  EXPECT_THAT(page, HasSubstr(".SH FILES\n.TP\n\\fIshare/tool/plugin.wasm\\fR\n"));
  EXPECT_THAT(page, HasSubstr(".SH \"HINT CODES\"\nEvery finding has a code.\n.SS \"1xx: names\"\n"
                              ".TP\n\\fBHFI101\\fR: Metric missing\nSeverity error.\n.IP\n"
                              "\\fICause:\\fR It is absent.\n.IP\n\\fIFix:\\fR Run \\fBtool "
                              "build\\fR.\n"));
  // An entry without cause and fix has just its title.
  EXPECT_THAT(page, HasSubstr(".TP\n\\fBHFI701\\fR: not a module\nSeverity error.\n.SH EXAMPLES"));
  EXPECT_THAT(page, HasSubstr(".SH EXAMPLES\n.PP\nCheck a scrape:\n.PP\n.RS 4\n.nf\ntool verify "
                              "\\-\\-file s.prom\n.fi\n.RE\n"));
  EXPECT_THAT(page, HasSubstr(".SH \"SEE ALSO\"\n.BR kubectl (1),\n.BR istioctl (1)\n"));
}

TEST(ExitCodesFromFooter, ReadsTheIndentedCodeLines) {
  const std::vector<ManEntry> codes = ExitCodesFromFooter(
      "Exit codes (the same under every -o):\n  0   all passed\n  64  usage error\n"
      "  130 interrupted (Ctrl-C)\nnot 5 a code\n  x   nor this\n");
  ASSERT_EQ(codes.size(), 3u);
  EXPECT_EQ(codes[0].term, "0");
  EXPECT_EQ(codes[0].text, "all passed");
  EXPECT_EQ(codes[2].term, "130");
  EXPECT_EQ(codes[2].text, "interrupted (Ctrl-C)");
  EXPECT_THAT(ExitCodesFromFooter(""), ElementsAre());
}

}  // namespace
}  // namespace hfi::cmdtree

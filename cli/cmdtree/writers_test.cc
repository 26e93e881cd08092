#include "cmdtree/writers.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cmdtree/test_app.h"
#include "cmdtree/walk.h"

namespace hfi::cmdtree {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using testing::TestApp;

class WritersTest : public ::testing::Test {
 protected:
  WritersTest() { NarrowInheritedChoices(root, "render", "--output", {"text", "yaml"}); }
  TestApp t;
  Command root = Walk(t.app);
};

TEST(ShellText, Quotes) {
  EXPECT_EQ(ShellQuote("plain"), "'plain'");
  EXPECT_EQ(ShellQuote("it's"), "'it'\\''s'");
  EXPECT_EQ(ShellQuote(""), "''");
  EXPECT_EQ(Identifier("hfi-metrics"), "hfi_metrics");
  EXPECT_EQ(FirstLine("one\ntwo"), "one");
}

TEST_F(WritersTest, BashListsTheTree) {
  const std::string script = WriteBash(root);
  EXPECT_THAT(script, HasSubstr("complete -F _tool tool\n"));
  EXPECT_THAT(script, HasSubstr("    '') echo 'verify render completion' ;;\n"));
  EXPECT_THAT(script, HasSubstr("    'verify') echo '-h --help --file --local -n --namespace "
                                "--stats-matcher -o --output -q --quiet --kubeconfig --context' "
                                ";;\n"));
  EXPECT_THAT(script,
              HasSubstr("    'verify -o'|'verify --output') echo 'choice text json junit' ;;\n"));
  EXPECT_THAT(script, HasSubstr("    'render -o'|'render --output') echo 'choice text yaml' ;;\n"));
  EXPECT_THAT(script, HasSubstr("    'verify --file') echo 'file' ;;\n"));
  EXPECT_THAT(script, HasSubstr("    'verify -n'|'verify --namespace') echo 'dynamic' ;;\n"));
  EXPECT_THAT(script, HasSubstr("    'render --source') echo 'dir' ;;\n"));
  EXPECT_THAT(script, HasSubstr("    'verify '*) echo 'dynamic' ;;\n"));
  EXPECT_THAT(script, HasSubstr("    'completion 0') echo 'choice bash zsh fish' ;;\n"));
  // Flags are not listed as taking values; hidden things appear nowhere.
  EXPECT_THAT(script, Not(HasSubstr("'verify --local')")));
  EXPECT_THAT(script, Not(HasSubstr("__complete'")));
  EXPECT_THAT(script, Not(HasSubstr("--secret")));
  EXPECT_THAT(script, HasSubstr("\"$prog\" __complete -- \"${line[@]}\" \"$1\""));
}

TEST_F(WritersTest, ZshHasOneArgumentsCallPerCommand) {
  const std::string script = WriteZsh(root);
  EXPECT_EQ(script.rfind("#compdef tool\n", 0), 0u);
  EXPECT_THAT(script, HasSubstr("_tool__() {\n"));
  EXPECT_THAT(script, HasSubstr("_tool__verify() {\n"));
  EXPECT_THAT(script, HasSubstr("'(-o --output)-o+[Output format]:FORMAT:(text json junit)'"));
  EXPECT_THAT(script, HasSubstr("'(-o --output)--output=[Output format]:FORMAT:(text yaml)'"));
  // Brackets and colons in an explanation are escaped; a repeatable option has no exclusion.
  EXPECT_THAT(script, HasSubstr("'*--file=[A saved scrape \\[repeatable\\]\\: see `man`]:FILE:"
                                "_files'"));
  EXPECT_THAT(script, HasSubstr("'(-n --namespace)-n+[Namespace of the pods]:NS:_tool_dynamic'"));
  EXPECT_THAT(script, HasSubstr("'*:POD:_tool_dynamic'"));
  EXPECT_THAT(script, HasSubstr("'1:SHELL:(bash zsh fish)'"));
  EXPECT_THAT(script, HasSubstr("    '--local[Use the local sidecar]' \\\n"));
  EXPECT_THAT(script, HasSubstr("'verify:Verify the metrics'"));
  EXPECT_THAT(script, HasSubstr("compdef _tool tool"));
  EXPECT_THAT(script, Not(HasSubstr("--secret")));
}

TEST_F(WritersTest, FishConditionsEachLineOnTheCommand) {
  const std::string script = WriteFish(root);
  EXPECT_THAT(script, HasSubstr("complete -c tool -f\n"));
  EXPECT_THAT(script, HasSubstr("complete -c tool -n '__tool_in \\'\\'' -a 'verify' -d "
                                "'Verify the metrics'\n"));
  EXPECT_THAT(script, HasSubstr("complete -c tool -n '__tool_in verify' -s o -l output -x -a "
                                "'text json junit' -d 'Output format'\n"));
  EXPECT_THAT(script, HasSubstr("complete -c tool -n '__tool_in verify' -l file -r -F -d"));
  EXPECT_THAT(script, HasSubstr("complete -c tool -n '__tool_in verify' -s n -l namespace -x -a "
                                "'(__tool_dynamic)'"));
  EXPECT_THAT(script, HasSubstr("complete -c tool -n '__tool_in verify' -a '(__tool_dynamic)' "
                                "-d 'Pods to verify'\n"));
  EXPECT_THAT(script, HasSubstr("complete -c tool -n '__tool_in completion' -a 'bash zsh fish'"));
  EXPECT_THAT(script, HasSubstr("        case 'verify --file' 'verify -n' 'verify --namespace'"));
  EXPECT_THAT(script, Not(HasSubstr("--secret")));
  EXPECT_THAT(script, Not(HasSubstr("secret")));
}

TEST_F(WritersTest, OutputIsStable) {
  EXPECT_EQ(WriteBash(root), WriteBash(root));
  EXPECT_EQ(WriteZsh(root), WriteZsh(root));
  EXPECT_EQ(WriteFish(root), WriteFish(root));
}

}  // namespace
}  // namespace hfi::cmdtree

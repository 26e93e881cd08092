#include "cmdtree/walk.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cmdtree/test_app.h"

namespace hfi::cmdtree {
namespace {

using ::testing::ElementsAre;
using testing::TestApp;

std::vector<std::string> Names(const std::vector<Command>& commands) {
  std::vector<std::string> names;
  for (const Command& command : commands)
    names.push_back(command.name);
  return names;
}

TEST(Walk, KeepsVisibleCommandsInOrder) {
  TestApp t;
  const Command root = Walk(t.app);
  EXPECT_EQ(root.name, "tool");
  EXPECT_EQ(root.description, "A tool for tests.");
  EXPECT_THAT(Names(root.subcommands), ElementsAre("verify", "render", "completion"));
  EXPECT_EQ(root.Subcommand("__complete"), nullptr);
}

TEST(Walk, LeavesHiddenOptionsOut) {
  TestApp t;
  const Command root = Walk(t.app);
  EXPECT_EQ(root.FindOption("--secret"), nullptr);
  EXPECT_EQ(root.Subcommand("verify")->FindOption("--secret"), nullptr);
}

TEST(Walk, ReadsNamesMetavarsAndChoices) {
  TestApp t;
  const Command root = Walk(t.app);
  const Option* output = root.FindOption("-o");
  ASSERT_NE(output, nullptr);
  EXPECT_THAT(output->names, ElementsAre("-o", "--output"));
  EXPECT_EQ(output->primary(), "--output");
  EXPECT_EQ(output->metavar, "FORMAT");
  EXPECT_EQ(output->description, "Output format");
  EXPECT_EQ(output->kind, ValueKind::kChoice);
  EXPECT_THAT(output->choices, ElementsAre("text", "json", "junit"));
  EXPECT_FALSE(output->inherited);

  const Option* quiet = root.FindOption("--quiet");
  ASSERT_NE(quiet, nullptr);
  EXPECT_EQ(quiet->kind, ValueKind::kNone);
  EXPECT_FALSE(quiet->takes_value());
  EXPECT_EQ(quiet->metavar, "");
}

TEST(Walk, InfersHowValuesAreCompleted) {
  TestApp t;
  const Command root = Walk(t.app);
  EXPECT_EQ(root.FindOption("--kubeconfig")->kind, ValueKind::kFile);
  EXPECT_EQ(root.FindOption("--context")->kind, ValueKind::kContext);
  const Command& verify = *root.Subcommand("verify");
  EXPECT_EQ(verify.FindOption("--file")->kind, ValueKind::kFile);
  EXPECT_TRUE(verify.FindOption("--file")->repeatable);
  EXPECT_EQ(verify.FindOption("-n")->kind, ValueKind::kNamespace);
  EXPECT_EQ(verify.FindOption("--stats-matcher")->kind, ValueKind::kChoice);
  EXPECT_THAT(verify.FindOption("--stats-matcher")->choices, ElementsAre("istio", "all", "none"));
  const Command& render = *root.Subcommand("render");
  // Where the command checks the words itself, option_text lists them.
  EXPECT_THAT(render.FindOption("--delivery")->choices, ElementsAre("oci", "http", "configmap"));
  EXPECT_EQ(render.FindOption("--source")->kind, ValueKind::kDirectory);
}

TEST(Walk, ReadsPositionals) {
  TestApp t;
  const Command root = Walk(t.app);
  const Command& verify = *root.Subcommand("verify");
  ASSERT_EQ(verify.positionals.size(), 1u);
  EXPECT_THAT(verify.positionals[0].names, ElementsAre("pods"));
  EXPECT_TRUE(verify.positionals[0].positional);
  EXPECT_EQ(verify.positionals[0].kind, ValueKind::kPod);
  EXPECT_TRUE(verify.positionals[0].repeatable);
  EXPECT_FALSE(verify.positionals[0].required);

  const Command& completion = *root.Subcommand("completion");
  ASSERT_EQ(completion.positionals.size(), 1u);
  EXPECT_EQ(completion.positionals[0].kind, ValueKind::kChoice);
  EXPECT_THAT(completion.positionals[0].choices, ElementsAre("bash", "zsh", "fish"));
  EXPECT_TRUE(completion.positionals[0].required);
  EXPECT_FALSE(completion.positionals[0].repeatable);
}

TEST(Walk, FallthroughCommandsInheritTheGlobalOptions) {
  TestApp t;
  const Command root = Walk(t.app);
  const Command& verify = *root.Subcommand("verify");
  const Option* output = verify.FindOption("--output");
  ASSERT_NE(output, nullptr);
  EXPECT_TRUE(output->inherited);
  EXPECT_TRUE(verify.FindOption("--kubeconfig")->inherited);
  // Each command has its own help flag; the root's is not added a second time.
  const Option* help = verify.FindOption("--help");
  ASSERT_NE(help, nullptr);
  EXPECT_FALSE(help->inherited);
  EXPECT_TRUE(help->help);
  EXPECT_FALSE(verify.FindOption("--file")->help);
  int helps = 0;
  for (const Option& option : verify.options)
    helps += option.Has("--help") ? 1 : 0;
  EXPECT_EQ(helps, 1);
  // Own options come first.
  EXPECT_FALSE(verify.options.front().inherited);
  EXPECT_TRUE(verify.options.back().inherited);
}

TEST(Walk, AnOwnOptionHidesOnlyTheNameItTakes) {
  CLI::App app{"Tool", "tool"};
  app.fallthrough();
  std::string output, file;
  app.add_option("-o,--output", output, "Output format")
      ->check(CLI::IsMember({"text", "json", "junit"}));
  CLI::App* build = app.add_subcommand("build", "Build");
  build->add_option("--output", file, "The file to write")->option_text("FILE");
  Command root = Walk(app);
  Command& sub = *root.Subcommand("build");
  EXPECT_FALSE(sub.FindOption("--output")->inherited);
  EXPECT_EQ(sub.FindOption("--output")->kind, ValueKind::kFile);
  const Option* global = sub.FindOption("-o");
  ASSERT_NE(global, nullptr);
  EXPECT_TRUE(global->inherited);
  EXPECT_THAT(global->names, ElementsAre("-o"));
  NarrowInheritedChoices(root, "build", "--output", {"text", "json"});
  EXPECT_THAT(sub.FindOption("-o")->choices, ElementsAre("text", "json"));
  EXPECT_EQ(sub.FindOption("--output")->kind, ValueKind::kFile);
}

TEST(Walk, CommandsWithoutFallthroughInheritNothing) {
  CLI::App app{"No fallthrough", "tool"};
  std::string output;
  app.add_option("-o", output, "Output");
  app.add_subcommand("sub", "A command");
  const Command root = Walk(app);
  EXPECT_EQ(root.Subcommand("sub")->FindOption("-o"), nullptr);
}

TEST(Walk, KeepsFootersForTheManPage) {
  TestApp t;
  const Command root = Walk(t.app);
  EXPECT_EQ(root.Subcommand("verify")->footer,
            "Examples:\n  tool verify --local\n  tool verify -n prod web-1\n");
  EXPECT_EQ(root.footer, "Exit codes:\n  0   fine\n  64  usage error\n");
  // render only inherited the root's footer.
  EXPECT_EQ(root.Subcommand("render")->footer, "");
}

TEST(Model, NarrowsAnInheritedOptionForOneCommand) {
  TestApp t;
  Command root = Walk(t.app);
  NarrowInheritedChoices(root, "render", "--output", {"text", "yaml"});
  EXPECT_THAT(root.Subcommand("render")->FindOption("-o")->choices, ElementsAre("text", "yaml"));
  EXPECT_THAT(root.Subcommand("verify")->FindOption("-o")->choices,
              ElementsAre("text", "json", "junit"));
  EXPECT_THAT(root.FindOption("-o")->choices, ElementsAre("text", "json", "junit"));
  // Own options and unknown commands are left alone.
  NarrowInheritedChoices(root, "verify", "--stats-matcher", {"x"});
  EXPECT_THAT(root.Subcommand("verify")->FindOption("--stats-matcher")->choices,
              ElementsAre("istio", "all", "none"));
  NarrowInheritedChoices(root, "nope", "--output", {"x"});
}

TEST(Model, FlattensWithPaths) {
  TestApp t;
  const Command root = Walk(t.app);
  const std::vector<PathedCommand> all = Flatten(root);
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0].path, "");
  EXPECT_EQ(all[0].command, &root);
  EXPECT_EQ(all[1].path, "verify");
  EXPECT_EQ(all[3].path, "completion");
}

}  // namespace
}  // namespace hfi::cmdtree

#include "commands/doc_tree.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <string>

#include "build_info.h"

namespace hfi {
namespace {

using ::testing::ElementsAre;

class DocTreeTest : public ::testing::Test {
 protected:
  DocTreeTest() {
    app.fallthrough();
    app.add_option("-o,--output", output, "Output format")
        ->check(CLI::IsMember({"text", "json", "junit", "yaml"}));
    CLI::App* build = app.add_subcommand("build", "Build");
    build->add_option("--source", source,
                      std::string("Sources (default: ") + build_info::kSourceDir + "/plugin)");
    build->add_option("--output", file, "The file to write")->option_text("FILE");
    app.add_subcommand("verify", "Verify")
        ->footer(std::string("Uses ") + build_info::kPluginWasm + " by default");
    app.add_subcommand("render", "Render");
    app.add_subcommand("other", "Other");
  }
  CLI::App app{"Tool", "hfi-metrics"};
  std::string output, source, file;
};

TEST_F(DocTreeTest, NarrowsOutputFormatsPerCommand) {
  const cmdtree::Command tree = DocTree(app);
  EXPECT_THAT(tree.FindOption("-o")->choices, ElementsAre("text", "json", "junit", "yaml"));
  EXPECT_THAT(tree.Subcommand("verify")->FindOption("-o")->choices,
              ElementsAre("text", "json", "junit"));
  EXPECT_THAT(tree.Subcommand("render")->FindOption("-o")->choices,
              ElementsAre("text", "json", "yaml"));
  EXPECT_THAT(tree.Subcommand("other")->FindOption("-o")->choices, ElementsAre("text", "json"));
  // build's own --output keeps its kind; the global flag stays reachable as -o.
  EXPECT_THAT(tree.Subcommand("build")->FindOption("-o")->choices, ElementsAre("text", "json"));
  EXPECT_EQ(tree.Subcommand("build")->FindOption("--output")->kind, cmdtree::ValueKind::kFile);
}

TEST_F(DocTreeTest, WritesBuildDirectoriesGenerically) {
  const cmdtree::Command tree = DocTree(app);
  EXPECT_EQ(tree.Subcommand("build")->FindOption("--source")->description,
            "Sources (default: <source tree>/plugin)");
  EXPECT_EQ(tree.Subcommand("verify")->footer,
            "Uses <build tree>/plugin/hfi_plugin.wasm by default");
}

}  // namespace
}  // namespace hfi

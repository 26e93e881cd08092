#include "cmdtree/complete.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "cmdtree/test_app.h"
#include "cmdtree/walk.h"

namespace hfi::cmdtree {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::TestApp;

// Records what was asked and answers from fixed lists.
class FakeSource : public DynamicSource {
 public:
  std::vector<std::string> Namespaces(const KubeSettings& settings) override {
    asked.push_back("namespaces");
    last = settings;
    return {"default", "prod", "istio-system"};
  }
  std::vector<std::string> Pods(const KubeSettings& settings) override {
    asked.push_back("pods");
    last = settings;
    if (settings.namespace_name == "prod")
      return {"web-1", "web-2", "db-0"};
    return {"hello-0"};
  }
  std::vector<std::string> Contexts(const KubeSettings& settings) override {
    asked.push_back("contexts");
    last = settings;
    return {"kind-a", "kind-b"};
  }
  std::vector<std::string> asked;
  KubeSettings last;
};

class CompleteTest : public ::testing::Test {
 protected:
  Completion Run(const std::vector<std::string>& words) { return Complete(root, words, source); }
  std::vector<std::string> Candidates(const std::vector<std::string>& words) {
    return Run(words).candidates;
  }

  TestApp t;
  Command root = Walk(t.app);
  FakeSource source;
};

TEST_F(CompleteTest, Commands) {
  EXPECT_THAT(Candidates({}), ElementsAre("verify", "render", "completion"));
  EXPECT_THAT(Candidates({""}), ElementsAre("verify", "render", "completion"));
  EXPECT_THAT(Candidates({"ver"}), ElementsAre("verify"));
  EXPECT_THAT(Candidates({"__"}), IsEmpty());  // hidden commands are not offered
  EXPECT_THAT(source.asked, IsEmpty());
}

TEST_F(CompleteTest, OptionsOfTheCommandAndGlobalOnes) {
  EXPECT_THAT(Candidates({"verify", "--lo"}), ElementsAre("--local"));
  EXPECT_THAT(Candidates({"verify", "--ou"}), ElementsAre("--output"));
  EXPECT_THAT(Candidates({"--q"}), ElementsAre("--quiet"));
  EXPECT_THAT(Candidates({"render", "--lo"}), IsEmpty());
  EXPECT_THAT(Candidates({"verify", "--sec"}), IsEmpty());
}

TEST_F(CompleteTest, FixedValues) {
  EXPECT_THAT(Candidates({"verify", "-o", ""}), ElementsAre("text", "json", "junit"));
  EXPECT_THAT(Candidates({"verify", "--stats-matcher", "a"}), ElementsAre("all"));
  EXPECT_THAT(Candidates({"render", "--delivery", ""}), ElementsAre("oci", "http", "configmap"));
  EXPECT_THAT(Candidates({"completion", ""}), ElementsAre("bash", "zsh", "fish"));
  EXPECT_THAT(Candidates({"completion", "bash", ""}), IsEmpty());
}

TEST_F(CompleteTest, OptionValuesBeforeTheCommandAreSkipped) {
  EXPECT_THAT(Candidates({"-o", "json", "verify", "--stats-matcher", "n"}), ElementsAre("none"));
  EXPECT_THAT(Candidates({"-o", "json", "v"}), ElementsAre("verify"));
}

TEST_F(CompleteTest, InlineValues) {
  EXPECT_THAT(Candidates({"verify", "--output=j"}), ElementsAre("--output=json", "--output=junit"));
  EXPECT_THAT(Candidates({"verify", "--local=x"}), IsEmpty());  // a flag takes no value
  // Values glued to a short option, or after `=`, are skipped like separate ones.
  EXPECT_THAT(Candidates({"verify", "-ojson", "--stats-matcher", "i"}), ElementsAre("istio"));
  EXPECT_THAT(Candidates({"verify", "--namespace=prod", "w"}), ElementsAre("web-1", "web-2"));
}

TEST_F(CompleteTest, FilesAndDirectoriesAreLeftToTheShell) {
  Completion files = Run({"verify", "--file", ""});
  EXPECT_THAT(files.candidates, IsEmpty());
  EXPECT_EQ(files.directive, Completion::Directive::kFiles);
  EXPECT_EQ(Run({"--kubeconfig", "x"}).directive, Completion::Directive::kFiles);
  EXPECT_EQ(Run({"render", "--source", ""}).directive, Completion::Directive::kDirs);
  EXPECT_EQ(Run({"verify", "-o", ""}).directive, Completion::Directive::kWords);
}

TEST_F(CompleteTest, NamespacesThroughTheSource) {
  EXPECT_THAT(Candidates({"verify", "-n", ""}), ElementsAre("default", "prod", "istio-system"));
  EXPECT_THAT(Candidates({"verify", "--namespace", "i"}), ElementsAre("istio-system"));
  EXPECT_THAT(source.asked, ElementsAre("namespaces", "namespaces"));
}

TEST_F(CompleteTest, PodsInTheNamespaceOnTheLine) {
  EXPECT_THAT(Candidates({"verify", ""}), ElementsAre("hello-0"));
  EXPECT_EQ(source.last.namespace_name, "");
  EXPECT_THAT(Candidates({"verify", "-n", "prod", "web"}), ElementsAre("web-1", "web-2"));
  EXPECT_EQ(source.last.namespace_name, "prod");
  // More pods after the first: the positional repeats.
  EXPECT_THAT(Candidates({"verify", "-n", "prod", "web-1", "d"}), ElementsAre("db-0"));
}

TEST_F(CompleteTest, KubectlSettingsOnTheLineArePassedOn) {
  Candidates({"--kubeconfig", "/k/config", "--context=kind-a", "verify", "-n", "prod", ""});
  EXPECT_EQ(source.last.kubeconfig, "/k/config");
  EXPECT_EQ(source.last.context, "kind-a");
  EXPECT_EQ(source.last.namespace_name, "prod");
  EXPECT_THAT(Candidates({"--context", "kind-"}), ElementsAre("kind-a", "kind-b"));
}

TEST_F(CompleteTest, AfterDoubleDashEverythingIsAnArgument) {
  EXPECT_THAT(Candidates({"verify", "--", "-"}), IsEmpty());  // no pod starts with "-"
  EXPECT_THAT(source.asked, ElementsAre("pods"));
  EXPECT_THAT(Candidates({"verify", "--", "--local", "h"}), ElementsAre("hello-0"));
}

TEST_F(CompleteTest, UnknownOptionsAreTakenAsFlags) {
  EXPECT_THAT(Candidates({"verify", "--bogus", "h"}), ElementsAre("hello-0"));
  EXPECT_THAT(Candidates({"nosuch", ""}), IsEmpty());
}

TEST(FormatCompletion, OneCandidatePerLineThenTheDirective) {
  Completion words;
  words.candidates = {"a", "b"};
  EXPECT_EQ(FormatCompletion(words), "a\nb\n");
  Completion files;
  files.directive = Completion::Directive::kFiles;
  EXPECT_EQ(FormatCompletion(files), ":files\n");
  Completion dirs;
  dirs.directive = Completion::Directive::kDirs;
  EXPECT_EQ(FormatCompletion(dirs), ":dirs\n");
}

}  // namespace
}  // namespace hfi::cmdtree

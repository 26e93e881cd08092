#include "wasm/plugin_build.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "util/errors.h"
#include "util/file.h"
#include "wasm/test_modules.h"

namespace hfi::wasm {
namespace {

namespace fs = std::filesystem;
using testing::WatModule;

std::string SourceRoot() {
  const char* env = std::getenv("HFI_SOURCE_DIR");
  return env != nullptr ? env : HFI_SOURCE_DIR_DEFAULT;
}

// A plugin source tree, an output directory and tests/data/wasm/fake-em++ in a temp dir.
class PluginBuildTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "hfi_build_test.XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    root_ = pattern;
    fs::create_directories(root_ / "src/abi");
    fs::create_directories(root_ / "src/include");
    fs::create_directories(root_ / "out");
    Write("src/a.cc", "int a;\n");
    Write("src/abi/b.cc", "int b;\n");
    Write("src/abi/lib.js", "mergeInto(LibraryManager.library, {});\n");
    Write("src/wasm_build.txt",
          "# test plugin\n"
          "include include\n"
          "source a.cc\n"
          "source abi/b.cc\n"
          "jslib abi/lib.js\n"
          "flag --no-entry\n"
          "release -Oz\n"
          "debug -g\n");
    Write("good.wasm", WatModule().Binary());
    Write("bad.wasm", WatModule().Drop("\"proxy_on_tick\"").Binary());
    fs::copy_file(SourceRoot() + "/tests/data/wasm/fake-em++", root_ / "fake-em++");
    fs::permissions(root_ / "fake-em++", fs::perms::owner_all);
    ::setenv("FAKE_EMXX_LOG", (root_ / "emxx.log").c_str(), 1);
    ::setenv("FAKE_EMXX_WASM", (root_ / "good.wasm").c_str(), 1);
    ::unsetenv("FAKE_EMXX_EXIT");
    ::unsetenv("FAKE_EMXX_SLEEP");

    options_.source_dir = (root_ / "src").string();
    options_.output = (root_ / "out/hfi_plugin.wasm").string();
    options_.emxx = (root_ / "fake-em++").string();
    options_.timeout = std::chrono::seconds(20);
  }
  void TearDown() override {
    for (const char* name :
         {"FAKE_EMXX_LOG", "FAKE_EMXX_WASM", "FAKE_EMXX_EXIT", "FAKE_EMXX_SLEEP"})
      ::unsetenv(name);
    fs::remove_all(root_);
  }

  void Write(const std::string& relative, const std::string& data) {
    std::ofstream(root_ / relative, std::ios::binary) << data;
  }
  std::vector<std::string> LoggedLines() {
    std::ifstream in(root_ / "emxx.log");
    std::vector<std::string> lines;
    for (std::string line; std::getline(in, line);)
      lines.push_back(line);
    return lines;
  }
  // Only the output itself may remain in out/: no private build directory, no temporary file.
  void ExpectOutDirHoldsOnly(const std::vector<std::string>& names) {
    std::vector<std::string> found;
    for (const auto& entry : fs::directory_iterator(root_ / "out"))
      found.push_back(entry.path().filename().string());
    std::sort(found.begin(), found.end());
    EXPECT_EQ(found, names);
  }

  fs::path root_;
  BuildOptions options_;
};

TEST_F(PluginBuildTest, ReleaseBuildRunsEmxxAsTheSpecSaysAndInstallsTheModule) {
  BuildResult result = BuildPlugin(options_);
  EXPECT_EQ(result.outcome, BuildOutcome::kBuilt);
  EXPECT_TRUE(result.report.ok());
  EXPECT_EQ(ReadFileOrStdin(options_.output), ReadFileOrStdin((root_ / "good.wasm").string()));
  EXPECT_EQ(result.spec_path, (root_ / "src/wasm_build.txt").string());
  EXPECT_EQ(result.compiler.output, "fake em++: warning: this is not a real compiler\n");

  std::vector<std::string> logged = LoggedLines();
  ASSERT_EQ(logged.size(), 10u);
  std::string src = (root_ / "src").string();
  EXPECT_EQ(logged[0], "--no-entry");
  EXPECT_EQ(logged[1], "-Oz");
  EXPECT_EQ(logged[2], "-I" + src + "/include");
  EXPECT_EQ(logged[3], "--js-library");
  EXPECT_EQ(logged[4], src + "/abi/lib.js");
  EXPECT_EQ(logged[5], src + "/a.cc");
  EXPECT_EQ(logged[6], src + "/abi/b.cc");
  EXPECT_EQ(logged[7], "-o");
  // em++ writes into a private directory beside the output, which is also its temp directory.
  fs::path private_out(logged[8]);
  EXPECT_EQ(private_out.parent_path().parent_path(), root_ / "out");
  EXPECT_EQ(private_out.parent_path().filename().string().rfind(".hfi_plugin.wasm.build-", 0), 0u);
  EXPECT_EQ(logged[9], "EMCC_TEMP_DIR=" + private_out.parent_path().string());
  EXPECT_EQ(result.command.front(), options_.emxx);
  ExpectOutDirHoldsOnly({"hfi_plugin.wasm"});
}

TEST_F(PluginBuildTest, DebugBuildUsesTheDebugFlags) {
  options_.debug = true;
  BuildResult result = BuildPlugin(options_);
  EXPECT_EQ(result.outcome, BuildOutcome::kBuilt);
  std::vector<std::string> logged = LoggedLines();
  ASSERT_GE(logged.size(), 2u);
  EXPECT_EQ(logged[1], "-g");
  EXPECT_EQ(std::count(logged.begin(), logged.end(), "-Oz"), 0);
}

TEST_F(PluginBuildTest, CompileFailureKeepsTheOldModule) {
  Write("out/hfi_plugin.wasm", "previous good module");
  ::setenv("FAKE_EMXX_EXIT", "1", 1);
  BuildResult result = BuildPlugin(options_);
  EXPECT_EQ(result.outcome, BuildOutcome::kCompileFailed);
  EXPECT_EQ(result.compiler.exit_code, 1);
  EXPECT_NE(result.compiler.output.find("plugin.cc:1:1: error: fake failure"), std::string::npos);
  EXPECT_EQ(ReadFileOrStdin(options_.output), "previous good module");
  ExpectOutDirHoldsOnly({"hfi_plugin.wasm"});
}

TEST_F(PluginBuildTest, ModuleFailingChecksIsNotInstalled) {
  Write("out/hfi_plugin.wasm", "previous good module");
  ::setenv("FAKE_EMXX_WASM", (root_ / "bad.wasm").c_str(), 1);
  BuildResult result = BuildPlugin(options_);
  EXPECT_EQ(result.outcome, BuildOutcome::kChecksFailed);
  EXPECT_EQ(result.report.Count(Severity::kError), 1u);
  EXPECT_EQ(ReadFileOrStdin(options_.output), "previous good module");
  ExpectOutDirHoldsOnly({"hfi_plugin.wasm"});
}

TEST_F(PluginBuildTest, EmxxThatWritesNothing) {
  ::unsetenv("FAKE_EMXX_WASM");
  try {
    BuildPlugin(options_);
    FAIL() << "no error";
  } catch (const EnvironmentError& e) {
    EXPECT_EQ(e.reason(), "reported success but wrote no module");
  }
  ExpectOutDirHoldsOnly({});
}

TEST_F(PluginBuildTest, TimeoutStopsEmxxAndWritesNothing) {
  ::setenv("FAKE_EMXX_SLEEP", "30", 1);
  options_.timeout = std::chrono::milliseconds(300);
  try {
    BuildPlugin(options_);
    FAIL() << "no error";
  } catch (const EnvironmentError& e) {
    EXPECT_EQ(FormatError(e),
              "hfi-metrics: em++: still running after 0.3 s: stopped it; nothing was written "
              "(raise --timeout, or check what else loads the machine)");
  }
  ExpectOutDirHoldsOnly({});
}

TEST_F(PluginBuildTest, GarbledSpecNamesFileAndLine) {
  Write("src/wasm_build.txt", "source a.cc\n\nsoruce b.cc\n");
  try {
    BuildPlugin(options_);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.subject(), (root_ / "src/wasm_build.txt").string() + ":3");
    EXPECT_EQ(e.reason(),
              "unknown kind 'soruce' (expected source, include, jslib, flag, release or debug)");
  }
  EXPECT_FALSE(fs::exists(root_ / "emxx.log"));  // em++ never ran
  ExpectOutDirHoldsOnly({});
}

TEST_F(PluginBuildTest, MissingSpecAndMissingSourceDirectory) {
  fs::remove(root_ / "src/wasm_build.txt");
  try {
    BuildPlugin(options_);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.subject(), (root_ / "src/wasm_build.txt").string());
    EXPECT_EQ(e.reason(), "does not exist");
  }
  options_.source_dir = (root_ / "nowhere").string();
  try {
    BuildPlugin(options_);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.subject(), options_.source_dir);
    EXPECT_EQ(e.reason(), "is not a directory");
  }
}

TEST_F(PluginBuildTest, MissingSourceFileNamesItsLine) {
  fs::remove(root_ / "src/abi/b.cc");
  try {
    BuildPlugin(options_);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.subject(), (root_ / "src/wasm_build.txt").string() + ":4");
    EXPECT_EQ(e.reason(), "source 'abi/b.cc' does not exist");
    EXPECT_EQ(e.hint(), "paths are relative to " + (root_ / "src").string());
  }
  ExpectOutDirHoldsOnly({});
}

TEST_F(PluginBuildTest, IncludeThatIsAFile) {
  Write("src/wasm_build.txt", "include a.cc\nsource a.cc\n");
  try {
    BuildPlugin(options_);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.reason(), "include 'a.cc' is not a directory");
  }
}

TEST_F(PluginBuildTest, OutputProblems) {
  options_.output = (root_ / "out").string();
  EXPECT_THROW(BuildPlugin(options_), UsageError);
  options_.output = (root_ / "no/such/dir/x.wasm").string();
  try {
    BuildPlugin(options_);
    FAIL() << "no error";
  } catch (const EnvironmentError& e) {
    EXPECT_EQ(e.reason(), "directory " + (root_ / "no/such/dir").string() + " does not exist");
  }
}

TEST(ResolveEmxxTest, FlagThenEnvironmentThenPath) {
  EXPECT_EQ(ResolveEmxx("/bin/sh", "/nonexistent"), "/bin/sh");
  EXPECT_EQ(ResolveEmxx("", "/bin/sh"), "/bin/sh");
  try {
    ResolveEmxx("/nonexistent/em++", nullptr);
    FAIL() << "no error";
  } catch (const EnvironmentError& e) {
    EXPECT_EQ(FormatError(e),
              "hfi-metrics: em++: /nonexistent/em++ does not exist or is not executable (install "
              "the Debian package 'emscripten' (scripts/setup.sh does), or pass --emxx PATH)");
  }
  std::string saved = std::getenv("PATH") != nullptr ? std::getenv("PATH") : "";
  ::setenv("PATH", "/nonexistent", 1);
  try {
    ResolveEmxx("", "");
    FAIL() << "no error";
  } catch (const EnvironmentError& e) {
    EXPECT_EQ(e.reason(), "not found on PATH");
    EXPECT_NE(e.hint().find("emscripten"), std::string::npos);
  }
  ::setenv("PATH", saved.c_str(), 1);
}

}  // namespace
}  // namespace hfi::wasm

#include "wasm/build_spec.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>

namespace hfi::wasm {
namespace {

std::vector<std::string> Values(const BuildSpec& spec, SpecKind kind) {
  std::vector<std::string> out;
  for (const SpecEntry* entry : spec.Of(kind))
    out.push_back(entry->value);
  return out;
}

SpecError ParseError(std::string_view text) {
  BuildSpec spec;
  SpecError error;
  EXPECT_FALSE(ParseBuildSpec(text, &spec, &error)) << text;
  return error;
}

TEST(BuildSpecTest, EveryKindCommentsAndBlankLines) {
  BuildSpec spec;
  SpecError error;
  ASSERT_TRUE(
      ParseBuildSpec("# a comment\n"
                     "\n"
                     "   # an indented comment\n"
                     "include ..\n"
                     "source a.cc\n"
                     "source dir/b.cc\n"
                     "jslib abi/imports.js\n"
                     "flag -std=c++17\n"
                     "flag --no-entry\n"
                     "release -Oz\n"
                     "debug -g\n"
                     "debug -O0\n",
                     &spec, &error))
      << error.line << ": " << error.message;
  EXPECT_EQ(Values(spec, SpecKind::kSource), (std::vector<std::string>{"a.cc", "dir/b.cc"}));
  EXPECT_EQ(Values(spec, SpecKind::kInclude), std::vector<std::string>{".."});
  EXPECT_EQ(Values(spec, SpecKind::kJsLib), std::vector<std::string>{"abi/imports.js"});
  EXPECT_EQ(Values(spec, SpecKind::kFlag), (std::vector<std::string>{"-std=c++17", "--no-entry"}));
  EXPECT_EQ(Values(spec, SpecKind::kRelease), std::vector<std::string>{"-Oz"});
  EXPECT_EQ(Values(spec, SpecKind::kDebug), (std::vector<std::string>{"-g", "-O0"}));
  ASSERT_EQ(spec.entries.size(), 9u);
  EXPECT_EQ(spec.entries[0].line, 4);  // line numbers count comments and blank lines
  EXPECT_EQ(spec.entries[8].line, 12);
}

// Tabs separate like spaces, CRLF line ends and a missing final newline are fine, and a value
// is the whole rest of the line: one argument, spaces included.
TEST(BuildSpecTest, WhitespaceAndLineEnds) {
  BuildSpec spec;
  SpecError error;
  ASSERT_TRUE(
      ParseBuildSpec("source\tmy file.cc  \r\nflag   -DNAME=a b\r\nrelease -O2", &spec, &error))
      << error.message;
  EXPECT_EQ(Values(spec, SpecKind::kSource), std::vector<std::string>{"my file.cc"});
  EXPECT_EQ(Values(spec, SpecKind::kFlag), std::vector<std::string>{"-DNAME=a b"});
  EXPECT_EQ(Values(spec, SpecKind::kRelease), std::vector<std::string>{"-O2"});
}

TEST(BuildSpecTest, UnknownKindNamesTheLine) {
  SpecError error = ParseError("source a.cc\n# fine\nsources b.cc\n");
  EXPECT_EQ(error.line, 3);
  EXPECT_EQ(error.message,
            "unknown kind 'sources' (expected source, include, jslib, flag, release or debug)");
}

TEST(BuildSpecTest, KindWithoutValue) {
  SpecError error = ParseError("source a.cc\ninclude   \n");
  EXPECT_EQ(error.line, 2);
  EXPECT_EQ(error.message, "'include' needs a value");
  EXPECT_EQ(ParseError("source").message, "'source' needs a value");
}

TEST(BuildSpecTest, FlagsMustBeOptions) {
  SpecError error = ParseError("source a.cc\nflag b.cc\n");
  EXPECT_EQ(error.line, 2);
  EXPECT_EQ(error.message,
            "'b.cc' is not an em++ option (options start with '-'; sources go on 'source' lines)");
}

TEST(BuildSpecTest, OutputAndJsLibraryFlagsBelongToTheCommand) {
  EXPECT_EQ(ParseError("source a.cc\nflag -o\n").message,
            "'-o' is set by hfi-metrics build (use --output, and 'jslib' lines for JS libraries)");
  EXPECT_EQ(ParseError("source a.cc\nrelease -ofoo.wasm\n").line, 2);
  EXPECT_EQ(ParseError("source a.cc\ndebug --js-library=x.js\n").line, 2);
}

TEST(BuildSpecTest, DuplicateSource) {
  SpecError error = ParseError("source a.cc\nsource b.cc\nsource a.cc\n");
  EXPECT_EQ(error.line, 3);
  EXPECT_EQ(error.message, "source 'a.cc' is already listed on line 1");
}

TEST(BuildSpecTest, NothingToCompile) {
  SpecError error = ParseError("# only comments\nflag -O2\n");
  EXPECT_EQ(error.line, 0);
  EXPECT_EQ(error.message, "no 'source' line: nothing to compile");
  EXPECT_EQ(ParseError("").message, "no 'source' line: nothing to compile");
}

TEST(BuildSpecTest, BinaryContentIsRejected) {
  SpecError error = ParseError(std::string("source a.cc\nsou\0rce\n", 20));
  EXPECT_EQ(error.line, 2);
  EXPECT_EQ(error.message, "contains a NUL byte: this is not a text file");
}

// The file CMake and `hfi-metrics build` both read: it parses, and its sources are the ones
// CMake's `^source[ \t]+(.+)$` picks (cmake/HfiPluginWasm.cmake).
TEST(BuildSpecTest, RepositoryPluginSpecParses) {
  const char* env = std::getenv("HFI_SOURCE_DIR");
  std::string root = env != nullptr ? env : HFI_SOURCE_DIR_DEFAULT;
  std::ifstream in(root + "/plugin/wasm_build.txt");
  ASSERT_TRUE(in) << root;
  std::stringstream text;
  text << in.rdbuf();
  BuildSpec spec;
  SpecError error;
  ASSERT_TRUE(ParseBuildSpec(text.str(), &spec, &error)) << error.line << ": " << error.message;
  std::vector<std::string> cmake_sources;
  std::istringstream lines(text.str());
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("source ", 0) == 0 || line.rfind("source\t", 0) == 0)
      cmake_sources.push_back(line.substr(7));
  }
  EXPECT_EQ(Values(spec, SpecKind::kSource), cmake_sources);
  EXPECT_FALSE(Values(spec, SpecKind::kRelease).empty());
  EXPECT_FALSE(Values(spec, SpecKind::kDebug).empty());
}

}  // namespace
}  // namespace hfi::wasm

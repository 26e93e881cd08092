#include "util/file.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "util/errors.h"

namespace hfi {
namespace {

namespace fs = std::filesystem;

class FileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = (fs::temp_directory_path() / "hfi_file_test.XXXXXX").string();
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Write(const std::string& name, const std::string& data) {
    fs::path path = dir_ / name;
    std::ofstream(path, std::ios::binary) << data;
    return path.string();
  }

  fs::path dir_;
};

TEST_F(FileTest, ReadsWholeFileIncludingBinaryBytes) {
  std::string data("line 1\n\0\xff line 2", 16);
  EXPECT_EQ(ReadFileOrStdin(Write("a.bin", data)), data);
}

TEST_F(FileTest, ReadsEmptyFile) {
  EXPECT_EQ(ReadFileOrStdin(Write("empty", "")), "");
}

TEST_F(FileTest, MissingFileIsInputErrorNamingThePath) {
  std::string path = (dir_ / "nope.prom").string();
  try {
    ReadFileOrStdin(path);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.code(), ExitCode::kInvalidInput);
    EXPECT_EQ(FormatError(e),
              "hfi-metrics: " + path + ": No such file or directory (check the path)");
  }
}

TEST_F(FileTest, DirectoryIsInputError) {
  try {
    ReadFileOrStdin(dir_.string());
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(FormatError(e), "hfi-metrics: " + dir_.string() + ": is a directory (name a file)");
  }
}

TEST_F(FileTest, UnreadableFileNamesPermissions) {
  if (::geteuid() == 0)
    GTEST_SKIP() << "root reads files whatever their mode";
  std::string path = Write("secret", "x");
  fs::permissions(path, fs::perms::none);
  try {
    ReadFileOrStdin(path);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.hint(), "check the file's permissions");
  }
}

TEST_F(FileTest, SizeCapAllowsExactlyTheLimitAndRejectsOneMore) {
  constexpr std::size_t kCap = std::size_t{1} << 20;
  std::string at_cap = Write("at", std::string(kCap, 'a'));
  EXPECT_EQ(ReadFileOrStdin(at_cap, kCap).size(), kCap);
  std::string over = Write("over", std::string(kCap + 1, 'a'));
  try {
    ReadFileOrStdin(over, kCap);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(FormatError(e), "hfi-metrics: " + over +
                                  ": larger than the 1 MiB limit (split the input or pass a "
                                  "smaller file)");
  }
}

// A FIFO has no size up front, so the cap is enforced while reading.
TEST_F(FileTest, SizeCapAppliesToStreamsWithoutAKnownSize) {
  fs::path fifo = dir_ / "fifo";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  constexpr std::size_t kCap = std::size_t{1} << 20;
  pid_t writer = ::fork();
  ASSERT_GE(writer, 0);
  if (writer == 0) {
    std::ofstream out(fifo, std::ios::binary);
    std::string chunk(1 << 16, 'z');
    for (int i = 0; i < 20 && out; ++i)
      out << chunk;
    std::_Exit(0);
  }
  EXPECT_THROW(ReadFileOrStdin(fifo.string(), kCap), InputError);
  int status = 0;
  ::waitpid(writer, &status, 0);
}

TEST_F(FileTest, WriteFileAtomicallyCreatesAndReplaces) {
  std::string path = (dir_ / "out.wasm").string();
  WriteFileAtomically(path, "first");
  EXPECT_EQ(ReadFileOrStdin(path), "first");
  WriteFileAtomically(path, std::string("second\0version", 14));
  EXPECT_EQ(ReadFileOrStdin(path), std::string("second\0version", 14));
  // Nothing but the target is left behind: the temporary file was renamed into place.
  std::size_t entries = 0;
  for (const auto& entry : fs::directory_iterator(dir_)) {
    EXPECT_EQ(entry.path().filename(), "out.wasm");
    ++entries;
  }
  EXPECT_EQ(entries, 1u);
}

TEST_F(FileTest, WriteFileAtomicallyIntoMissingDirectoryIsEnvironmentError) {
  std::string path = (dir_ / "no-such-dir" / "out.wasm").string();
  try {
    WriteFileAtomically(path, "data");
    FAIL() << "no error";
  } catch (const EnvironmentError& e) {
    EXPECT_EQ(e.subject(), path);
    EXPECT_EQ(e.reason(), "cannot write: No such file or directory");
  }
  EXPECT_FALSE(fs::exists(dir_ / "no-such-dir"));
}

// A failed write leaves the previous content in place.
TEST_F(FileTest, FailedReplaceKeepsTheOldFile) {
  std::string path = (dir_ / "target").string();
  WriteFileAtomically(path, "good");
  // Renaming a file over a non-empty directory fails, after the temporary file was written.
  fs::create_directory(dir_ / "blocker");
  Write("blocker/inside", "x");
  EXPECT_THROW(WriteFileAtomically((dir_ / "blocker").string(), "new"), EnvironmentError);
  EXPECT_EQ(ReadFileOrStdin(path), "good");
  for (const auto& entry : fs::directory_iterator(dir_))
    EXPECT_EQ(entry.path().filename().string().find(".tmp."), std::string::npos) << entry.path();
}

}  // namespace
}  // namespace hfi

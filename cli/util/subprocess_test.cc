#include "util/subprocess.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <thread>

#include "util/errors.h"

namespace hfi {
namespace {

using std::chrono::milliseconds;

ProcessSpec Shell(const std::string& script) {
  ProcessSpec spec;
  spec.argv = {"/bin/sh", "-c", script};
  spec.timeout = std::chrono::seconds(20);
  return spec;
}

// Alive means running: a zombie nobody reaps (PID 1 of a container may not) counts as gone.
bool Running(pid_t pid) {
  std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(stat, line))
    return false;
  std::size_t paren = line.rfind(')');
  return paren != std::string::npos && paren + 2 < line.size() && line[paren + 2] != 'Z';
}

TEST(SubprocessTest, CapturesStdoutAndStderrAndTheExitCode) {
  ProcessResult result = RunProcess(Shell("echo out; echo err >&2; exit 3"));
  EXPECT_EQ(result.end, ProcessResult::End::kExited);
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_FALSE(result.Succeeded());
  EXPECT_EQ(result.output, "out\nerr\n");
  EXPECT_EQ(result.dropped_bytes, 0u);
}

TEST(SubprocessTest, Success) {
  ProcessResult result = RunProcess(Shell("true"));
  EXPECT_TRUE(result.Succeeded());
  EXPECT_EQ(result.output, "");
}

TEST(SubprocessTest, StdinIsEmpty) {
  ProcessResult result = RunProcess(Shell("wc -c"));
  EXPECT_EQ(result.output.find_first_not_of(' '), result.output.find('0'));
}

TEST(SubprocessTest, DeathBySignal) {
  ProcessResult result = RunProcess(Shell("kill -KILL $$"));
  EXPECT_EQ(result.end, ProcessResult::End::kSignaled);
  EXPECT_EQ(result.signal, SIGKILL);
}

TEST(SubprocessTest, WorkingDirectoryAndEnvironment) {
  ProcessSpec spec = Shell("pwd; echo \"$HFI_TEST_VALUE\"; echo \"${HOME:+home set}\"");
  spec.cwd = "/tmp";
  spec.env = {{"HFI_TEST_VALUE", "a b"}};
  ::setenv("HOME", "/root", 0);
  ProcessResult result = RunProcess(spec);
  EXPECT_EQ(result.output, "/tmp\na b\nhome set\n");
}

TEST(SubprocessTest, ReplacesAnInheritedVariable) {
  ::setenv("HFI_TEST_REPLACED", "old", 1);
  ProcessSpec spec = Shell("env | grep -c '^HFI_TEST_REPLACED='; echo \"$HFI_TEST_REPLACED\"");
  spec.env = {{"HFI_TEST_REPLACED", "new"}};
  EXPECT_EQ(RunProcess(spec).output, "1\nnew\n");
  ::unsetenv("HFI_TEST_REPLACED");
}

TEST(SubprocessTest, OutputBeyondTheCapIsCountedNotKept) {
  ProcessSpec spec = Shell("head -c 100000 /dev/zero");
  spec.max_output = 1000;
  ProcessResult result = RunProcess(spec);
  EXPECT_TRUE(result.Succeeded());
  EXPECT_EQ(result.output.size(), 1000u);
  EXPECT_EQ(result.dropped_bytes, 99000u);
}

// The whole process group goes at the deadline, grandchildren included.
TEST(SubprocessTest, TimeoutStopsTheWholeGroup) {
  std::filesystem::path pid_file =
      std::filesystem::temp_directory_path() / ("hfi_subprocess_" + std::to_string(::getpid()));
  ProcessSpec spec = Shell("sleep 30 & echo $! > " + pid_file.string() + "; wait");
  spec.timeout = milliseconds(500);
  auto start = std::chrono::steady_clock::now();
  ProcessResult result = RunProcess(spec);
  auto took = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(result.end, ProcessResult::End::kTimedOut);
  EXPECT_LT(took, std::chrono::seconds(10));
  std::ifstream in(pid_file);
  pid_t grandchild = 0;
  ASSERT_TRUE(in >> grandchild);
  std::filesystem::remove(pid_file);
  // SIGKILL delivery is asynchronous: give the kernel a moment.
  for (int i = 0; i < 100 && Running(grandchild); ++i)
    std::this_thread::sleep_for(milliseconds(10));
  EXPECT_FALSE(Running(grandchild)) << grandchild;
}

// A child that ignores SIGTERM is killed after the grace period.
TEST(SubprocessTest, TimeoutKillsAChildThatIgnoresTerm) {
  ProcessSpec spec = Shell("trap '' TERM; sleep 30; sleep 30");
  spec.timeout = milliseconds(200);
  auto start = std::chrono::steady_clock::now();
  ProcessResult result = RunProcess(spec);
  EXPECT_EQ(result.end, ProcessResult::End::kTimedOut);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

// SIGTERM to us while the child runs: the child is stopped and reaped, and we live on.
TEST(SubprocessTest, OurOwnSignalStopsTheChild) {
  std::thread killer([] {
    std::this_thread::sleep_for(milliseconds(300));
    ::kill(::getpid(), SIGTERM);
  });
  ProcessResult result = RunProcess(Shell("sleep 30"));
  killer.join();
  EXPECT_EQ(result.end, ProcessResult::End::kInterrupted);
  EXPECT_EQ(result.signal, SIGTERM);
  EXPECT_LT(result.elapsed, std::chrono::seconds(10));
  // The previous disposition is back.
  struct sigaction now {};
  ::sigaction(SIGTERM, nullptr, &now);
  EXPECT_EQ(now.sa_handler, SIG_DFL);
}

TEST(SubprocessTest, ProgramThatCannotStartIsAnEnvironmentError) {
  ProcessSpec spec;
  spec.argv = {"/nonexistent/em++", "--version"};
  try {
    RunProcess(spec);
    FAIL() << "no error";
  } catch (const EnvironmentError& e) {
    EXPECT_EQ(e.subject(), "/nonexistent/em++");
    EXPECT_EQ(e.reason(), "cannot run: No such file or directory");
  }
}

TEST(SubprocessTest, FindExecutable) {
  EXPECT_EQ(FindExecutable("/bin/sh"), "/bin/sh");
  EXPECT_EQ(FindExecutable("/nonexistent/sh"), "");
  EXPECT_EQ(FindExecutable("/etc/passwd"), "");  // exists, not executable
  EXPECT_EQ(FindExecutable("/tmp"), "");         // a directory
  std::string sh = FindExecutable("sh");
  EXPECT_FALSE(sh.empty());
  EXPECT_EQ(sh.substr(sh.size() - 3), "/sh");
  EXPECT_EQ(FindExecutable("hfi-no-such-program-anywhere"), "");
  EXPECT_EQ(FindExecutable(""), "");
}

}  // namespace
}  // namespace hfi

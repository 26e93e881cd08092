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
#include "util/interrupt.h"

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
  ClearInterrupt();
  ProcessResult result = RunProcess(Shell("sleep 30"));
  killer.join();
  EXPECT_EQ(result.end, ProcessResult::End::kInterrupted);
  EXPECT_EQ(result.signal, SIGTERM);
  EXPECT_LT(result.elapsed, std::chrono::seconds(10));
  // The previous disposition is back.
  struct sigaction now {};
  ::sigaction(SIGTERM, nullptr, &now);
  EXPECT_EQ(now.sa_handler, SIG_DFL);
  // The signal stays recorded for whoever ends the command.
  EXPECT_EQ(InterruptSignal(), SIGTERM);
  ClearInterrupt();
}

// After Ctrl-C nothing new is started.
TEST(SubprocessTest, NothingStartsOnceInterrupted) {
  std::filesystem::path marker =
      std::filesystem::temp_directory_path() / ("hfi_not_started_" + std::to_string(::getpid()));
  ClearInterrupt();
  ProcessResult result;
  {
    InterruptScope scope;
    ::raise(SIGTERM);
    result = RunProcess(Shell("touch " + marker.string()));
  }
  EXPECT_EQ(result.end, ProcessResult::End::kInterrupted);
  EXPECT_EQ(result.signal, SIGTERM);
  EXPECT_FALSE(std::filesystem::exists(marker));
  ClearInterrupt();
}

TEST(SubprocessTest, SeparateStderr) {
  ProcessSpec spec = Shell("echo out; echo err >&2; echo out2; exit 1");
  spec.separate_stderr = true;
  ProcessResult result = RunProcess(spec);
  EXPECT_EQ(result.end, ProcessResult::End::kExited);
  EXPECT_EQ(result.exit_code, 1);
  EXPECT_EQ(result.output, "out\nout2\n");
  EXPECT_EQ(result.error_output, "err\n");
}

TEST(SubprocessTest, MergedStreamsLeaveErrorOutputEmpty) {
  ProcessResult result = RunProcess(Shell("echo err >&2"));
  EXPECT_EQ(result.output, "err\n");
  EXPECT_EQ(result.error_output, "");
}

TEST(SubprocessTest, EachStreamHasItsOwnCap) {
  ProcessSpec spec = Shell("head -c 5000 /dev/zero; head -c 3000 /dev/zero >&2");
  spec.separate_stderr = true;
  spec.max_output = 1000;
  ProcessResult result = RunProcess(spec);
  EXPECT_EQ(result.output.size(), 1000u);
  EXPECT_EQ(result.error_output.size(), 1000u);
  EXPECT_EQ(result.dropped_bytes, 6000u);
}

TEST(SubprocessTest, StdinData) {
  ProcessSpec spec = Shell("cat; echo; echo end");
  spec.stdin_data = "apiVersion: v1\nkind: List\n";
  ProcessResult result = RunProcess(spec);
  EXPECT_TRUE(result.Succeeded());
  EXPECT_EQ(result.output, "apiVersion: v1\nkind: List\n\nend\n");
}

// Input and output both far beyond a pipe's buffer: written and read in the same loop, so neither
// side blocks the other.
TEST(SubprocessTest, LargeStdinEchoedBack) {
  std::string data;
  for (int i = 0; data.size() < (std::size_t{3} << 20); ++i)
    data += "line " + std::to_string(i) + "\n";
  ProcessSpec spec = Shell("cat; cat /dev/null >&2");
  spec.stdin_data = data;
  spec.separate_stderr = true;
  spec.max_output = std::size_t{8} << 20;
  ProcessResult result = RunProcess(spec);
  EXPECT_TRUE(result.Succeeded());
  EXPECT_EQ(result.output.size(), data.size());
  EXPECT_TRUE(result.output == data);
}

// A child that never reads its stdin and exits: no SIGPIPE death for us, the exit code is its own.
TEST(SubprocessTest, ChildThatIgnoresStdin) {
  ProcessSpec spec = Shell("echo gone; exit 4");
  spec.stdin_data = std::string(std::size_t{1} << 20, 'x');
  ProcessResult result = RunProcess(spec);
  EXPECT_EQ(result.end, ProcessResult::End::kExited);
  EXPECT_EQ(result.exit_code, 4);
  EXPECT_EQ(result.output, "gone\n");
}

TEST(SubprocessTest, ChildThatClosesStdinEarly) {
  ProcessSpec spec = Shell("head -c 10 >/dev/null; exec 0<&-; sleep 0.2; echo done");
  spec.stdin_data = std::string(std::size_t{1} << 20, 'x');
  ProcessResult result = RunProcess(spec);
  EXPECT_TRUE(result.Succeeded());
  EXPECT_EQ(result.output, "done\n");
}

TEST(SubprocessTest, TimeoutWhileFeedingStdin) {
  ProcessSpec spec = Shell("sleep 30");
  spec.stdin_data = std::string(std::size_t{1} << 20, 'x');
  spec.timeout = milliseconds(300);
  ProcessResult result = RunProcess(spec);
  EXPECT_EQ(result.end, ProcessResult::End::kTimedOut);
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

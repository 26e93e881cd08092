#include "util/child_process.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <thread>

#include "util/errors.h"
#include "util/interrupt.h"

namespace hfi {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using Read = ChildProcess::Read;

std::unique_ptr<ChildProcess> StartShell(const std::string& script) {
  ProcessSpec spec;
  spec.argv = {"/bin/sh", "-c", script};
  return ChildProcess::Start(spec);
}

ChildProcess::Clock::time_point In(milliseconds d) {
  return ChildProcess::Clock::now() + d;
}

// Orphans of the children become ours (not PID 1's, which may never reap them), so a test can
// reap a killed grandchild and then see its id gone for good.
class ChildProcessTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ::prctl(PR_SET_CHILD_SUBREAPER, 1); }
  void SetUp() override { ClearInterrupt(); }
  void TearDown() override { ClearInterrupt(); }

  // Waits (bounded) for an orphaned grandchild to die and reaps it; true when it died of SIGKILL
  // or SIGTERM and its id is gone afterwards.
  static bool KilledAndGone(pid_t pid) {
    int status = 0;
    pid_t r = 0;
    for (int i = 0; i < 1000; ++i) {
      r = ::waitpid(pid, &status, WNOHANG);
      if (r != 0)
        break;
      std::this_thread::sleep_for(milliseconds(10));
    }
    if (r != pid || !WIFSIGNALED(status))
      return false;
    return ::kill(pid, 0) == -1 && errno == ESRCH;
  }
};

TEST_F(ChildProcessTest, ReadsLinesFromStdoutAndStderrThenEof) {
  auto child = StartShell("echo one; echo two >&2; printf 'three\\r\\nfour'");
  std::string line;
  ASSERT_EQ(child->ReadLine(&line, In(seconds(20))), Read::kLine);
  EXPECT_EQ(line, "one");
  ASSERT_EQ(child->ReadLine(&line, In(seconds(20))), Read::kLine);
  EXPECT_EQ(line, "two");
  ASSERT_EQ(child->ReadLine(&line, In(seconds(20))), Read::kLine);
  EXPECT_EQ(line, "three");
  // The unterminated last line comes at EOF.
  ASSERT_EQ(child->ReadLine(&line, In(seconds(20))), Read::kLine);
  EXPECT_EQ(line, "four");
  EXPECT_EQ(child->ReadLine(&line, In(seconds(20))), Read::kEof);
  EXPECT_EQ(child->ReadLine(&line, In(seconds(20))), Read::kEof);
  EXPECT_EQ(child->output(), "one\ntwo\nthree\r\nfour");
}

TEST_F(ChildProcessTest, ExitCodeOfAChildThatEnded) {
  auto child = StartShell("echo bye; exit 3");
  std::string line;
  ASSERT_EQ(child->ReadLine(&line, In(seconds(20))), Read::kLine);
  EXPECT_EQ(child->ReadLine(&line, In(seconds(20))), Read::kEof);
  for (int i = 0; i < 1000 && !child->Exited(); ++i)
    std::this_thread::sleep_for(milliseconds(10));
  EXPECT_TRUE(child->Exited());
  ProcessResult result = child->Stop();
  EXPECT_EQ(result.end, ProcessResult::End::kExited);
  EXPECT_EQ(result.exit_code, 3);
  EXPECT_EQ(result.output, "bye\n");
  // Idempotent.
  ProcessResult again = child->Stop();
  EXPECT_EQ(again.end, ProcessResult::End::kExited);
  EXPECT_EQ(again.exit_code, 3);
}

TEST_F(ChildProcessTest, DeadlineWithoutOutput) {
  auto child = StartShell("sleep 30");
  std::string line = "unchanged";
  EXPECT_EQ(child->ReadLine(&line, In(milliseconds(200))), Read::kTimeout);
  EXPECT_EQ(line, "unchanged");
  EXPECT_FALSE(child->Exited());
  ProcessResult result = child->Stop();
  EXPECT_EQ(result.end, ProcessResult::End::kSignaled);
  EXPECT_EQ(result.signal, SIGTERM);
  EXPECT_TRUE(child->Exited());
}

TEST_F(ChildProcessTest, APartialLineWaitsForItsNewline) {
  auto child = StartShell("printf 'Forwarding from'; sleep 30");
  std::string line;
  EXPECT_EQ(child->ReadLine(&line, In(milliseconds(300))), Read::kTimeout);
  EXPECT_EQ(child->output(), "Forwarding from");
}

TEST_F(ChildProcessTest, InterruptedWhileWaiting) {
  auto child = StartShell("sleep 30");
  InterruptScope scope;
  std::thread signaller([] {
    std::this_thread::sleep_for(milliseconds(200));
    ::kill(::getpid(), SIGTERM);
  });
  std::string line;
  Read read = child->ReadLine(&line, In(seconds(30)));
  signaller.join();
  EXPECT_EQ(read, Read::kInterrupted);
  EXPECT_EQ(InterruptSignal(), SIGTERM);
  child->Stop();
  EXPECT_TRUE(child->Exited());
}

TEST_F(ChildProcessTest, AChildThatIgnoresTermIsKilled) {
  auto child = StartShell("trap '' TERM; echo ready; while :; do sleep 1; done");
  std::string line;
  ASSERT_EQ(child->ReadLine(&line, In(seconds(20))), Read::kLine);
  ASSERT_EQ(line, "ready");
  ProcessResult result = child->Stop(milliseconds(200));
  EXPECT_EQ(result.end, ProcessResult::End::kSignaled);
  EXPECT_EQ(result.signal, SIGKILL);
}

// The destructor takes the whole group: a grandchild the shell started is gone too.
TEST_F(ChildProcessTest, DestructorKillsTheGroup) {
  auto child = StartShell("sleep 300 & echo $!; wait");
  std::string line;
  ASSERT_EQ(child->ReadLine(&line, In(seconds(20))), Read::kLine);
  pid_t grandchild = std::stoi(line);
  pid_t leader = child->pid();
  ASSERT_EQ(::kill(grandchild, 0), 0);
  child.reset();
  EXPECT_TRUE(KilledAndGone(grandchild)) << grandchild;
  EXPECT_EQ(::kill(leader, 0), -1);  // reaped by the destructor
}

// The leader already gone, its orphan still in the group: still stopped.
TEST_F(ChildProcessTest, OrphanOfAnExitedLeaderIsKilled) {
  auto child = StartShell("sleep 300 & echo $!; exit 0");
  std::string line;
  ASSERT_EQ(child->ReadLine(&line, In(seconds(20))), Read::kLine);
  pid_t grandchild = std::stoi(line);
  for (int i = 0; i < 1000 && !child->Exited(); ++i)
    std::this_thread::sleep_for(milliseconds(10));
  ASSERT_TRUE(child->Exited());
  // The orphan keeps the pipe open: no EOF yet.
  EXPECT_EQ(child->ReadLine(&line, In(milliseconds(100))), Read::kTimeout);
  ProcessResult result = child->Stop();
  EXPECT_EQ(result.end, ProcessResult::End::kExited);
  EXPECT_EQ(result.exit_code, 0);
  EXPECT_TRUE(KilledAndGone(grandchild)) << grandchild;
}

// A chatty child (kubectl port-forward prints a line per connection) never blocks on a full pipe
// while Drain() is called, and what is kept ends on whole lines.
TEST_F(ChildProcessTest, DrainKeepsAChattyChildGoing) {
  std::filesystem::path marker =
      std::filesystem::temp_directory_path() / ("hfi_drain_" + std::to_string(::getpid()));
  std::filesystem::remove(marker);
  auto child = StartShell(
      "i=0; while [ $i -lt 30000 ]; do echo 'Handling connection for 43127'; i=$((i+1)); done; "
      "touch " +
      marker.string() + "; echo finished; sleep 30");
  bool done = false;
  for (int i = 0; i < 2000 && !done; ++i) {
    child->Drain();
    done = std::filesystem::exists(marker);
    if (!done)
      std::this_thread::sleep_for(milliseconds(10));
  }
  std::filesystem::remove(marker);
  ASSERT_TRUE(done);
  std::string line;
  std::size_t lines = 0;
  Read read;
  while ((read = child->ReadLine(&line, In(seconds(20)))) == Read::kLine && line != "finished") {
    EXPECT_EQ(line, "Handling connection for 43127");
    ++lines;
  }
  EXPECT_EQ(read, Read::kLine);
  EXPECT_EQ(line, "finished");
  EXPECT_GT(lines, 0u);
  EXPECT_LT(lines, 30000u);
  EXPECT_LE(child->output().size(), std::size_t{64} << 10);
}

TEST_F(ChildProcessTest, ProgramThatCannotStart) {
  ProcessSpec spec;
  spec.argv = {"/nonexistent/kubectl", "port-forward"};
  try {
    ChildProcess::Start(spec);
    FAIL() << "no error";
  } catch (const EnvironmentError& e) {
    EXPECT_EQ(e.subject(), "/nonexistent/kubectl");
    EXPECT_EQ(e.reason(), "cannot run: No such file or directory");
  }
}

}  // namespace
}  // namespace hfi

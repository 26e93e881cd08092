#include "util/interrupt.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <thread>
#include <vector>

namespace hfi {
namespace {

using std::chrono::milliseconds;

using Handler = void (*)(int);

Handler CurrentHandler(int signo) {
  struct sigaction now {};
  ::sigaction(signo, nullptr, &now);
  return now.sa_handler;
}

constexpr int kStopSignals[] = {SIGINT, SIGTERM, SIGHUP};

// Each test starts from the default dispositions, whatever the test runner inherited (a shell
// ignores SIGINT in background jobs, nohup ignores SIGHUP). raise() delivers to the calling thread
// before it returns when the signal is not blocked.
class InterruptTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ClearInterrupt();
    for (int i = 0; i < 3; ++i) {
      struct sigaction defaults {};
      defaults.sa_handler = SIG_DFL;
      sigemptyset(&defaults.sa_mask);
      ::sigaction(kStopSignals[i], &defaults, &inherited_[i]);
    }
  }
  void TearDown() override {
    for (int i = 0; i < 3; ++i)
      ::sigaction(kStopSignals[i], &inherited_[i], nullptr);
    ClearInterrupt();
  }

 private:
  struct sigaction inherited_[3]{};
};

TEST_F(InterruptTest, NothingRecordedWithoutASignal) {
  InterruptScope scope;
  EXPECT_EQ(InterruptSignal(), 0);
  EXPECT_FALSE(Interrupted());
}

TEST_F(InterruptTest, RecordsEachStopSignalAndKeepsItUntilCleared) {
  for (int signo : kStopSignals) {
    {
      InterruptScope scope;
      ASSERT_EQ(::raise(signo), 0);
      EXPECT_EQ(InterruptSignal(), signo);
    }
    // Still set after the scope is gone: whoever reports the end of the command reads it.
    EXPECT_TRUE(Interrupted());
    ClearInterrupt();
    EXPECT_FALSE(Interrupted());
  }
}

TEST_F(InterruptTest, TheFirstSignalWins) {
  InterruptScope scope;
  ::raise(SIGTERM);
  ::raise(SIGINT);
  EXPECT_EQ(InterruptSignal(), SIGTERM);
}

TEST_F(InterruptTest, FirstScopeInstallsAndLastRestores) {
  ASSERT_EQ(CurrentHandler(SIGINT), SIG_DFL);
  {
    InterruptScope outer;
    Handler installed = CurrentHandler(SIGINT);
    EXPECT_NE(installed, SIG_DFL);
    EXPECT_NE(installed, SIG_IGN);
    {
      InterruptScope inner;
      EXPECT_EQ(CurrentHandler(SIGINT), installed);
    }
    // The inner scope leaving does not uninstall what the outer one still needs.
    EXPECT_EQ(CurrentHandler(SIGINT), installed);
    EXPECT_EQ(CurrentHandler(SIGTERM), installed);
    EXPECT_EQ(CurrentHandler(SIGHUP), installed);
  }
  EXPECT_EQ(CurrentHandler(SIGINT), SIG_DFL);
  EXPECT_EQ(CurrentHandler(SIGTERM), SIG_DFL);
  EXPECT_EQ(CurrentHandler(SIGHUP), SIG_DFL);
}

TEST_F(InterruptTest, AnIgnoredSignalStaysIgnored) {
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  struct sigaction previous {};
  ASSERT_EQ(::sigaction(SIGHUP, &ignore, &previous), 0);
  {
    InterruptScope scope;
    EXPECT_EQ(CurrentHandler(SIGHUP), SIG_IGN);
    EXPECT_NE(CurrentHandler(SIGINT), SIG_IGN);
    ::raise(SIGHUP);
    EXPECT_FALSE(Interrupted());
  }
  EXPECT_EQ(CurrentHandler(SIGHUP), SIG_IGN);
  ::sigaction(SIGHUP, &previous, nullptr);
}

TEST_F(InterruptTest, AnEarlierHandlerComesBack) {
  struct sigaction custom {};
  custom.sa_handler = [](int) {};
  sigemptyset(&custom.sa_mask);
  struct sigaction previous {};
  ASSERT_EQ(::sigaction(SIGTERM, &custom, &previous), 0);
  { InterruptScope scope; }
  EXPECT_EQ(CurrentHandler(SIGTERM), custom.sa_handler);
  ::sigaction(SIGTERM, &previous, nullptr);
}

// Many threads opening and closing scopes at once never leave the handlers installed, and a
// signal sent while they all hold a scope is recorded.
TEST_F(InterruptTest, ScopesFromManyThreads) {
  InterruptScope held;
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([] {
      for (int i = 0; i < 2000; ++i) {
        InterruptScope scope;
      }
    });
  }
  ::kill(::getpid(), SIGINT);  // to the process: any thread may take it
  for (std::thread& thread : threads)
    thread.join();
  for (int i = 0; i < 500 && !Interrupted(); ++i)
    std::this_thread::sleep_for(milliseconds(10));
  EXPECT_EQ(InterruptSignal(), SIGINT);
  EXPECT_NE(CurrentHandler(SIGINT), SIG_DFL);
}

TEST_F(InterruptTest, ScopesFromManyThreadsRestoreAtTheEnd) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([] {
      for (int i = 0; i < 2000; ++i) {
        InterruptScope scope;
        InterruptScope nested;
      }
    });
  }
  for (std::thread& thread : threads)
    thread.join();
  EXPECT_EQ(CurrentHandler(SIGINT), SIG_DFL);
  EXPECT_EQ(CurrentHandler(SIGTERM), SIG_DFL);
}

}  // namespace
}  // namespace hfi

#include "util/deadline.h"

#include <gtest/gtest.h>

#include <thread>

#include "util/interrupt.h"

namespace hfi {
namespace {

using std::chrono::milliseconds;

class DeadlineTest : public ::testing::Test {
 protected:
  void SetUp() override { ClearDeadlineForTest(); }
  void TearDown() override { ClearDeadlineForTest(); }
};

TEST_F(DeadlineTest, InterruptsOncePassed) {
  CommandDeadline deadline(milliseconds(20), milliseconds(0));
  // Waits on the outcome, not on a time: the watcher must set the flag eventually.
  while (!DeadlinePassed())
    std::this_thread::sleep_for(milliseconds(5));
  EXPECT_TRUE(Interrupted());
  EXPECT_EQ(deadline.Remaining(), milliseconds(0));
  EXPECT_EQ(InterruptSignal(), 0);  // a deadline is not a signal: exit 2, not 130
}

TEST_F(DeadlineTest, EndingFirstCancelsTheWatcher) {
  {
    CommandDeadline deadline(milliseconds(3'600'000), milliseconds(0));
    EXPECT_GT(deadline.Remaining(), milliseconds(3'000'000));
    EXPECT_EQ(deadline.limit(), milliseconds(3'600'000));
  }  // the destructor must not wait an hour
  EXPECT_FALSE(DeadlinePassed());
}

TEST_F(DeadlineTest, ClearInterruptKeepsAPassedDeadline) {
  InterruptForDeadline();
  ClearInterrupt();  // what a command does at its start, for signals
  EXPECT_TRUE(Interrupted());
}

}  // namespace
}  // namespace hfi

#include "util/parallel.h"

#include <gtest/gtest.h>

#include <atomic>
#include <mutex>
#include <set>
#include <stdexcept>

#include "util/errors.h"
#include "util/interrupt.h"

namespace hfi {
namespace {

TEST(ForEachIndexTest, RunsEveryIndexOnce) {
  std::mutex mutex;
  std::multiset<std::size_t> seen;
  ForEachIndex(
      100, 4,
      [&](std::size_t i) {
        std::lock_guard<std::mutex> lock(mutex);
        seen.insert(i);
      },
      "test");
  ASSERT_EQ(seen.size(), 100u);
  for (std::size_t i = 0; i < 100; ++i)
    EXPECT_EQ(seen.count(i), 1u) << i;
  ForEachIndex(
      0, 4, [](std::size_t) { ADD_FAILURE() << "work for an empty range"; }, "test");
}

TEST(ForEachIndexTest, RethrowsTheFirstErrorAfterTheJoin) {
  std::atomic<std::size_t> ran{0};
  try {
    ForEachIndex(
        1000, 1,
        [&](std::size_t i) {
          ++ran;
          if (i == 3)
            throw InputError("piece 3", "broken");
        },
        "test");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(e.subject(), "piece 3");
  }
  EXPECT_EQ(ran.load(), 4u);  // one thread: nothing is handed out after the failure
}

TEST(ForEachIndexTest, StopsHandingOutWorkOnceInterrupted) {
  ClearDeadlineForTest();
  std::atomic<std::size_t> ran{0};
  EXPECT_THROW(ForEachIndex(
                   1000, 1,
                   [&](std::size_t i) {
                     ++ran;
                     if (i == 1)
                       InterruptForDeadline();
                   },
                   "test"),
               InterruptedError);
  EXPECT_EQ(ran.load(), 2u);
  ClearDeadlineForTest();
}

}  // namespace
}  // namespace hfi

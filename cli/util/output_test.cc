#include "util/output.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <string>

namespace hfi {
namespace {

// A pipe whose read end is closed: every write fails with EPIPE (SIGPIPE ignored, as in main).
TEST(WriteOut, ClosedPipeThrowsBrokenPipe) {
  auto old = std::signal(SIGPIPE, SIG_IGN);
  int fds[2];
  ASSERT_EQ(::pipe(fds), 0);
  ::close(fds[0]);
  std::FILE* out = ::fdopen(fds[1], "w");
  ASSERT_NE(out, nullptr);
  EXPECT_THROW(WriteOut(std::string(100'000, 'x'), out), BrokenPipe);
  std::fclose(out);
  std::signal(SIGPIPE, old);
}

TEST(WriteOut, WritesEverything) {
  std::FILE* out = std::tmpfile();
  ASSERT_NE(out, nullptr);
  WriteOut("hello\n", out);
  std::rewind(out);
  char buf[16] = {};
  ASSERT_EQ(std::fread(buf, 1, sizeof buf, out), 6u);
  EXPECT_STREQ(buf, "hello\n");
  std::fclose(out);
}

// /dev/full: the disk-full case is an error with a message, not a silent exit.
TEST(WriteOut, FullDeviceIsAnEnvironmentError) {
  std::FILE* out = std::fopen("/dev/full", "w");
  if (out == nullptr)
    GTEST_SKIP() << "/dev/full is not available";
  try {
    WriteOut("x", out);
    ADD_FAILURE() << "no error";
  } catch (const BrokenPipe&) {
    ADD_FAILURE() << "ENOSPC reported as a broken pipe";
  } catch (const EnvironmentError& e) {
    EXPECT_NE(e.reason().find("No space left"), std::string::npos) << e.reason();
  }
  std::fclose(out);
}

}  // namespace
}  // namespace hfi

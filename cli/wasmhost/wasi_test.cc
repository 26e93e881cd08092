// WASI as cpp-host answers it (facts/proxy-wasm-abi.md §6.2), plus the host's log and time
// hostcalls: stdout/stderr to the log, clocks from the host's Clock, no environment or files.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "wasmhost/test_support.h"

namespace hfi::wasmhost {
namespace {

using ::testing::ElementsAre;
using testing::HostFixture;
using testing::PluginWat;

std::uint64_t LittleEndian64(const std::string& bytes) {
  std::uint64_t v = 0;
  for (int i = 7; i >= 0; --i)
    v = (v << 8) | static_cast<unsigned char>(bytes.at(i));
  return v;
}

TEST(WasiTest, FdWriteGoesToTheLog) {
  HostFixture fixture;
  fixture.LoadAndStart(PluginWat({"proxy_log", "wasi:fd_write"}, R"(
    (data (i32.const 1024) "hel")
    (data (i32.const 1027) "lo\n")
    (data (i32.const 1040) "oops\n\n")
    (data (i32.const 1100) "\00\04\00\00\03\00\00\00\03\04\00\00\03\00\00\00")  ;; two iovecs
    (data (i32.const 1116) "\10\04\00\00\06\00\00\00")  ;; one iovec {1040, 6}
    (func (export "proxy_on_vm_start") (param i32 i32) (result i32)
      (local $i i32)
      (call $note (call $fd_write (i32.const 1) (i32.const 1100) (i32.const 2) (i32.const 512)))
      (call $note (i32.load (i32.const 512)))
      (call $note (call $fd_write (i32.const 2) (i32.const 1116) (i32.const 1) (i32.const 512)))
      (call $note (call $fd_write (i32.const 3) (i32.const 1116) (i32.const 1) (i32.const 512)))
      ;; 17 iovecs over the same 64 KiB: more than the 1 MiB a write may log
      (loop $fill
        (i32.store (i32.add (i32.const 2048) (i32.mul (local.get $i) (i32.const 8)))
                   (i32.const 0))
        (i32.store (i32.add (i32.const 2052) (i32.mul (local.get $i) (i32.const 8)))
                   (i32.const 65536))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br_if $fill (i32.lt_u (local.get $i) (i32.const 17))))
      (call $note (call $fd_write (i32.const 1) (i32.const 2048) (i32.const 17) (i32.const 512)))
      (call $flush)
      (i32.const 1)))"));
  const std::vector<LogRecord>& records = fixture.log.records();
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].message, "hello");  // one trailing newline dropped
  EXPECT_EQ(records[0].level, LogLevel::kInfo);
  EXPECT_EQ(records[1].message, "oops\n");  // only one
  EXPECT_EQ(records[1].level, LogLevel::kError);
  // 6 bytes written; fd 3 is EBADF (8); too much in one write is EINVAL (28: 'L').
  EXPECT_EQ(records[2].message, "0608L");
}

TEST(WasiTest, ClocksComeFromTheHostClock) {
  HostFixture fixture;
  fixture.clock.Advance(1234);
  fixture.LoadAndStart(
      PluginWat({"proxy_log", "wasi:clock_time_get", "proxy_get_current_time_nanoseconds"}, R"(
    (func (export "proxy_on_vm_start") (param i32 i32) (result i32)
      (call $note (call $clock_time_get (i32.const 0) (i64.const 1) (i32.const 512)))
      (call $note (call $clock_time_get (i32.const 1) (i64.const 1) (i32.const 520)))
      (call $note (call $clock_time_get (i32.const 2) (i64.const 1) (i32.const 528)))
      (call $note (call $proxy_get_current_time_nanoseconds (i32.const 536)))
      (call $flush)
      (call $say (i32.const 512) (i32.const 8))
      (call $say (i32.const 520) (i32.const 8))
      (call $say (i32.const 536) (i32.const 8))
      (i32.const 1)))"));
  std::vector<std::string> logs = fixture.PluginLogs();
  ASSERT_EQ(logs.size(), 4u);
  EXPECT_EQ(logs[0], "00j0");  // realtime Ok, monotonic Ok, process clock ENOTSUP (58: 'j')
  EXPECT_EQ(LittleEndian64(logs[1]),
            static_cast<std::uint64_t>(VirtualClock::kDefaultRealtimeStart + 1234));
  EXPECT_EQ(LittleEndian64(logs[2]), 1234u);
  EXPECT_EQ(LittleEndian64(logs[3]),
            static_cast<std::uint64_t>(VirtualClock::kDefaultRealtimeStart + 1234));
}

TEST(WasiTest, NoEnvironmentArgumentsOrFiles) {
  HostFixture fixture;
  fixture.LoadAndStart(
      PluginWat({"proxy_log", "wasi:environ_sizes_get", "wasi:environ_get", "wasi:args_sizes_get",
                 "wasi:args_get", "wasi:fd_read", "wasi:fd_close", "wasi:fd_seek",
                 "wasi:fd_fdstat_get", "wasi:sched_yield", "wasi:random_get"},
                R"(
    (func (export "proxy_on_vm_start") (param i32 i32) (result i32)
      (i32.store (i32.const 512) (i32.const 7))
      (i32.store (i32.const 516) (i32.const 7))
      (call $note (call $environ_sizes_get (i32.const 512) (i32.const 516)))
      (call $note (i32.add (i32.load (i32.const 512)) (i32.load (i32.const 516))))
      (call $note (call $environ_get (i32.const 512) (i32.const 516)))
      (call $note (call $args_sizes_get (i32.const 512) (i32.const 516)))
      (call $note (call $args_get (i32.const 512) (i32.const 516)))
      (call $note (call $fd_read (i32.const 0) (i32.const 512) (i32.const 1) (i32.const 516)))
      (call $note (call $fd_close (i32.const 3)))
      (call $note (call $fd_seek (i32.const 1) (i64.const 0) (i32.const 0) (i32.const 512)))
      (call $note (call $fd_fdstat_get (i32.const 1) (i32.const 600)))
      (call $note (i32.load8_u (i32.const 600)))
      (call $note (call $fd_fdstat_get (i32.const 0) (i32.const 600)))
      (call $note (call $sched_yield))
      (call $note (call $random_get (i32.const 700) (i32.const 65537)))
      (call $note (call $random_get (i32.const 700) (i32.const 16)))
      (call $flush)
      (call $say (i32.const 700) (i32.const 16))
      (i32.const 1)))"));
  std::vector<std::string> logs = fixture.PluginLogs();
  ASSERT_EQ(logs.size(), 2u);
  // Ok and zero sizes, Ok, Ok, Ok; fd_read ENOSYS (52: 'd'); fd_close and fd_seek Ok; stdout is
  // a character device (2); stdin EBADF (8); sched_yield Ok; random_get over 64 KiB EINVAL
  // (28: 'L'), then Ok.
  EXPECT_EQ(logs[0], "00000d000280L0");
  EXPECT_EQ(logs[1].size(), 16u);
  EXPECT_NE(logs[1], std::string(16, '\0'));
  EXPECT_TRUE(fixture.log.Contains(LogSource::kHost, "wasi fd_close: no files"));
}

TEST(LogTest, LevelsAndFiltering) {
  HostFixture fixture;
  HostOptions options = testing::TestOptions();
  options.log_level = LogLevel::kWarn;
  fixture.LoadAndStart(PluginWat({"proxy_log", "proxy_get_log_level"}, R"(
    (data (i32.const 1024) "info")
    (data (i32.const 1040) "warn")
    (data (i32.const 1056) "critical")
    (data (i32.const 1072) "result ? ?")
    (func (export "proxy_on_vm_start") (param i32 i32) (result i32)
      (drop (call $proxy_log (i32.const 2) (i32.const 1024) (i32.const 4)))
      (drop (call $proxy_log (i32.const 3) (i32.const 1040) (i32.const 4)))
      (drop (call $proxy_log (i32.const 5) (i32.const 1056) (i32.const 8)))
      (drop (call $proxy_get_log_level (i32.const 512)))
      (i32.store8 (i32.const 1079) (i32.add (i32.const 48)
        (call $proxy_log (i32.const 6) (i32.const 1024) (i32.const 4))))
      (i32.store8 (i32.const 1081) (i32.add (i32.const 48) (i32.load (i32.const 512))))
      (drop (call $proxy_log (i32.const 4) (i32.const 1072) (i32.const 10)))
      (i32.const 1)))"),
                       options);
  const std::vector<LogRecord>& records = fixture.log.records();
  ASSERT_EQ(records.size(), 3u);
  EXPECT_EQ(records[0].message, "warn");
  EXPECT_EQ(records[0].level, LogLevel::kWarn);
  EXPECT_EQ(records[1].level, LogLevel::kCritical);
  // Level 6 is BadArgument; the plugin sees the host's level, warn (3).
  EXPECT_EQ(records[2].message, "result 2 3");
}

}  // namespace
}  // namespace hfi::wasmhost

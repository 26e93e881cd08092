// Hostile pointers: every range the plugin passes or the host writes through is checked, and a bad
// one is InvalidMemoryAccess (6) — or WASI's EFAULT (21) — never a host crash (facts §1, §5).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "wasmhost/test_support.h"

namespace hfi::wasmhost {
namespace {

using ::testing::ElementsAre;
using testing::HostFixture;
using testing::PluginWat;
using testing::Request;

// Memory is 2 pages: 131072 bytes; 131072 is the first byte past the end.
TEST(MemoryTest, OutOfBoundsRangesAreInvalidMemoryAccess) {
  HostFixture fixture;
  HostOptions options = testing::TestOptions();
  options.vm_configuration = "cfg";
  PluginHost& host = fixture.LoadAndStart(
      PluginWat({"proxy_log", "proxy_define_metric", "proxy_get_buffer_bytes",
                 "proxy_get_current_time_nanoseconds", "proxy_get_header_map_value",
                 "proxy_send_local_response", "proxy_get_log_level", "wasi:fd_write"},
                R"(
    (data (i32.const 1024) ":path")
    (data (i32.const 1040) "\00\04\00\00\05\00\00\00")  ;; iovec {1024, 5}
    (data (i32.const 1056) "\00\00\02\00\05\00\00\00")  ;; iovec {131072, 5}
    (func (export "proxy_on_vm_start") (param i32 i32) (result i32)
      (call $note (call $proxy_log (i32.const 2) (i32.const 131072) (i32.const 1)))
      (call $note (call $proxy_log (i32.const 2) (i32.const 131071) (i32.const 2)))
      (call $note (call $proxy_log (i32.const 2) (i32.const -16) (i32.const 32)))
      (call $note (call $proxy_define_metric (i32.const 0) (i32.const 131070) (i32.const 5)
                                             (i32.const 512)))
      (call $note (call $proxy_define_metric (i32.const 0) (i32.const 1024) (i32.const 5)
                                             (i32.const 131069)))
      (call $note (call $proxy_get_buffer_bytes (i32.const 6) (i32.const 0) (i32.const 3)
                                                (i32.const -1) (i32.const 516)))
      (call $note (call $proxy_get_buffer_bytes (i32.const 6) (i32.const 0) (i32.const 3)
                                                (i32.const 512) (i32.const 131070)))
      (call $note (call $proxy_get_current_time_nanoseconds (i32.const 131065)))
      (call $note (call $proxy_get_current_time_nanoseconds (i32.const 131064)))
      (call $note (call $proxy_get_log_level (i32.const 131070)))
      (call $note (call $fd_write (i32.const 1) (i32.const 1056) (i32.const 1) (i32.const 520)))
      (call $note (call $fd_write (i32.const 1) (i32.const 131068) (i32.const 1) (i32.const 520)))
      (call $note (call $fd_write (i32.const 1) (i32.const 1040) (i32.const 1) (i32.const -4)))
      (call $note (call $fd_write (i32.const 1) (i32.const 1040) (i32.const -1) (i32.const 520)))
      (call $flush)
      (i32.const 1))
    (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
      (call $note (call $proxy_get_header_map_value (i32.const 0) (i32.const 1024) (i32.const 5)
                                                    (i32.const 131072) (i32.const 516)))
      (call $note (call $proxy_send_local_response (i32.const 403) (i32.const 0) (i32.const 0)
                        (i32.const 131000) (i32.const 100) (i32.const 0) (i32.const 0)
                        (i32.const -1)))
      (call $flush)
      (i32.const 0)))"),
      options);
  // The metric whose id could not be written was still created, as in Envoy.
  EXPECT_EQ(fixture.stats.counters().count("wasmcustom.:path"), 1u);
  EXPECT_EQ(host.StartStream(Request("/")).state, StreamState::kContinue);
  // Eight bad ranges, a time written to the last 8 bytes, a bad log-level pointer, then EFAULT
  // (21, shown as 'E') from fd_write for a bad buffer, iovec array, nwritten pointer (after
  // the text was logged) and iovec count.
  EXPECT_THAT(fixture.PluginLogs(), ElementsAre(":path", "6666666606EEEE", "66"));
}

TEST(MemoryTest, MallocReturningNullOrOutOfBounds) {
  for (std::string_view result : {"(i32.const 0)", "(i32.const 65535)", "(i32.const -2)"}) {
    HostFixture fixture;
    PluginHost& host = fixture.LoadAndStart(testing::PluginWithMalloc(result));
    EXPECT_EQ(host.StartStream(Request("/x")).state, StreamState::kContinue) << result;
    EXPECT_THAT(fixture.PluginLogs(), ElementsAre("result 6")) << result;
    EXPECT_EQ(host.fail_state(), FailState::kNone);
  }
}

// malloc may grow the memory, which moves WABT's buffer: the copy must land in the new memory.
TEST(MemoryTest, MallocThatGrowsMemory) {
  HostFixture fixture;
  PluginHost& host = fixture.LoadAndStart(
      testing::PluginWithMalloc("(drop (memory.grow (i32.const 4))) (i32.const 200000)"));
  EXPECT_EQ(host.StartStream(Request("/grown")).state, StreamState::kContinue);
  EXPECT_THAT(fixture.PluginLogs(), ElementsAre("result 0", "/grown"));
}

}  // namespace
}  // namespace hfi::wasmhost

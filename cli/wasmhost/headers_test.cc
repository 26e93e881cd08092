// Header-map hostcalls (facts/proxy-wasm-abi.md §3.6-3.9): reads, changes, pairs both ways, and
// the maps disappearing once the stream moves on, as Envoy drops its pointers to them.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "wasmhost/pairs.h"
#include "wasmhost/test_support.h"

namespace hfi::wasmhost {
namespace {

using ::testing::ElementsAre;
using testing::HostFixture;
using testing::PluginWat;
using testing::Request;
using testing::Response;

constexpr const char* kHeaderPlugin = R"(
  (data (i32.const 1024) ":path")
  (data (i32.const 1040) "X-Custom")
  (data (i32.const 1056) "x-missing")
  (data (i32.const 1072) "x-added")
  (data (i32.const 1088) "yes")
  (data (i32.const 1104) "/rewritten")
  (data (i32.const 1120) "x-remove")
  (data (i32.const 1136) "x-resp")
  (func $get (param $map i32) (param $key i32) (param $len i32) (result i32)
    (call $proxy_get_header_map_value (local.get $map) (local.get $key) (local.get $len)
                                      (i32.const 512) (i32.const 516)))
  (func $show (call $say (i32.load (i32.const 512)) (i32.load (i32.const 516))))
  (func $add (param $map i32) (param $key i32) (param $len i32) (result i32)
    (call $proxy_add_header_map_value (local.get $map) (local.get $key) (local.get $len)
                                      (i32.const 1088) (i32.const 3)))
  (func (export "proxy_on_request_headers") (param $id i32) (param $n i32) (param $eos i32)
        (result i32)
    (call $note (call $get (i32.const 0) (i32.const 1024) (i32.const 5)))
    (call $show)
    (call $note (call $get (i32.const 0) (i32.const 1040) (i32.const 8)))
    (call $show)
    (call $note (call $get (i32.const 0) (i32.const 1056) (i32.const 9)))
    (call $note (call $get (i32.const 8) (i32.const 1024) (i32.const 5)))
    (call $note (call $get (i32.const 2) (i32.const 1024) (i32.const 5)))
    (call $note (call $add (i32.const 0) (i32.const 1072) (i32.const 7)))
    (call $note (call $proxy_replace_header_map_value (i32.const 0) (i32.const 1024) (i32.const 5)
                                                      (i32.const 1104) (i32.const 10)))
    (call $note (call $proxy_remove_header_map_value (i32.const 0) (i32.const 1120) (i32.const 8)))
    (call $note (call $proxy_remove_header_map_value (i32.const 0) (i32.const 1056) (i32.const 9)))
    (call $note (call $proxy_get_header_map_size (i32.const 0) (i32.const 520)))
    (call $flush)
    (call $note (call $proxy_get_header_map_pairs (i32.const 0) (i32.const 512) (i32.const 516)))
    (call $flush)
    (call $show)
    (i32.const 0))
  (func (export "proxy_on_response_headers") (param $id i32) (param $n i32) (param $eos i32)
        (result i32)
    (i32.store (i32.const 512) (i32.const 77))
    (i32.store (i32.const 516) (i32.const 77))
    (call $note (call $get (i32.const 0) (i32.const 1024) (i32.const 5)))
    (call $note (call $proxy_get_header_map_pairs (i32.const 0) (i32.const 512) (i32.const 516)))
    (call $note (i32.load (i32.const 512)))
    (call $note (i32.load (i32.const 516)))
    (call $note (call $add (i32.const 0) (i32.const 1072) (i32.const 7)))
    (call $note (call $add (i32.const 2) (i32.const 1136) (i32.const 6)))
    (call $note (call $get (i32.const 2) (i32.const 1136) (i32.const 6)))
    (call $flush)
    (i32.const 0))
  (func (export "proxy_on_log") (param $id i32)
    (call $note (call $get (i32.const 0) (i32.const 1024) (i32.const 5)))
    (call $note (call $add (i32.const 0) (i32.const 1072) (i32.const 7)))
    (call $note (call $get (i32.const 3) (i32.const 1024) (i32.const 5)))
    (call $flush))
)";

const std::vector<std::string_view> kHeaderImports = {
    "proxy_log",
    "proxy_get_header_map_value",
    "proxy_get_header_map_pairs",
    "proxy_get_header_map_size",
    "proxy_add_header_map_value",
    "proxy_replace_header_map_value",
    "proxy_remove_header_map_value",
};

TEST(HeadersTest, GetAddReplaceRemoveAndPairs) {
  HostFixture fixture;
  PluginHost& host = fixture.LoadAndStart(PluginWat(kHeaderImports, kHeaderPlugin));
  StreamStatus status = host.StartStream(
      Request("/start", {{"X-Custom", "first"}, {"x-custom", "second"}, {"x-remove", "gone"}}));
  ASSERT_EQ(status.state, StreamState::kContinue);
  const HeaderList forwarded = {{":method", "GET"},          {":path", "/rewritten"},
                                {":authority", "svc.local"}, {":scheme", "http"},
                                {"x-custom", "first"},       {"x-custom", "second"},
                                {"x-added", "yes"}};
  EXPECT_EQ(status.message.headers, forwarded);

  std::vector<std::string> logs = fixture.PluginLogs();
  ASSERT_EQ(logs.size(), 5u);
  EXPECT_EQ(logs[0], "/start");
  EXPECT_EQ(logs[1], "first");  // case-insensitive key, first value of a repeated header
  // Ok, Ok, NotFound, BadArgument (type 8), BadArgument (no response yet), then Ok for add,
  // replace, remove, remove of an absent key and the size.
  EXPECT_EQ(logs[2], "0012200000");
  EXPECT_EQ(logs[3], "0");
  HeaderList pairs;
  ASSERT_TRUE(ParsePairs(logs[4], &pairs));
  EXPECT_EQ(pairs, forwarded);

  fixture.log.Clear();
  StreamStatus response = host.OnResponseHeaders(status.id, Response(200));
  EXPECT_EQ(testing::HeaderValue(response.message.headers, "x-resp"), "yes");
  // The request headers are gone once the request went on: BadArgument, pairs Ok and (0, 0),
  // changes BadArgument; the response headers can be changed.
  EXPECT_THAT(fixture.PluginLogs(), ElementsAre("2000200"));

  fixture.log.Clear();
  host.FinishStream(status.id);
  // In proxy_on_log both maps are readable, not writable; a map that does not exist is NotFound.
  EXPECT_THAT(fixture.PluginLogs(), ElementsAre("021"));
}

TEST(HeadersTest, SetPairsReplacesTheMap) {
  HostFixture fixture;
  const std::string block = SerializePairs({{":path", "/set"}, {"X-Upper", "v"}});
  std::string escaped;
  for (unsigned char c : block) {
    char hex[4];
    std::snprintf(hex, sizeof hex, "\\%02x", c);
    escaped += hex;
  }
  PluginHost& host = fixture.LoadAndStart(
      PluginWat({"proxy_log", "proxy_set_header_map_pairs", "proxy_get_header_map_pairs"}, R"(
    (data (i32.const 1024) ")" + escaped + R"(")
    (func $set (param $map i32) (param $size i32) (result i32)
      (call $proxy_set_header_map_pairs (local.get $map) (i32.const 1024) (local.get $size)))
    (func $show_pairs
      (drop (call $proxy_get_header_map_pairs (i32.const 0) (i32.const 512) (i32.const 516)))
      (call $say (i32.load (i32.const 512)) (i32.load (i32.const 516))))
    (func (export "proxy_on_request_headers") (param $id i32) (param $n i32) (param $eos i32)
          (result i32)
      (call $note (call $set (i32.const 0) (i32.const )" + std::to_string(block.size()) + R"()))
      (call $show_pairs)
      ;; a malformed block (a count of 1 and nothing after it) empties the map, as in Envoy
      (call $note (call $set (i32.const 0) (i32.const 4)))
      ;; the response map does not exist yet
      (call $note (call $set (i32.const 2) (i32.const 4)))
      (call $flush)
      (i32.const 0)))"));
  StreamStatus status = host.StartStream(Request("/", {{"x-old", "1"}}));
  EXPECT_TRUE(status.message.headers.empty());
  std::vector<std::string> logs = fixture.PluginLogs();
  ASSERT_EQ(logs.size(), 2u);
  HeaderList pairs;
  ASSERT_TRUE(ParsePairs(logs[0], &pairs));
  EXPECT_EQ(pairs, (HeaderList{{":path", "/set"}, {"x-upper", "v"}}));  // keys lower-cased
  EXPECT_EQ(logs[1], "002");
  EXPECT_TRUE(fixture.log.Contains(LogSource::kHost, "malformed pairs block of 4 bytes"));
}

}  // namespace
}  // namespace hfi::wasmhost

// proxy_get_property (facts/proxy-wasm-abi.md §3.12): the plugin's identity, Istio's node
// metadata, request and response attributes; NotFound for the rest.
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

// Looks up each NUL-separated path given as (ptr, len) and logs either the value or "-" and the
// result code.
constexpr const char* kPropertyPlugin = R"(
  (data (i32.const 1024) "plugin_root_id")                       ;; 14
  (data (i32.const 1040) "plugin_name\00")                       ;; 12, trailing NUL
  (data (i32.const 1056) "node\00metadata\00WORKLOAD_NAME")      ;; 27
  (data (i32.const 1088) "node\00metadata\00NAMESPACE\00")       ;; 24
  (data (i32.const 1120) "node\00metadata\00MISSING")            ;; 21
  (data (i32.const 1152) "request\00url_path")                   ;; 16
  (data (i32.const 1184) "request\00method")                     ;; 14
  (data (i32.const 1200) "request\00headers")                    ;; 15
  (data (i32.const 1216) "response\00code")                      ;; 13
  (data (i32.const 1232) "no\00such\00thing")                    ;; 13
  (data (i32.const 1248) "result ?")
  (func $show (param $ptr i32) (param $len i32)
    (local $r i32)
    (local.set $r (call $proxy_get_property (local.get $ptr) (local.get $len) (i32.const 512)
                                            (i32.const 516)))
    (if (local.get $r)
      (then (call $say1 (i32.const 1248) (i32.const 8) (local.get $r)))
      (else (call $say (i32.load (i32.const 512)) (i32.load (i32.const 516))))))
  (func (export "proxy_on_configure") (param i32 i32) (result i32)
    (call $show (i32.const 1024) (i32.const 14))
    (call $show (i32.const 1040) (i32.const 12))
    (call $show (i32.const 1056) (i32.const 27))
    (call $show (i32.const 1088) (i32.const 24))
    (call $show (i32.const 1120) (i32.const 21))
    (call $show (i32.const 1232) (i32.const 13))
    (call $show (i32.const 1152) (i32.const 16))  ;; no request on the root context
    (i32.const 1))
  (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
    (call $show (i32.const 1152) (i32.const 16))
    (call $show (i32.const 1184) (i32.const 14))
    (call $show (i32.const 1200) (i32.const 15))
    (call $show (i32.const 1216) (i32.const 13))  ;; no response yet
    (i32.const 0))
  (func (export "proxy_on_response_headers") (param i32 i32 i32) (result i32)
    (call $show (i32.const 1216) (i32.const 13))
    (i32.const 0))
)";

TEST(PropertiesTest, IdentityMetadataAndRequestAttributes) {
  HostFixture fixture;
  HostOptions options = testing::TestOptions();
  options.root_id = "hfi-root";
  options.plugin_name = "hfi-plugin";
  options.node_metadata = {{"WORKLOAD_NAME", "reviews-v1"}, {"NAMESPACE", "bookinfo"}};
  PluginHost& host = fixture.LoadAndStart(
      PluginWat({"proxy_log", "proxy_get_property"}, kPropertyPlugin), options);
  EXPECT_THAT(fixture.PluginLogs(), ElementsAre("hfi-root", "hfi-plugin", "reviews-v1", "bookinfo",
                                                "result 1", "result 1", "result 1"));
  fixture.log.Clear();

  StreamStatus status = host.StartStream(Request("/items?id=3"));
  host.OnResponseHeaders(status.id, Response(201));
  std::vector<std::string> logs = fixture.PluginLogs();
  ASSERT_EQ(logs.size(), 5u);
  EXPECT_EQ(logs[0], "/items");
  EXPECT_EQ(logs[1], "GET");
  HeaderList headers;
  ASSERT_TRUE(ParsePairs(logs[2], &headers));
  EXPECT_EQ(headers, Request("/items?id=3").headers);
  EXPECT_EQ(logs[3], "result 1");
  EXPECT_EQ(logs[4], std::string("\xc9\0\0\0\0\0\0\0", 8));  // 201 as an int64, little-endian
}

}  // namespace
}  // namespace hfi::wasmhost

#include "wasm/inspect_render.h"

#include <gtest/gtest.h>

#include <string>

#include "wasm/test_modules.h"

namespace hfi::wasm {
namespace {

using testing::WatModule;

TEST(InspectRenderTest, TextOfAGoodModule) {
  InspectReport report = Inspect(WatModule().Binary());
  std::string text = RenderInspectText(report, "dir/plugin.wasm");
  EXPECT_NE(text.find("file       dir/plugin.wasm\n"), std::string::npos) << text;
  EXPECT_NE(text.find("size       " + std::to_string(report.size) + " bytes\n"), std::string::npos);
  EXPECT_NE(text.find("sha256     " + report.sha256 + "\n"), std::string::npos);
  EXPECT_NE(text.find("module     WebAssembly version 1, proxy-wasm ABI 0.2.1\n"),
            std::string::npos);
  EXPECT_NE(text.find("memory     2 pages initial (128 KiB), 2 maximum: fixed, exported as "
                      "\"memory\"\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("imports    4 from env (Envoy hostcalls), 2 WASI, 0 unavailable in Envoy\n"),
            std::string::npos);
  EXPECT_NE(text.find("proxy_on_request_headers  (i32, i32, i32) -> i32    ok\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("wasmcustom.hfi_faults_delay_duration_milliseconds   defined\n"),
            std::string::npos);
  // The verdict is the last line.
  EXPECT_EQ(text.substr(text.rfind('\n', text.size() - 2) + 1), "ok: every check passed\n");
}

TEST(InspectRenderTest, TextOfFindings) {
  InspectReport report = Inspect(WatModule()
                                     .Drop("\"proxy_on_tick\"")
                                     .Swap("(memory", R"((memory (export "memory") 2))")
                                     .Binary());
  std::string text = RenderFindingsText(report);
  EXPECT_EQ(text.substr(0, 36), "error   HFI706  proxy_on_tick: proxy") << text;
  EXPECT_NE(text.find("\n                fix: define it as extern \"C\""), std::string::npos);
  EXPECT_NE(text.find("\nwarning HFI719  memory: memory can grow"), std::string::npos);
  EXPECT_EQ(VerdictLine(report), "invalid wasm: 1 error, 1 warning");
  std::string full = RenderInspectText(report, "p.wasm");
  EXPECT_NE(full.find("proxy_on_tick             -                         MISSING\n"),
            std::string::npos)
      << full;
}

TEST(InspectRenderTest, VerdictWithWarningsOnly) {
  InspectReport report =
      Inspect(WatModule().Swap("(memory", R"((memory (export "memory") 2))").Binary());
  EXPECT_EQ(VerdictLine(report), "ok with 1 warning");
}

TEST(InspectRenderTest, JsonCarriesTheWholeReport) {
  InspectReport report = Inspect(WatModule().Drop("\"proxy_on_done\"").Binary());
  nlohmann::ordered_json json = InspectJson(report, "p.wasm");
  EXPECT_EQ(json["schemaVersion"], "hfi-metrics.inspect/v1");
  EXPECT_EQ(json["file"], "p.wasm");
  EXPECT_EQ(json["size"], report.size);
  EXPECT_EQ(json["sha256"], report.sha256);
  EXPECT_EQ(json["valid"], false);
  EXPECT_EQ(json["exitCode"], 3);
  EXPECT_EQ(json["abi"]["version"], "0.2.1");
  EXPECT_EQ(json["abi"]["markers"][0], "proxy_abi_version_0_2_1");
  EXPECT_EQ(json["allocator"], "malloc");
  EXPECT_EQ(json["memory"]["initialPages"], 2);
  EXPECT_EQ(json["memory"]["maxPages"], 2);
  EXPECT_EQ(json["memory"]["canGrow"], false);
  EXPECT_EQ(json["imports"][2]["signature"], "(i32, i64) -> i32");
  EXPECT_EQ(json["imports"][2]["status"], "hostcall");
  EXPECT_EQ(json["metrics"][0]["name"], "wasmcustom.hfi_faults_aborts_total");
  EXPECT_EQ(json["metrics"][0]["prometheus"], "wasmcustom_hfi_faults_aborts_total");
  EXPECT_EQ(json["metrics"][0]["found"], "defined");
  ASSERT_EQ(json["findings"].size(), 1u);
  EXPECT_EQ(json["findings"][0]["code"], "HFI706");
  EXPECT_EQ(json["findings"][0]["severity"], "error");
  EXPECT_EQ(json["findings"][0]["subject"], "proxy_on_done");
  EXPECT_EQ(json["summary"]["errors"], 1);
  EXPECT_EQ(json["summary"]["warnings"], 0);
  bool found_done = false;
  for (const auto& callback : json["callbacks"]) {
    if (callback["name"] == "proxy_on_done") {
      found_done = true;
      EXPECT_EQ(callback["present"], false);
      EXPECT_TRUE(callback["signature"].is_null());
      EXPECT_EQ(callback["expectedSignature"], "(i32) -> i32");
    }
  }
  EXPECT_TRUE(found_done);
}

TEST(InspectRenderTest, JsonOfAGoodModuleIsValid) {
  nlohmann::ordered_json json = InspectJson(Inspect(WatModule().Binary()), "p.wasm");
  EXPECT_EQ(json["valid"], true);
  EXPECT_EQ(json["exitCode"], 0);
  EXPECT_TRUE(json["findings"].empty());
}

// Names come from the module: a hostile one must not drive the terminal or break the JSON.
TEST(InspectRenderTest, ModuleTextIsMadeSafe) {
  EXPECT_EQ(Printable("ok\x1b[31mred\n"), "ok\\x1b[31mred\\x0a");
  EXPECT_EQ(Printable("caf\xc3\xa9"), "caf\xc3\xa9");
  InspectReport report = Inspect(WatModule().Binary());
  report.findings.push_back(
      {CheckId::kUnknownEnvImport, Severity::kError, "env.\x1b]0;x\x07", "bad \xff\xfe bytes", ""});
  EXPECT_EQ(RenderFindingsText(report).find('\x1b'), std::string::npos);
  std::string dumped = InspectJson(report, "p.wasm")
                           .dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  EXPECT_NE(dumped.find("bad \xef\xbf\xbd\xef\xbf\xbd bytes"), std::string::npos);
}

}  // namespace
}  // namespace hfi::wasm

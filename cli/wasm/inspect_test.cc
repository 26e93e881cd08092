#include "wasm/inspect.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <set>
#include <string>

#include "util/sha256.h"
#include "wasm/test_modules.h"

namespace hfi::wasm {
namespace {

using testing::WatModule;
using testing::WatToWasm;

std::vector<std::string> Codes(const InspectReport& report) {
  std::vector<std::string> codes;
  for (const Finding& f : report.findings)
    codes.emplace_back(Info(f.id).code);
  return codes;
}

const Finding* FindingWith(const InspectReport& report, CheckId id) {
  for (const Finding& f : report.findings) {
    if (f.id == id)
      return &f;
  }
  return nullptr;
}

const CallbackCheck* Callback(const InspectReport& report, std::string_view name) {
  for (const CallbackCheck& c : report.callbacks) {
    if (c.name == name)
      return &c;
  }
  return nullptr;
}

TEST(InspectTest, MinimalFilterPassesEveryCheck) {
  std::string bytes = WatModule().Binary();
  InspectReport report = Inspect(bytes);
  ASSERT_TRUE(report.parsed);
  EXPECT_TRUE(report.findings.empty()) << ::testing::PrintToString(Codes(report));
  EXPECT_TRUE(report.ok());
  EXPECT_EQ(report.version, 1u);
  EXPECT_EQ(report.size, bytes.size());
  EXPECT_EQ(report.sha256, Sha256Hex(bytes));
  ASSERT_TRUE(report.abi.has_value());
  EXPECT_EQ(*report.abi, Abi::k0_2_1);
  EXPECT_EQ(report.abi_markers, std::vector<std::string>{"proxy_abi_version_0_2_1"});
  EXPECT_EQ(report.allocator, "malloc");

  // The seven callbacks an HTTP fault filter needs, then the optional ones the module exports.
  std::vector<std::string> names;
  for (const CallbackCheck& c : report.callbacks) {
    names.push_back(c.name);
    EXPECT_TRUE(c.present && c.ok()) << c.name << " " << c.actual;
  }
  EXPECT_EQ(names, (std::vector<std::string>{"proxy_on_vm_start", "proxy_on_configure",
                                             "proxy_on_context_create", "proxy_on_request_headers",
                                             "proxy_on_tick", "proxy_on_done", "proxy_on_delete",
                                             "malloc", "_initialize"}));
  EXPECT_EQ(Callback(report, "proxy_on_request_headers")->actual, "(i32, i32, i32) -> i32");
  EXPECT_EQ(Callback(report, "proxy_on_context_create")->actual, "(i32, i32) -> ()");

  ASSERT_EQ(report.imports.size(), 6u);
  EXPECT_EQ(report.imports[0].module, "env");
  EXPECT_EQ(report.imports[0].name, "proxy_log");
  EXPECT_EQ(report.imports[0].signature, "(i32, i32, i32) -> i32");
  EXPECT_EQ(report.imports[0].classification, ImportClass::kHostcall);
  EXPECT_EQ(report.imports[2].signature, "(i32, i64) -> i32");
  EXPECT_EQ(report.imports[5].name, "clock_time_get");
  EXPECT_EQ(report.imports[5].classification, ImportClass::kWasi);

  ASSERT_EQ(report.metrics.size(), 3u);
  for (const MetricPresence& m : report.metrics) {
    EXPECT_EQ(m.form, NameForm::kDefined) << m.metric->defined;
    EXPECT_EQ(m.found, m.metric->defined);
  }

  EXPECT_TRUE(report.memory.present);
  EXPECT_TRUE(report.memory.exported);
  EXPECT_FALSE(report.memory.imported);
  EXPECT_EQ(report.memory.export_name, "memory");
  EXPECT_EQ(report.memory.initial_pages, 2u);
  EXPECT_EQ(report.memory.max_pages, 2u);
  EXPECT_FALSE(report.memory.can_grow());
}

TEST(InspectTest, MissingCallbacksAreErrorsNamingEachOne) {
  InspectReport report =
      Inspect(WatModule().Drop("\"proxy_on_tick\"").Drop("\"proxy_on_delete\"").Binary());
  ASSERT_TRUE(report.parsed);
  EXPECT_FALSE(report.ok());
  EXPECT_EQ(Codes(report), (std::vector<std::string>{"HFI706", "HFI706"}));
  EXPECT_EQ(report.findings[0].subject, "proxy_on_tick");
  EXPECT_EQ(report.findings[0].severity, Severity::kError);
  EXPECT_EQ(report.findings[0].message,
            "proxy_on_tick is not exported, and an HTTP fault filter needs it: the timer "
            "resumes delayed requests");
  EXPECT_NE(report.findings[0].fix.find("__attribute__((used))"), std::string::npos);
  EXPECT_EQ(report.findings[1].subject, "proxy_on_delete");
  const CallbackCheck* tick = Callback(report, "proxy_on_tick");
  ASSERT_NE(tick, nullptr);
  EXPECT_FALSE(tick->present);
  EXPECT_FALSE(tick->ok());
}

TEST(InspectTest, WrongCallbackSignatureIsAnError) {
  InspectReport report = Inspect(
      WatModule()
          .Swap("\"proxy_on_vm_start\"",
                R"((func (export "proxy_on_vm_start") (param i32) (result i32) i32.const 1))")
          .Binary());
  EXPECT_EQ(Codes(report), std::vector<std::string>{"HFI707"});
  EXPECT_EQ(report.findings[0].message,
            "proxy_on_vm_start has signature (i32) -> i32 where Envoy expects (i32, i32) -> i32: "
            "the load fails with \"Bad function signature for: proxy_on_vm_start\"");
  EXPECT_FALSE(report.ok());
}

// Envoy checks every export it looks up, not only the ones HFI needs.
TEST(InspectTest, WrongSignatureOfAnOptionalCallbackIsAnError) {
  InspectReport report =
      Inspect(WatModule()
                  .Add(R"((func (export "proxy_on_log") (param i32) (result i32) i32.const 0))")
                  .Binary());
  EXPECT_EQ(Codes(report), std::vector<std::string>{"HFI707"});
  EXPECT_EQ(report.findings[0].subject, "proxy_on_log");
}

TEST(InspectTest, CallbackExportedAsAGlobalIsAWrongSignature) {
  InspectReport report = Inspect(WatModule()
                                     .Drop("\"proxy_on_tick\"")
                                     .Add(R"((global (export "proxy_on_tick") i32 (i32.const 0)))")
                                     .Binary());
  EXPECT_EQ(Codes(report), std::vector<std::string>{"HFI707"});
  EXPECT_EQ(Callback(report, "proxy_on_tick")->actual, "global export");
}

TEST(InspectTest, TwoAbiMarkersIsAnErrorAndTheFirstWins) {
  WatModule module;
  module.fields.insert(module.fields.begin() + 6, R"((func (export "proxy_abi_version_0_1_0")))");
  InspectReport report = Inspect(module.Binary());
  ASSERT_TRUE(report.parsed);
  EXPECT_EQ(report.abi_markers,
            (std::vector<std::string>{"proxy_abi_version_0_1_0", "proxy_abi_version_0_2_1"}));
  EXPECT_EQ(report.abi, Abi::k0_1_0);
  const Finding* several = FindingWith(report, CheckId::kSeveralAbiMarkers);
  ASSERT_NE(several, nullptr);
  EXPECT_EQ(several->message,
            "exports proxy_abi_version_0_1_0, proxy_abi_version_0_2_1: Envoy uses the first "
            "(proxy_abi_version_0_1_0) and registers only that ABI's hostcalls");
  EXPECT_NE(FindingWith(report, CheckId::kOlderAbi), nullptr);
  // Under 0.1.0 the request-headers callback has two parameters, and continue_stream is absent.
  EXPECT_NE(FindingWith(report, CheckId::kBadCallbackSignature), nullptr);
  const Finding* other_abi = FindingWith(report, CheckId::kHostcallOfOtherAbi);
  ASSERT_NE(other_abi, nullptr);
  EXPECT_EQ(other_abi->subject, "env.proxy_continue_stream");
  EXPECT_FALSE(report.ok());
}

TEST(InspectTest, NoAbiMarkerIsAnError) {
  InspectReport report = Inspect(WatModule().Drop("proxy_abi_version").Binary());
  EXPECT_EQ(Codes(report), std::vector<std::string>{"HFI703"});
  EXPECT_FALSE(report.abi.has_value());
  EXPECT_NE(report.findings[0].message.find("Missing or unknown Proxy-Wasm ABI version"),
            std::string::npos);
}

TEST(InspectTest, UnknownAbiVersionCountsAsNoMarker) {
  InspectReport report =
      Inspect(WatModule()
                  .Swap("proxy_abi_version", R"((func (export "proxy_abi_version_0_3_0")))")
                  .Binary());
  EXPECT_EQ(Codes(report), std::vector<std::string>{"HFI703"});
  EXPECT_NE(report.findings[0].message.find("proxy_abi_version_0_3_0 is not a version Envoy knows"),
            std::string::npos);
}

TEST(InspectTest, MarkerThatIsNotAFunction) {
  InspectReport report =
      Inspect(WatModule()
                  .Swap("proxy_abi_version",
                        R"((global (export "proxy_abi_version_0_2_1") i32 (i32.const 0)))")
                  .Binary());
  EXPECT_EQ(Codes(report), (std::vector<std::string>{"HFI723", "HFI703"}));
}

TEST(InspectTest, OlderAbiIsAWarning) {
  InspectReport report =
      Inspect(WatModule()
                  .Swap("proxy_abi_version", R"((func (export "proxy_abi_version_0_2_0")))")
                  .Binary());
  EXPECT_EQ(Codes(report), std::vector<std::string>{"HFI705"});
  EXPECT_EQ(report.findings[0].severity, Severity::kWarning);
  EXPECT_TRUE(report.ok());
}

TEST(InspectTest, UnknownImportModuleNamesTheModuleAndItsImports) {
  InspectReport report =
      Inspect(WatModule()
                  .Add(R"((import "wasi:http/types" "new-fields" (func (result i32))))")
                  .Add(R"((import "wasi:http/types" "drop" (func (param i32))))")
                  .Binary());
  EXPECT_EQ(Codes(report), std::vector<std::string>{"HFI709"});
  EXPECT_EQ(report.findings[0].subject, "wasi:http/types");
  EXPECT_NE(
      report.findings[0].message.find("imports drop, new-fields from module \"wasi:http/types\""),
      std::string::npos)
      << report.findings[0].message;
  EXPECT_FALSE(report.ok());
}

TEST(InspectTest, InvokeImportsMeanTheModuleWasBuiltWithExceptions) {
  InspectReport report =
      Inspect(WatModule()
                  .Add(R"((import "env" "invoke_vi" (func (param i32 i32))))")
                  .Add(R"((import "env" "__cxa_find_matching_catch_2" (func (result i32))))")
                  .Add(R"((import "env" "getTempRet0" (func (result i32))))")
                  .Binary());
  EXPECT_EQ(Codes(report), std::vector<std::string>{"HFI711"});
  const Finding& finding = report.findings[0];
  EXPECT_NE(finding.message.find("getTempRet0, __cxa_find_matching_catch_2, invoke_vi"),
            std::string::npos)
      << finding.message;
  EXPECT_NE(finding.message.find("built with -fexceptions"), std::string::npos);
  EXPECT_NE(finding.fix.find("-fno-exceptions"), std::string::npos);
  EXPECT_EQ(report.imports[0].classification, ImportClass::kUnknown);
}

TEST(InspectTest, JsRuntimeImportsMeanNoStandaloneWasm) {
  InspectReport report = Inspect(
      WatModule()
          .Add(R"((import "env" "__syscall_openat" (func (param i32 i32 i32 i32) (result i32))))")
          .Binary());
  EXPECT_EQ(Codes(report), std::vector<std::string>{"HFI711"});
  EXPECT_NE(report.findings[0].fix.find("-sSTANDALONE_WASM"), std::string::npos);
}

TEST(InspectTest, EnvImportEnvoyDoesNotRegister) {
  InspectReport report =
      Inspect(WatModule()
                  .Add(R"((import "env" "proxy_frobnicate" (func (param i32) (result i32))))")
                  .Add(R"((import "env" "my_helper" (func)))")
                  .Binary());
  EXPECT_EQ(Codes(report), (std::vector<std::string>{"HFI710", "HFI710"}));
  EXPECT_EQ(report.findings[0].subject, "env.my_helper");
  EXPECT_EQ(report.findings[1].subject, "env.proxy_frobnicate");
  EXPECT_EQ(report.findings[1].message,
            "env.proxy_frobnicate is not a function Envoy registers: the link fails (\"missing "
            "import\")");
  EXPECT_NE(report.findings[1].fix.find("check the spelling"), std::string::npos);
}

TEST(InspectTest, ImportedMemoryIsNotSomethingEnvoyProvides) {
  InspectReport report =
      Inspect(WatModule().Drop("(memory").Add(R"((import "env" "memory" (memory 2 2)))").Binary());
  EXPECT_EQ(Codes(report), (std::vector<std::string>{"HFI710", "HFI720"}));
  EXPECT_TRUE(report.memory.imported);
  EXPECT_NE(report.findings[0].fix.find("-sIMPORTED_MEMORY"), std::string::npos);
}

TEST(InspectTest, HostcallWithWrongSignature) {
  InspectReport report = Inspect(
      WatModule()
          .Swap("proxy_increment_metric",
                R"((import "env" "proxy_increment_metric" (func (param i32 i32) (result i32))))")
          .Binary());
  EXPECT_EQ(Codes(report), std::vector<std::string>{"HFI712"});
  EXPECT_EQ(report.findings[0].message,
            "env.proxy_increment_metric is declared (i32, i32) -> i32 where Envoy registers "
            "(i32, i64) -> i32: the link fails (\"import type mismatch\")");
}

TEST(InspectTest, HostcallOfAnotherAbi) {
  InspectReport report = Inspect(
      WatModule().Add(R"((import "env" "proxy_continue_request" (func (result i32))))").Binary());
  EXPECT_EQ(Codes(report), std::vector<std::string>{"HFI713"});
  EXPECT_EQ(report.findings[0].message,
            "proxy_continue_request is registered for ABI 0.1.0 only, and this module declares "
            "ABI 0.2.1: the link fails (\"missing import\")");
  EXPECT_NE(report.findings[0].fix.find("proxy_continue_stream"), std::string::npos);
}

TEST(InspectTest, WasiImports) {
  InspectReport newer = Inspect(
      WatModule()
          .Add(
              R"((import "wasi_snapshot_preview1" "poll_oneoff" (func (param i32 i32 i32 i32) (result i32))))")
          .Binary());
  EXPECT_EQ(Codes(newer), std::vector<std::string>{"HFI715"});
  EXPECT_TRUE(newer.ok());  // a warning: recent Envoys have it

  InspectReport unknown = Inspect(
      WatModule()
          .Add(R"((import "wasi_snapshot_preview1" "proc_raise" (func (param i32) (result i32))))")
          .Binary());
  EXPECT_EQ(Codes(unknown), std::vector<std::string>{"HFI714"});

  InspectReport bad_signature = Inspect(
      WatModule()
          .Swap(
              "clock_time_get",
              R"((import "wasi_snapshot_preview1" "clock_time_get" (func (param i32 i32 i32) (result i32))))")
          .Binary());
  EXPECT_EQ(Codes(bad_signature), std::vector<std::string>{"HFI712"});

  // Envoy registers every WASI function under the older module name too (facts §1).
  InspectReport unstable = Inspect(
      WatModule()
          .Add(R"((import "wasi_unstable" "fd_write" (func (param i32 i32 i32 i32) (result i32))))")
          .Binary());
  EXPECT_TRUE(unstable.findings.empty()) << ::testing::PrintToString(Codes(unstable));
}

TEST(InspectTest, LegacyMetricNamesAreWarnings) {
  InspectReport report = Inspect(
      WatModule()
          .Swap("(data", R"((data (i32.const 1024) "hfi.faults.aborts_total\00)"
                         R"(hfi.faults.delays_total\00hfi.faults.delay_duration_milliseconds"))")
          .Binary());
  EXPECT_EQ(Codes(report), (std::vector<std::string>{"HFI717", "HFI717", "HFI717"}));
  EXPECT_TRUE(report.ok());
  EXPECT_EQ(report.metrics[0].form, NameForm::kLegacy);
  EXPECT_EQ(report.metrics[0].found, "hfi.faults.aborts_total");
  EXPECT_EQ(report.findings[0].message,
            "the module names the original project's hfi.faults.aborts_total instead of "
            "wasmcustom.hfi_faults_aborts_total: Envoy exports it as hfi_faults_aborts_total, not "
            "the expected wasmcustom_hfi_faults_aborts_total");
}

TEST(InspectTest, NamesWithoutTheWasmcustomPrefixAreWarnings) {
  InspectReport report =
      Inspect(WatModule()
                  .Swap("(data", R"((data (i32.const 1024) "hfi_faults_aborts_total\00)"
                                 R"(wasmcustom.hfi_faults_delays_total\00)"
                                 R"(wasmcustom.hfi_faults_delay_duration_milliseconds"))")
                  .Binary());
  EXPECT_EQ(Codes(report), std::vector<std::string>{"HFI718"});
  EXPECT_EQ(report.metrics[0].form, NameForm::kWithoutPrefix);
  EXPECT_EQ(report.metrics[1].form, NameForm::kDefined);
  EXPECT_TRUE(report.ok());
}

// The Prometheus spelling (logged by the plugin, say) is not a definition of any kind.
TEST(InspectTest, PrometheusSpellingAloneIsNotADefinedName) {
  InspectReport report =
      Inspect(WatModule()
                  .Swap("(data", R"((data (i32.const 1024) "wasmcustom_hfi_faults_aborts_total\00)"
                                 R"(wasmcustom.hfi_faults_delays_total\00)"
                                 R"(wasmcustom.hfi_faults_delay_duration_milliseconds"))")
                  .Binary());
  EXPECT_EQ(Codes(report), std::vector<std::string>{"HFI716"});
  EXPECT_EQ(report.findings[0].subject, "wasmcustom.hfi_faults_aborts_total");
  EXPECT_FALSE(report.ok());
}

TEST(InspectTest, MissingMetricNamesAreErrors) {
  InspectReport report = Inspect(WatModule().Drop("(data").Binary());
  EXPECT_EQ(Codes(report), (std::vector<std::string>{"HFI716", "HFI716", "HFI716"}));
  for (const MetricPresence& m : report.metrics)
    EXPECT_EQ(m.form, NameForm::kAbsent);
}

// Names in a passive segment or a second segment count as well.
TEST(InspectTest, NamesInSeveralSegments) {
  InspectReport report = Inspect(
      WatModule()
          .Swap("(data", R"((data (i32.const 1024) "wasmcustom.hfi_faults_aborts_total"))")
          .Add(
              R"((data "wasmcustom.hfi_faults_delays_total\00wasmcustom.hfi_faults_delay_duration_milliseconds"))")
          .Binary());
  EXPECT_TRUE(report.findings.empty()) << ::testing::PrintToString(Codes(report));
}

TEST(InspectTest, GrowableMemoryIsAWarning) {
  InspectReport no_max =
      Inspect(WatModule()
                  .Swap("(memory", R"((memory (export "memory") 256))")
                  .Add(R"((import "env" "emscripten_notify_memory_growth" (func (param i32))))")
                  .Binary());
  EXPECT_EQ(Codes(no_max), std::vector<std::string>{"HFI719"});
  EXPECT_TRUE(no_max.ok());
  EXPECT_TRUE(no_max.memory.can_grow());
  EXPECT_FALSE(no_max.memory.max_pages.has_value());
  EXPECT_NE(no_max.findings[0].message.find("(initial 256 pages, no maximum)"), std::string::npos);
  EXPECT_NE(no_max.findings[0].message.find("emscripten_notify_memory_growth"), std::string::npos);
  EXPECT_NE(no_max.findings[0].fix.find("-sALLOW_MEMORY_GROWTH=0"), std::string::npos);

  InspectReport bounded =
      Inspect(WatModule().Swap("(memory", R"((memory (export "memory") 2 10))").Binary());
  EXPECT_EQ(Codes(bounded), std::vector<std::string>{"HFI719"});
  EXPECT_NE(bounded.findings[0].message.find("(initial 2 pages, maximum 10 pages)"),
            std::string::npos);
}

TEST(InspectTest, MemoryProblems) {
  EXPECT_EQ(Codes(Inspect(WatModule().Drop("(memory").Drop("(data").Binary())),
            (std::vector<std::string>{"HFI720", "HFI716", "HFI716", "HFI716"}));
  EXPECT_EQ(Codes(Inspect(WatModule().Swap("(memory", "(memory 2 2)").Binary())),
            std::vector<std::string>{"HFI720"});
  EXPECT_EQ(Codes(Inspect(
                WatModule().Swap("(memory", R"((memory (export "memory") 16385 16385))").Binary())),
            std::vector<std::string>{"HFI721"});
}

TEST(InspectTest, AllocatorChecks) {
  InspectReport none = Inspect(WatModule().Drop("\"malloc\"").Binary());
  EXPECT_EQ(Codes(none), std::vector<std::string>{"HFI708"});
  EXPECT_EQ(none.allocator, "");

  InspectReport fallback = Inspect(
      WatModule()
          .Swap(
              "\"malloc\"",
              R"((func (export "proxy_on_memory_allocate") (param i32) (result i32) i32.const 0))")
          .Binary());
  EXPECT_TRUE(fallback.findings.empty()) << ::testing::PrintToString(Codes(fallback));
  EXPECT_EQ(fallback.allocator, "proxy_on_memory_allocate");
}

TEST(InspectTest, WasiCommandInsteadOfReactor) {
  InspectReport report =
      Inspect(WatModule().Swap("_initialize", R"((func (export "_start")))").Binary());
  EXPECT_EQ(Codes(report), std::vector<std::string>{"HFI722"});
}

TEST(InspectTest, ElfFileIsNotWasm) {
  std::string elf("\177ELF\2\1\1\0\0\0\0\0\0\0\0\0", 16);
  InspectReport report = Inspect(elf);
  EXPECT_FALSE(report.parsed);
  ASSERT_EQ(Codes(report), std::vector<std::string>{"HFI701"});
  EXPECT_EQ(report.findings[0].message, "not a WebAssembly module");
  EXPECT_EQ(report.findings[0].fix, "first bytes 7f 45 4c 46: an ELF executable?");
  EXPECT_EQ(report.size, 16u);
  EXPECT_EQ(report.sha256, Sha256Hex(elf));
}

TEST(InspectTest, TextFilesAndEmptyFilesAreNotWasm) {
  InspectReport text = Inspect("hello world\n");
  EXPECT_EQ(Codes(text), std::vector<std::string>{"HFI701"});
  EXPECT_EQ(text.findings[0].fix, "first bytes 68 65 6c 6c: a text file?");

  InspectReport wat = Inspect("(module\n  (memory 1))\n");
  EXPECT_EQ(wat.findings[0].fix,
            "first bytes 28 6d 6f 64: WebAssembly text: compile it with wat2wasm?");

  InspectReport empty = Inspect("");
  EXPECT_EQ(Codes(empty), std::vector<std::string>{"HFI701"});
  EXPECT_EQ(empty.findings[0].message, "not a WebAssembly module (empty file)");

  InspectReport gzip = Inspect(std::string("\x1f\x8b\x08\x00", 4));
  EXPECT_EQ(gzip.findings[0].fix, "first bytes 1f 8b 08 00: gzip data: decompress it first?");
}

TEST(InspectTest, ShortAndWrongVersionHeaders) {
  InspectReport magic_only = Inspect(std::string("\0asm\x01", 5));
  EXPECT_EQ(Codes(magic_only), std::vector<std::string>{"HFI702"});
  EXPECT_EQ(magic_only.findings[0].message,
            "truncated WebAssembly module (5 bytes; the header alone is 8)");
  EXPECT_EQ(Codes(Inspect(std::string("\0as", 3))), std::vector<std::string>{"HFI702"});

  InspectReport version2 = Inspect(std::string("\0asm\x02\0\0\0", 8));
  EXPECT_EQ(version2.findings[0].message, "unsupported WebAssembly binary version 2");
  InspectReport component = Inspect(std::string("\0asm\x0d\0\x01\0", 8));
  EXPECT_EQ(component.findings[0].message, "a WebAssembly component, not a core module");
}

TEST(InspectTest, TruncatedModuleIsInvalid) {
  std::string bytes = WatModule().Binary();
  InspectReport report = Inspect(std::string_view(bytes).substr(0, bytes.size() - 7));
  EXPECT_FALSE(report.parsed);
  ASSERT_EQ(Codes(report), std::vector<std::string>{"HFI702"});
  EXPECT_EQ(report.findings[0].message.rfind("truncated WebAssembly module: ", 0), 0u)
      << report.findings[0].message;
  EXPECT_NE(report.findings[0].message.find(" of " + std::to_string(bytes.size() - 7)),
            std::string::npos);
}

// Every prefix of a good module either reads (cut at a section boundary: a smaller, valid
// module) or is HFI702; none crashes, none is mistaken for something else.
TEST(InspectTest, EveryPrefixOfAModuleIsHandled) {
  std::string bytes = WatModule().Binary();
  std::size_t unreadable = 0;
  for (std::size_t n = 8; n < bytes.size(); ++n) {
    InspectReport report = Inspect(std::string_view(bytes).substr(0, n));
    if (!report.parsed) {
      ASSERT_EQ(Codes(report), std::vector<std::string>{"HFI702"}) << n;
      ++unreadable;
    } else {
      EXPECT_FALSE(report.ok()) << "a cut module cannot pass every check, n=" << n;
    }
  }
  EXPECT_GT(unreadable, bytes.size() / 2);
}

TEST(InspectTest, GarbageAfterTheHeaderIsInvalid) {
  std::string bytes("\0asm\x01\0\0\0\x0b\xff\xff\xff\xff\x0f", 14);
  InspectReport report = Inspect(bytes);
  EXPECT_FALSE(report.parsed);
  EXPECT_EQ(Codes(report), std::vector<std::string>{"HFI702"});
}

std::string ReadSourceFile(const std::string& relative) {
  const char* env = std::getenv("HFI_SOURCE_DIR");
  std::string path = std::string(env != nullptr ? env : HFI_SOURCE_DIR_DEFAULT) + "/" + relative;
  std::ifstream in(path, std::ios::binary);
  EXPECT_TRUE(in) << path;
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

// The e2e tests and the fuzz corpus use the committed .wasm files; they must be what their .wat
// says (regenerate with `wat2wasm X.wat -o X.wasm` after editing one).
TEST(InspectTest, FixturesMatchTheirWat) {
  for (std::string name : {"minimal_filter", "legacy_names", "broken_filter"}) {
    std::string wat = ReadSourceFile("tests/data/wasm/" + name + ".wat");
    EXPECT_EQ(WatToWasm(wat), ReadSourceFile("tests/data/wasm/" + name + ".wasm")) << name;
  }
  EXPECT_TRUE(Inspect(ReadSourceFile("tests/data/wasm/minimal_filter.wasm")).findings.empty());
}

// Found by tests/fuzz/wasm_inspect_fuzz: a function body WABT's IR builder asserted on (Debian's
// libwabt keeps assertions). It must be an ordinary HFI702.
TEST(InspectTest, MalformedFunctionBodyIsAnErrorNotACrash) {
  std::string bytes =
      ReadSourceFile("tests/fuzz/corpus/wasm_inspect_fuzz/regression_empty_function_body.wasm");
  ASSERT_FALSE(bytes.empty());
  InspectReport report = Inspect(bytes);
  EXPECT_FALSE(report.parsed);
  EXPECT_EQ(Codes(report), std::vector<std::string>{"HFI702"});
  EXPECT_EQ(report.findings[0].message.rfind("invalid WebAssembly module: ", 0), 0u)
      << report.findings[0].message;
}

TEST(InspectTest, CheckTableIsCompleteAndStable) {
  std::set<std::string_view> codes;
  for (std::size_t i = 0; i < std::size(kChecks); ++i) {
    const CheckInfo& info = kChecks[i];
    EXPECT_EQ(static_cast<std::size_t>(info.id), i);
    EXPECT_EQ(&Info(info.id), &info);
    // Codes follow the enum: HFI701, HFI702, ...
    EXPECT_EQ(info.code, "HFI7" + std::string(i + 1 < 10 ? "0" : "") + std::to_string(i + 1));
    EXPECT_TRUE(codes.insert(info.code).second);
    EXPECT_FALSE(info.title.empty());
    // The man page prints these as the code's cause and fix.
    EXPECT_GT(info.why.size(), 40u) << info.code;
    EXPECT_GT(info.fix.size(), 20u) << info.code;
  }
}

}  // namespace
}  // namespace hfi::wasm

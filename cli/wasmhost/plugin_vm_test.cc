// Loading and linking: what makes Envoy refuse a module makes this host refuse it, with an error
// that names the import or export at fault.
#include <gtest/gtest.h>

#include "util/errors.h"
#include "wasmhost/test_support.h"

namespace hfi::wasmhost {
namespace {

using testing::AssembleWat;
using testing::HostFixture;
using testing::PluginWat;

constexpr const char* kMalloc = R"(
  (memory (export "memory") 1)
  (func (export "malloc") (param i32) (result i32) (i32.const 1024)))";

// Loads `wasm` expecting an InputError, and returns its one-line form.
std::string LoadError(const std::string& wasm) {
  HostFixture fixture;
  try {
    fixture.Load(wasm);
  } catch (const InputError& error) {
    return FormatError(error);
  }
  ADD_FAILURE() << "the module loaded";
  return {};
}

TEST(PluginVmTest, LoadsAMinimalModuleAndStarts) {
  HostFixture fixture;
  PluginHost& host = fixture.LoadAndStart(PluginWat({}, ""));
  EXPECT_EQ(host.fail_state(), FailState::kNone);
  EXPECT_EQ(host.root_context_id(), 1u);
}

TEST(PluginVmTest, UnknownImportFailsNamingIt) {
  const std::string wasm =
      PluginWat({}, "", R"((func $f (import "env" "proxy_foo") (param i32) (result i32)))");
  EXPECT_EQ(LoadError(wasm),
            "hfi-metrics: env.proxy_foo: not provided by this host (Envoy would refuse to load "
            "the module: missing import)");
}

TEST(PluginVmTest, EveryMissingImportIsListed) {
  const std::string wasm = PluginWat({}, "", R"(
    (func $f (import "env" "proxy_foo") (param i32) (result i32))
    (func $g (import "wasi_snapshot_preview1" "path_open") (param i32) (result i32))
    (func $h (import "other" "thing")))");
  EXPECT_EQ(LoadError(wasm),
            "hfi-metrics: env.proxy_foo: not provided by this host; also missing: "
            "wasi_snapshot_preview1.path_open, other.thing (Envoy would refuse to load the "
            "module: missing import)");
}

TEST(PluginVmTest, AnImportOnlyEnvoyHasSaysSo) {
  const std::string wasm = PluginWat({}, "", R"(
    (func $f (import "env" "proxy_http_call")
      (param i32 i32 i32 i32 i32 i32 i32 i32 i32 i32) (result i32)))");
  EXPECT_EQ(LoadError(wasm),
            "hfi-metrics: env.proxy_http_call: not provided by this host (Envoy has it; this host "
            "emulates what an HTTP filter without upstream calls uses) (Envoy would refuse to "
            "load the module: missing import)");
}

TEST(PluginVmTest, WrongImportSignatureFails) {
  const std::string wasm =
      PluginWat({}, "", R"((func $f (import "env" "proxy_log") (param i32 i32) (result i32)))");
  EXPECT_EQ(LoadError(wasm),
            "hfi-metrics: env.proxy_log: imported as (i32, i32) -> (i32) but the host provides "
            "(i32, i32, i32) -> (i32) (Envoy would refuse to load the module: import type "
            "mismatch)");
}

TEST(PluginVmTest, I32ForAnI64ParameterIsAMismatch) {
  const std::string wasm = PluginWat(
      {}, "", R"((func $f (import "env" "proxy_increment_metric") (param i32 i32) (result i32)))");
  EXPECT_EQ(LoadError(wasm),
            "hfi-metrics: env.proxy_increment_metric: imported as (i32, i32) -> (i32) but the "
            "host provides (i32, i64) -> (i32) (Envoy would refuse to load the module: import "
            "type mismatch)");
}

TEST(PluginVmTest, ImportedMemoryIsRefused) {
  const std::string wasm = AssembleWat(std::string(R"((module
    (import "env" "memory" (memory 1))
    (func (export "malloc") (param i32) (result i32) (i32.const 0))
    (func (export "proxy_abi_version_0_2_1"))))"));
  EXPECT_EQ(LoadError(wasm),
            "hfi-metrics: env.memory: imports a memory; this host provides functions only "
            "(Envoy would refuse to load the module: missing import)");
}

TEST(PluginVmTest, MissingAbiMarkerFails) {
  const std::string wasm = AssembleWat(std::string("(module ") + kMalloc + ")");
  EXPECT_EQ(LoadError(wasm),
            "hfi-metrics: test.wasm: exports no proxy_abi_version_0_2_1 function (Envoy would "
            "refuse to load the module: Missing or unknown Proxy-Wasm ABI version)");
}

TEST(PluginVmTest, AbiMarkerMustBeAFunction) {
  const std::string wasm = AssembleWat(std::string("(module ") + kMalloc +
                                       R"((global (export "proxy_abi_version_0_2_1") i32
                                             (i32.const 0))))");
  EXPECT_NE(LoadError(wasm).find("exports no proxy_abi_version_0_2_1 function"), std::string::npos);
}

TEST(PluginVmTest, Abi010IsRefused) {
  const std::string wasm = AssembleWat(std::string("(module ") + kMalloc +
                                       R"((func (export "proxy_abi_version_0_1_0"))))");
  EXPECT_EQ(LoadError(wasm),
            "hfi-metrics: test.wasm: is built for proxy-wasm ABI 0.1.0, which this host does not "
            "emulate (rebuild it for ABI 0.2.1 (export proxy_abi_version_0_2_1))");
}

TEST(PluginVmTest, Abi020LoadsButHasNoGetLogLevel) {
  const std::string marker = std::string(kMalloc) + R"((func (export "proxy_abi_version_0_2_0")))";
  HostFixture fixture;
  EXPECT_NO_THROW(fixture.Load(AssembleWat("(module " + marker + ")")));
  // proxy_get_log_level is registered for ABI 0.2.1 only (facts §2.9).
  const std::string with_level = AssembleWat(
      R"((module (import "env" "proxy_get_log_level" (func (param i32) (result i32))))" + marker +
      ")");
  EXPECT_EQ(LoadError(with_level),
            "hfi-metrics: env.proxy_get_log_level: not provided by this host (Envoy would refuse "
            "to load the module: missing import)");
}

TEST(PluginVmTest, MissingMallocFails) {
  const std::string wasm = AssembleWat(R"((module
    (memory (export "memory") 1)
    (func (export "proxy_abi_version_0_2_1"))))");
  EXPECT_EQ(LoadError(wasm),
            "hfi-metrics: test.wasm: exports neither malloc nor proxy_on_memory_allocate (Envoy "
            "would refuse to load the module: Wasm module is missing malloc function; link with "
            "-sEXPORTED_FUNCTIONS=_malloc)");
}

TEST(PluginVmTest, ProxyOnMemoryAllocateStandsInForMalloc) {
  const std::string wasm = AssembleWat(R"((module
    (memory (export "memory") 1)
    (func (export "proxy_on_memory_allocate") (param i32) (result i32) (i32.const 1024))
    (func (export "proxy_abi_version_0_2_1"))))");
  HostFixture fixture;
  EXPECT_TRUE(fixture.Load(wasm).Start());
}

TEST(PluginVmTest, WrongExportSignatureFails) {
  const std::string wasm = PluginWat({}, R"((func (export "proxy_on_tick") (param i32 i32)))");
  EXPECT_EQ(LoadError(wasm),
            "hfi-metrics: proxy_on_tick: exported as (i32, i32) -> () but Envoy calls it as "
            "(i32) -> () (Envoy would refuse to load the module: Bad function signature)");
}

TEST(PluginVmTest, NotWasmFails) {
  EXPECT_EQ(LoadError("this is not wasm"),
            "hfi-metrics: test.wasm: not a valid WebAssembly module: at byte 0x4: bad magic value "
            "(pass the .wasm that `hfi-metrics build` wrote)");
  EXPECT_NE(LoadError(std::string("\0asm\1\0\0\0\1", 9)).find("not a valid WebAssembly module"),
            std::string::npos);
}

TEST(PluginVmTest, WasiUnstableIsTheSameWasi) {
  const std::string wasm = PluginWat({}, "", R"((func $w (import "wasi_unstable" "fd_write")
                          (param i32 i32 i32 i32) (result i32)))");
  HostFixture fixture;
  EXPECT_NO_THROW(fixture.Load(wasm));
}

TEST(PluginVmTest, StartFunctionRunsAtLoadWithALimit) {
  const std::string looping = PluginWat({}, R"(
    (func $spin (loop $l (br $l)))
    (start $spin))");
  HostOptions options = testing::TestOptions();
  options.max_instructions_per_call = 100'000;
  HostFixture fixture;
  try {
    fixture.Load(looping, options);
    ADD_FAILURE() << "the module loaded";
  } catch (const InputError& error) {
    EXPECT_EQ(FormatError(error),
              "hfi-metrics: test.wasm: its start function failed: ran past the limit of 100000 "
              "instructions per call (an endless loop?)");
  }
}

TEST(PluginVmTest, MemoryIsCappedAtEnvoysGigabyte) {
  const std::string too_big = AssembleWat(R"((module
    (memory (export "memory") 16385)
    (func (export "malloc") (param i32) (result i32) (i32.const 1024))
    (func (export "proxy_abi_version_0_2_1"))))");
  EXPECT_EQ(LoadError(too_big),
            "hfi-metrics: test.wasm: declares 16385 pages of initial memory; Envoy allows at most "
            "16384 (1 GiB) (build it with a smaller -sINITIAL_MEMORY)");
  // Without a declared maximum, growth stops at the cap instead of at 4 GiB.
  HostFixture fixture;
  fixture.LoadAndStart(PluginWat({"proxy_log"}, R"(
    (func (export "proxy_on_vm_start") (param i32 i32) (result i32)
      (call $note (i32.eq (memory.grow (i32.const 16383)) (i32.const -1)))
      (call $note (i32.eq (memory.grow (i32.const 1)) (i32.const 2)))
      (call $flush)
      (i32.const 1)))"));
  EXPECT_EQ(fixture.PluginLogs(), std::vector<std::string>{"11"});  // refused, then grown from 2
}

}  // namespace
}  // namespace hfi::wasmhost

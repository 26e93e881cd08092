// Test modules for the wasm tests: WAT text compiled in-process with WABT, starting from a
// minimal proxy-wasm HTTP filter that passes every inspector check, then altered per test.
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "wabt/binary-writer.h"
#include "wabt/feature.h"
#include "wabt/ir.h"
#include "wabt/stream.h"
#include "wabt/wast-lexer.h"
#include "wabt/wast-parser.h"

namespace hfi::wasm::testing {

// Compiles WAT to a binary module; a parse error fails the calling test and returns "".
inline std::string WatToWasm(std::string_view wat) {
  wabt::Errors errors;
  std::unique_ptr<wabt::WastLexer> lexer =
      wabt::WastLexer::CreateBufferLexer("test.wat", wat.data(), wat.size(), &errors);
  std::unique_ptr<wabt::Module> module;
  wabt::Features features;
  wabt::WastParseOptions options(features);
  if (wabt::Failed(wabt::ParseWatModule(lexer.get(), &module, &errors, &options))) {
    std::string all;
    for (const wabt::Error& e : errors)
      all += e.message + "\n";
    ADD_FAILURE() << "bad WAT:\n" << all << wat;
    return {};
  }
  wabt::MemoryStream stream;
  wabt::WriteBinaryOptions write_options;
  if (wabt::Failed(wabt::WriteBinaryModule(&stream, module.get(), write_options))) {
    ADD_FAILURE() << "cannot write the binary";
    return {};
  }
  const std::vector<std::uint8_t>& data = stream.output_buffer().data;
  return std::string(data.begin(), data.end());
}

inline constexpr std::string_view kMetricNamesData =
    R"((data (i32.const 1024) "wasmcustom.hfi_faults_aborts_total\00)"
    R"(wasmcustom.hfi_faults_delays_total\00)"
    R"(wasmcustom.hfi_faults_delay_duration_milliseconds\00"))";

// One module field per line, so a test can drop or swap any of them.
struct WatModule {
  std::vector<std::string> fields = {
      R"((import "env" "proxy_log" (func (param i32 i32 i32) (result i32))))",
      R"((import "env" "proxy_define_metric" (func (param i32 i32 i32 i32) (result i32))))",
      R"((import "env" "proxy_increment_metric" (func (param i32 i64) (result i32))))",
      R"((import "env" "proxy_continue_stream" (func (param i32) (result i32))))",
      R"((import "wasi_snapshot_preview1" "proc_exit" (func (param i32))))",
      R"((import "wasi_snapshot_preview1" "clock_time_get" (func (param i32 i64 i32) (result i32))))",
      R"((memory (export "memory") 2 2))",
      std::string(kMetricNamesData),
      R"((func (export "proxy_abi_version_0_2_1")))",
      R"((func (export "_initialize")))",
      R"((func (export "malloc") (param i32) (result i32) i32.const 0))",
      R"((func (export "free") (param i32)))",
      R"((func (export "proxy_on_vm_start") (param i32 i32) (result i32) i32.const 1))",
      R"((func (export "proxy_on_configure") (param i32 i32) (result i32) i32.const 1))",
      R"((func (export "proxy_on_context_create") (param i32 i32)))",
      R"((func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32) i32.const 0))",
      R"((func (export "proxy_on_tick") (param i32)))",
      R"((func (export "proxy_on_done") (param i32) (result i32) i32.const 1))",
      R"((func (export "proxy_on_delete") (param i32)))",
  };

  // Drops every field that contains `needle` (the test fails if none does).
  WatModule& Drop(std::string_view needle) {
    std::size_t before = fields.size();
    std::erase_if(fields,
                  [&](const std::string& f) { return f.find(needle) != std::string::npos; });
    EXPECT_LT(fields.size(), before) << "no field contains " << needle;
    return *this;
  }
  // Replaces every field that contains `needle` by `field`.
  WatModule& Swap(std::string_view needle, std::string field) {
    Drop(needle);
    return Add(std::move(field));
  }
  WatModule& Add(std::string field) {
    // Imports must precede definitions in WAT.
    if (field.rfind("(import", 0) == 0)
      fields.insert(fields.begin(), std::move(field));
    else
      fields.push_back(std::move(field));
    return *this;
  }
  std::string Text() const {
    std::string text = "(module\n";
    for (const std::string& f : fields)
      text += "  " + f + "\n";
    return text + ")\n";
  }
  std::string Binary() const { return WatToWasm(Text()); }
};

}  // namespace hfi::wasm::testing

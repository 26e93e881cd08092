#include "wasmhost/test_support.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include "wabt/binary-writer.h"
#include "wabt/error-formatter.h"
#include "wabt/stream.h"
#include "wabt/wast-lexer.h"
#include "wabt/wast-parser.h"

namespace hfi::wasmhost::testing {
namespace {

// The ABI's signatures, written out here independently of the host's own table so a slip in
// one is caught by the other (facts/proxy-wasm-abi.md §3, §6.1).
const std::map<std::string_view, std::string_view>& Signatures() {
  static const std::map<std::string_view, std::string_view> kSignatures{
      {"proxy_log", "(param i32 i32 i32) (result i32)"},
      {"proxy_get_log_level", "(param i32) (result i32)"},
      {"proxy_set_tick_period_milliseconds", "(param i32) (result i32)"},
      {"proxy_get_current_time_nanoseconds", "(param i32) (result i32)"},
      {"proxy_get_buffer_bytes", "(param i32 i32 i32 i32 i32) (result i32)"},
      {"proxy_get_buffer_status", "(param i32 i32 i32) (result i32)"},
      {"proxy_get_header_map_value", "(param i32 i32 i32 i32 i32) (result i32)"},
      {"proxy_get_header_map_pairs", "(param i32 i32 i32) (result i32)"},
      {"proxy_get_header_map_size", "(param i32 i32) (result i32)"},
      {"proxy_add_header_map_value", "(param i32 i32 i32 i32 i32) (result i32)"},
      {"proxy_replace_header_map_value", "(param i32 i32 i32 i32 i32) (result i32)"},
      {"proxy_remove_header_map_value", "(param i32 i32 i32) (result i32)"},
      {"proxy_set_header_map_pairs", "(param i32 i32 i32) (result i32)"},
      {"proxy_send_local_response", "(param i32 i32 i32 i32 i32 i32 i32 i32) (result i32)"},
      {"proxy_continue_stream", "(param i32) (result i32)"},
      {"proxy_close_stream", "(param i32) (result i32)"},
      {"proxy_get_property", "(param i32 i32 i32 i32) (result i32)"},
      {"proxy_set_effective_context", "(param i32) (result i32)"},
      {"proxy_define_metric", "(param i32 i32 i32 i32) (result i32)"},
      {"proxy_increment_metric", "(param i32 i64) (result i32)"},
      {"proxy_record_metric", "(param i32 i64) (result i32)"},
      {"proxy_get_metric", "(param i32 i32) (result i32)"},
      {"proxy_done", "(result i32)"},
      {"emscripten_notify_memory_growth", "(param i32)"},
      {"wasi:fd_write", "(param i32 i32 i32 i32) (result i32)"},
      {"wasi:fd_read", "(param i32 i32 i32 i32) (result i32)"},
      {"wasi:fd_close", "(param i32) (result i32)"},
      {"wasi:fd_seek", "(param i32 i64 i32 i32) (result i32)"},
      {"wasi:fd_fdstat_get", "(param i32 i32) (result i32)"},
      {"wasi:environ_sizes_get", "(param i32 i32) (result i32)"},
      {"wasi:environ_get", "(param i32 i32) (result i32)"},
      {"wasi:args_sizes_get", "(param i32 i32) (result i32)"},
      {"wasi:args_get", "(param i32 i32) (result i32)"},
      {"wasi:clock_time_get", "(param i32 i64 i32) (result i32)"},
      {"wasi:random_get", "(param i32 i32) (result i32)"},
      {"wasi:proc_exit", "(param i32)"},
      {"wasi:sched_yield", "(result i32)"},
  };
  return kSignatures;
}

}  // namespace

std::string AssembleWat(std::string_view wat) {
  wabt::Errors errors;
  std::unique_ptr<wabt::WastLexer> lexer =
      wabt::WastLexer::CreateBufferLexer("test.wat", wat.data(), wat.size(), &errors);
  std::unique_ptr<wabt::Module> module;
  wabt::Features features;
  wabt::WastParseOptions parse_options(features);
  if (wabt::Failed(wabt::ParseWatModule(lexer.get(), &module, &errors, &parse_options))) {
    ADD_FAILURE() << "WAT does not assemble:\n"
                  << wabt::FormatErrorsToString(errors, wabt::Location::Type::Text) << wat;
    return {};
  }
  wabt::MemoryStream stream;
  if (wabt::Failed(wabt::WriteBinaryModule(&stream, module.get(), wabt::WriteBinaryOptions()))) {
    ADD_FAILURE() << "WABT could not write the module";
    return {};
  }
  const std::vector<uint8_t>& data = stream.output_buffer().data;
  return std::string(data.begin(), data.end());
}

std::string Imports(const std::vector<std::string_view>& names) {
  std::string out;
  for (std::string_view name : names) {
    auto it = Signatures().find(name);
    if (it == Signatures().end()) {
      ADD_FAILURE() << "no test signature for " << name;
      continue;
    }
    const bool wasi = name.substr(0, 5) == "wasi:";
    const std::string_view bare = wasi ? name.substr(5) : name;
    out += "(import \"" + std::string(wasi ? "wasi_snapshot_preview1" : "env") + "\" \"" +
           std::string(bare) + "\" (func $" + std::string(bare) + " " + std::string(it->second) +
           "))\n";
  }
  return out;
}

std::string PluginWat(const std::vector<std::string_view>& imports, std::string_view body,
                      std::string_view raw_imports) {
  const bool has_log =
      std::find(imports.begin(), imports.end(), std::string_view("proxy_log")) != imports.end();
  std::string wat = "(module\n" + Imports(imports) + std::string(raw_imports) + R"(
  (memory (export "memory") 2)
  (global $heap (mut i32) (i32.const 32768))
  (func $malloc (export "malloc") (param $n i32) (result i32)
    (local $p i32)
    (local.set $p (global.get $heap))
    (global.set $heap (i32.add (global.get $heap) (local.get $n)))
    (local.get $p))
  (func (export "proxy_abi_version_0_2_1"))
)";
  if (has_log) {
    wat += R"(
  (func $say (param $ptr i32) (param $len i32)
    (drop (call $proxy_log (i32.const 2) (local.get $ptr) (local.get $len))))
  (func $say2 (param $ptr i32) (param $len i32) (param $a i32) (param $b i32)
    (i32.store8 (i32.sub (i32.add (local.get $ptr) (local.get $len)) (i32.const 3))
                (i32.add (i32.const 48) (local.get $a)))
    (i32.store8 (i32.sub (i32.add (local.get $ptr) (local.get $len)) (i32.const 1))
                (i32.add (i32.const 48) (local.get $b)))
    (call $say (local.get $ptr) (local.get $len)))
  (func $say1 (param $ptr i32) (param $len i32) (param $a i32)
    (i32.store8 (i32.sub (i32.add (local.get $ptr) (local.get $len)) (i32.const 1))
                (i32.add (i32.const 48) (local.get $a)))
    (call $say (local.get $ptr) (local.get $len)))
  (global $cursor (mut i32) (i32.const 4096))
  (func $note (param $v i32)
    (i32.store8 (global.get $cursor) (i32.add (i32.const 48) (local.get $v)))
    (global.set $cursor (i32.add (global.get $cursor) (i32.const 1))))
  (func $flush
    (call $say (i32.const 4096) (i32.sub (global.get $cursor) (i32.const 4096)))
    (global.set $cursor (i32.const 4096)))
)";
  }
  wat += std::string(body) + "\n)\n";
  return AssembleWat(wat);
}

std::string PluginWithMalloc(std::string_view malloc_body, std::string_view extra_imports) {
  return AssembleWat("(module\n" + Imports({"proxy_log", "proxy_get_header_map_value"}) +
                     std::string(extra_imports) + R"(
  (memory (export "memory") 1)
  (func (export "malloc") (param $n i32) (result i32) )" +
                     std::string(malloc_body) + R"()
  (func (export "proxy_abi_version_0_2_1"))
  (data (i32.const 1024) ":path")
  (data (i32.const 1040) "result ?")
  (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32)
    (local $result i32)
    (local.set $result
      (call $proxy_get_header_map_value (i32.const 0) (i32.const 1024) (i32.const 5)
                                        (i32.const 512) (i32.const 516)))
    (i32.store8 (i32.const 1047) (i32.add (i32.const 48) (local.get $result)))
    (drop (call $proxy_log (i32.const 2) (i32.const 1040) (i32.const 8)))
    (if (i32.eqz (local.get $result))
      (then (drop (call $proxy_log (i32.const 2) (i32.load (i32.const 512))
                                   (i32.load (i32.const 516))))))
    (i32.const 0)))
)");
}

HostFixture::HostFixture(envoystats::StatsMatcher matcher) : stats(std::move(matcher)) {}

HostOptions TestOptions() {
  HostOptions options;
  options.log_level = LogLevel::kTrace;
  options.random_seed = 1;
  return options;
}

PluginHost& HostFixture::Load(const std::string& wasm, HostOptions options) {
  host_ = std::make_unique<PluginHost>(wasm, "test.wasm", std::move(options), stats, clock, log);
  return *host_;
}

PluginHost& HostFixture::LoadAndStart(const std::string& wasm, HostOptions options) {
  PluginHost& host = Load(wasm, std::move(options));
  EXPECT_TRUE(host.Start()) << host.failure();
  return host;
}

HttpMessage Request(std::string_view path, HeaderList extra) {
  HttpMessage request;
  request.headers = {{":method", "GET"},
                     {":path", std::string(path)},
                     {":authority", "svc.local"},
                     {":scheme", "http"}};
  request.headers.insert(request.headers.end(), extra.begin(), extra.end());
  return request;
}

HttpMessage Response(std::uint32_t status, HeaderList extra) {
  HttpMessage response;
  response.headers = {{":status", std::to_string(status)}};
  response.headers.insert(response.headers.end(), extra.begin(), extra.end());
  return response;
}

std::string HeaderValue(const HeaderList& headers, std::string_view key) {
  for (const auto& [k, v] : headers) {
    if (k == key)
      return v;
  }
  return "<absent>";
}

}  // namespace hfi::wasmhost::testing

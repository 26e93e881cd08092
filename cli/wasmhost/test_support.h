// Helpers for the wasmhost tests: plugins written as WAT text and assembled in-process with
// WABT, and a fixture that owns what a PluginHost needs (stat store, virtual clock, log sink).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "envoystats/stat_store.h"
#include "wasmhost/clock.h"
#include "wasmhost/host_options.h"
#include "wasmhost/log_sink.h"
#include "wasmhost/plugin_host.h"

namespace hfi::wasmhost::testing {

// Assembles a whole WAT module into wasm bytes. A syntax error fails the current test (with
// WABT's message) and returns an empty string.
std::string AssembleWat(std::string_view wat);

// `(import "env" "<name>" (func $<name> ...))` with the ABI's signature, for each proxy_* or
// WASI name ("wasi:fd_write" imports from wasi_snapshot_preview1).
std::string Imports(const std::vector<std::string_view>& names);

// A module with the given imports, a 2-page exported memory, a bump `malloc` (heap from 32 KiB),
// the proxy_abi_version_0_2_1 marker, helpers and `body`. Memory layout: scratch from 0 (tests
// use 512.. for out-pointers), strings from 1024, the note buffer at 4096, heap from 32768.
// Helpers, when proxy_log is imported:
//   $say (ptr, len)          proxy_log at info
//   $say1 (ptr, len, a)      the same after writing digit a (0..9) into the message's last byte
//   $say2 (ptr, len, a, b)   digits a and b into the third-last and last bytes
//   $note (v)                appends the character '0'+v to the note buffer (12 shows as '<', 21 as
//   'E') $flush                   logs the note buffer and empties it
// `raw_imports` is WAT placed among the imports, for imports with signatures of a test's own.
std::string PluginWat(const std::vector<std::string_view>& imports, std::string_view body,
                      std::string_view raw_imports = {});

// A module with a 1-page memory whose `malloc` body is `malloc_body` (WAT, $n is the size asked
// for; `extra_imports` may add imports it calls). Its proxy_on_request_headers reads ":path",
// which the host copies out through that malloc, logs "result N" with the result code, then the
// value when there is one.
std::string PluginWithMalloc(std::string_view malloc_body, std::string_view extra_imports = {});

// Options for tests: every log level, a fixed random seed.
HostOptions TestOptions();

class HostFixture {
 public:
  explicit HostFixture(envoystats::StatsMatcher matcher = envoystats::StatsMatcher::AcceptAll());

  // Loads `wasm` (throws as PluginHost does) and keeps the host.
  PluginHost& Load(const std::string& wasm, HostOptions options = TestOptions());
  // Load + Start, failing the test if Start fails.
  PluginHost& LoadAndStart(const std::string& wasm, HostOptions options = TestOptions());
  // The plugin's log messages, in order.
  std::vector<std::string> PluginLogs() const { return log.Messages(LogSource::kPlugin); }
  PluginHost& host() { return *host_; }

  envoystats::StatStore stats;
  VirtualClock clock;
  CollectingLogSink log;

 private:
  std::unique_ptr<PluginHost> host_;
};

// A GET request with the usual pseudo-headers and any extra headers.
HttpMessage Request(std::string_view path, HeaderList extra = {});
HttpMessage Response(std::uint32_t status, HeaderList extra = {});

// The value of `key` in `headers`, or "<absent>".
std::string HeaderValue(const HeaderList& headers, std::string_view key);

}  // namespace hfi::wasmhost::testing

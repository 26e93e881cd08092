// The cost of one HTTP request through a plugin in the embedded host (WABT's interpreter): the HFI
// plugin for a request that matches no rule, one it aborts, and one it delays (paused, then
// resumed from the tick on a virtual clock), each next to the empty plugin of tests/plugins/ doing
// the same request, which costs only what the host and the ABI cost. tests/bench/host_ratios.sh
// prints HFI/empty per kind. A request is the whole stream as Envoy drives it: context create,
// request headers, (tick, continue,) response headers, log, done, delete.
//
// Finds the modules through $HFI_PLUGIN_WASM and $HFI_TEST_PLUGINS, else in the build tree.
#include <benchmark/benchmark.h>

#include <cstdint>
#include <cstdlib>
#include <fstream>
#include <map>
#include <optional>
#include <sstream>
#include <string>

#include "envoystats/stat_store.h"
#include "wasmhost/clock.h"
#include "wasmhost/plugin_host.h"

namespace hfi::wasmhost {
namespace {

// What both plugins are given: HFI's policy aborts on `x-fault: abort` and delays 20 ms on
// `x-fault: delay` (the empty plugin ignores it). The no-match request carries headers no rule
// looks for, so HFI reads the one header its rules name and lets the request go.
constexpr char kPolicy[] = R"({"policies":[{"metadata":{"name":"bench"},"spec":{"rules":[
  {"match":{"headers":[{"name":"x-fault","exact":"abort"}]},
   "fault":{"percentage":100,"abort":{"httpStatus":503}}},
  {"match":{"headers":[{"name":"x-fault","exact":"delay"}]},
   "fault":{"percentage":100,"delay":{"fixed_delay_ms":20}}}]}}]})";

class DiscardLog final : public LogSink {
 public:
  void Log(const LogRecord&) override {}
};

std::string EnvOr(const char* name, const std::string& fallback) {
  const char* value = std::getenv(name);
  return value != nullptr && *value != '\0' ? std::string(value) : fallback;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return in ? bytes.str() : std::string();
}

// Each module read once per process.
const std::string& Module(const std::string& which) {
  static std::map<std::string, std::string> modules;
  auto it = modules.find(which);
  if (it == modules.end()) {
    const std::string path =
        which == "hfi" ? EnvOr("HFI_PLUGIN_WASM", HFI_BENCH_PLUGIN_WASM)
                       : EnvOr("HFI_TEST_PLUGINS", HFI_BENCH_TEST_PLUGINS) + "/" + which + ".wasm";
    it = modules.emplace(which, ReadFile(path)).first;
  }
  return it->second;
}

HttpMessage Request(const char* fault) {
  HttpMessage request;
  request.headers = {{":method", "GET"},
                     {":path", "/api/v1/reviews/42?page=2"},
                     {":authority", "reviews.demo.svc.cluster.local:9080"},
                     {":scheme", "http"},
                     {"user-agent", "Mozilla/5.0 (X11; Linux x86_64)"},
                     {"accept", "application/json"},
                     {"x-request-id", "6f1c2a9e-4d1b-4c2e-9a77-0b1f3e5d7c21"},
                     {"x-b3-traceid", "80f198ee56343ba864fe8b2a57d3eff7"}};
  if (fault != nullptr)
    request.headers.emplace_back("x-fault", fault);
  return request;
}

HttpMessage Response() {
  HttpMessage response;
  response.headers = {
      {":status", "200"}, {"content-type", "application/json"}, {"content-length", "120"}};
  return response;
}

// One whole stream, whatever the plugin does with it; returns how the request phase ended.
StreamState RunRequest(PluginHost& host, VirtualClock& clock, const HttpMessage& request) {
  StreamStatus status = host.StartStream(request);
  const StreamState first = status.state;
  if (status.state == StreamState::kPaused) {
    while (host.paused_stream_count() > 0) {
      std::optional<std::int64_t> next = host.NextTickDeadline();
      if (!next)
        break;
      clock.AdvanceTo(*next);
      host.RunDueTicks();
    }
    status.state = StreamState::kContinue;
  }
  if (status.state == StreamState::kContinue)
    host.OnResponseHeaders(status.id, Response());
  host.FinishStream(status.id);
  return first;
}

// `plugin`: "hfi" or a test plugin's name; `fault`: the x-fault header, or none; `expected`: how
// the request phase must end for the run to count.
void BM_Request(benchmark::State& state, const std::string& plugin, const char* fault,
                StreamState expected) {
  const std::string& wasm = Module(plugin);
  if (wasm.empty()) {
    state.SkipWithError(("no " + plugin +
                         " .wasm: build the plugins, or set HFI_PLUGIN_WASM and "
                         "HFI_TEST_PLUGINS")
                            .c_str());
    return;
  }
  envoystats::StatStore stats(envoystats::StatsMatcher::IstioDefault());
  VirtualClock clock;
  DiscardLog log;
  HostOptions options;
  options.plugin_configuration = kPolicy;
  options.random_seed = 1;
  options.node_metadata = {{"WORKLOAD_NAME", "reviews-v1"}, {"NAMESPACE", "demo"}};
  PluginHost host(wasm, plugin + ".wasm", options, stats, clock, log);
  if (!host.Start()) {
    state.SkipWithError(("the plugin failed to start: " + host.failure()).c_str());
    return;
  }
  const HttpMessage request = Request(fault);
  if (RunRequest(host, clock, request) != expected) {
    state.SkipWithError("the request did not end as this case expects");
    return;
  }
  std::int64_t count = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(RunRequest(host, clock, request));
    // Delay samples wait in the histogram's interval until a flush, as in Envoy every 5 s.
    if (++count % 4096 == 0)
      stats.Flush();
  }
  if (host.fail_state() != FailState::kNone)
    state.SkipWithError(("the VM failed: " + host.failure()).c_str());
}

BENCHMARK_CAPTURE(BM_Request, hfi_no_match, std::string("hfi"), nullptr, StreamState::kContinue)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Request, empty_no_match, std::string("empty_plugin"), nullptr,
                  StreamState::kContinue)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Request, hfi_abort, std::string("hfi"), "abort", StreamState::kLocalReply)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Request, empty_abort, std::string("empty_plugin"), "abort",
                  StreamState::kContinue)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Request, hfi_delay, std::string("hfi"), "delay", StreamState::kPaused)
    ->Unit(benchmark::kMicrosecond);
BENCHMARK_CAPTURE(BM_Request, empty_delay, std::string("empty_plugin"), "delay",
                  StreamState::kContinue)
    ->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace hfi::wasmhost

BENCHMARK_MAIN();

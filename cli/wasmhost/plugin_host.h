// The embedded proxy-wasm 0.2.1 host: runs a plugin .wasm on WABT's interpreter as an Istio
// sidecar's Envoy runs an HTTP filter (same imports, return codes, call order, failure rules),
// with metrics in an Envoy-like stat store. No Envoy, no cluster.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "envoystats/stat_store.h"
#include "wasmhost/clock.h"
#include "wasmhost/host_options.h"
#include "wasmhost/log_sink.h"
#include "wasmhost/stream.h"

namespace hfi::wasmhost {

class HostState;
class PluginVm;
struct StreamContext;
enum class CallPhase;
enum class Step;

// Envoy's FailState for the reasons a VM stops serving (facts/proxy-wasm-abi.md §1, §4.6).
enum class FailState { kNone, kStartFailed, kConfigureFailed, kRuntimeError };

// Single-threaded, like the one interpreter it drives: callers serialise every call on a host
// (an HTTP server in front of it holds one mutex around them).
class PluginHost {
 public:
  // Reads, checks and links the module; runs only its start function, if it has one. Throws
  // InputError when Envoy would refuse to load it (invalid module, an import this host does not
  // provide or with another signature, no ABI marker, no malloc, a wrong export signature).
  // `stats`, `clock` and `log` must outlive the host.
  PluginHost(std::string_view wasm, std::string_view source_name, HostOptions options,
             envoystats::StatStore& stats, const Clock& clock, LogSink& log);
  ~PluginHost();
  PluginHost(const PluginHost&) = delete;
  PluginHost& operator=(const PluginHost&) = delete;

  // Envoy's start sequence (§4.2): _initialize then main(0, 0) (or _start) with only the
  // start-up hostcalls allowed; proxy_on_context_create(root, 0); proxy_on_vm_start(root,
  // vm_configuration size); proxy_on_configure(root, plugin_configuration size). Returns false
  // when the VM failed (see fail_state()); requests then follow the failure policy.
  bool Start();
  // proxy_on_configure again on the root context with another plugin configuration. Returns
  // false if the plugin rejected it (returned 0; the VM keeps running, as Envoy keeps the plugin
  // it had) or the VM is not running.
  bool Configure(std::string plugin_configuration);
  // proxy_on_done(root), then proxy_on_delete(root) — unless on_done returned 0, in which case
  // the root waits for the plugin's proxy_done (from a later tick). Returns true once deleted.
  bool Shutdown();

  // One HTTP request: a new context id, proxy_on_context_create(id, root),
  // proxy_on_request_headers(id, header count, end_of_stream), then proxy_on_request_body if
  // there is a body. kContinue: forward `message` upstream, then call OnResponseHeaders.
  // kPaused: the plugin holds it (RunDueTicks reports when it lets go). kLocalReply: answer
  // with `message`. kReset: drop the stream. Once the VM has failed no plugin code runs: the
  // status is kContinue (fail open) or Envoy's 503 (fail closed).
  StreamStatus StartStream(HttpMessage request);
  // The upstream response of a stream that was forwarded: proxy_on_response_headers (and
  // _body). kContinue: `message` is the response as the client sees it (the plugin may have
  // changed headers). A stream already answered by a local reply or reset returns that status
  // again. Throws std::logic_error for a stream that was never forwarded.
  StreamStatus OnResponseHeaders(StreamId id, HttpMessage response);
  // The stream is over (answered, or the client left): proxy_on_log, proxy_on_done,
  // proxy_on_delete, as Envoy's access log and filter destruction run them (§4.3).
  void FinishStream(StreamId id);

  // When RunDueTicks next has work: the root's next tick (monotonic ns), or now if statuses are
  // waiting to be reported; nullopt when neither (no period set, no proxy_on_tick, VM failed).
  std::optional<std::int64_t> NextTickDeadline() const;
  // Runs proxy_on_tick(root) if its period has elapsed on the clock and re-arms it; returns the
  // streams that changed meanwhile (continued or answered from the tick, or ended because the VM
  // failed), each once.
  std::vector<StreamStatus> RunDueTicks();

  FailState fail_state() const { return fail_state_; }
  const std::string& failure() const { return failure_; }  // why, when fail_state() != kNone
  std::uint32_t root_context_id() const;
  std::uint32_t tick_period_ms() const;
  std::size_t paused_stream_count() const;
  std::size_t stream_count() const;

 private:
  struct CallOutcome;
  CallOutcome Invoke(std::string_view name, const std::vector<std::uint32_t>& args,
                     std::uint32_t context_id, CallPhase phase);
  bool Usable() const;
  bool RunConfigure(std::string plugin_configuration, bool initial);
  void MarkFailed(FailState state, std::string reason);
  void DeleteRoot();

  StreamStatus Drive(StreamContext& stream);
  CallOutcome RunStep(StreamContext& stream, Step step);
  StreamStatus FailStream(StreamContext& stream);
  StreamStatus SendLocalReply(StreamContext& stream, LocalReply reply);
  void EncodeLocalReply(StreamContext& stream);
  StreamStatus Reset(StreamContext& stream);
  void ApplyDeferredActions();
  std::optional<StreamStatus> Resolve(StreamContext& stream);
  StreamStatus StatusOf(const StreamContext& stream, StreamState state) const;

  std::unique_ptr<HostState> state_;
  std::unique_ptr<PluginVm> vm_;
  bool started_ = false;
  FailState fail_state_ = FailState::kNone;
  std::string failure_;
  std::vector<StreamId> driving_;  // streams whose callbacks are running, outermost first
  std::vector<StreamStatus> pending_events_;
};

// For tests and runs on virtual time: moves `clock` to each next tick deadline and runs the due
// ticks until no stream is paused, returning every status reported on the way. Stops early when
// nothing is scheduled (no stream could resume) or after `max_advance_nanos` of virtual time.
std::vector<StreamStatus> AdvanceUntilNoPausedStreams(PluginHost& host, VirtualClock& clock,
                                                      std::int64_t max_advance_nanos);

}  // namespace hfi::wasmhost

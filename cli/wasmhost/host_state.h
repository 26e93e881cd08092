// The Envoy side of the host as the hostcalls see it: the root context, each HTTP stream's maps,
// bodies and deferred actions, the timer, metrics, options and log. Internal to wasmhost; the
// plugin_host drives it and the hostcalls (imports_*.cc) read and change it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "envoystats/stat_store.h"
#include "wasmhost/abi.h"
#include "wasmhost/clock.h"
#include "wasmhost/header_map.h"
#include "wasmhost/host_options.h"
#include "wasmhost/log_sink.h"
#include "wasmhost/metrics.h"
#include "wasmhost/stream.h"

namespace hfi::wasmhost {

enum class MapAccess { kNone, kReadOnly, kReadWrite };

// Where a stream is. A stream waits for the plugin only while `paused` in kRequest or kResponse.
enum class Stage {
  kRequest,     // request callbacks running or paused
  kUpstream,    // request forwarded; waiting for the response
  kResponse,    // response callbacks running or paused
  kComplete,    // response sent to the client
  kLocalReply,  // the plugin's (or the failure rule's) local reply was sent
  kReset,       // the plugin closed the stream
};

enum class Step { kRequestHeaders, kRequestBody, kResponseHeaders, kResponseBody };

struct StreamContext {
  StreamId id = 0;
  bool created = false;  // proxy_on_context_create ran: the plugin knows this id
  Stage stage = Stage::kRequest;
  HeaderMap request_headers;
  HeaderMap response_headers;
  std::string request_body;
  std::string response_body;
  // Which header maps the plugin may read or change now (facts §3.6, §3.9, checklist §10.4).
  MapAccess request_access = MapAccess::kNone;
  MapAccess response_access = MapAccess::kNone;
  std::optional<BufferType> readable_body;  // while proxy_on_request_body/_response_body runs
  bool in_log = false;                      // proxy_on_log: maps read-only, missing map NotFound

  // The callbacks of the current direction and the next one to run.
  std::vector<Step> steps;
  std::size_t next_step = 0;
  bool paused = false;

  // Asked for by hostcalls, applied once the VM call returns, as Envoy defers them (§3.10, §3.11).
  bool continue_request = false;
  bool continue_response = false;
  bool close = false;
  std::optional<LocalReply> pending_reply;
  std::optional<LocalReply> sent_reply;

  bool Terminal() const {
    return stage == Stage::kComplete || stage == Stage::kLocalReply || stage == Stage::kReset;
  }
};

class HostState {
 public:
  HostState(HostOptions options, envoystats::StatStore& stats, const Clock& clock, LogSink& sink);

  // Drops lines below options.log_level, as Envoy's logger does.
  void Log(LogLevel level, LogSource source, std::string message);

  StreamContext* FindStream(std::uint32_t id);
  // A context the plugin may name in proxy_set_effective_context: the root or a created stream.
  bool IsLiveContext(std::uint32_t id) const;
  // Queues `stream` for ApplyDeferredActions (once, in the order of the first request).
  void Defer(StreamContext& stream);
  // proxy_set_tick_period_milliseconds: re-arms the root's timer from now; 0 disables it (§3.3).
  void SetTickPeriod(std::uint32_t period_ms);

  HostOptions options;
  const Clock& clock;
  MetricTable metrics;
  std::mt19937_64 random;

  std::uint32_t next_context_id = 1;  // 0 is the VM context (§4.2 step 4)
  std::uint32_t root_id = 0;          // 0 until the root context is created
  bool root_deleted = false;
  bool root_pending_done = false;  // proxy_on_done(root) returned 0: waiting for proxy_done
  bool root_done_called = false;   // proxy_done ran: delete the root after the VM call
  std::string plugin_configuration;
  bool plugin_configuration_readable = false;  // only inside proxy_on_configure (§2.3)

  std::uint32_t tick_period_ms = 0;
  std::int64_t next_tick_nanos = 0;

  std::map<StreamId, StreamContext> streams;
  std::vector<StreamId> deferred;

 private:
  LogSink& sink_;
};

}  // namespace hfi::wasmhost

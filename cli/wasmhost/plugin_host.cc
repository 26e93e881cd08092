#include "wasmhost/plugin_host.h"

#include <algorithm>
#include <stdexcept>
#include <utility>

#include "wasmhost/host_state.h"
#include "wasmhost/plugin_vm.h"

namespace hfi::wasmhost {
namespace {

constexpr std::uint32_t kGrpcUnavailable = 14;

bool StepStops(Step step, std::uint32_t value) {
  if (step == Step::kRequestHeaders || step == Step::kResponseHeaders)
    return HeadersStatusStops(value);
  return value != 0;  // FilterDataStatus: anything but Continue holds the data (§2.6)
}

std::vector<Step> ResponseSteps(const std::string& body) {
  std::vector<Step> steps{Step::kResponseHeaders};
  if (!body.empty())
    steps.push_back(Step::kResponseBody);
  return steps;
}

enum class CallStatus { kAbsent, kOk, kFailed };

// Envoy clears its pointer to a header map once the filter continues past it (§3.11).
void CompleteStep(StreamContext& stream) {
  const Step step = stream.steps[stream.next_step];
  if (step == Step::kRequestHeaders)
    stream.request_access = MapAccess::kNone;
  else if (step == Step::kResponseHeaders)
    stream.response_access = MapAccess::kNone;
  ++stream.next_step;
}

}  // namespace

struct PluginHost::CallOutcome {
  CallStatus status = CallStatus::kAbsent;
  std::uint32_t value = 0;
};

PluginHost::PluginHost(std::string_view wasm, std::string_view source_name, HostOptions options,
                       envoystats::StatStore& stats, const Clock& clock, LogSink& log)
    : state_(std::make_unique<HostState>(std::move(options), stats, clock, log)),
      vm_(std::make_unique<PluginVm>(wasm, source_name, *state_)) {}

PluginHost::~PluginHost() = default;

std::uint32_t PluginHost::root_context_id() const {
  return state_->root_id;
}

std::uint32_t PluginHost::tick_period_ms() const {
  return state_->tick_period_ms;
}

std::size_t PluginHost::paused_stream_count() const {
  return static_cast<std::size_t>(
      std::count_if(state_->streams.begin(), state_->streams.end(),
                    [](const auto& entry) { return entry.second.paused; }));
}

std::size_t PluginHost::stream_count() const {
  return state_->streams.size();
}

bool PluginHost::Usable() const {
  return fail_state_ == FailState::kNone && state_->root_id != 0 && !state_->root_deleted;
}

PluginHost::CallOutcome PluginHost::Invoke(std::string_view name,
                                           const std::vector<std::uint32_t>& args,
                                           std::uint32_t context_id, CallPhase phase) {
  if (!vm_->HasExport(name))
    return {};
  PluginVm::CallResult result = vm_->Call(name, args, context_id, phase);
  if (!result.ok) {
    MarkFailed(FailState::kRuntimeError,
               std::string(name) + " (context " + std::to_string(context_id) + ") " + result.error);
    return {CallStatus::kFailed, 0};
  }
  return {CallStatus::kOk, result.value.value_or(0)};
}

void PluginHost::MarkFailed(FailState state, std::string reason) {
  if (fail_state_ != FailState::kNone)
    return;
  fail_state_ = state;
  failure_ = std::move(reason);
  const bool open = state_->options.failure_policy == FailurePolicy::kFailOpen;
  state_->Log(LogLevel::kError, LogSource::kHost,
              failure_ + "; the plugin's VM has failed and is not called again: requests " +
                  (open ? "pass through without it (fail open)"
                        : "get a local 503, details wasm_fail_stream (fail closed)"));
  // Envoy would leave a paused stream waiting for the route timeout; no tick will ever resume it
  // now, so end it by the failure rule instead.
  for (auto& [id, stream] : state_->streams) {
    if (stream.paused)
      pending_events_.push_back(FailStream(stream));
  }
}

// ---- VM and root context -------------------------------------------------------------------

bool PluginHost::Start() {
  if (started_)
    throw std::logic_error("PluginHost::Start called twice");
  started_ = true;
  // WASI reactor initialisation, restricted as Envoy's startVm restricts it (§4.2 step 3).
  if (vm_->HasExport("_initialize")) {
    if (Invoke("_initialize", {}, 0, CallPhase::kStartup).status == CallStatus::kFailed)
      return false;
    if (Invoke("main", {0, 0}, 0, CallPhase::kStartup).status == CallStatus::kFailed)
      return false;
  } else if (Invoke("_start", {}, 0, CallPhase::kStartup).status == CallStatus::kFailed) {
    return false;
  }

  const std::uint32_t root = state_->next_context_id++;
  state_->root_id = root;
  if (Invoke("proxy_on_context_create", {root, 0}, root, CallPhase::kCallback).status ==
      CallStatus::kFailed)
    return false;
  const auto vm_configuration_size =
      static_cast<std::uint32_t>(state_->options.vm_configuration.size());
  CallOutcome started =
      Invoke("proxy_on_vm_start", {root, vm_configuration_size}, root, CallPhase::kCallback);
  ApplyDeferredActions();
  if (started.status == CallStatus::kFailed)
    return false;
  if (started.status == CallStatus::kOk && started.value == 0) {
    MarkFailed(FailState::kStartFailed,
               "proxy_on_vm_start returned 0 (the plugin failed to start)");
    return false;
  }
  return RunConfigure(state_->options.plugin_configuration, /*initial=*/true);
}

bool PluginHost::Configure(std::string plugin_configuration) {
  if (!Usable())
    return false;
  return RunConfigure(std::move(plugin_configuration), /*initial=*/false);
}

bool PluginHost::RunConfigure(std::string plugin_configuration, bool initial) {
  const std::uint32_t root = state_->root_id;
  const auto size = static_cast<std::uint32_t>(plugin_configuration.size());
  state_->plugin_configuration = std::move(plugin_configuration);
  state_->plugin_configuration_readable = true;
  CallOutcome configured = Invoke("proxy_on_configure", {root, size}, root, CallPhase::kCallback);
  state_->plugin_configuration_readable = false;
  ApplyDeferredActions();
  if (configured.status == CallStatus::kFailed)
    return false;
  if (configured.status == CallStatus::kOk && configured.value == 0) {
    if (initial) {
      MarkFailed(FailState::kConfigureFailed,
                 "proxy_on_configure returned 0 (the plugin rejected its configuration)");
    } else {
      state_->Log(LogLevel::kWarn, LogSource::kHost,
                  "proxy_on_configure returned 0: the plugin rejected the new configuration");
    }
    return false;
  }
  return true;
}

bool PluginHost::Shutdown() {
  if (!Usable())
    return true;
  CallOutcome done =
      Invoke("proxy_on_done", {state_->root_id}, state_->root_id, CallPhase::kCallback);
  if (done.status == CallStatus::kFailed)
    return true;
  if (done.status == CallStatus::kAbsent || done.value != 0) {
    DeleteRoot();
    return true;
  }
  state_->root_pending_done = true;
  return false;
}

void PluginHost::DeleteRoot() {
  Invoke("proxy_on_delete", {state_->root_id}, state_->root_id, CallPhase::kCallback);
  state_->root_deleted = true;
  state_->root_pending_done = false;
}

// ---- Streams -------------------------------------------------------------------------------

StreamStatus PluginHost::StatusOf(const StreamContext& stream, StreamState state) const {
  StreamStatus status;
  status.id = stream.id;
  status.state = state;
  const bool request = stream.stage == Stage::kRequest || stream.stage == Stage::kUpstream;
  status.phase =
      request && state != StreamState::kLocalReply ? StreamPhase::kRequest : StreamPhase::kResponse;
  if (state == StreamState::kContinue && request) {
    status.message = {stream.request_headers.entries(), stream.request_body};
  } else if (state == StreamState::kContinue || state == StreamState::kLocalReply) {
    status.message = {stream.response_headers.entries(), stream.response_body};
  }
  if (state == StreamState::kLocalReply)
    status.local_reply = stream.sent_reply;
  return status;
}

StreamStatus PluginHost::StartStream(HttpMessage request) {
  if (!started_)
    throw std::logic_error("PluginHost::StartStream called before Start");
  const StreamId id = state_->next_context_id++;
  StreamContext& stream = state_->streams[id];
  stream.id = id;
  stream.request_headers = HeaderMap(request.headers);
  stream.request_body = std::move(request.body);
  if (!Usable())
    return FailStream(stream);
  if (Invoke("proxy_on_context_create", {id, state_->root_id}, id, CallPhase::kCallback).status ==
      CallStatus::kFailed)
    return FailStream(stream);
  stream.created = true;
  stream.steps = {Step::kRequestHeaders};
  if (!stream.request_body.empty())
    stream.steps.push_back(Step::kRequestBody);
  stream.next_step = 0;
  return Drive(stream);
}

StreamStatus PluginHost::OnResponseHeaders(StreamId id, HttpMessage response) {
  StreamContext* stream = state_->FindStream(id);
  if (stream == nullptr)
    throw std::logic_error("OnResponseHeaders: unknown stream " + std::to_string(id));
  if (stream->stage == Stage::kLocalReply)
    return StatusOf(*stream, StreamState::kLocalReply);
  if (stream->stage == Stage::kReset)
    return StatusOf(*stream, StreamState::kReset);
  if (stream->stage != Stage::kUpstream) {
    throw std::logic_error("OnResponseHeaders: stream " + std::to_string(id) +
                           " was not forwarded upstream");
  }
  stream->stage = Stage::kResponse;
  stream->response_headers = HeaderMap(response.headers);
  stream->response_body = std::move(response.body);
  if (!stream->created || !Usable())
    return FailStream(*stream);
  stream->steps = ResponseSteps(stream->response_body);
  stream->next_step = 0;
  return Drive(*stream);
}

void PluginHost::FinishStream(StreamId id) {
  StreamContext* stream = state_->FindStream(id);
  if (stream == nullptr)
    return;
  if (stream->created && Usable()) {
    // Access-log phase: both maps read-only, a missing one NotFound (§3.6, §4.3 step 5).
    stream->paused = false;
    stream->in_log = true;
    stream->request_access = MapAccess::kReadOnly;
    const bool has_response = stream->stage == Stage::kResponse ||
                              stream->stage == Stage::kComplete ||
                              stream->stage == Stage::kLocalReply;
    stream->response_access = has_response ? MapAccess::kReadOnly : MapAccess::kNone;
    driving_.push_back(id);
    // Envoy ignores a stream's proxy_on_done result (§4.4).
    if (Invoke("proxy_on_log", {id}, id, CallPhase::kCallback).status != CallStatus::kFailed &&
        Invoke("proxy_on_done", {id}, id, CallPhase::kCallback).status != CallStatus::kFailed)
      Invoke("proxy_on_delete", {id}, id, CallPhase::kCallback);
    ApplyDeferredActions();
    driving_.pop_back();
  }
  state_->streams.erase(id);
  // Nobody is left to tell about this stream.
  pending_events_.erase(
      std::remove_if(pending_events_.begin(), pending_events_.end(),
                     [id](const StreamStatus& status) { return status.id == id; }),
      pending_events_.end());
}

PluginHost::CallOutcome PluginHost::RunStep(StreamContext& stream, Step step) {
  const std::uint32_t id = stream.id;
  switch (step) {
    case Step::kRequestHeaders:
      stream.request_access = MapAccess::kReadWrite;
      return Invoke("proxy_on_request_headers",
                    {id, static_cast<std::uint32_t>(stream.request_headers.size()),
                     stream.request_body.empty() ? 1u : 0u},
                    id, CallPhase::kCallback);
    case Step::kResponseHeaders:
      stream.response_access = MapAccess::kReadWrite;
      return Invoke("proxy_on_response_headers",
                    {id, static_cast<std::uint32_t>(stream.response_headers.size()),
                     stream.response_body.empty() ? 1u : 0u},
                    id, CallPhase::kCallback);
    case Step::kRequestBody:
    case Step::kResponseBody: {
      const bool request = step == Step::kRequestBody;
      stream.readable_body = request ? BufferType::kHttpRequestBody : BufferType::kHttpResponseBody;
      const std::string& body = request ? stream.request_body : stream.response_body;
      CallOutcome result =
          Invoke(request ? "proxy_on_request_body" : "proxy_on_response_body",
                 {id, static_cast<std::uint32_t>(body.size()), 1u}, id, CallPhase::kCallback);
      stream.readable_body.reset();
      return result;
    }
  }
  return {};
}

// Runs the stream's remaining callbacks of its current direction until one holds it, it is
// answered or reset, or the direction is done.
StreamStatus PluginHost::Drive(StreamContext& stream) {
  driving_.push_back(stream.id);
  struct Guard {
    std::vector<StreamId>& driving;
    ~Guard() { driving.pop_back(); }
  } guard{driving_};

  const bool request = stream.stage == Stage::kRequest;
  while (stream.next_step < stream.steps.size()) {
    if (!Usable())
      return FailStream(stream);
    const Step step = stream.steps[stream.next_step];
    const CallOutcome result = RunStep(stream, step);
    if (result.status == CallStatus::kFailed)
      return FailStream(stream);
    ApplyDeferredActions();
    // A local reply overrides whatever the callback returned (§2.6, §3.10).
    if (stream.pending_reply) {
      LocalReply reply = std::move(*stream.pending_reply);
      return SendLocalReply(stream, std::move(reply));
    }
    if (stream.close)
      return Reset(stream);
    // A continue for the other direction means nothing now; drop it with this one.
    const bool continue_asked = request ? stream.continue_request : stream.continue_response;
    stream.continue_request = stream.continue_response = false;
    if (result.status == CallStatus::kOk && StepStops(step, result.value) && !continue_asked) {
      stream.paused = true;
      return StatusOf(stream, StreamState::kPaused);
    }
    CompleteStep(stream);
  }
  stream.stage = request ? Stage::kUpstream : Stage::kComplete;
  return StatusOf(stream, StreamState::kContinue);
}

StreamStatus PluginHost::FailStream(StreamContext& stream) {
  stream.paused = false;
  if (state_->options.failure_policy == FailurePolicy::kFailOpen) {
    const bool request = stream.stage == Stage::kRequest;
    stream.request_access = stream.response_access = MapAccess::kNone;
    StreamStatus status = StatusOf(stream, StreamState::kContinue);
    stream.stage = request ? Stage::kUpstream : Stage::kComplete;
    return status;
  }
  // Envoy's failStream: 503, gRPC Unavailable, details wasm_fail_stream; the filter's own
  // response callbacks are skipped for it (failure_local_reply_sent_, §4.3 step 4).
  LocalReply reply;
  reply.status = 503;
  reply.details = "wasm_fail_stream";
  reply.grpc_status = kGrpcUnavailable;
  stream.sent_reply = reply;
  stream.response_headers = HeaderMap(HeaderList{{":status", "503"}});
  stream.response_body.clear();
  stream.request_access = stream.response_access = MapAccess::kNone;
  stream.stage = Stage::kLocalReply;
  return StatusOf(stream, StreamState::kLocalReply);
}

StreamStatus PluginHost::SendLocalReply(StreamContext& stream, LocalReply reply) {
  stream.paused = false;
  stream.pending_reply.reset();
  stream.continue_request = stream.continue_response = stream.close = false;
  stream.request_access = MapAccess::kNone;
  // What Envoy's sendLocalReply puts on the wire: the status, the plugin's headers, and a plain
  // text type and length for a body.
  HeaderMap headers(HeaderList{{":status", std::to_string(reply.status)}});
  for (const auto& [key, value] : reply.headers)
    headers.Add(key, value);
  if (!reply.body.empty()) {
    if (!headers.Get("content-type"))
      headers.Add("content-type", "text/plain");
    headers.Replace("content-length", std::to_string(reply.body.size()));
  }
  stream.response_headers = std::move(headers);
  stream.response_body = reply.body;
  stream.sent_reply = std::move(reply);
  if (state_->options.response_headers_on_local_reply && stream.created)
    EncodeLocalReply(stream);
  stream.response_access = MapAccess::kNone;
  stream.stage = Stage::kLocalReply;
  return StatusOf(stream, StreamState::kLocalReply);
}

// The local reply passes through the filter's own response callbacks, which may add headers to
// it; they cannot hold it or answer it again.
void PluginHost::EncodeLocalReply(StreamContext& stream) {
  stream.stage = Stage::kResponse;
  stream.steps = ResponseSteps(stream.response_body);
  driving_.push_back(stream.id);
  for (stream.next_step = 0; stream.next_step < stream.steps.size();) {
    if (!Usable() || RunStep(stream, stream.steps[stream.next_step]).status == CallStatus::kFailed)
      break;
    ApplyDeferredActions();
    if (stream.close) {
      state_->Log(LogLevel::kWarn, LogSource::kHost,
                  "proxy_close_stream while stream " + std::to_string(stream.id) +
                      " sends its local reply: ignored");
    }
    stream.continue_request = stream.continue_response = stream.close = false;
    CompleteStep(stream);
  }
  driving_.pop_back();
}

StreamStatus PluginHost::Reset(StreamContext& stream) {
  stream.paused = false;
  stream.close = stream.continue_request = stream.continue_response = false;
  stream.request_access = stream.response_access = MapAccess::kNone;
  stream.stage = Stage::kReset;
  return StatusOf(stream, StreamState::kReset);
}

// Applies what hostcalls deferred (§3.10, §3.11) once the VM call has returned: to streams other
// than those whose callbacks are running (their driver reads the flags itself); their statuses
// are reported by the next RunDueTicks. Also deletes the root once proxy_done asked for it.
void PluginHost::ApplyDeferredActions() {
  while (!state_->deferred.empty()) {
    std::vector<StreamId> ids;
    ids.swap(state_->deferred);
    for (StreamId id : ids) {
      if (std::find(driving_.begin(), driving_.end(), id) != driving_.end())
        continue;
      if (StreamContext* stream = state_->FindStream(id)) {
        if (std::optional<StreamStatus> status = Resolve(*stream))
          pending_events_.push_back(std::move(*status));
      }
    }
  }
  if (state_->root_done_called) {
    state_->root_done_called = false;
    DeleteRoot();
  }
}

std::optional<StreamStatus> PluginHost::Resolve(StreamContext& stream) {
  const bool continue_request = stream.continue_request;
  const bool continue_response = stream.continue_response;
  stream.continue_request = stream.continue_response = false;
  if (stream.Terminal()) {
    stream.pending_reply.reset();
    stream.close = false;
    return std::nullopt;
  }
  // While the request is upstream a local reply still answers it (Envoy drops the upstream
  // request); a continue has nothing to resume.
  if (stream.pending_reply) {
    LocalReply reply = std::move(*stream.pending_reply);
    return SendLocalReply(stream, std::move(reply));
  }
  if (stream.close)
    return Reset(stream);
  const bool resumes = stream.paused && ((stream.stage == Stage::kRequest && continue_request) ||
                                         (stream.stage == Stage::kResponse && continue_response));
  if (!resumes)
    return std::nullopt;
  stream.paused = false;
  CompleteStep(stream);
  return Drive(stream);
}

// ---- Ticks ---------------------------------------------------------------------------------

std::optional<std::int64_t> PluginHost::NextTickDeadline() const {
  if (!pending_events_.empty())
    return state_->clock.MonotonicNanos();
  if (!Usable() || state_->tick_period_ms == 0 || !vm_->HasExport("proxy_on_tick"))
    return std::nullopt;
  return state_->next_tick_nanos;
}

std::vector<StreamStatus> PluginHost::RunDueTicks() {
  if (Usable() && state_->tick_period_ms != 0 && vm_->HasExport("proxy_on_tick") &&
      state_->clock.MonotonicNanos() >= state_->next_tick_nanos) {
    const std::uint32_t root = state_->root_id;
    Invoke("proxy_on_tick", {root}, root, CallPhase::kCallback);
    // Envoy re-arms the timer after each tick, from now, with the period as it stands (the tick
    // may have changed it; 0 leaves it off) (§3.3).
    if (state_->tick_period_ms != 0)
      state_->SetTickPeriod(state_->tick_period_ms);
    ApplyDeferredActions();
  }
  return std::exchange(pending_events_, {});
}

std::vector<StreamStatus> AdvanceUntilNoPausedStreams(PluginHost& host, VirtualClock& clock,
                                                      std::int64_t max_advance_nanos) {
  const std::int64_t limit = clock.MonotonicNanos() + max_advance_nanos;
  std::vector<StreamStatus> statuses;
  while (true) {
    std::vector<StreamStatus> due = host.RunDueTicks();
    statuses.insert(statuses.end(), std::make_move_iterator(due.begin()),
                    std::make_move_iterator(due.end()));
    if (host.paused_stream_count() == 0)
      break;
    std::optional<std::int64_t> next = host.NextTickDeadline();
    if (!next || *next > limit)
      break;
    clock.AdvanceTo(*next);
  }
  return statuses;
}

}  // namespace hfi::wasmhost

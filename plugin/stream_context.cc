#include "plugin/stream_context.h"

#include "plugin/fault_decider.h"
#include "plugin/log.h"
#include "plugin/root_context.h"

namespace hfi::plugin {
namespace {

constexpr std::int64_t kNsPerMs = 1'000'000;
// The header that lets a client see what happened to its request.
constexpr std::string_view kFaultHeader = "x-fault-injected";

}  // namespace

std::string_view HostRequestView::Cached(std::string_view name, HostBytes* slot,
                                         bool* fetched) const {
  if (!*fetched) {
    *fetched = true;
    if (host_.GetRequestHeader(name, slot) != WasmResult::kOk)
      slot->Reset();
  }
  return slot->view();
}

std::string_view HostRequestView::Path() const {
  return Cached(":path", &path_, &path_fetched_);
}

std::string_view HostRequestView::Method() const {
  return Cached(":method", &method_, &method_fetched_);
}

std::optional<std::string_view> HostRequestView::Header(std::string_view lower_name) const {
  header_.Reset();
  if (host_.GetRequestHeader(lower_name, &header_) != WasmResult::kOk)
    return std::nullopt;
  return header_.view();
}

StreamContext::StreamContext(RootContext& root, std::uint32_t id)
    : root_(root), host_(root.host()), id_(id) {}

StreamContext::~StreamContext() {
  if (phase_ == Phase::kStartDelay || phase_ == Phase::kDelay)
    root_.Cancel(this);
}

HeadersStatus StreamContext::OnRequestHeaders() {
  const FaultDecider& decider = root_.decider();
  // No rule in force: not even the clock is read.
  if (decider.active_rule_count() == 0)
    return HeadersStatus::kContinue;
  const std::int64_t now_ns = host_.MonotonicNowNs();
  const HostRequestView request(host_);
  const ActiveRule* chosen = decider.Decide(request, now_ns, root_.random());
  if (chosen == nullptr)
    return HeadersStatus::kContinue;

  fault_ = chosen->rule->fault;
  Logf(host_, LogLevel::kDebug, "stream %u: policy \"%s\" rule %zu injects its fault",
       static_cast<unsigned>(id_), chosen->policy->name.c_str(), chosen->rule_index);
  if (fault_.start_delay_ms > 0) {
    phase_ = Phase::kStartDelay;
    root_.Schedule(this, now_ns + fault_.start_delay_ms * kNsPerMs, now_ns);
    return HeadersStatus::kStopIteration;
  }
  return ApplyFault(now_ns) ? HeadersStatus::kStopIteration : HeadersStatus::kContinue;
}

bool StreamContext::ApplyFault(std::int64_t now_ns) {
  // A 0 ms delay is no delay (the original's rule since its feature 010): not paused, not counted.
  if (fault_.delay_ms.value_or(0) > 0) {
    phase_ = Phase::kDelay;
    root_.Schedule(this, now_ns + *fault_.delay_ms * kNsPerMs, now_ns);
    return true;
  }
  return fault_.abort && SendAbort();
}

void StreamContext::OnDeadline(std::int64_t now_ns) {
  switch (phase_) {
    case Phase::kStartDelay:
      phase_ = Phase::kNone;
      if (!ApplyFault(now_ns))
        Continue();
      return;
    case Phase::kDelay:
      // The delay is complete: count it now, whatever follows.
      phase_ = Phase::kDelayed;
      root_.CountDelay(*fault_.delay_ms);
      if (fault_.abort && SendAbort())
        return;
      Continue();
      return;
    case Phase::kNone:
    case Phase::kDelayed:
    case Phase::kAborted:
      return;
  }
}

bool StreamContext::SendAbort() {
  const HeaderPair headers[] = {{kFaultHeader, "abort"}, {"content-type", "text/plain"}};
  const WasmResult result =
      host_.SendLocalResponse(fault_.abort->http_status, "hfi_fault_abort", fault_.abort->body,
                              headers, sizeof headers / sizeof headers[0]);
  if (result != WasmResult::kOk) {
    // Fail open: the request goes on rather than hang, and no abort is counted.
    Logf(host_, LogLevel::kError, "stream %u: could not send the abort reply (status %u)",
         static_cast<unsigned>(id_), static_cast<unsigned>(result));
    return false;
  }
  phase_ = Phase::kAborted;
  root_.CountAbort();
  return true;
}

void StreamContext::Continue() {
  const WasmResult result = host_.ContinueRequest();
  if (result != WasmResult::kOk) {
    Logf(host_, LogLevel::kWarn, "stream %u: could not resume the request (status %u)",
         static_cast<unsigned>(id_), static_cast<unsigned>(result));
  }
}

HeadersStatus StreamContext::OnResponseHeaders() {
  if (phase_ == Phase::kDelayed) {
    const WasmResult result = host_.AddResponseHeader(kFaultHeader, "delay");
    if (result != WasmResult::kOk) {
      Logf(host_, LogLevel::kWarn, "stream %u: could not add %.*s (status %u)",
           static_cast<unsigned>(id_), static_cast<int>(kFaultHeader.size()), kFaultHeader.data(),
           static_cast<unsigned>(result));
    }
  }
  return HeadersStatus::kContinue;
}

}  // namespace hfi::plugin

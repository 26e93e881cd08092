// One HTTP request through the plugin: decide on its request headers, then abort it, or pause it
// and let the root's timer move it on (start delay, delay, then continue or abort).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "plugin/host_api.h"
#include "plugin/matcher.h"
#include "plugin/policy.h"

namespace hfi::plugin {

class RootContext;

// The request as the host holds it during the request-headers callback. Values are fetched on
// first use, so a policy that never looks at a header never asks the host for it.
class HostRequestView final : public RequestView {
 public:
  explicit HostRequestView(HostApi& host) : host_(host) {}
  std::string_view Path() const override;
  std::string_view Method() const override;
  std::optional<std::string_view> Header(std::string_view lower_name) const override;

 private:
  std::string_view Cached(std::string_view name, HostBytes* slot, bool* fetched) const;

  HostApi& host_;
  mutable HostBytes path_, method_, header_;
  mutable bool path_fetched_ = false, method_fetched_ = false;
};

class StreamContext {
 public:
  StreamContext(RootContext& root, std::uint32_t id);
  ~StreamContext();  // leaves the root's table of pending deadlines
  StreamContext(const StreamContext&) = delete;
  StreamContext& operator=(const StreamContext&) = delete;

  std::uint32_t id() const { return id_; }
  RootContext& root() { return root_; }

  HeadersStatus OnRequestHeaders();
  HeadersStatus OnResponseHeaders();
  // Called by the root's OnTick once this stream's deadline has come, with the host's effective
  // context already set to this stream.
  void OnDeadline(std::int64_t now_ns);

 private:
  enum class Phase { kNone, kStartDelay, kDelay, kDelayed, kAborted };

  // Starts the fault proper (after any start delay). True when the request is now paused or
  // answered locally; false when it should simply go on.
  bool ApplyFault(std::int64_t now_ns);
  bool SendAbort();
  void Continue();

  RootContext& root_;
  HostApi& host_;
  std::uint32_t id_;
  Phase phase_ = Phase::kNone;
  // A copy of the chosen rule's fault: a reconfiguration while the request waits must not change
  // or free what it is waiting for.
  Fault fault_;
};

}  // namespace hfi::plugin

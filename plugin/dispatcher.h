// Routes the host's callbacks, which name contexts by id, to RootContext and StreamContext objects,
// and owns those objects. abi/exports.cc forwards every proxy_on_* export here, so the whole
// callback sequence, creation and deletion included, is testable natively.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <unordered_map>

#include "plugin/host_api.h"
#include "plugin/root_context.h"
#include "plugin/stream_context.h"

namespace hfi::plugin {

class Dispatcher {
 public:
  explicit Dispatcher(HostApi& host) : host_(host) {}

  // parent_id 0 makes a root context; otherwise a stream of that root.
  void OnContextCreate(std::uint32_t id, std::uint32_t parent_id);
  bool OnVmStart(std::uint32_t root_id);
  bool OnConfigure(std::uint32_t root_id, std::size_t configuration_size);
  void OnTick(std::uint32_t root_id);
  HeadersStatus OnRequestHeaders(std::uint32_t stream_id);
  HeadersStatus OnResponseHeaders(std::uint32_t stream_id);
  void OnDelete(std::uint32_t id);

  RootContext* root(std::uint32_t id);
  StreamContext* stream(std::uint32_t id);
  std::size_t stream_count() const { return streams_.size(); }

 private:
  RootContext& EnsureRoot(std::uint32_t id);

  HostApi& host_;
  std::unordered_map<std::uint32_t, std::unique_ptr<RootContext>> roots_;
  std::unordered_map<std::uint32_t, std::unique_ptr<StreamContext>> streams_;
};

}  // namespace hfi::plugin

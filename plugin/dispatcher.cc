#include "plugin/dispatcher.h"

#include <iterator>

#include "plugin/log.h"

namespace hfi::plugin {

RootContext& Dispatcher::EnsureRoot(std::uint32_t id) {
  std::unique_ptr<RootContext>& root = roots_[id];
  if (!root)
    root = std::make_unique<RootContext>(host_, id);
  return *root;
}

void Dispatcher::OnContextCreate(std::uint32_t id, std::uint32_t parent_id) {
  if (parent_id == 0) {
    EnsureRoot(id);
    return;
  }
  RootContext* parent = root(parent_id);
  if (parent == nullptr) {
    // Without its root a stream has no policy: it is left alone and its callbacks pass through.
    Logf(host_, LogLevel::kError, "stream %u names unknown root context %u; not filtered",
         static_cast<unsigned>(id), static_cast<unsigned>(parent_id));
    return;
  }
  streams_[id] = std::make_unique<StreamContext>(*parent, id);
}

// Envoy creates the root context before starting or configuring it (facts/proxy-wasm-abi.md §4.2);
// EnsureRoot only keeps a host that skips that step from losing the callback.
bool Dispatcher::OnVmStart(std::uint32_t root_id) {
  return EnsureRoot(root_id).OnVmStart();
}

bool Dispatcher::OnConfigure(std::uint32_t root_id, std::size_t configuration_size) {
  return EnsureRoot(root_id).OnConfigure(configuration_size);
}

void Dispatcher::OnTick(std::uint32_t root_id) {
  if (RootContext* context = root(root_id))
    context->OnTick();
}

HeadersStatus Dispatcher::OnRequestHeaders(std::uint32_t stream_id) {
  StreamContext* context = stream(stream_id);
  return context == nullptr ? HeadersStatus::kContinue : context->OnRequestHeaders();
}

HeadersStatus Dispatcher::OnResponseHeaders(std::uint32_t stream_id) {
  StreamContext* context = stream(stream_id);
  return context == nullptr ? HeadersStatus::kContinue : context->OnResponseHeaders();
}

void Dispatcher::OnDelete(std::uint32_t id) {
  if (streams_.erase(id) > 0)
    return;
  auto root_it = roots_.find(id);
  if (root_it == roots_.end())
    return;
  // Streams refer to their root: any still alive go first.
  for (auto it = streams_.begin(); it != streams_.end();) {
    it = &it->second->root() == root_it->second.get() ? streams_.erase(it) : std::next(it);
  }
  roots_.erase(root_it);
}

RootContext* Dispatcher::root(std::uint32_t id) {
  auto it = roots_.find(id);
  return it == roots_.end() ? nullptr : it->second.get();
}

StreamContext* Dispatcher::stream(std::uint32_t id) {
  auto it = streams_.find(id);
  return it == streams_.end() ? nullptr : it->second.get();
}

}  // namespace hfi::plugin

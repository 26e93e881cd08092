// The plugin's exports: the only extern "C" functions of the module. Each proxy_on_* callback the
// host calls (facts/proxy-wasm-abi.md §4.1, exact signatures) is forwarded to the Dispatcher.
// `used` is what makes Emscripten export a function (§7.2 item 3); without it the host would
// silently treat the callback as absent.
#include <cstdint>

#include "plugin/abi/wasm_host_api.h"
#include "plugin/dispatcher.h"

#define HFI_EXPORT extern "C" __attribute__((used, visibility("default")))

namespace {

// Built on the first callback rather than as globals: construction then happens inside a normal
// callback, never in _initialize where most hostcalls trap (§4.2).
hfi::plugin::Dispatcher& Plugin() {
  static hfi::plugin::abi::WasmHostApi host;
  static hfi::plugin::Dispatcher dispatcher(host);
  return dispatcher;
}

std::uint32_t ToWord(hfi::plugin::HeadersStatus status) {
  return static_cast<std::uint32_t>(status);
}

}  // namespace

// The ABI marker: never called; the host picks the ABI by this export's name (§2.9).
HFI_EXPORT void proxy_abi_version_0_2_1() {}

HFI_EXPORT void proxy_on_context_create(std::uint32_t context_id, std::uint32_t parent_id) {
  Plugin().OnContextCreate(context_id, parent_id);
}

HFI_EXPORT std::uint32_t proxy_on_vm_start(std::uint32_t root_id, std::uint32_t) {
  return Plugin().OnVmStart(root_id) ? 1 : 0;
}

HFI_EXPORT std::uint32_t proxy_on_configure(std::uint32_t root_id, std::uint32_t size) {
  return Plugin().OnConfigure(root_id, size) ? 1 : 0;
}

HFI_EXPORT void proxy_on_tick(std::uint32_t root_id) {
  Plugin().OnTick(root_id);
}

HFI_EXPORT std::uint32_t proxy_on_request_headers(std::uint32_t context_id, std::uint32_t,
                                                  std::uint32_t) {
  return ToWord(Plugin().OnRequestHeaders(context_id));
}

HFI_EXPORT std::uint32_t proxy_on_response_headers(std::uint32_t context_id, std::uint32_t,
                                                   std::uint32_t) {
  return ToWord(Plugin().OnResponseHeaders(context_id));
}

// 1: done now. The plugin never defers its shutdown.
HFI_EXPORT std::uint32_t proxy_on_done(std::uint32_t) {
  return 1;
}

HFI_EXPORT void proxy_on_log(std::uint32_t) {}

// Envoy calls this for every context it destroys, also for a request destroyed while paused.
HFI_EXPORT void proxy_on_delete(std::uint32_t context_id) {
  Plugin().OnDelete(context_id);
}

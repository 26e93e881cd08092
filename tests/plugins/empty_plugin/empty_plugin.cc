// The baseline: a proxy-wasm 0.2.1 HTTP filter that lets every request and response through and
// does nothing else, exporting the callbacks HFI exports so the host makes the same calls. It
// defines HFI's three metrics at start, because `hfi-metrics build` refuses a module without
// their names, and never updates them.
#include "common/proxy_wasm.h"

using test_plugin::kContinue;

TEST_PLUGIN_EXPORT void proxy_abi_version_0_2_1() {}

TEST_PLUGIN_EXPORT std::uint32_t proxy_on_vm_start(std::uint32_t, std::uint32_t) {
  test_plugin::DefineMetric(test_plugin::kCounter, "wasmcustom.hfi_faults_aborts_total");
  test_plugin::DefineMetric(test_plugin::kCounter, "wasmcustom.hfi_faults_delays_total");
  test_plugin::DefineMetric(test_plugin::kHistogram,
                            "wasmcustom.hfi_faults_delay_duration_milliseconds");
  return 1;
}
TEST_PLUGIN_EXPORT std::uint32_t proxy_on_configure(std::uint32_t, std::uint32_t) {
  return 1;
}
TEST_PLUGIN_EXPORT void proxy_on_context_create(std::uint32_t, std::uint32_t) {}
TEST_PLUGIN_EXPORT std::uint32_t proxy_on_request_headers(std::uint32_t, std::uint32_t,
                                                          std::uint32_t) {
  return kContinue;
}
TEST_PLUGIN_EXPORT std::uint32_t proxy_on_response_headers(std::uint32_t, std::uint32_t,
                                                           std::uint32_t) {
  return kContinue;
}
TEST_PLUGIN_EXPORT void proxy_on_tick(std::uint32_t) {}
TEST_PLUGIN_EXPORT std::uint32_t proxy_on_done(std::uint32_t) {
  return 1;
}
TEST_PLUGIN_EXPORT void proxy_on_log(std::uint32_t) {}
TEST_PLUGIN_EXPORT void proxy_on_delete(std::uint32_t) {}

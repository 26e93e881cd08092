// The smallest plugin `hfi-metrics inspect` accepts: it defines the three HFI metrics and counts
// every request as an abort, without aborting anything. A build-test fixture, not a filter to run.
#include <cstddef>
#include <cstdint>

#define TINY_IMPORT(name) __attribute__((import_module("env"), import_name(#name)))
#define TINY_EXPORT extern "C" __attribute__((used))

extern "C" {
TINY_IMPORT(proxy_define_metric)
std::uint32_t proxy_define_metric(std::uint32_t type, const char* name, std::size_t size,
                                  std::uint32_t* id);
TINY_IMPORT(proxy_increment_metric)
std::uint32_t proxy_increment_metric(std::uint32_t id, std::int64_t delta);
}

namespace {

constexpr char kAborts[] = "wasmcustom.hfi_faults_aborts_total";
constexpr char kDelays[] = "wasmcustom.hfi_faults_delays_total";
constexpr char kDelayDuration[] = "wasmcustom.hfi_faults_delay_duration_milliseconds";
std::uint32_t aborts_id = 0;

template <std::size_t N>
std::uint32_t Define(std::uint32_t type, const char (&name)[N]) {
  std::uint32_t id = 0;
  proxy_define_metric(type, name, N - 1, &id);
  return id;
}

}  // namespace

TINY_EXPORT void proxy_abi_version_0_2_1() {}

TINY_EXPORT std::uint32_t proxy_on_vm_start(std::uint32_t, std::uint32_t) {
  aborts_id = Define(0, kAborts);
  Define(0, kDelays);
  Define(2, kDelayDuration);
  return 1;
}
TINY_EXPORT std::uint32_t proxy_on_configure(std::uint32_t, std::uint32_t) {
  return 1;
}
TINY_EXPORT void proxy_on_context_create(std::uint32_t, std::uint32_t) {}
TINY_EXPORT std::uint32_t proxy_on_request_headers(std::uint32_t, std::uint32_t, std::uint32_t) {
  proxy_increment_metric(aborts_id, 1);
  return 0;
}
TINY_EXPORT void proxy_on_tick(std::uint32_t) {}
TINY_EXPORT std::uint32_t proxy_on_done(std::uint32_t) {
  return 1;
}
TINY_EXPORT void proxy_on_delete(std::uint32_t) {}

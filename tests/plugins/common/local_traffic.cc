#include "common/local_traffic.h"

#include <cstdlib>
#include <ctime>

namespace test_plugin {
namespace {

constexpr std::uint32_t kDelayMs = 20;
constexpr std::int64_t kDelayNs = std::int64_t{kDelayMs} * 1'000'000;
// A tick every 5 ms while streams wait: a delay lasts 20 to 25 ms.
constexpr std::uint32_t kTickMs = 5;
// More streams paused at once than this are let through undelayed (and not counted).
constexpr std::size_t kMaxDelayed = 256;
constexpr char kHeader[] = "x-hfi-local";
constexpr char kFaultHeader[] = "x-fault-injected";

struct Delayed {
  std::uint32_t id = 0;  // 0: a free slot
  std::int64_t deadline_ns = 0;
  bool waiting = false;  // false once resumed; the slot stays for the response header
};

Delayed delayed[kMaxDelayed];
bool ticking = false;
std::uint32_t aborts_id = 0;
std::uint32_t delays_id = 0;
std::uint32_t delay_duration_id = 0;

// WASI clock_time_get(MONOTONIC): the proxy-wasm time hostcall is wall-clock time.
std::int64_t NowNs() {
  timespec now{};
  clock_gettime(CLOCK_MONOTONIC, &now);
  return std::int64_t{now.tv_sec} * 1'000'000'000 + now.tv_nsec;
}

enum class Fault { kNone, kAbort, kDelay };

Fault RequestedFault() {
  const char* value = nullptr;
  std::size_t size = 0;
  Fault fault = Fault::kNone;
  if (proxy_get_header_map_value(kRequestHeaders, kHeader, sizeof kHeader - 1, &value, &size) ==
      kOk) {
    if (size == 5 && std::memcmp(value, "abort", 5) == 0)
      fault = Fault::kAbort;
    else if (size == 5 && std::memcmp(value, "delay", 5) == 0)
      fault = Fault::kDelay;
  }
  std::free(const_cast<char*>(value));  // the host allocated it with our malloc
  return fault;
}

Delayed* Find(std::uint32_t id) {
  for (Delayed& slot : delayed) {
    if (slot.id == id)
      return &slot;
  }
  return nullptr;
}

void PutU32(char* out, std::uint32_t value) {
  std::memcpy(out, &value, 4);  // wasm32 is little-endian, as the pairs format wants
}

std::uint32_t Abort() {
  proxy_increment_metric(aborts_id, 1);
  // One header in the pairs format (facts/proxy-wasm-abi.md §2.7): count, each name and value
  // size, then the names and values, each followed by a NUL.
  constexpr char kValue[] = "abort";
  char pairs[4 + 8 + sizeof kFaultHeader + sizeof kValue];
  PutU32(pairs, 1);
  PutU32(pairs + 4, sizeof kFaultHeader - 1);
  PutU32(pairs + 8, sizeof kValue - 1);
  std::memcpy(pairs + 12, kFaultHeader, sizeof kFaultHeader);
  std::memcpy(pairs + 12 + sizeof kFaultHeader, kValue, sizeof kValue);
  constexpr char kBody[] = "fault injected: abort";
  constexpr char kDetails[] = "hfi_fault_abort";
  proxy_send_local_response(503, kDetails, sizeof kDetails - 1, kBody, sizeof kBody - 1, pairs,
                            sizeof pairs, -1);
  return kStopIteration;
}

std::uint32_t Delay(std::uint32_t id) {
  Delayed* slot = Find(0);
  if (slot == nullptr)
    return kContinue;
  *slot = {id, NowNs() + kDelayNs, true};
  if (!ticking)
    ticking = proxy_set_tick_period_milliseconds(kTickMs) == kOk;
  return kStopIteration;
}

}  // namespace

// The exports keep their C names inside the namespace (extern "C").
TEST_PLUGIN_EXPORT void proxy_abi_version_0_2_1() {}

TEST_PLUGIN_EXPORT std::uint32_t proxy_on_vm_start(std::uint32_t, std::uint32_t) {
  aborts_id = DefineMetric(kVariant.aborts.type, kVariant.aborts.name);
  delays_id = DefineMetric(kVariant.delays.type, kVariant.delays.name);
  delay_duration_id = DefineMetric(kVariant.delay_duration.type, kVariant.delay_duration.name);
  return 1;
}

// The policy is fixed; any configuration is accepted and ignored.
TEST_PLUGIN_EXPORT std::uint32_t proxy_on_configure(std::uint32_t, std::uint32_t) {
  return 1;
}

TEST_PLUGIN_EXPORT void proxy_on_context_create(std::uint32_t, std::uint32_t) {}

TEST_PLUGIN_EXPORT std::uint32_t proxy_on_request_headers(std::uint32_t id, std::uint32_t,
                                                          std::uint32_t) {
  if (kVariant.trap_in_request_headers)
    __builtin_trap();
  switch (RequestedFault()) {
    case Fault::kAbort:
      return Abort();
    case Fault::kDelay:
      return Delay(id);
    case Fault::kNone:
      break;
  }
  return kContinue;
}

TEST_PLUGIN_EXPORT std::uint32_t proxy_on_response_headers(std::uint32_t id, std::uint32_t,
                                                           std::uint32_t) {
  const Delayed* slot = Find(id);
  if (slot != nullptr && !slot->waiting) {
    constexpr char kValue[] = "delay";
    proxy_add_header_map_value(kResponseHeaders, kFaultHeader, sizeof kFaultHeader - 1, kValue,
                               sizeof kValue - 1);
  }
  return kContinue;
}

TEST_PLUGIN_EXPORT void proxy_on_tick(std::uint32_t) {
  const std::int64_t now = NowNs();
  bool still_waiting = false;
  for (Delayed& slot : delayed) {
    if (slot.id == 0 || !slot.waiting)
      continue;
    if (slot.deadline_ns > now) {
      still_waiting = true;
      continue;
    }
    slot.waiting = false;
    // Hostcalls act on the root until the effective context names the stream.
    if (proxy_set_effective_context(slot.id) != kOk)
      continue;
    proxy_increment_metric(delays_id, 1);
    proxy_record_metric(delay_duration_id, kDelayMs);
    proxy_continue_stream(kStreamRequest);
  }
  if (!still_waiting && proxy_set_tick_period_milliseconds(0) == kOk)
    ticking = false;
}

TEST_PLUGIN_EXPORT std::uint32_t proxy_on_done(std::uint32_t) {
  return 1;
}

TEST_PLUGIN_EXPORT void proxy_on_log(std::uint32_t) {}

TEST_PLUGIN_EXPORT void proxy_on_delete(std::uint32_t id) {
  if (Delayed* slot = Find(id))
    *slot = Delayed{};
}

}  // namespace test_plugin

// The plugin's root context: one per plugin configuration in a VM. It owns the policy (through
// the FaultDecider), the three metric ids, the random source, and the table of paused streams whose
// deadlines its timer drives (pattern A of facts/proxy-wasm-abi.md §9.2).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "plugin/fault_decider.h"
#include "plugin/host_api.h"

namespace hfi::plugin {

class StreamContext;

// Larger plugin configurations are refused before the host copies them into our memory. The
// module's memory is fixed at 16 MiB (wasm_build.txt), and while parsing, a configuration can
// take up to about 50 times its size (a JSON tree node per value, held with the text and the
// previous policy): 128 KiB stays far inside that, and holds hundreds of rules.
inline constexpr std::size_t kMaxConfigurationBytes = 128 * 1024;

class RootContext {
 public:
  // `random` decides fault percentages; null means a XorShiftRandom seeded by the host.
  RootContext(HostApi& host, std::uint32_t id, std::unique_ptr<RandomSource> random = nullptr);
  RootContext(const RootContext&) = delete;
  RootContext& operator=(const RootContext&) = delete;

  std::uint32_t id() const { return id_; }

  // proxy_on_vm_start: defines the three metrics, once, and reads the workload's identity.
  // Returns true: a metric the host refused is logged, and traffic must flow anyway.
  bool OnVmStart();
  // proxy_on_configure: parses the configuration and installs it only if it is valid; otherwise
  // logs one error and the previous policy (or none) stays. Always returns true, because false
  // would make Envoy reject the plugin and fail the requests it should serve.
  bool OnConfigure(std::size_t configuration_size);
  // proxy_on_tick: moves on every paused stream whose deadline has come, then sets the timer to
  // the nearest remaining deadline (0, off, when none is left).
  void OnTick();

  // --- for StreamContext ---
  HostApi& host() { return host_; }
  const FaultDecider& decider() const { return decider_; }
  RandomSource& random() { return *random_; }
  // Wakes `stream` (through OnDeadline) at deadline_ns; replaces an earlier deadline of the stream.
  void Schedule(StreamContext* stream, std::int64_t deadline_ns, std::int64_t now_ns);
  void Cancel(StreamContext* stream);
  void CountAbort();
  // One delay applied: the counter and the histogram sample change together, so they agree.
  void CountDelay(std::uint32_t delay_ms);

  // --- for tests and logs ---
  std::size_t pending_count() const { return pending_.size(); }
  std::uint32_t tick_period_ms() const { return tick_period_ms_; }

 private:
  struct MetricIds {
    std::optional<std::uint32_t> aborts, delays, delay_duration;
  };
  struct Pending {
    StreamContext* stream;
    std::int64_t deadline_ns;
  };

  void ReadIdentity();
  std::string PolicySummary() const;
  void SetTickPeriod(std::int64_t now_ns);
  void Report(WasmResult result, const char* what);

  HostApi& host_;
  std::uint32_t id_;
  std::unique_ptr<RandomSource> random_;
  FaultDecider decider_;
  bool identity_read_ = false;
  bool policy_loaded_ = false;
  bool metrics_defined_ = false;
  MetricIds metrics_;
  std::vector<Pending> pending_;
  std::vector<StreamContext*> due_;  // scratch for OnTick, kept to reuse its storage
  std::uint32_t tick_period_ms_ = 0;
};

}  // namespace hfi::plugin

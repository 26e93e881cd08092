// How the embedded host is set up: what the plugin is told (configurations, properties, node
// metadata), Envoy's per-plugin failure rule, the log level, and the per-callback work limit.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "wasmhost/log_sink.h"

namespace hfi::wasmhost {

// Envoy's `fail_open` (facts/proxy-wasm-abi.md §4.6): what requests get once the VM has failed.
enum class FailurePolicy {
  kFailClosed,  // local reply 503, details `wasm_fail_stream` (Envoy's default, fail_open: false)
  kFailOpen,    // requests pass through as if the plugin were absent
};

struct HostOptions {
  std::string plugin_name = "hfi";   // property `plugin_name`
  std::string root_id;               // property `plugin_root_id`
  std::string vm_id;                 // property `plugin_vm_id`
  std::string vm_configuration;      // buffer VM_CONFIGURATION, size passed to proxy_on_vm_start
  std::string plugin_configuration;  // buffer PLUGIN_CONFIGURATION, readable in proxy_on_configure
  // Properties `node\0metadata\0KEY` (Istio sets WORKLOAD_NAME, NAMESPACE, NAME ...).
  std::map<std::string, std::string> node_metadata;
  FailurePolicy failure_policy = FailurePolicy::kFailClosed;
  // Envoy's `wasm` logger level: proxy_get_log_level answers it and proxy_log drops lines below it.
  LogLevel log_level = LogLevel::kInfo;
  // Interpreter instructions one host->plugin call may run, the malloc calls it causes included;
  // past it the call is a trap. A bound against endless loops, not a speed limit: WABT runs some
  // 5*10^7 to 10^8 instructions a second, and HFI's plugin parsing a configuration near its
  // 128 KiB cap (hundreds of regex rules) runs about 4*10^8.
  std::uint64_t max_instructions_per_call = 2'000'000'000;
  // Whether the plugin's own local replies pass through its proxy_on_response_headers, as Envoy's
  // filter chain encodes a filter's local reply (facts §3.10 marks this UNCONFIRMED).
  bool response_headers_on_local_reply = true;
  // Seed of WASI random_get; none means a random seed.
  std::optional<std::uint64_t> random_seed;
};

}  // namespace hfi::wasmhost

// What the defective test plugins share: HFI's behaviour for the local traffic convention, with
// the policy fixed instead of configured. A request with header `x-hfi-local: abort` gets a 503
// local reply with `x-fault-injected: abort`; `x-hfi-local: delay` is paused about 20 ms (resumed
// from the root's tick, as HFI resumes delays) and its response gets `x-fault-injected: delay`.
// Aborts and applied delays are counted in three metrics, as HFI counts them. Each plugin defines
// kVariant: the metric names and types it uses and whether it traps, which is its defect.
#pragma once

#include "common/proxy_wasm.h"

namespace test_plugin {

struct MetricDef {
  MetricType type;
  const char* name;
};

struct Variant {
  MetricDef aborts;
  MetricDef delays;
  MetricDef delay_duration;
  bool trap_in_request_headers;
};

extern const Variant kVariant;

}  // namespace test_plugin

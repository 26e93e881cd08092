// HFI's behaviour and names, but the delay duration defined as a gauge (proxy-wasm metric type 1)
// instead of a histogram: /stats/prometheus shows `# TYPE ... gauge` holding the last delay.
#include "common/local_traffic.h"

namespace test_plugin {

const Variant kVariant = {
    .aborts = {kCounter, "wasmcustom.hfi_faults_aborts_total"},
    .delays = {kCounter, "wasmcustom.hfi_faults_delays_total"},
    .delay_duration = {kGauge, "wasmcustom.hfi_faults_delay_duration_milliseconds"},
    .trap_in_request_headers = false,
};

}  // namespace test_plugin

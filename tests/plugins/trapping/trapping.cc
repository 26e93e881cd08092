// HFI's metrics, defined correctly at start, then a trap (`unreachable`) in the first
// proxy_on_request_headers: the host fails the VM, and every request follows the failure policy.
#include "common/local_traffic.h"

namespace test_plugin {

const Variant kVariant = {
    .aborts = {kCounter, "wasmcustom.hfi_faults_aborts_total"},
    .delays = {kCounter, "wasmcustom.hfi_faults_delays_total"},
    .delay_duration = {kHistogram, "wasmcustom.hfi_faults_delay_duration_milliseconds"},
    .trap_in_request_headers = true,
};

}  // namespace test_plugin

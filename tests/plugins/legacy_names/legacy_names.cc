// HFI's behaviour under the names the original project used before its feature 008 renamed them
// (facts/hfi-origin.md §2.6). Envoy files them as wasmcustom.hfi.faults.*, strips that namespace
// for Prometheus and sanitises the dots, so they appear as hfi_faults_* rather than the expected
// wasmcustom_hfi_faults_* (DESIGN §2).
#include "common/local_traffic.h"

namespace test_plugin {

const Variant kVariant = {
    .aborts = {kCounter, "hfi.faults.aborts_total"},
    .delays = {kCounter, "hfi.faults.delays_total"},
    .delay_duration = {kHistogram, "hfi.faults.delay_duration_milliseconds"},
    .trap_in_request_headers = false,
};

}  // namespace test_plugin

;; The smallest module `hfi-metrics inspect` accepts: an ABI 0.2.1 marker, every callback an HTTP
;; fault filter needs with Envoy's signatures, malloc, fixed exported memory, the three metric
;; names in a data segment. minimal_filter.wasm is this file through `wat2wasm`.
(module
  (import "env" "proxy_log" (func (param i32 i32 i32) (result i32)))
  (import "env" "proxy_define_metric" (func (param i32 i32 i32 i32) (result i32)))
  (import "env" "proxy_increment_metric" (func (param i32 i64) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func (param i32)))
  (memory (export "memory") 2 2)
  (data (i32.const 1024) "wasmcustom.hfi_faults_aborts_total\00wasmcustom.hfi_faults_delays_total\00wasmcustom.hfi_faults_delay_duration_milliseconds\00")
  (func (export "proxy_abi_version_0_2_1"))
  (func (export "_initialize"))
  (func (export "malloc") (param i32) (result i32) i32.const 0)
  (func (export "proxy_on_vm_start") (param i32 i32) (result i32) i32.const 1)
  (func (export "proxy_on_configure") (param i32 i32) (result i32) i32.const 1)
  (func (export "proxy_on_context_create") (param i32 i32))
  (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32) i32.const 0)
  (func (export "proxy_on_tick") (param i32))
  (func (export "proxy_on_done") (param i32) (result i32) i32.const 1)
  (func (export "proxy_on_delete") (param i32)))

;; An old build of the plugin: the original project's dotted metric names, and memory that grows
;; (both warnings, so `inspect` exits 0).
(module
  (import "env" "proxy_define_metric" (func (param i32 i32 i32 i32) (result i32)))
  (import "env" "emscripten_notify_memory_growth" (func (param i32)))
  (memory (export "memory") 256)
  (data (i32.const 1024) "hfi.faults.aborts_total\00hfi.faults.delays_total\00hfi.faults.delay_duration_milliseconds\00")
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

;; A module Envoy refuses for many reasons at once: two ABI markers, JavaScript exception imports
;; (built with -fexceptions), an unknown import module, a hostcall with a wrong signature, a
;; callback with a wrong signature, a missing callback, no allocator, no metric names.
(module
  (import "env" "invoke_vi" (func (param i32 i32)))
  (import "env" "__cxa_find_matching_catch_2" (func (result i32)))
  (import "env" "proxy_increment_metric" (func (param i32 i32) (result i32)))
  (import "wasi:http/types" "new-fields" (func (result i32)))
  (memory (export "memory") 2 2)
  (func (export "proxy_abi_version_0_2_1"))
  (func (export "proxy_abi_version_0_1_0"))
  (func (export "proxy_on_vm_start") (param i32) (result i32) i32.const 1)
  (func (export "proxy_on_configure") (param i32 i32) (result i32) i32.const 1)
  (func (export "proxy_on_context_create") (param i32 i32))
  (func (export "proxy_on_request_headers") (param i32 i32 i32) (result i32) i32.const 0)
  (func (export "proxy_on_done") (param i32) (result i32) i32.const 1)
  (func (export "proxy_on_delete") (param i32)))

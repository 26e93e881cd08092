// Emscripten 3.1.6 refuses to link a C symbol it cannot find, even one declared with an import
// module (facts/proxy-wasm-abi.md §7.2 item 2). These stubs only tell the linker the names exist;
// the .wasm still imports each one from the module its declaration names, where Envoy provides it.
// Keep this list equal to the declarations in imports.h, plus the WASI calls 3.1.6 has no stub for.
mergeInto(LibraryManager.library, {
  proxy_log: function() {},
  proxy_get_log_level: function() {},
  proxy_set_tick_period_milliseconds: function() {},
  proxy_get_buffer_bytes: function() {},
  proxy_get_header_map_value: function() {},
  proxy_add_header_map_value: function() {},
  proxy_send_local_response: function() {},
  proxy_continue_stream: function() {},
  proxy_get_property: function() {},
  proxy_define_metric: function() {},
  proxy_increment_metric: function() {},
  proxy_record_metric: function() {},
  proxy_set_effective_context: function() {},
  // wasi_snapshot_preview1.random_get (seeds the fault percentages; abi/wasm_host_api.cc).
  random_get: function() {},
});

// Emscripten 3.1.6 links an import only when a JS library names it (facts/proxy-wasm-abi.md
// §7.2 item 2); the module still imports each one from "env". Keep equal to proxy_wasm.h.
mergeInto(LibraryManager.library, {
  proxy_define_metric: function() {},
  proxy_increment_metric: function() {},
  proxy_record_metric: function() {},
  proxy_get_header_map_value: function() {},
  proxy_add_header_map_value: function() {},
  proxy_send_local_response: function() {},
  proxy_continue_stream: function() {},
  proxy_set_tick_period_milliseconds: function() {},
  proxy_set_effective_context: function() {},
});

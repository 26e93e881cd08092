// Emscripten 3.1.6 links an import only when a JS library names it (facts/proxy-wasm-abi.md
// §7.2 item 2); the module still imports each one from "env".
mergeInto(LibraryManager.library, {
  proxy_define_metric: function() {},
  proxy_increment_metric: function() {},
});

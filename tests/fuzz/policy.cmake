# policy_fuzz: arbitrary bytes as the plugin configuration (plugin/policy.h), then a decision.
hfi_add_fuzzer(policy_fuzz ${CMAKE_CURRENT_SOURCE_DIR}/policy_fuzz.cc hfi_plugin_core)
if(HFI_BUILD_FUZZERS)
  # libFuzzer steers by coverage, so the parser, JSON reader and regex engine it exercises must be
  # instrumented too, not only the entry point (and checked by the same sanitizers). Whatever else
  # links the library (its unit tests) then needs the same runtimes.
  target_compile_options(hfi_plugin_core PRIVATE -fsanitize=fuzzer-no-link,address,undefined)
  target_link_options(hfi_plugin_core INTERFACE -fsanitize=fuzzer-no-link,address,undefined)
endif()

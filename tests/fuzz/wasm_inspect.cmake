# wasm_inspect_fuzz: arbitrary bytes through the wasm inspector (cli/wasm: WABT's binary reader,
# then the Envoy/HFI checks and both renderers).
hfi_add_fuzzer(wasm_inspect_fuzz ${CMAKE_CURRENT_SOURCE_DIR}/wasm_inspect_fuzz.cc hfi_wasm)
if(HFI_BUILD_FUZZERS)
  # Coverage guidance needs the inspector instrumented, not only the entry point (libwabt itself
  # comes prebuilt from Debian). Whatever else links hfi_wasm then needs the same runtimes.
  target_compile_options(hfi_wasm PRIVATE -fsanitize=fuzzer-no-link,address,undefined)
  target_link_options(hfi_wasm INTERFACE -fsanitize=fuzzer-no-link,address,undefined)
endif()

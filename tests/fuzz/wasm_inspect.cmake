# wasm_inspect_fuzz: arbitrary bytes through the wasm inspector (cli/wasm: WABT's binary reader,
# then the Envoy/HFI checks and both renderers). libwabt itself comes prebuilt from Debian, so
# only the inspector around it is instrumented.
hfi_add_fuzzer(wasm_inspect_fuzz ${CMAKE_CURRENT_SOURCE_DIR}/wasm_inspect_fuzz.cc hfi_wasm)

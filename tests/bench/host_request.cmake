# host_request_bench: one request through the HFI plugin in the embedded host (no match, abort,
# delay) next to the empty test plugin doing the same; tests/bench/host_ratios.sh prints the ratios.
add_executable(host_request_bench ${CMAKE_CURRENT_SOURCE_DIR}/host_request_bench.cc)
target_link_libraries(host_request_bench PRIVATE hfi_wasmhost benchmark::benchmark hfi_warnings)
set_target_properties(host_request_bench PROPERTIES CXX_STANDARD 17 CXX_STANDARD_REQUIRED ON
  CXX_EXTENSIONS OFF)
target_compile_definitions(host_request_bench PRIVATE
  HFI_BENCH_PLUGIN_WASM="${HFI_PLUGIN_WASM_PATH}"
  HFI_BENCH_TEST_PLUGINS="${PROJECT_BINARY_DIR}/tests/plugins")
if(HFI_BUILD_PLUGIN)
  add_dependencies(host_request_bench hfi_plugin_wasm hfi_test_plugins)
endif()

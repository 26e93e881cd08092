# policy_bench: the plugin's per-request decision cost (fault_decider over a request view).
add_executable(policy_bench ${CMAKE_CURRENT_SOURCE_DIR}/policy_bench.cc)
target_link_libraries(policy_bench PRIVATE hfi_plugin_core benchmark::benchmark hfi_warnings)
set_target_properties(policy_bench PROPERTIES CXX_STANDARD 17 CXX_STANDARD_REQUIRED ON CXX_EXTENSIONS OFF)

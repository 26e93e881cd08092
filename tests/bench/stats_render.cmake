# stats_render_bench: one /stats/prometheus render of 10,000 Envoy-like stats (goal < 500 ms).
add_executable(stats_render_bench ${CMAKE_CURRENT_SOURCE_DIR}/stats_render_bench.cc)
target_link_libraries(stats_render_bench PRIVATE hfi_envoystats benchmark::benchmark hfi_settings)

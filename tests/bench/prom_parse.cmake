# prom_parse_bench: Prometheus text parser throughput and peak memory on a synthetic ~50 MB
# Envoy-shaped exposition (cli/prom), scrape and strict modes, with and without a keep filter.
add_executable(prom_parse_bench ${CMAKE_CURRENT_SOURCE_DIR}/prom_parse_bench.cc)
target_link_libraries(prom_parse_bench PRIVATE hfi_prom benchmark::benchmark hfi_settings)

# prom_parser_fuzz: arbitrary bytes through the Prometheus text / OpenMetrics parser (cli/prom),
# strict and scrape modes, with and without a keep filter.
hfi_add_fuzzer(prom_parser_fuzz ${CMAKE_CURRENT_SOURCE_DIR}/prom_parser_fuzz.cc hfi_prom)

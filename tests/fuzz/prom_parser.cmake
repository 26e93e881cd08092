# prom_parser_fuzz: arbitrary bytes through the Prometheus text / OpenMetrics parser (cli/prom),
# strict and scrape modes, with and without a keep filter.
hfi_add_fuzzer(prom_parser_fuzz ${CMAKE_CURRENT_SOURCE_DIR}/prom_parser_fuzz.cc hfi_prom)
if(HFI_BUILD_FUZZERS)
  # Coverage guidance needs the parser itself instrumented, not only the entry point; whatever
  # else links hfi_prom then needs the same runtimes.
  target_compile_options(hfi_prom PRIVATE -fsanitize=fuzzer-no-link,address,undefined)
  target_link_options(hfi_prom INTERFACE -fsanitize=fuzzer-no-link,address,undefined)
endif()

# values_fuzz: arbitrary bytes as a values file (cli/render), then the manifests from whatever is
# accepted. yaml-cpp comes prebuilt from Debian, so only the loader around it is instrumented.
hfi_add_fuzzer(values_fuzz ${CMAKE_CURRENT_SOURCE_DIR}/values_fuzz.cc hfi_render)

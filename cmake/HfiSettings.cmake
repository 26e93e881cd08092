# Compile settings shared by every target of ours, linked PRIVATE so third-party code is untouched.
# hfi_warnings: warnings and sanitizers, for every target including the native plugin core (C++17).
# hfi_settings: hfi_warnings plus the C++20 standard of the cli/ code.
add_library(hfi_warnings INTERFACE)
target_compile_options(hfi_warnings INTERFACE -Wall -Wextra -Wpedantic -Wno-missing-field-initializers)
if(HFI_WARNINGS_AS_ERRORS)
  target_compile_options(hfi_warnings INTERFACE -Werror)
endif()
if(HFI_SANITIZE)
  string(REPLACE ";" "," _hfi_san "${HFI_SANITIZE}")
  target_compile_options(hfi_warnings INTERFACE -fsanitize=${_hfi_san} -fno-omit-frame-pointer
    -fno-sanitize-recover=all)
  target_link_options(hfi_warnings INTERFACE -fsanitize=${_hfi_san})
endif()
# libFuzzer steers by coverage, so with HFI_BUILD_FUZZERS every target of ours is instrumented
# (the libraries a fuzz target links, not only its entry point) and checked by ASan and UBSan;
# each fuzz target adds -fsanitize=fuzzer itself (tests/fuzz). Meant for a build dir of its own.
if(HFI_BUILD_FUZZERS)
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "HFI_BUILD_FUZZERS needs clang: configure with CC=clang CXX=clang++")
  endif()
  target_compile_options(hfi_warnings INTERFACE -fsanitize=fuzzer-no-link,address,undefined
    -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_link_options(hfi_warnings INTERFACE -fsanitize=fuzzer-no-link,address,undefined)
endif()

add_library(hfi_settings INTERFACE)
target_compile_features(hfi_settings INTERFACE cxx_std_20)
target_link_libraries(hfi_settings INTERFACE hfi_warnings)

# hfi_add_test(NAME SOURCES... LIBS...): one GoogleTest executable, every case visible to CTest.
function(hfi_add_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  if(NOT HFI_BUILD_TESTS)
    return()
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_LIBS} GTest::gtest GTest::gtest_main GTest::gmock hfi_warnings)
  # gtest_discover_tests splits a list-valued ENVIRONMENT, so only the source dir goes there; the
  # binary dir (where the plugin .wasm is built) is compiled in.
  target_compile_definitions(${name} PRIVATE HFI_TEST_BINARY_DIR="${PROJECT_BINARY_DIR}")
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60
    PROPERTIES ENVIRONMENT "HFI_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endfunction()

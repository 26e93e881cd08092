# The plugin .wasm is built by the hfi-metrics binary itself (`hfi-metrics build`), so the em++
# command line lives in one place (plugin/wasm_build.txt, read by the build command) and every
# `cmake --build` exercises the same path users run.
if(NOT HFI_BUILD_PLUGIN)
  return()
endif()
find_program(HFI_EMXX em++)
if(NOT HFI_EMXX)
  message(FATAL_ERROR "em++ not found: run scripts/setup.sh (Debian package 'emscripten'), "
    "or configure with -DHFI_BUILD_PLUGIN=OFF")
endif()

file(STRINGS ${PROJECT_SOURCE_DIR}/plugin/wasm_build.txt _hfi_lines)
set(HFI_PLUGIN_WASM_SOURCES "")
foreach(_line IN LISTS _hfi_lines)
  if(_line MATCHES "^source[ \t]+(.+)$")
    list(APPEND HFI_PLUGIN_WASM_SOURCES ${PROJECT_SOURCE_DIR}/plugin/${CMAKE_MATCH_1})
  endif()
endforeach()
file(GLOB_RECURSE _hfi_plugin_headers CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/plugin/*.h
  ${PROJECT_SOURCE_DIR}/plugin/*.js)

add_custom_command(OUTPUT ${HFI_PLUGIN_WASM_PATH}
  COMMAND hfi-metrics build --quiet --source ${PROJECT_SOURCE_DIR}/plugin --output ${HFI_PLUGIN_WASM_PATH}
  DEPENDS hfi-metrics ${HFI_PLUGIN_WASM_SOURCES} ${_hfi_plugin_headers}
    ${PROJECT_SOURCE_DIR}/plugin/wasm_build.txt
  COMMENT "Building the HFI plugin with em++ (hfi-metrics build)"
  VERBATIM)
add_custom_target(hfi_plugin_wasm ALL DEPENDS ${HFI_PLUGIN_WASM_PATH})
install(FILES ${HFI_PLUGIN_WASM_PATH} DESTINATION share/hfi-metrics)

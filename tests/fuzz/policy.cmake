# policy_fuzz: arbitrary bytes as the plugin configuration (plugin/policy.h), then a decision.
hfi_add_fuzzer(policy_fuzz ${CMAKE_CURRENT_SOURCE_DIR}/policy_fuzz.cc hfi_plugin_core)

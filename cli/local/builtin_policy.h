// The policy `verify --local` runs when no --policy is given, and the request convention it
// rests on: a request with header `x-hfi-local: abort` is aborted, `x-hfi-local: delay` is
// delayed, any other request passes. The defective test plugins in tests/plugins follow the same
// convention, so one traffic plan exercises them all.
#pragma once

#include <chrono>
#include <string_view>

namespace hfi::local {

inline constexpr std::string_view kLocalHeader = "x-hfi-local";
inline constexpr std::string_view kAbortValue = "abort";
inline constexpr std::string_view kDelayValue = "delay";
// What the built-in policy does to the requests it matches.
inline constexpr int kBuiltinAbortStatus = 503;
inline constexpr std::chrono::milliseconds kBuiltinDelay{20};

// HFI's policy JSON (plugin/policy.h): both rules at 100 %, on every workload and namespace, so
// --workload and --namespace cannot make the run prove nothing.
extern const std::string_view kBuiltinPolicy;

}  // namespace hfi::local

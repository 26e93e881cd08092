// Calling into a WABT module with an instruction budget, so a plugin stuck in a loop ends in a trap
// instead of hanging the host. Internal to wasmhost (includes WABT's interpreter headers).
#pragma once

#include <cstdint>
#include <string>

#include "wabt/interp/interp.h"

namespace hfi::wasmhost {

struct BoundedCallResult {
  enum class Kind { kOk, kTrap, kBudgetExhausted };
  Kind kind = Kind::kOk;
  std::string trap_message;      // kTrap: WABT's or a host function's message
  wabt::interp::Values results;  // kOk
};

// Calls `func` on a fresh interpreter thread, running at most *budget instructions, and subtracts
// what ran from *budget (charged in slices of 10,000, so a short call costs a whole slice). Nested
// calls made from host functions (the host calling malloc while it serves a hostcall) pass the same
// budget, so one callback's whole tree is bounded together.
BoundedCallResult BoundedCall(wabt::interp::Store& store, const wabt::interp::Func::Ptr& func,
                              const wabt::interp::Values& params, std::uint64_t* budget);

}  // namespace hfi::wasmhost

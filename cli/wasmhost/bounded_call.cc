// WABT 1.0.32 has no public way to call a function with a step limit: Func::Call runs
// Thread::Run(out_trap), which loops until the function returns. Thread::Run(int steps, out_trap)
// is public and stops after `steps` instructions, but the two steps that set up a call before it
// (Thread::PushValues, Thread::PushCall) and the one that collects results after it
// (Thread::PopValues) are private; DefinedFunc::DoCall is exactly those four calls. This file
// reaches the three private members through explicit template instantiation, where C++ does not
// check access ([temp.spec.general]/6 in C++20, [temp.explicit]/12 in C++17). The member-pointer
// types below must match libwabt's declarations exactly, so a WABT release that changes them
// fails to compile here rather than misbehaving.
#include "wasmhost/bounded_call.h"

#include <algorithm>
#include <exception>

namespace hfi::wasmhost {
namespace {

using wabt::interp::DefinedFunc;
using wabt::interp::HostFunc;
using wabt::interp::RunResult;
using wabt::interp::Thread;
using wabt::interp::Trap;
using wabt::interp::Values;
using wabt::interp::ValueTypes;

template <typename Tag, typename Tag::Type kMember>
struct Expose {
  friend typename Tag::Type Member(Tag) { return kMember; }
};

struct PushValuesTag {
  using Type = void (Thread::*)(const ValueTypes&, const Values&);
  friend Type Member(PushValuesTag);
};
struct PushCallTag {
  using Type = RunResult (Thread::*)(const DefinedFunc&, Trap::Ptr*);
  friend Type Member(PushCallTag);
};
struct PopValuesTag {
  using Type = void (Thread::*)(const ValueTypes&, Values*);
  friend Type Member(PopValuesTag);
};

template struct Expose<PushValuesTag, &Thread::PushValues>;
template struct Expose<PushCallTag, &Thread::PushCall>;
template struct Expose<PopValuesTag, &Thread::PopValues>;

// Instructions per Thread::Run slice: small enough to stop close to the budget, large enough
// that the per-slice bookkeeping (Run roots the running function) costs nothing measurable.
constexpr std::uint64_t kSlice = 10'000;

}  // namespace

BoundedCallResult BoundedCall(wabt::interp::Store& store, const wabt::interp::Func::Ptr& func,
                              const Values& params, std::uint64_t* budget) {
  BoundedCallResult out;
  const wabt::interp::FuncType& type = func->type();
  if (params.size() != type.params.size()) {
    out.kind = BoundedCallResult::Kind::kTrap;
    out.trap_message = "host error: wrong number of arguments";
    return out;
  }
  Trap::Ptr trap;
  // An export can be one of our own host functions re-exported; those never loop.
  if (!func.store()->Is<DefinedFunc>(func.ref())) {
    if (wabt::Failed(func->Call(store, params, out.results, &trap))) {
      out.kind = BoundedCallResult::Kind::kTrap;
      out.trap_message = trap ? trap->message() : "trap";
    }
    return out;
  }
  DefinedFunc::Ptr defined = store.UnsafeGet<DefinedFunc>(func.ref());

  Thread thread(store);
  RunResult result;
  try {
    (thread.*Member(PushValuesTag{}))(type.params, params);
    result = (thread.*Member(PushCallTag{}))(*defined, &trap);
    while (result == RunResult::Ok) {
      if (*budget == 0) {
        out.kind = BoundedCallResult::Kind::kBudgetExhausted;
        return out;
      }
      const std::uint64_t slice = std::min(kSlice, *budget);
      result = thread.Run(static_cast<int>(slice), &trap);
      // Run stops early only on return or trap, so a slice is charged whole: an upper bound.
      // Nested calls made during the slice have already charged theirs, hence the clamp.
      *budget -= std::min(slice, *budget);
    }
  } catch (const std::exception& error) {
    // The interpreter's own allocations (a function's locals, the value stack) can fail for a
    // hostile module; that ends the call like a trap rather than unwinding into the caller.
    out.kind = BoundedCallResult::Kind::kTrap;
    out.trap_message = std::string("host error: ") + error.what();
    return out;
  }
  switch (result) {
    case RunResult::Return:
      (thread.*Member(PopValuesTag{}))(type.results, &out.results);
      break;
    case RunResult::Exception:
      // As DefinedFunc::DoCall reports it.
      out.kind = BoundedCallResult::Kind::kTrap;
      out.trap_message = "uncaught exception";
      break;
    default:
      out.kind = BoundedCallResult::Kind::kTrap;
      out.trap_message = trap ? trap->message() : "trap";
      break;
  }
  return out;
}

}  // namespace hfi::wasmhost

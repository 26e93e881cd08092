// A bounded pool for independent pieces of work: indexes 0..count-1 handed out to at most
// `concurrency` threads. No exception leaves a thread: the first one is rethrown after every
// thread has joined; once Ctrl-C (or --timeout) is noticed no new index is handed out and
// InterruptedError is thrown after the join.
#pragma once

#include <cstddef>
#include <functional>
#include <string>

namespace hfi {

// `what` names the work in the errors ("verify", "traffic"). When not even one thread can be
// started, throws EnvironmentError; with fewer threads than asked, the work still all runs.
void ForEachIndex(std::size_t count, std::size_t concurrency,
                  const std::function<void(std::size_t)>& work, const std::string& what);

}  // namespace hfi

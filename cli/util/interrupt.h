// Ctrl-C (and SIGTERM, SIGHUP) while hfi-metrics runs other programs: the signal is only recorded,
// so whoever owns a child (RunProcess, ChildProcess, the port-forward pool) stops and reaps it and
// the command ends with exit code 130. Scopes nest and may be held by many threads at once: the
// handlers are installed by the first scope and restored by the last.
#pragma once

namespace hfi {

class InterruptScope {
 public:
  InterruptScope();
  ~InterruptScope();
  InterruptScope(const InterruptScope&) = delete;
  InterruptScope& operator=(const InterruptScope&) = delete;
};

// The signal received while any scope was held (0: none). Stays set until ClearInterrupt().
int InterruptSignal();

// The command's --timeout passed (CommandDeadline): everything stops as for Ctrl-C, and the
// command ends with exit code 2 instead of 130. Stays set for the rest of the process.
void InterruptForDeadline();
bool DeadlinePassed();

inline bool Interrupted() {
  return InterruptSignal() != 0 || DeadlinePassed();
}
// For tests and for the start of a command. Clears the signal, not a passed deadline.
void ClearInterrupt();
// For tests only: forgets a passed deadline.
void ClearDeadlineForTest();

}  // namespace hfi

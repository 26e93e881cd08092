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
inline bool Interrupted() {
  return InterruptSignal() != 0;
}
// For tests and for the start of a command.
void ClearInterrupt();

}  // namespace hfi

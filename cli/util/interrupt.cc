#include "util/interrupt.h"

// Placeholder: the signal bookkeeping lands with the port-forward pool.
namespace hfi {
InterruptScope::InterruptScope() = default;
InterruptScope::~InterruptScope() = default;
int InterruptSignal() {
  return 0;
}
void ClearInterrupt() {}
}  // namespace hfi

#include "util/interrupt.h"

#include <atomic>
#include <csignal>
#include <cstddef>
#include <iterator>
#include <mutex>

namespace hfi {
namespace {

constexpr int kSignals[] = {SIGINT, SIGTERM, SIGHUP};

// A lock-free atomic is the only shared state a signal handler may touch.
static_assert(std::atomic<int>::is_always_lock_free);
std::atomic<int> g_signal{0};
std::atomic<bool> g_deadline_passed{false};

struct Installed {
  std::mutex mutex;
  int scopes = 0;
  struct sigaction previous[std::size(kSignals)]{};
  bool replaced[std::size(kSignals)] = {};
};

Installed& State() {
  static Installed state;
  return state;
}

extern "C" void RecordSignal(int signo) {
  // The first signal wins: a second Ctrl-C while children are being stopped changes nothing.
  int none = 0;
  g_signal.compare_exchange_strong(none, signo);
}

}  // namespace

InterruptScope::InterruptScope() {
  Installed& state = State();
  std::lock_guard<std::mutex> lock(state.mutex);
  if (state.scopes++ > 0)
    return;
  for (std::size_t i = 0; i < std::size(kSignals); ++i) {
    struct sigaction action {};
    action.sa_handler = RecordSignal;
    sigemptyset(&action.sa_mask);
    // Other threads may sit in blocking reads and writes that do not expect EINTR; the owners of
    // children poll in short slices and notice the flag anyway.
    action.sa_flags = SA_RESTART;
    // A signal someone chose to ignore (nohup) stays ignored.
    state.replaced[i] = ::sigaction(kSignals[i], nullptr, &state.previous[i]) == 0 &&
                        state.previous[i].sa_handler != SIG_IGN &&
                        ::sigaction(kSignals[i], &action, nullptr) == 0;
  }
}

InterruptScope::~InterruptScope() {
  Installed& state = State();
  std::lock_guard<std::mutex> lock(state.mutex);
  if (--state.scopes > 0)
    return;
  for (std::size_t i = 0; i < std::size(kSignals); ++i) {
    if (state.replaced[i])
      ::sigaction(kSignals[i], &state.previous[i], nullptr);
    state.replaced[i] = false;
  }
}

int InterruptSignal() {
  return g_signal.load();
}

void ClearInterrupt() {
  g_signal.store(0);
}

void InterruptForDeadline() {
  g_deadline_passed.store(true);
}

bool DeadlinePassed() {
  return g_deadline_passed.load();
}

void ClearDeadlineForTest() {
  g_deadline_passed.store(false);
}

}  // namespace hfi

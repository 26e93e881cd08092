#include "util/child_process.h"

#include "util/errors.h"

// Placeholder: the implementation lands with the port-forward pool.
namespace hfi {
std::unique_ptr<ChildProcess> ChildProcess::Start(const ProcessSpec& spec) {
  throw EnvironmentError(spec.argv.empty() ? "subprocess" : spec.argv[0], "not available");
}
ChildProcess::ChildProcess(pid_t pid, int read_fd) : pid_(pid), fd_(read_fd) {}
ChildProcess::~ChildProcess() = default;
ChildProcess::Read ChildProcess::ReadLine(std::string*, Clock::time_point) {
  return Read::kEof;
}
void ChildProcess::Drain() {}
ProcessResult ChildProcess::Stop(std::chrono::milliseconds) {
  return {};
}
bool ChildProcess::Exited() {
  return true;
}
}  // namespace hfi

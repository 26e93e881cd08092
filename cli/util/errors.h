// Errors that end a command, each carrying the exit code it maps to (DESIGN §4).
// Library code throws these; only main() turns them into a message and an exit status.
#pragma once

#include <stdexcept>
#include <string>

namespace hfi {

enum class ExitCode : int {
  kOk = 0,
  kChecksFailed = 1,   // reached the metrics, and they are missing or wrong
  kEnvironment = 2,    // a tool, cluster, pod or endpoint is missing, unreachable, denied or slow
  kInvalidInput = 3,   // unparseable stats text, invalid wasm, invalid policy or values
  kUsage = 64,         // the command line itself is wrong (sysexits EX_USAGE)
  kInterrupted = 130,  // Ctrl-C (SIGINT), SIGTERM or SIGHUP: children stopped, nothing reported
};

// what: the thing that failed ("plugin.wasm", "em++"); why: what went wrong;
// hint: what to do about it (may be empty). Printed as `hfi-metrics: what: why (hint)`.
class Error : public std::runtime_error {
 public:
  Error(ExitCode code, std::string what, std::string why, std::string hint = {})
      : std::runtime_error(what + ": " + why),
        code_(code),
        what_(std::move(what)),
        why_(std::move(why)),
        hint_(std::move(hint)) {}

  ExitCode code() const { return code_; }
  const std::string& subject() const { return what_; }
  const std::string& reason() const { return why_; }
  const std::string& hint() const { return hint_; }

 private:
  ExitCode code_;
  std::string what_, why_, hint_;
};

struct UsageError : Error {
  UsageError(std::string what, std::string why, std::string hint = {})
      : Error(ExitCode::kUsage, std::move(what), std::move(why), std::move(hint)) {}
};
struct EnvironmentError : Error {
  EnvironmentError(std::string what, std::string why, std::string hint = {})
      : Error(ExitCode::kEnvironment, std::move(what), std::move(why), std::move(hint)) {}
};
struct InterruptedError : Error {
  explicit InterruptedError(std::string what)
      : Error(ExitCode::kInterrupted, std::move(what), "interrupted") {}
};
struct InputError : Error {
  InputError(std::string what, std::string why, std::string hint = {})
      : Error(ExitCode::kInvalidInput, std::move(what), std::move(why), std::move(hint)) {}
};

// The one-line form every command uses on stderr.
inline std::string FormatError(const Error& e) {
  std::string line = "hfi-metrics: " + e.subject() + ": " + e.reason();
  if (!e.hint().empty())
    line += " (" + e.hint() + ")";
  return line;
}

}  // namespace hfi

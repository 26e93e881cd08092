// Where the host's log lines go: the plugin's proxy_log and WASI stdout/stderr, and the host's own
// reports (traps, failed starts). Tests collect them to assert on; the CLI prints them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hfi::wasmhost {

// proxy-wasm log levels, numbered as on the wire (facts/proxy-wasm-abi.md §2.7).
enum class LogLevel : std::uint32_t {
  kTrace = 0,
  kDebug = 1,
  kInfo = 2,
  kWarn = 3,
  kError = 4,
  kCritical = 5,
};

std::string_view LogLevelName(LogLevel level);  // "trace" ... "critical"

enum class LogSource {
  kPlugin,  // proxy_log, or WASI fd_write to stdout/stderr
  kHost,    // the host about the plugin: traps, failed start or configure, refused calls
};

struct LogRecord {
  LogLevel level;
  LogSource source;
  std::string message;
};

class LogSink {
 public:
  virtual ~LogSink() = default;
  virtual void Log(const LogRecord& record) = 0;
};

// Keeps every record, in order.
class CollectingLogSink final : public LogSink {
 public:
  void Log(const LogRecord& record) override { records_.push_back(record); }

  const std::vector<LogRecord>& records() const { return records_; }
  // True if some record of that source contains `text`.
  bool Contains(LogSource source, std::string_view text) const;
  // The messages of one source, in order.
  std::vector<std::string> Messages(LogSource source) const;
  void Clear() { records_.clear(); }

 private:
  std::vector<LogRecord> records_;
};

}  // namespace hfi::wasmhost

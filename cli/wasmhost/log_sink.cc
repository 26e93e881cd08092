#include "wasmhost/log_sink.h"

namespace hfi::wasmhost {

std::string_view LogLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kTrace:
      return "trace";
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarn:
      return "warn";
    case LogLevel::kError:
      return "error";
    case LogLevel::kCritical:
      return "critical";
  }
  return "unknown";
}

bool CollectingLogSink::Contains(LogSource source, std::string_view text) const {
  for (const LogRecord& record : records_) {
    if (record.source == source && record.message.find(text) != std::string::npos)
      return true;
  }
  return false;
}

std::vector<std::string> CollectingLogSink::Messages(LogSource source) const {
  std::vector<std::string> out;
  for (const LogRecord& record : records_) {
    if (record.source == source)
      out.push_back(record.message);
  }
  return out;
}

}  // namespace hfi::wasmhost

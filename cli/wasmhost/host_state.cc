#include "wasmhost/host_state.h"

#include <algorithm>
#include <utility>

namespace hfi::wasmhost {

HostState::HostState(HostOptions opts, envoystats::StatStore& stats, const Clock& clk,
                     LogSink& sink)
    : options(std::move(opts)),
      clock(clk),
      metrics(stats),
      random(options.random_seed ? *options.random_seed : std::random_device{}()),
      sink_(sink) {}

void HostState::Log(LogLevel level, LogSource source, std::string message) {
  if (static_cast<std::uint32_t>(level) < static_cast<std::uint32_t>(options.log_level))
    return;
  sink_.Log(LogRecord{level, source, std::move(message)});
}

StreamContext* HostState::FindStream(std::uint32_t id) {
  auto it = streams.find(id);
  return it == streams.end() ? nullptr : &it->second;
}

bool HostState::IsLiveContext(std::uint32_t id) const {
  if (id != 0 && id == root_id && !root_deleted)
    return true;
  auto it = streams.find(id);
  return it != streams.end() && it->second.created;
}

void HostState::Defer(StreamContext& stream) {
  if (std::find(deferred.begin(), deferred.end(), stream.id) == deferred.end())
    deferred.push_back(stream.id);
}

void HostState::SetTickPeriod(std::uint32_t period_ms) {
  tick_period_ms = period_ms;
  next_tick_nanos = clock.MonotonicNanos() + std::int64_t{period_ms} * 1'000'000;
}

}  // namespace hfi::wasmhost

// HostApi over the raw proxy-wasm imports: the one implementation that runs inside Envoy. Built
// only for Wasm (it needs the "env" imports to link).
#pragma once

#include "plugin/host_api.h"

namespace hfi::plugin::abi {

class WasmHostApi final : public HostApi {
 public:
  bool LogEnabled(LogLevel level) override;
  void Log(LogLevel level, std::string_view message) override;
  WasmResult GetRequestHeader(std::string_view name, HostBytes* value) override;
  WasmResult AddResponseHeader(std::string_view name, std::string_view value) override;
  WasmResult SendLocalResponse(std::uint32_t status, std::string_view details,
                               std::string_view body, const HeaderPair* headers,
                               std::size_t header_count) override;
  WasmResult ContinueRequest() override;
  WasmResult SetTickPeriodMs(std::uint32_t period_ms) override;
  std::int64_t MonotonicNowNs() override;
  std::uint64_t RandomSeed() override;
  WasmResult DefineMetric(MetricType type, std::string_view name, std::uint32_t* id) override;
  WasmResult IncrementMetric(std::uint32_t id, std::int64_t delta) override;
  WasmResult RecordMetric(std::uint32_t id, std::uint64_t value) override;
  WasmResult GetProperty(std::string_view path, HostBytes* value) override;
  WasmResult GetPluginConfiguration(std::size_t size, HostBytes* bytes) override;
  WasmResult SetEffectiveContext(std::uint32_t context_id) override;
};

}  // namespace hfi::plugin::abi

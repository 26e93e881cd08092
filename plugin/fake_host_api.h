// Test double for HostApi: answers from plain fields and records every action, with Envoy's metric
// semantics (facts/proxy-wasm-abi.md §8). Header and property reads allocate nothing, so tests can
// count the plugin's own allocations. Used by the plugin's unit tests only.
#pragma once

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "plugin/host_api.h"

namespace hfi::plugin {

class FakeHostApi : public HostApi {
 public:
  struct LogLine {
    LogLevel level;
    std::string message;
  };
  struct LocalResponse {
    std::uint32_t context;  // the current or effective context when it was sent
    std::uint32_t status;
    std::string details;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
  };
  struct MetricDefinition {
    MetricType type;
    std::string name;
    std::uint32_t id;
  };

  // --- what the host answers ---
  std::map<std::string, std::string, std::less<>> request_headers;  // lower-case names
  std::map<std::string, std::string, std::less<>> properties;  // path as passed, '\0's included
  std::string plugin_configuration;
  WasmResult configuration_result = WasmResult::kOk;
  WasmResult local_response_result = WasmResult::kOk;
  WasmResult continue_result = WasmResult::kOk;
  WasmResult define_metric_result = WasmResult::kOk;
  std::set<std::uint32_t> gone_contexts;  // SetEffectiveContext refuses these
  LogLevel log_level = LogLevel::kTrace;
  std::int64_t now_ns = 0;
  std::uint64_t seed = 42;
  std::uint32_t current_context = 0;  // set by a test before each callback, as the host would

  // --- what the plugin did ---
  std::vector<LogLine> logs;
  std::vector<LocalResponse> local_responses;
  std::vector<std::uint32_t> continued;  // contexts resumed with ContinueRequest
  std::vector<std::pair<std::string, std::string>> response_headers_added;
  std::vector<std::uint32_t> tick_periods;  // every SetTickPeriodMs argument, in order
  std::vector<MetricDefinition> metric_definitions;
  std::map<std::uint32_t, std::uint64_t> counters;                 // by metric id
  std::map<std::uint32_t, std::vector<std::uint64_t>> histograms;  // samples by metric id
  int metric_calls = 0;                                            // define, increment and record
  int header_reads = 0;
  int log_checks = 0;

  bool LogEnabled(LogLevel level) override {
    ++log_checks;
    return level >= log_level;
  }
  void Log(LogLevel level, std::string_view message) override {
    logs.push_back({level, std::string(message)});
  }
  WasmResult GetRequestHeader(std::string_view name, HostBytes* value) override {
    ++header_reads;
    auto it = request_headers.find(name);
    if (it == request_headers.end())
      return WasmResult::kNotFound;
    *value = HostBytes(it->second.data(), it->second.size(), false);
    return WasmResult::kOk;
  }
  WasmResult AddResponseHeader(std::string_view name, std::string_view value) override {
    response_headers_added.emplace_back(std::string(name), std::string(value));
    return WasmResult::kOk;
  }
  WasmResult SendLocalResponse(std::uint32_t status, std::string_view details,
                               std::string_view body, const HeaderPair* headers,
                               std::size_t header_count) override {
    if (local_response_result != WasmResult::kOk)
      return local_response_result;
    LocalResponse response{current_context, status, std::string(details), std::string(body), {}};
    for (std::size_t i = 0; i < header_count; ++i) {
      response.headers.emplace_back(std::string(headers[i].name), std::string(headers[i].value));
    }
    local_responses.push_back(std::move(response));
    return WasmResult::kOk;
  }
  WasmResult ContinueRequest() override {
    if (continue_result != WasmResult::kOk)
      return continue_result;
    continued.push_back(current_context);
    return WasmResult::kOk;
  }
  WasmResult SetTickPeriodMs(std::uint32_t period_ms) override {
    tick_periods.push_back(period_ms);
    return WasmResult::kOk;
  }
  std::int64_t MonotonicNowNs() override { return now_ns; }
  std::uint64_t RandomSeed() override { return seed; }

  // Ids as Envoy hands them out: 4k + type, counted per type (§8.1).
  WasmResult DefineMetric(MetricType type, std::string_view name, std::uint32_t* id) override {
    ++metric_calls;
    if (define_metric_result != WasmResult::kOk)
      return define_metric_result;
    std::uint32_t& next = next_ids_[static_cast<std::uint32_t>(type)];
    next += 4;
    *id = next + static_cast<std::uint32_t>(type);
    metric_definitions.push_back({type, std::string(name), *id});
    return WasmResult::kOk;
  }
  WasmResult IncrementMetric(std::uint32_t id, std::int64_t delta) override {
    ++metric_calls;
    const MetricDefinition* definition = Find(id);
    if (definition == nullptr)
      return WasmResult::kNotFound;
    // Envoy: a counter takes only positive deltas; a histogram cannot be incremented.
    if (definition->type != MetricType::kCounter || delta <= 0)
      return WasmResult::kBadArgument;
    counters[id] += static_cast<std::uint64_t>(delta);
    return WasmResult::kOk;
  }
  WasmResult RecordMetric(std::uint32_t id, std::uint64_t value) override {
    ++metric_calls;
    const MetricDefinition* definition = Find(id);
    if (definition == nullptr)
      return WasmResult::kNotFound;
    if (definition->type == MetricType::kHistogram) {
      histograms[id].push_back(value);
    } else {
      counters[id] += value;  // Envoy's counter record adds
    }
    return WasmResult::kOk;
  }
  WasmResult GetProperty(std::string_view path, HostBytes* value) override {
    auto it = properties.find(path);
    if (it == properties.end())
      return WasmResult::kNotFound;
    *value = HostBytes(it->second.data(), it->second.size(), false);
    return WasmResult::kOk;
  }
  WasmResult GetPluginConfiguration(std::size_t size, HostBytes* bytes) override {
    if (configuration_result != WasmResult::kOk)
      return configuration_result;
    *bytes =
        HostBytes(plugin_configuration.data(), std::min(size, plugin_configuration.size()), false);
    return WasmResult::kOk;
  }
  WasmResult SetEffectiveContext(std::uint32_t context_id) override {
    if (gone_contexts.count(context_id) > 0)
      return WasmResult::kBadArgument;
    current_context = context_id;
    return WasmResult::kOk;
  }

  // --- helpers for tests ---
  // The id the plugin got for a metric name, or 0.
  std::uint32_t MetricId(std::string_view name) const {
    for (const MetricDefinition& definition : metric_definitions) {
      if (definition.name == name)
        return definition.id;
    }
    return 0;
  }
  std::uint64_t Counter(std::string_view name) const {
    auto it = counters.find(MetricId(name));
    return it == counters.end() ? 0 : it->second;
  }
  std::vector<std::uint64_t> Samples(std::string_view name) const {
    auto it = histograms.find(MetricId(name));
    return it == histograms.end() ? std::vector<std::uint64_t>{} : it->second;
  }
  // Node metadata as Envoy exposes it through proxy_get_property.
  void SetNodeMetadata(std::string_view key, std::string value) {
    properties[std::string("node\0metadata\0", 14) + std::string(key) + '\0'] = std::move(value);
  }

 private:
  const MetricDefinition* Find(std::uint32_t id) const {
    for (const MetricDefinition& definition : metric_definitions) {
      if (definition.id == id)
        return &definition;
    }
    return nullptr;
  }

  std::uint32_t next_ids_[3] = {0, 0, 0};
};

}  // namespace hfi::plugin

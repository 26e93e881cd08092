#include "wasmhost/metrics.h"

#include <string>

namespace hfi::wasmhost {
namespace {

constexpr std::uint32_t kTypeMask = 0x3;  // cpp-host kMetricTypeMask
constexpr std::uint32_t kIdIncrement = 0x4;

template <typename Map>
auto* Find(const Map& map, std::uint32_t id) {
  auto it = map.find(id);
  return it == map.end() ? nullptr : it->second;
}

}  // namespace

WasmResult MetricTable::Define(std::uint32_t type, std::string_view name, std::uint32_t* id) {
  std::string full(kCustomStatNamespace);
  full += '.';
  full += name;
  switch (static_cast<MetricType>(type)) {
    case MetricType::kCounter:
      *id = last_counter_id_ += kIdIncrement;
      counters_[*id] = &store_.CounterNamed(full);
      return WasmResult::kOk;
    case MetricType::kGauge:
      *id = last_gauge_id_ += kIdIncrement;
      gauges_[*id] = &store_.GaugeNamed(full);
      return WasmResult::kOk;
    case MetricType::kHistogram:
      *id = last_histogram_id_ += kIdIncrement;
      histograms_[*id] = &store_.HistogramNamed(full);
      return WasmResult::kOk;
  }
  return WasmResult::kBadArgument;
}

// The branch is chosen by the id's type bits, not by a stored type (§8.3).
WasmResult MetricTable::Increment(std::uint32_t id, std::int64_t delta) {
  switch (static_cast<MetricType>(id & kTypeMask)) {
    case MetricType::kCounter: {
      envoystats::Counter* counter = Find(counters_, id);
      if (counter == nullptr)
        return WasmResult::kNotFound;
      // Envoy refuses delta 0 too: `offset > 0` or BadArgument.
      if (delta <= 0)
        return WasmResult::kBadArgument;
      counter->Add(static_cast<std::uint64_t>(delta));
      return WasmResult::kOk;
    }
    case MetricType::kGauge: {
      envoystats::Gauge* gauge = Find(gauges_, id);
      if (gauge == nullptr)
        return WasmResult::kNotFound;
      if (delta > 0)
        gauge->Add(static_cast<std::uint64_t>(delta));
      else  // -delta computed unsigned: INT64_MIN has no positive int64
        gauge->Sub(std::uint64_t{0} - static_cast<std::uint64_t>(delta));
      return WasmResult::kOk;
    }
    default:  // histograms cannot be incremented; type 3 does not exist
      return WasmResult::kBadArgument;
  }
}

WasmResult MetricTable::Record(std::uint32_t id, std::uint64_t value) {
  switch (static_cast<MetricType>(id & kTypeMask)) {
    case MetricType::kCounter:
      if (envoystats::Counter* counter = Find(counters_, id)) {
        counter->Add(value);  // Envoy's counter record adds; it does not set
        return WasmResult::kOk;
      }
      return WasmResult::kNotFound;
    case MetricType::kGauge:
      if (envoystats::Gauge* gauge = Find(gauges_, id)) {
        gauge->Set(value);
        return WasmResult::kOk;
      }
      return WasmResult::kNotFound;
    case MetricType::kHistogram:
      if (envoystats::Histogram* histogram = Find(histograms_, id)) {
        histogram->Record(value);
        return WasmResult::kOk;
      }
      return WasmResult::kNotFound;
    default:
      return WasmResult::kNotFound;
  }
}

WasmResult MetricTable::Get(std::uint32_t id, std::uint64_t* value) const {
  switch (static_cast<MetricType>(id & kTypeMask)) {
    case MetricType::kCounter:
      if (const envoystats::Counter* counter = Find(counters_, id)) {
        *value = counter->value();
        return WasmResult::kOk;
      }
      return WasmResult::kNotFound;
    case MetricType::kGauge:
      if (const envoystats::Gauge* gauge = Find(gauges_, id)) {
        *value = gauge->value();
        return WasmResult::kOk;
      }
      return WasmResult::kNotFound;
    default:  // histograms cannot be read back, known id or not
      return WasmResult::kBadArgument;
  }
}

}  // namespace hfi::wasmhost

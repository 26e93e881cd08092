// Hand-built reports and a reader of collected families for the serve tests.
#pragma once

#include <prometheus/metric_family.h>

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "verify/report.h"

namespace hfi::serve::testing {

inline verify::Check Passing(const std::string& id, const std::string& metric) {
  verify::Check check;
  check.id = id;
  check.metric = metric;
  return check;
}

inline verify::Check WithFinding(const std::string& id, const std::string& metric,
                                 verify::HintId hint) {
  verify::Check check = Passing(id, metric);
  check.findings.emplace_back(hint);
  return check;
}

inline verify::SourceReport Source(const std::string& name, std::vector<verify::Check> checks,
                                   verify::SourceKind kind = verify::SourceKind::kPod) {
  verify::SourceReport source;
  source.name = name;
  source.kind = kind;
  source.checks = std::move(checks);
  return source;
}

// The value of `name` with exactly `labels`; nullopt when there is no such series.
inline std::optional<double> Value(const std::vector<prometheus::MetricFamily>& families,
                                   const std::string& name,
                                   const std::map<std::string, std::string>& labels = {}) {
  for (const prometheus::MetricFamily& family : families) {
    if (family.name != name)
      continue;
    for (const prometheus::ClientMetric& metric : family.metric) {
      std::map<std::string, std::string> have;
      for (const auto& pair : metric.label)
        have[pair.name] = pair.value;
      if (have != labels)
        continue;
      if (family.type == prometheus::MetricType::Counter)
        return metric.counter.value;
      return metric.gauge.value;
    }
  }
  return std::nullopt;
}

inline std::size_t SeriesOf(const std::vector<prometheus::MetricFamily>& families,
                            const std::string& name) {
  for (const prometheus::MetricFamily& family : families) {
    if (family.name == name)
      return family.metric.size();
  }
  return 0;
}

inline std::size_t AllSeries(const std::vector<prometheus::MetricFamily>& families) {
  std::size_t count = 0;
  for (const prometheus::MetricFamily& family : families)
    count += family.metric.size();
  return count;
}

}  // namespace hfi::serve::testing

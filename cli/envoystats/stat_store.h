// Envoy's stat store as a proxy-wasm plugin sees it: counters, gauges and histograms by internal
// name, created through the stats matcher (a rejected name gets a null stat whose updates vanish),
// and histograms whose data reaches the admin output only at a stats flush.
// Not thread-safe: the embedded host serialises access.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "envoystats/stats_matcher.h"

namespace hfi::envoystats {

// HistogramSettingsImpl::defaultBuckets() (facts/envoy-istio.md §2): 19 bounds, `+Inf` implied.
const std::vector<double>& DefaultBuckets();

class Counter {
 public:
  void Add(std::uint64_t delta);
  std::uint64_t value() const { return value_; }
  bool used() const { return used_; }
  bool is_null() const { return null_; }

 private:
  friend class StatStore;
  std::uint64_t value_ = 0;
  bool used_ = false;
  bool null_ = false;
};

class Gauge {
 public:
  void Set(std::uint64_t value);
  void Add(std::uint64_t delta);
  void Sub(std::uint64_t delta);  // saturates at 0 rather than wrapping
  std::uint64_t value() const { return value_; }
  bool used() const { return used_; }
  bool is_null() const { return null_; }

 private:
  friend class StatStore;
  std::uint64_t value_ = 0;
  bool used_ = false;
  bool null_ = false;
};

class Histogram {
 public:
  // Records into the current interval; visible in cumulative data after the next Flush().
  void Record(std::uint64_t value);

  // Cumulative data as of the last flush: per-bound counts (value <= bound, the bound inclusive as
  // in current Envoy), total count and sum. Envoy's own `_sum` is an approximation from log-linear
  // bins; this one is exact, which no checker may rely on either way (facts §2).
  const std::vector<std::uint64_t>& cumulative_bucket_counts() const { return cumulative_buckets_; }
  std::uint64_t sample_count() const { return cumulative_count_; }
  double sample_sum() const { return cumulative_sum_; }
  std::uint64_t pending_count() const { return interval_values_.size(); }
  const std::vector<double>& bounds() const { return *bounds_; }
  bool used() const { return used_; }
  bool is_null() const { return null_; }

  // Quantile q in [0,1] of the cumulative data, interpolated within Envoy-like log-linear bins
  // (two significant digits). Returns NaN when there are no samples.
  double CumulativeQuantile(double q) const;
  double IntervalQuantile(double q) const;  // of the last flushed interval

 private:
  friend class StatStore;
  void Flush();

  const std::vector<double>* bounds_ = nullptr;
  std::vector<std::uint64_t> interval_values_;  // recorded since the last flush
  std::vector<std::uint64_t> last_interval_;    // what the last flush merged
  std::vector<std::uint64_t> cumulative_buckets_;
  std::map<double, std::uint64_t> cumulative_bins_;  // log-linear bin lower bound -> count
  std::uint64_t cumulative_count_ = 0;
  double cumulative_sum_ = 0;
  bool used_ = false;
  bool null_ = false;
};

class StatStore {
 public:
  explicit StatStore(StatsMatcher matcher, std::vector<double> histogram_bounds = DefaultBuckets());
  // Histograms point at the store's bounds: a store stays where it was made.
  StatStore(const StatStore&) = delete;
  StatStore& operator=(const StatStore&) = delete;

  // The stat of that full internal name, created on first use. Defining the same name again
  // returns the same stat. A name the matcher rejects returns the null stat of that kind.
  Counter& CounterNamed(std::string_view name);
  Gauge& GaugeNamed(std::string_view name);
  Histogram& HistogramNamed(std::string_view name);

  // Envoy's stats flush: merges every histogram's interval data into its cumulative data.
  void Flush();

  const std::map<std::string, Counter, std::less<>>& counters() const { return counters_; }
  const std::map<std::string, Gauge, std::less<>>& gauges() const { return gauges_; }
  const std::map<std::string, Histogram, std::less<>>& histograms() const { return histograms_; }
  const StatsMatcher& matcher() const { return matcher_; }
  const std::vector<double>& histogram_bounds() const { return bounds_; }

 private:
  StatsMatcher matcher_;
  std::vector<double> bounds_;
  std::map<std::string, Counter, std::less<>> counters_;
  std::map<std::string, Gauge, std::less<>> gauges_;
  std::map<std::string, Histogram, std::less<>> histograms_;
  Counter null_counter_;
  Gauge null_gauge_;
  Histogram null_histogram_;
};

}  // namespace hfi::envoystats

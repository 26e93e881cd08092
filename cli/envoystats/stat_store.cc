#include "envoystats/stat_store.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <utility>

namespace hfi::envoystats {
namespace {

// Lower bound of the log-linear bin holding v: two significant digits, like circllhist, which
// Envoy's histograms are built on. 0 has a bin of its own.
double BinLower(double v) {
  if (v <= 0)
    return 0;
  double exponent = std::floor(std::log10(v)) - 1;
  double scale = std::pow(10.0, exponent);
  return std::floor(v / scale) * scale;
}

double BinWidth(double lower) {
  if (lower <= 0)
    return 0;
  return std::pow(10.0, std::floor(std::log10(lower)) - 1);
}

double QuantileOfBins(const std::map<double, std::uint64_t>& bins, std::uint64_t total, double q) {
  if (total == 0)
    return std::numeric_limits<double>::quiet_NaN();
  double target = q * static_cast<double>(total);
  double seen = 0;
  for (const auto& [lower, count] : bins) {
    double next = seen + static_cast<double>(count);
    if (next >= target) {
      double within = count == 0 ? 0 : (target - seen) / static_cast<double>(count);
      return lower + BinWidth(lower) * within;
    }
    seen = next;
  }
  auto last = bins.rbegin();
  return last->first + BinWidth(last->first);
}

}  // namespace

const std::vector<double>& DefaultBuckets() {
  static const std::vector<double> kBuckets{0.5,   1,      5,      10,      25,     50,    100,
                                            250,   500,    1000,   2500,    5000,   10000, 30000,
                                            60000, 300000, 600000, 1800000, 3600000};
  return kBuckets;
}

void Counter::Add(std::uint64_t delta) {
  if (null_)
    return;
  value_ += delta;
  used_ = true;
}

void Gauge::Set(std::uint64_t value) {
  if (null_)
    return;
  value_ = value;
  used_ = true;
}

void Gauge::Add(std::uint64_t delta) {
  if (null_)
    return;
  value_ += delta;
  used_ = true;
}

void Gauge::Sub(std::uint64_t delta) {
  if (null_)
    return;
  value_ = delta > value_ ? 0 : value_ - delta;
  used_ = true;
}

void Histogram::Record(std::uint64_t value) {
  if (null_)
    return;
  interval_values_.push_back(value);
  used_ = true;
}

void Histogram::Flush() {
  if (null_)
    return;
  last_interval_.swap(interval_values_);
  interval_values_.clear();
  for (std::uint64_t v : last_interval_) {
    double d = static_cast<double>(v);
    for (std::size_t i = 0; i < bounds_->size(); ++i) {
      if (d <= (*bounds_)[i])
        ++cumulative_buckets_[i];
    }
    ++cumulative_count_;
    cumulative_sum_ += d;
    ++cumulative_bins_[BinLower(d)];
  }
}

double Histogram::CumulativeQuantile(double q) const {
  return QuantileOfBins(cumulative_bins_, cumulative_count_, q);
}

double Histogram::IntervalQuantile(double q) const {
  std::map<double, std::uint64_t> bins;
  for (std::uint64_t v : last_interval_)
    ++bins[BinLower(static_cast<double>(v))];
  return QuantileOfBins(bins, last_interval_.size(), q);
}

StatStore::StatStore(StatsMatcher matcher, std::vector<double> histogram_bounds)
    : matcher_(std::move(matcher)), bounds_(std::move(histogram_bounds)) {
  null_counter_.null_ = true;
  null_gauge_.null_ = true;
  null_histogram_.null_ = true;
  null_histogram_.bounds_ = &bounds_;
}

Counter& StatStore::CounterNamed(std::string_view name) {
  if (auto it = counters_.find(name); it != counters_.end())
    return it->second;
  if (!matcher_.Accepts(name))
    return null_counter_;
  return counters_.emplace(std::string(name), Counter{}).first->second;
}

Gauge& StatStore::GaugeNamed(std::string_view name) {
  if (auto it = gauges_.find(name); it != gauges_.end())
    return it->second;
  if (!matcher_.Accepts(name))
    return null_gauge_;
  return gauges_.emplace(std::string(name), Gauge{}).first->second;
}

Histogram& StatStore::HistogramNamed(std::string_view name) {
  if (auto it = histograms_.find(name); it != histograms_.end())
    return it->second;
  if (!matcher_.Accepts(name))
    return null_histogram_;
  Histogram& h = histograms_.emplace(std::string(name), Histogram{}).first->second;
  h.bounds_ = &bounds_;
  h.cumulative_buckets_.assign(bounds_.size(), 0);
  return h;
}

void StatStore::Flush() {
  for (auto& [name, histogram] : histograms_)
    histogram.Flush();
}

}  // namespace hfi::envoystats

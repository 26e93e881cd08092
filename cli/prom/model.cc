#include "prom/model.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <unordered_map>
#include <vector>

#include "prom/number.h"

namespace hfi::prom {
namespace {

bool IsBucketLabel(Kind kind, std::string_view name) {
  return (kind == Kind::kHistogram || kind == Kind::kGaugeHistogram) && name == "le";
}
bool IsQuantileLabel(Kind kind, std::string_view name) {
  return kind == Kind::kSummary && name == "quantile";
}

// Go's uint64(float64) as expfmt applies it to counts, made total: NaN and negatives give 0.
std::uint64_t ToCount(double v) {
  if (!(v > 0))
    return 0;
  if (v >= 18446744073709551616.0)
    return UINT64_MAX;
  return static_cast<std::uint64_t>(v);
}

bool IsBoundLabel(Kind kind, std::string_view name) {
  return IsBucketLabel(kind, name) || IsQuantileLabel(kind, name);
}

// Identity of a series within its family: the labels other than `le`/`quantile`, sorted, so
// that `a{x="1",y="2"}` and `a{y="2",x="1"}` (and `a{}` and `a`) are one series. `order` is
// scratch space kept by the caller so that no sample allocates.
void SeriesKey(std::span<const LabelView> labels, Kind kind, std::vector<const LabelView*>* order,
               std::string* key) {
  order->clear();
  for (const auto& l : labels) {
    if (!IsBoundLabel(kind, l.name))
      order->push_back(&l);
  }
  std::sort(order->begin(), order->end(), [](const auto* a, const auto* b) {
    return a->name != b->name ? a->name < b->name : a->value < b->value;
  });
  key->clear();
  for (const auto* l : *order) {
    // 0xFF never occurs in valid UTF-8, so it cannot be confused with label text.
    key->append(l->name).push_back('\xff');
    key->append(l->value).push_back('\xff');
  }
}

// True when a and b have the same labels apart from `le`/`quantile`, in the same order: then
// they are one series, with no key to build (consecutive samples of a series, e.g. a
// histogram's buckets, always are).
bool SameSeriesLabels(std::span<const LabelView> a, std::span<const LabelView> b, Kind kind) {
  auto i = a.begin(), j = b.begin();
  for (;;) {
    while (i != a.end() && IsBoundLabel(kind, i->name))
      ++i;
    while (j != b.end() && IsBoundLabel(kind, j->name))
      ++j;
    if (i == a.end() || j == b.end())
      return i == a.end() && j == b.end();
    if (i->name != j->name || i->value != j->value)
      return false;
    ++i;
    ++j;
  }
}

std::span<const LabelView> Labels(const CompactSample& s) {
  return {s.labels, s.label_count};
}

}  // namespace

Kind KindOf(prometheus::MetricType type) {
  switch (type) {
    case prometheus::MetricType::Counter:
      return Kind::kCounter;
    case prometheus::MetricType::Gauge:
      return Kind::kGauge;
    case prometheus::MetricType::Histogram:
      return Kind::kHistogram;
    case prometheus::MetricType::Summary:
      return Kind::kSummary;
    default:
      break;
  }
  return Kind::kUntyped;
}

prometheus::MetricType ModelType(Kind kind) {
  switch (kind) {
    case Kind::kCounter:
      return prometheus::MetricType::Counter;
    case Kind::kGauge:
    case Kind::kInfo:
    case Kind::kStateSet:
      return prometheus::MetricType::Gauge;
    case Kind::kHistogram:
    case Kind::kGaugeHistogram:
      return prometheus::MetricType::Histogram;
    case Kind::kSummary:
      return prometheus::MetricType::Summary;
    case Kind::kUntyped:
      break;
  }
  return prometheus::MetricType::Untyped;
}

bool SuffixRole(std::string_view suffix, Kind kind, bool open_metrics, Role* role) {
  if (suffix.empty()) {
    *role = Role::kValue;
    return true;
  }
  switch (kind) {
    case Kind::kHistogram:
      if (suffix == "_bucket") {
        *role = Role::kBucket;
        return true;
      }
      [[fallthrough]];
    case Kind::kSummary:
      if (suffix == "_count") {
        *role = Role::kCount;
        return true;
      }
      if (suffix == "_sum") {
        *role = Role::kSum;
        return true;
      }
      if (open_metrics && suffix == "_created") {
        *role = Role::kCreated;
        return true;
      }
      return false;
    case Kind::kCounter:
      if (!open_metrics)
        return false;
      if (suffix == "_total") {
        *role = Role::kTotal;
        return true;
      }
      if (suffix == "_created") {
        *role = Role::kCreated;
        return true;
      }
      return false;
    case Kind::kGaugeHistogram:
      // expfmt accepts `gauge_histogram` in text but groups no suffixes under it.
      if (!open_metrics)
        return false;
      if (suffix == "_bucket") {
        *role = Role::kBucket;
        return true;
      }
      if (suffix == "_gcount") {
        *role = Role::kCount;
        return true;
      }
      if (suffix == "_gsum") {
        *role = Role::kSum;
        return true;
      }
      return false;
    case Kind::kInfo:
      if (open_metrics && suffix == "_info") {
        *role = Role::kInfo;
        return true;
      }
      return false;
    case Kind::kUntyped:
    case Kind::kGauge:
    case Kind::kStateSet:
      return false;
  }
  return false;
}

std::size_t ModelBuilder::SeriesIndex::Find(const std::string& key, std::size_t next,
                                            bool* inserted) {
  *inserted = false;
  if (map_.empty()) {
    for (std::size_t i = 0; i < keys_.size(); ++i) {
      if (keys_[i] == key)
        return i;
    }
    keys_.push_back(key);
    *inserted = true;
    if (keys_.size() > kLinearLimit) {
      for (std::size_t i = 0; i < keys_.size(); ++i)
        map_.emplace(std::move(keys_[i]), i);
      keys_.clear();
    }
    return next;
  }
  auto [it, added] = map_.try_emplace(key, next);
  *inserted = added;
  return it->second;
}

void ModelBuilder::SeriesIndex::Clear() {
  keys_.clear();
  // clear() would keep (and wipe, family after family) the buckets of the largest family.
  if (!map_.empty())
    map_ = {};
}

void ModelBuilder::Build(std::string_view name, std::string_view help, Kind kind, bool open_metrics,
                         std::span<const CompactSample> samples,
                         std::span<const std::string> suffixes, prometheus::MetricFamily* out) {
  prometheus::MetricFamily& model = *out;
  model.name = name;
  model.help = help;
  model.type = ModelType(kind);
  model.metric.clear();
  const bool histogram = kind == Kind::kHistogram || kind == Kind::kGaugeHistogram;

  // The role of each suffix, worked out when first met: a family uses one or a few.
  constexpr int kUnknown = -2;
  suffix_roles_.assign(suffixes.size(), kUnknown);

  // Pass 1: each sample's role and series, series in order of first appearance.
  index_.Clear();
  roles_.resize(samples.size());
  series_.resize(samples.size());
  first_.clear();
  buckets_.clear();
  const CompactSample* previous = nullptr;
  std::size_t previous_series = 0;
  for (std::size_t i = 0; i < samples.size(); ++i) {
    const CompactSample& s = samples[i];
    series_[i] = kSkip;
    int& role = suffix_roles_[s.suffix];
    if (role == kUnknown) {
      Role found = Role::kValue;
      role =
          SuffixRole(suffixes[s.suffix], kind, open_metrics, &found) ? static_cast<int>(found) : -1;
    }
    if (role < 0)
      continue;
    roles_[i] = static_cast<Role>(role);
    std::size_t series;
    if (previous != nullptr && SameSeriesLabels(Labels(*previous), Labels(s), kind)) {
      series = previous_series;
    } else {
      SeriesKey(Labels(s), kind, &order_, &key_);
      bool inserted = false;
      series = index_.Find(key_, first_.size(), &inserted);
      if (inserted) {
        first_.push_back(i);
        buckets_.push_back(0);
      }
    }
    series_[i] = series;
    if (histogram && roles_[i] == Role::kBucket)
      ++buckets_[series];
    previous = &s;
    previous_series = series;
  }

  model.metric.resize(first_.size());
  value_set_.assign(first_.size(), 0);
  for (std::size_t k = 0; k < first_.size(); ++k) {
    const std::span<const LabelView> from = Labels(samples[first_[k]]);
    auto& labels = model.metric[k].label;
    std::size_t count = 0;
    for (const auto& l : from)
      count += IsBoundLabel(kind, l.name) ? 0 : 1;
    labels.reserve(count);
    for (const auto& l : from) {
      if (!IsBoundLabel(kind, l.name))
        labels.push_back({std::string(l.name), std::string(l.value)});
    }
    if (histogram)
      model.metric[k].histogram.bucket.reserve(buckets_[k]);
  }

  // Pass 2: values, in input order.
  for (std::size_t i = 0; i < samples.size(); ++i) {
    if (series_[i] == kSkip)
      continue;
    const CompactSample& s = samples[i];
    const Role role = roles_[i];
    const std::size_t series = series_[i];
    std::string_view bound;
    bool has_bound = false;
    for (const auto& l : Labels(s)) {
      if (IsBoundLabel(kind, l.name)) {
        bound = l.value;
        has_bound = true;
      }
    }
    prometheus::ClientMetric& m = model.metric[series];
    if (s.has_timestamp)
      m.timestamp_ms = s.timestamp_ms;

    const bool first_value = value_set_[series] == 0;
    switch (kind) {
      case Kind::kCounter:
        if ((role == Role::kValue || role == Role::kTotal) && first_value) {
          m.counter.value = s.value;
          value_set_[series] = 1;
        }
        break;
      case Kind::kGauge:
      case Kind::kStateSet:
      case Kind::kInfo:
        if ((role == Role::kValue || role == Role::kInfo) && first_value) {
          m.gauge.value = s.value;
          value_set_[series] = 1;
        }
        break;
      case Kind::kUntyped:
        if (first_value) {
          m.untyped.value = s.value;
          value_set_[series] = 1;
        }
        break;
      case Kind::kHistogram:
      case Kind::kGaugeHistogram: {
        double upper = 0;
        if (role == Role::kBucket && has_bound && ParseFloat(bound, &upper) && !std::isnan(upper)) {
          m.histogram.bucket.push_back({ToCount(s.value), upper});
        } else if (role == Role::kCount) {
          m.histogram.sample_count = ToCount(s.value);
        } else if (role == Role::kSum) {
          m.histogram.sample_sum = s.value;
        }
        break;
      }
      case Kind::kSummary: {
        double q = 0;
        if (role == Role::kValue && has_bound && ParseFloat(bound, &q) && !std::isnan(q)) {
          m.summary.quantile.push_back({q, s.value});
        } else if (role == Role::kCount) {
          m.summary.sample_count = ToCount(s.value);
        } else if (role == Role::kSum) {
          m.summary.sample_sum = s.value;
        }
        break;
      }
    }
  }

  // Buckets ascending with `+Inf` last (prometheus-cpp's TextSerializer writes `+Inf` itself
  // only when the last bound is finite); a repeated bound keeps its first occurrence. Envoy
  // writes them in order already.
  const auto by_bound = [](const auto& a, const auto& b) { return a.upper_bound < b.upper_bound; };
  const auto same_bound = [](const auto& a, const auto& b) {
    return a.upper_bound == b.upper_bound;
  };
  const auto by_quantile = [](const auto& a, const auto& b) { return a.quantile < b.quantile; };
  for (auto& m : model.metric) {
    auto& buckets = m.histogram.bucket;
    if (!std::is_sorted(buckets.begin(), buckets.end(), by_bound))
      std::stable_sort(buckets.begin(), buckets.end(), by_bound);
    buckets.erase(std::unique(buckets.begin(), buckets.end(), same_bound), buckets.end());
    auto& quantiles = m.summary.quantile;
    if (!std::is_sorted(quantiles.begin(), quantiles.end(), by_quantile))
      std::stable_sort(quantiles.begin(), quantiles.end(), by_quantile);
  }
}

}  // namespace hfi::prom

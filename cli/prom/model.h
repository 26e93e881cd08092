// Turns the kept samples of one family into prometheus-cpp's MetricFamily: one ClientMetric per
// label set, histogram buckets sorted by upper bound, summary quantiles sorted. Knows the sample
// suffixes of each family type in both exposition formats, nothing about lexing.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "prom/parser.h"

namespace hfi::prom {

// Family types of both formats; the OpenMetrics-only ones map onto prometheus-cpp's five.
enum class Kind {
  kUntyped,  // text `untyped`, OpenMetrics `unknown`, or no TYPE line
  kCounter,
  kGauge,
  kHistogram,
  kGaugeHistogram,
  kSummary,
  kInfo,
  kStateSet,
};

prometheus::MetricType ModelType(Kind kind);
// The Kind behind a prometheus-cpp type (for families built by hand, not parsed).
Kind KindOf(prometheus::MetricType type);

// What a sample line contributes to its family.
enum class Role { kValue, kTotal, kCreated, kBucket, kCount, kSum, kInfo };

// The role of `suffix` (the sample name minus the family name; empty for the family name itself)
// for a family of `kind`, or false when that suffix does not belong to such a family. Text
// format groups like expfmt: `_bucket`/`_count`/`_sum` for histograms, `_count`/`_sum` for
// summaries; OpenMetrics adds `_total`, `_created`, `_gcount`, `_gsum` and `_info`.
bool SuffixRole(std::string_view suffix, Kind kind, bool open_metrics, Role* role);

struct LabelView {
  std::string_view name;  // unescaped
  std::string_view value;
};

struct CompactSample {
  double value = 0;
  std::int64_t timestamp_ms = 0;
  const LabelView* labels = nullptr;
  std::size_t line = 0;
  std::uint32_t label_count = 0;
  std::uint16_t suffix = 0;  // SampleStore::suffixes index: the sample name minus the family's
  bool has_timestamp = false;
};

// Builds prometheus-cpp's MetricFamily from one family's samples (which must all belong to it).
// Keeps its scratch space from one family to the next: a caller builds tens of thousands.
class ModelBuilder {
 public:
  // suffixes: what CompactSample::suffix indexes.
  void Build(std::string_view name, std::string_view help, Kind kind, bool open_metrics,
             std::span<const CompactSample> samples, std::span<const std::string> suffixes,
             prometheus::MetricFamily* model);

 private:
  // Series of one family by key: a linear scan while there are few (most Envoy families have
  // one series), a hash map beyond that.
  class SeriesIndex {
   public:
    // Index of `key` among the series, adding it as `next` when new; sets *inserted.
    std::size_t Find(const std::string& key, std::size_t next, bool* inserted);
    void Clear();

   private:
    static constexpr std::size_t kLinearLimit = 8;
    std::vector<std::string> keys_;
    std::unordered_map<std::string, std::size_t> map_;
  };

  static constexpr std::size_t kSkip = SIZE_MAX;  // a sample whose suffix has no role

  SeriesIndex index_;
  std::vector<int> suffix_roles_;     // per suffix: its Role, or -1 when it has none
  std::vector<Role> roles_;           // per sample
  std::vector<std::size_t> series_;   // per sample: its series, or kSkip
  std::vector<std::size_t> first_;    // per series: its first sample
  std::vector<std::size_t> buckets_;  // per series: bucket samples, to size the vectors
  std::vector<char> value_set_;       // per series: first sample wins, as in a scrape
  std::vector<const LabelView*> order_;
  std::string key_;
};

}  // namespace hfi::prom

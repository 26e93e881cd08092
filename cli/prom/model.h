// Turns the kept samples of one family into prometheus-cpp's MetricFamily: one ClientMetric per
// label set, histogram buckets sorted by upper bound, summary quantiles sorted. Knows the sample
// suffixes of each family type in both exposition formats, nothing about lexing.
#pragma once

#include <string_view>

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

// What a sample line contributes to its family.
enum class Role { kValue, kTotal, kCreated, kBucket, kCount, kSum, kInfo };

// The role of `suffix` (the sample name minus the family name; empty for the family name itself)
// for a family of `kind`, or false when that suffix does not belong to such a family. Text
// format groups like expfmt: `_bucket`/`_count`/`_sum` for histograms, `_count`/`_sum` for
// summaries; OpenMetrics adds `_total`, `_created`, `_gcount`, `_gsum` and `_info`.
bool SuffixRole(std::string_view suffix, Kind kind, bool open_metrics, Role* role);

// Fills family->model from family->samples (which must all belong to the family).
void BuildModel(Family* family, Kind kind, bool open_metrics);

}  // namespace hfi::prom

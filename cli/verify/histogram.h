// The consistency checks of a classic Prometheus histogram as Envoy writes it: bounds, cumulative
// counts, the +Inf bucket, _sum and _count. Internal to cli/verify.
#pragma once

#include <vector>

#include "plugin/metric_names.h"
#include "verify/report.h"
#include "verify/scrape_index.h"

namespace hfi::verify {

// Appends the checks histogram-bounds, histogram-cumulative, histogram-inf and
// histogram-sum-count for `metric` (a histogram present in the expected spelling).
void AppendHistogramChecks(const ScrapeIndex& index, const metrics::MetricName& metric,
                           std::vector<Check>* checks);

}  // namespace hfi::verify

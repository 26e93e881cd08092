#include "verify/histogram.h"

#include <algorithm>
#include <cmath>
#include <iterator>
#include <limits>
#include <string>

#include "prom/number.h"
#include "verify/checks.h"
#include "verify/expectation.h"

namespace hfi::verify {
namespace {

struct Bucket {
  double bound = 0;
  double count = 0;
  std::size_t line = 0;
  std::string le;  // as written, for messages
};

// One label set of the histogram (Envoy writes one, with no labels; extraStatTags can add more).
struct Series {
  std::string labels;
  std::vector<const prom::Sample*> bucket_samples;  // all of them, in input order
  std::vector<Bucket> buckets;              // those whose `le` is a valid bound, in input order
  std::vector<const prom::Sample*> bad_le;  // those without one
  const prom::Sample* sum = nullptr;
  const prom::Sample* count = nullptr;
};

const std::string* LeOf(const prom::Sample& sample) {
  for (const auto& label : sample.labels) {
    if (label.name == "le")
      return &label.value;
  }
  return nullptr;
}

std::vector<Series> GroupSeries(const ScrapeIndex& index, const metrics::MetricName& metric) {
  std::vector<Series> groups;
  for (const Hit* hit : index.Expected(metric)) {
    std::string labels = LabelText(hit->sample->labels);
    auto it = std::find_if(groups.begin(), groups.end(),
                           [&](const Series& s) { return s.labels == labels; });
    if (it == groups.end()) {
      groups.push_back(Series{labels});
      it = std::prev(groups.end());
    }
    // A repeated _sum or _count is reported as a duplicate series by the presence check; the
    // first one is the one Prometheus keeps.
    switch (hit->match.part) {
      case Part::kBucket: {
        it->bucket_samples.push_back(hit->sample);
        // `le` is read as Prometheus reads it (Go's ParseFloat), so `1`, `1.0` and `1e0` are one
        // bound (facts/anchors.md §4.3).
        const std::string* le = LeOf(*hit->sample);
        double bound = 0;
        if (le != nullptr && prom::ParseFloat(*le, &bound) && !std::isnan(bound)) {
          it->buckets.push_back(Bucket{bound, hit->sample->value, hit->sample->line, *le});
        } else {
          it->bad_le.push_back(hit->sample);
        }
        break;
      }
      case Part::kSum:
        if (it->sum == nullptr)
          it->sum = hit->sample;
        break;
      case Part::kCount:
        if (it->count == nullptr)
          it->count = hit->sample;
        break;
      case Part::kValue:
        break;  // a bare histogram name has no sample of its own
    }
  }
  return groups;
}

// Prefix for a finding's text when the histogram has several label sets.
std::string Where(const Series& series) {
  return series.labels.empty() ? "" : series.labels + " ";
}

std::string JoinBounds(const std::vector<double>& bounds) {
  constexpr std::size_t kShown = 25;
  std::string text;
  for (std::size_t i = 0; i < bounds.size() && i < kShown; ++i) {
    if (i > 0)
      text += ", ";
    text += FormatValue(bounds[i]);
  }
  if (bounds.size() > kShown)
    text += ", ... (" + std::to_string(bounds.size()) + " in all)";
  return text;
}

std::string DefaultBoundsText() {
  return JoinBounds(
      std::vector<double>(std::begin(kEnvoyDefaultBounds), std::end(kEnvoyDefaultBounds)));
}

Finding MakeFinding(HintId hint, const metrics::MetricName& metric, std::string expected,
                    std::string observed, std::size_t line) {
  Finding finding(hint);
  finding.metric = std::string(metric.prometheus);
  finding.expected = std::move(expected);
  finding.observed = std::move(observed);
  finding.line = line;
  return finding;
}

// Bounds: each `le` a number, strictly ascending in input order when compared as numbers, and
// Envoy's 19 defaults unless the pod overrides them.
Check BoundsCheck(const std::vector<Series>& groups, const metrics::MetricName& metric) {
  Check check{"histogram-bounds", std::string(metric.prometheus)};
  check.expected = "numeric bounds in ascending order: " + DefaultBoundsText() + ", then +Inf";
  bool any_buckets = false;
  for (const Series& series : groups) {
    any_buckets = any_buckets || !series.bucket_samples.empty();
    for (const prom::Sample* sample : series.bad_le) {
      const std::string* le = LeOf(*sample);
      check.findings.push_back(
          MakeFinding(HintId::kBadBound, metric, "le is a number or +Inf",
                      Where(series) + (le == nullptr ? "_bucket without le" : "le=\"" + *le + "\""),
                      sample->line));
    }

    std::size_t disorders = 0;
    const Bucket* first_bad = nullptr;
    const Bucket* first_bad_prev = nullptr;
    for (std::size_t i = 1; i < series.buckets.size(); ++i) {
      if (series.buckets[i].bound <= series.buckets[i - 1].bound) {
        if (disorders++ == 0) {
          first_bad = &series.buckets[i];
          first_bad_prev = &series.buckets[i - 1];
        }
      }
    }
    if (first_bad != nullptr) {
      std::string observed = Where(series) + "le=\"" + first_bad->le + "\" (line " +
                             std::to_string(first_bad->line) + ") follows le=\"" +
                             first_bad_prev->le + "\" (line " +
                             std::to_string(first_bad_prev->line) + ")";
      if (disorders > 1)
        observed += ", and " + std::to_string(disorders - 1) + " more";
      check.findings.push_back(MakeFinding(HintId::kBoundsOutOfOrder, metric,
                                           "each bound greater than the one before", observed,
                                           first_bad->line));
    }

    std::vector<double> finite;
    for (const Bucket& bucket : series.buckets) {
      if (std::isfinite(bucket.bound))
        finite.push_back(bucket.bound);
    }
    std::sort(finite.begin(), finite.end());
    finite.erase(std::unique(finite.begin(), finite.end()), finite.end());
    bool is_default = std::equal(finite.begin(), finite.end(), std::begin(kEnvoyDefaultBounds),
                                 std::end(kEnvoyDefaultBounds));
    // With an unreadable bound the set of bounds is unknown; HFI209 already says so.
    if (!is_default && !series.buckets.empty() && series.bad_le.empty()) {
      check.findings.push_back(MakeFinding(
          HintId::kCustomBuckets, metric, "Envoy's default bounds: " + DefaultBoundsText(),
          Where(series) + std::to_string(finite.size()) + " bounds: " + JoinBounds(finite),
          series.buckets.front().line));
    }
    if (check.observed.empty()) {
      check.observed = Where(series) + (is_default ? "Envoy's 19 default bounds"
                                                   : std::to_string(finite.size()) + " bounds");
    }
  }
  if (!any_buckets)
    check.skip_reason = "no _bucket series";
  return check;
}

// Counts: taken in bound order, never decreasing, never negative or NaN.
Check CumulativeCheck(const std::vector<Series>& groups, const metrics::MetricName& metric) {
  Check check{"histogram-cumulative", std::string(metric.prometheus)};
  check.expected = "bucket counts non-decreasing as the bound grows";
  bool any = false;
  for (const Series& series : groups) {
    if (series.buckets.empty())
      continue;
    any = true;
    std::vector<Bucket> sorted = series.buckets;
    std::stable_sort(sorted.begin(), sorted.end(),
                     [](const Bucket& a, const Bucket& b) { return a.bound < b.bound; });
    bool reported_decrease = false;
    for (std::size_t i = 0; i < sorted.size(); ++i) {
      const Bucket& bucket = sorted[i];
      if (std::isnan(bucket.count) || bucket.count < 0) {
        check.findings.push_back(
            MakeFinding(HintId::kBadHistogramValue, metric, "a count >= 0",
                        Where(series) + "le=\"" + bucket.le + "\" has " + FormatValue(bucket.count),
                        bucket.line));
        continue;
      }
      if (i > 0 && !reported_decrease && bucket.count < sorted[i - 1].count) {
        reported_decrease = true;
        check.findings.push_back(MakeFinding(
            HintId::kNotCumulative, metric,
            "le=\"" + bucket.le + "\" >= le=\"" + sorted[i - 1].le + "\"",
            Where(series) + "le=\"" + bucket.le + "\" has " + FormatValue(bucket.count) +
                ", le=\"" + sorted[i - 1].le + "\" has " + FormatValue(sorted[i - 1].count),
            bucket.line));
      }
    }
    if (check.observed.empty()) {
      check.observed = Where(series) + "counts " + FormatValue(sorted.front().count) + " to " +
                       FormatValue(sorted.back().count);
    }
  }
  if (!any)
    check.skip_reason = "no bucket with a valid bound";
  return check;
}

// +Inf: present, and equal to _count (Envoy writes both from one sample count, facts §2).
Check InfCheck(const std::vector<Series>& groups, const metrics::MetricName& metric) {
  Check check{"histogram-inf", std::string(metric.prometheus)};
  check.expected = "a +Inf bucket equal to _count";
  bool any = false;
  for (const Series& series : groups) {
    if (series.bucket_samples.empty())
      continue;
    any = true;
    auto inf = std::find_if(series.buckets.begin(), series.buckets.end(), [](const Bucket& b) {
      return b.bound == std::numeric_limits<double>::infinity();
    });
    if (inf == series.buckets.end()) {
      check.findings.push_back(MakeFinding(HintId::kInfBucketMissing, metric,
                                           "_bucket{le=\"+Inf\"}", Where(series) + "no +Inf bucket",
                                           series.bucket_samples.back()->line));
      if (check.observed.empty())
        check.observed = Where(series) + "no +Inf bucket";
      continue;
    }
    std::string observed = Where(series) + "+Inf " + FormatValue(inf->count);
    if (series.count != nullptr) {
      observed += ", _count " + FormatValue(series.count->value);
      if (inf->count != series.count->value) {
        check.findings.push_back(
            MakeFinding(HintId::kInfNotCount, metric, "+Inf = _count", observed, inf->line));
      }
    }
    if (check.observed.empty())
      check.observed = observed;
  }
  if (!any)
    check.skip_reason = "no _bucket series";
  return check;
}

// _sum and _count: present with the buckets, and sane. _sum is approximate in Envoy (log-linear
// bins; facts §2), so it is never compared with anything exactly.
Check SumCountCheck(const std::vector<Series>& groups, const metrics::MetricName& metric) {
  Check check{"histogram-sum-count", std::string(metric.prometheus)};
  check.expected = "_bucket, _sum and _count series, none negative or NaN";
  for (const Series& series : groups) {
    std::vector<std::string> missing;
    if (series.bucket_samples.empty())
      missing.push_back("_bucket");
    if (series.sum == nullptr)
      missing.push_back("_sum");
    if (series.count == nullptr)
      missing.push_back("_count");
    std::string observed;
    if (!missing.empty()) {
      std::string list;
      for (const std::string& m : missing)
        list += (list.empty() ? "" : ", ") + m;
      observed = Where(series) + "no " + list;
      check.findings.push_back(
          MakeFinding(HintId::kSumOrCountMissing, metric, check.expected, observed, 0));
    }
    if (series.sum != nullptr) {
      double sum = series.sum->value;
      if (!std::isfinite(sum) || sum < 0) {
        check.findings.push_back(
            MakeFinding(HintId::kBadHistogramValue, metric, "_sum finite and >= 0",
                        Where(series) + "_sum " + FormatValue(sum), series.sum->line));
      }
    }
    if (series.count != nullptr) {
      double count = series.count->value;
      if (std::isnan(count) || count < 0) {
        check.findings.push_back(MakeFinding(HintId::kBadHistogramValue, metric, "_count >= 0",
                                             Where(series) + "_count " + FormatValue(count),
                                             series.count->line));
      }
    }
    if (check.observed.empty()) {
      if (observed.empty()) {
        observed = Where(series) + "_sum " + FormatValue(series.sum->value) + ", _count " +
                   FormatValue(series.count->value);
      }
      check.observed = observed;
    }
  }
  return check;
}

}  // namespace

void AppendHistogramChecks(const ScrapeIndex& index, const metrics::MetricName& metric,
                           std::vector<Check>* checks) {
  const std::vector<Series> groups = GroupSeries(index, metric);
  if (groups.empty()) {
    for (const char* id :
         {"histogram-bounds", "histogram-cumulative", "histogram-inf", "histogram-sum-count"}) {
      checks->push_back(Check::Skipped(id, std::string(metric.prometheus), "metric absent"));
    }
    return;
  }
  checks->push_back(BoundsCheck(groups, metric));
  checks->push_back(CumulativeCheck(groups, metric));
  checks->push_back(InfCheck(groups, metric));
  checks->push_back(SumCountCheck(groups, metric));
}

}  // namespace hfi::verify

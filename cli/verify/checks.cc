#include "verify/checks.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "verify/histogram.h"
#include "verify/names.h"
#include "verify/scrape_index.h"

namespace hfi::verify {
namespace {

using metrics::MetricName;

constexpr std::size_t kMaxListed = 5;  // names or diagnostics listed in one finding

bool IsHistogram(const MetricName& metric) {
  return metric.kind == metrics::Kind::kHistogram;
}

std::string_view KindName(metrics::Kind kind) {
  switch (kind) {
    case metrics::Kind::kCounter:
      return "counter";
    case metrics::Kind::kGauge:
      return "gauge";
    case metrics::Kind::kHistogram:
      return "histogram";
  }
  return "counter";
}

std::string_view TypeName(prometheus::MetricType type) {
  switch (type) {
    case prometheus::MetricType::Counter:
      return "counter";
    case prometheus::MetricType::Gauge:
      return "gauge";
    case prometheus::MetricType::Summary:
      return "summary";
    case prometheus::MetricType::Untyped:
      return "untyped";
    case prometheus::MetricType::Histogram:
      return "histogram";
  }
  return "untyped";
}

prometheus::MetricType ExpectedType(const MetricName& metric) {
  return IsHistogram(metric) ? prometheus::MetricType::Histogram : prometheus::MetricType::Counter;
}

Finding MakeFinding(HintId hint, std::string metric, std::string expected, std::string observed,
                    std::size_t line = 0) {
  Finding finding(hint);
  finding.metric = std::move(metric);
  finding.expected = std::move(expected);
  finding.observed = std::move(observed);
  finding.line = line;
  return finding;
}

std::string Counted(std::size_t n, std::string_view one, std::string_view many) {
  return std::to_string(n) + " " + std::string(n == 1 ? one : many);
}

// The name a family goes by: a histogram's sample name without its _bucket/_sum/_count.
std::string FamilyName(const Hit& hit) {
  std::string_view name = hit.sample->name;
  for (std::string_view suffix : {"_bucket", "_sum", "_count"}) {
    if (hit.match.part != Part::kValue && name.ends_with(suffix)) {
      name.remove_suffix(suffix.size());
      break;
    }
  }
  return std::string(name);
}

// A sample's identity for duplicate detection: its name and its labels in name order.
std::string SeriesKey(const prom::Sample& sample) {
  std::map<std::string, std::string> labels;
  for (const auto& label : sample.labels)
    labels[label.name] = label.value;
  std::string key = sample.name;
  for (const auto& [name, value] : labels)
    key += '\0' + name + '=' + value;
  return key;
}

// The Prometheus series a `--expect`/`--expect-delta` key names.
std::string SeriesOf(ValueKey key) {
  switch (key) {
    case ValueKey::kAborts:
      return std::string(metrics::kAborts.prometheus);
    case ValueKey::kDelays:
      return std::string(metrics::kDelays.prometheus);
    case ValueKey::kDelayCount:
      return std::string(metrics::kDelayDuration.prometheus) + "_count";
    case ValueKey::kDelaySum:
      return std::string(metrics::kDelayDuration.prometheus) + "_sum";
  }
  return {};
}

// The value a key names in one scrape, added up over label sets; nullopt when absent.
std::optional<double> ValueOf(const ScrapeIndex& index, ValueKey key) {
  switch (key) {
    case ValueKey::kAborts:
      return index.Total(metrics::kAborts, Part::kValue);
    case ValueKey::kDelays:
      return index.Total(metrics::kDelays, Part::kValue);
    case ValueKey::kDelayCount:
      return index.Total(metrics::kDelayDuration, Part::kCount);
    case ValueKey::kDelaySum:
      return index.Total(metrics::kDelayDuration, Part::kSum);
  }
  return std::nullopt;
}

// exposition: the input parses, is not empty, comes from Envoy and holds HFI metrics. When this
// fails with an error nothing else can be checked.
Check ExpositionCheck(const ParsedScrape& scrape, const ScrapeIndex& index) {
  const prom::ParseResult& result = *scrape.result;
  Check check{"exposition", ""};
  check.expected = "Prometheus text from Envoy's /stats/prometheus with HFI metrics";
  check.observed =
      std::string(result.format == prom::Format::kOpenMetrics ? "OpenMetrics" : "Prometheus text") +
      ", " + Counted(result.lines, "line", "lines") + ", " +
      Counted(result.samples, "sample", "samples");

  std::vector<const prom::Diagnostic*> errors, warnings;
  for (const prom::Diagnostic& diagnostic : result.diagnostics) {
    (diagnostic.error ? errors : warnings).push_back(&diagnostic);
  }
  if (!errors.empty()) {
    // Prometheus fails a whole scrape on one bad line (facts/anchors.md §4.2), so one error makes
    // the input unusable: report the first with its location, count the rest.
    std::string observed = errors.front()->Format(scrape.name);
    if (errors.size() > 1)
      observed += " (and " + Counted(errors.size() - 1, "more error", "more errors") + ")";
    check.findings.push_back(MakeFinding(HintId::kUnparseable, "",
                                         "valid Prometheus text or OpenMetrics", observed,
                                         errors.front()->line));
    return check;
  }
  for (std::size_t i = 0; i < warnings.size() && i < kMaxListed; ++i) {
    check.findings.push_back(MakeFinding(HintId::kParseWarning, "", "lines Envoy writes",
                                         warnings[i]->Format(scrape.name), warnings[i]->line));
  }
  if (result.format == prom::Format::kOpenMetrics) {
    check.findings.push_back(MakeFinding(HintId::kMergedOpenMetrics, "",
                                         "Envoy's Prometheus text (ports 15000, 15090)",
                                         "OpenMetrics ending in # EOF"));
  }
  if (result.samples == 0) {
    check.findings.push_back(
        MakeFinding(HintId::kEmptyInput, "", "Envoy's metrics, HFI's among them", "no samples"));
    return check;
  }
  if (index.hits().empty()) {
    if (!scrape.has_envoy_families) {
      check.findings.push_back(MakeFinding(HintId::kNotEnvoy, "",
                                           "envoy_* series and the HFI metrics",
                                           "no envoy_* series and no hfi_faults series"));
    } else {
      check.findings.push_back(MakeFinding(HintId::kNoHfiMetrics, "",
                                           "series named wasmcustom_hfi_faults_*",
                                           "no series name contains hfi_faults"));
    }
    return check;
  }
  std::map<std::string, std::size_t> unrecognised;  // name -> first line
  for (const Hit& hit : index.hits()) {
    if (hit.match.spelling == Spelling::kUnrecognised) {
      unrecognised.emplace(hit.sample->name, hit.sample->line);
    }
  }
  for (const auto& [name, line] : unrecognised) {
    check.findings.push_back(MakeFinding(HintId::kUnrecognisedName, name,
                                         "one of the three HFI metric names", name, line));
  }
  return check;
}

// presence: the expected name has samples; other spellings of the same metric are explained
// (errors when they replace it, warnings when they come with it); a series twice is an error.
Check PresenceCheck(const ScrapeIndex& index, const MetricName& metric) {
  Check check{"presence", std::string(metric.prometheus)};
  check.expected = IsHistogram(metric) ? std::string(metric.prometheus) + "_bucket, _sum and _count"
                                       : std::string(metric.prometheus);
  std::vector<const Hit*> expected = index.Expected(metric);
  bool present = !expected.empty();
  check.observed =
      present ? "found (line " + std::to_string(expected.front()->sample->line) + ")" : "absent";

  std::map<Spelling, std::set<std::string>> others;
  std::map<Spelling, std::size_t> first_line;
  for (const Hit& hit : index.hits()) {
    if (!hit.match.Is(metric) || hit.match.spelling == Spelling::kExpected)
      continue;
    others[hit.match.spelling].insert(FamilyName(hit));
    first_line.emplace(hit.match.spelling, hit.sample->line);
  }
  for (const auto& [spelling, names] : others) {
    Finding finding =
        MakeFinding(SpellingHint(spelling), std::string(metric.prometheus),
                    std::string(metric.prometheus), ListNames(names), first_line[spelling]);
    if (present)
      finding.severity = Severity::kWarning;
    check.findings.push_back(std::move(finding));
    if (!present)
      check.observed = "absent; found " + ListNames(names);
  }
  if (!present && others.empty()) {
    std::string observed = "absent";
    std::set<std::string> unrecognised;
    for (const Hit& hit : index.hits()) {
      if (hit.match.spelling == Spelling::kUnrecognised)
        unrecognised.insert(hit.sample->name);
    }
    if (!unrecognised.empty())
      observed += "; other hfi_faults names: " + ListNames(unrecognised);
    check.findings.push_back(MakeFinding(HintId::kMetricMissing, std::string(metric.prometheus),
                                         check.expected, observed));
  }

  std::map<std::string, std::size_t> seen;  // series key -> line
  for (const Hit* hit : expected) {
    auto [it, inserted] = seen.emplace(SeriesKey(*hit->sample), hit->sample->line);
    if (!inserted) {
      check.findings.push_back(
          MakeFinding(HintId::kDuplicateSeries, std::string(metric.prometheus), "each series once",
                      hit->sample->name + LabelText(hit->sample->labels) + " on lines " +
                          std::to_string(it->second) + " and " + std::to_string(hit->sample->line),
                      hit->sample->line));
    }
  }
  return check;
}

// type: the family's `# TYPE` is counter or histogram as the plugin defines it. A histogram's
// samples may sit in several families when the TYPE line is missing or names something else.
Check TypeCheck(const ScrapeIndex& index, const MetricName& metric) {
  if (index.Expected(metric).empty())
    return Check::Skipped("type", std::string(metric.prometheus), "metric absent");
  Check check{"type", std::string(metric.prometheus)};
  check.expected = std::string(KindName(metric.kind));
  std::vector<const prom::Family*> families;
  if (const prom::Family* base = index.FamilyNamed(metric.prometheus))
    families.push_back(base);
  for (const Hit* hit : index.Expected(metric)) {
    if (std::find(families.begin(), families.end(), hit->family) == families.end()) {
      families.push_back(hit->family);
    }
  }
  const prom::Family* typed = nullptr;
  for (const prom::Family* family : families) {
    if (family->has_type_line && family->type != ExpectedType(metric)) {
      check.observed = std::string(TypeName(family->type));
      check.findings.push_back(
          MakeFinding(HintId::kWrongType, std::string(metric.prometheus), check.expected,
                      "# TYPE " + family->name + " " + check.observed, family->type_line));
      return check;
    }
    if (family->has_type_line && typed == nullptr)
      typed = family;
  }
  if (typed == nullptr) {
    check.observed = "untyped (no # TYPE line)";
    check.findings.push_back(MakeFinding(
        HintId::kUntyped, std::string(metric.prometheus),
        "# TYPE " + std::string(metric.prometheus) + " " + check.expected, "no # TYPE line"));
    return check;
  }
  check.observed = std::string(TypeName(typed->type));
  return check;
}

// counter-value: Envoy counters are unsigned and only grow.
Check CounterValueCheck(const ScrapeIndex& index, const MetricName& metric) {
  std::optional<double> total = index.Total(metric, Part::kValue);
  if (!total)
    return Check::Skipped("counter-value", std::string(metric.prometheus), "metric absent");
  Check check{"counter-value", std::string(metric.prometheus)};
  check.expected = "a finite value >= 0";
  for (const Hit* hit : index.Expected(metric, Part::kValue)) {
    double value = hit->sample->value;
    if (!std::isfinite(value) || value < 0) {
      check.findings.push_back(
          MakeFinding(HintId::kBadCounterValue, std::string(metric.prometheus), check.expected,
                      hit->sample->name + LabelText(hit->sample->labels) + " " + FormatValue(value),
                      hit->sample->line));
    }
  }
  check.observed = FormatValue(*total);
  return check;
}

// histogram-lag: the histogram never has more samples than delays_total; fewer is the stats
// flush lag (histograms merge every 5 s by default, counters are live; facts §2, C11).
Check LagCheck(const ScrapeIndex& index) {
  const MetricName& histogram = metrics::kDelayDuration;
  Check check{"histogram-lag", std::string(histogram.prometheus)};
  std::optional<double> delays = index.Total(metrics::kDelays, Part::kValue);
  std::optional<double> count = index.Total(histogram, Part::kCount);
  if (!delays || !count) {
    check.skip_reason = "needs " + std::string(metrics::kDelays.prometheus) + " and " +
                        std::string(histogram.prometheus) + "_count";
    return check;
  }
  check.expected =
      "_count = " + std::string(metrics::kDelays.prometheus) + " (" + FormatValue(*delays) + ")";
  check.observed = "_count " + FormatValue(*count);
  if (*count < *delays) {
    check.findings.push_back(MakeFinding(HintId::kHistogramLags,
                                         std::string(histogram.prometheus) + "_count",
                                         check.expected, check.observed));
  } else if (*count > *delays) {
    check.findings.push_back(MakeFinding(HintId::kHistogramAhead,
                                         std::string(histogram.prometheus) + "_count",
                                         check.expected, check.observed));
  }
  return check;
}

Check ExpectCheck(const ScrapeIndex& index, const Expectation& expectation) {
  std::optional<double> value = ValueOf(index, expectation.key);
  Check check{"expect", SeriesOf(expectation.key)};
  check.expected = expectation.ToString();
  check.observed = value ? FormatValue(*value) : "absent";
  if (!value || !expectation.Holds(*value)) {
    check.findings.push_back(
        MakeFinding(HintId::kExpectationFailed, check.metric, check.expected, check.observed));
  }
  return check;
}

// baseline: the earlier scrape is usable. Its problems are reported here, once; the checks of the
// current scrape do not repeat them.
Check BaselineCheck(const ParsedScrape& baseline) {
  const prom::ParseResult& result = *baseline.result;
  Check check{"baseline", ""};
  check.expected = "a parseable earlier scrape of the same source";
  check.observed = baseline.name + ": " + Counted(result.samples, "sample", "samples");
  for (const prom::Diagnostic& diagnostic : result.diagnostics) {
    if (!diagnostic.error)
      continue;
    check.findings.push_back(MakeFinding(HintId::kUnparseable, "",
                                         "valid Prometheus text or OpenMetrics",
                                         diagnostic.Format(baseline.name), diagnostic.line));
    return check;
  }
  if (result.samples == 0) {
    check.findings.push_back(MakeFinding(HintId::kEmptyInput, "",
                                         "Envoy's metrics, HFI's among them",
                                         baseline.name + ": no samples"));
  }
  return check;
}

// monotonic: counters (and the histogram's _count) never go down while the proxy lives; a drop
// means a restart, an eviction (facts §8 C12) or a baseline from another pod.
Check MonotonicCheck(const ScrapeIndex& now, const ScrapeIndex& before, ValueKey key) {
  std::optional<double> after = ValueOf(now, key);
  std::optional<double> earlier = ValueOf(before, key);
  std::string series = SeriesOf(key);
  if (!after || !earlier) {
    return Check::Skipped("monotonic", series,
                          std::string(after ? "baseline" : "scrape") + " has no " + series);
  }
  Check check{"monotonic", series};
  check.expected = ">= " + FormatValue(*earlier) + " (baseline)";
  check.observed = FormatValue(*after);
  if (*after < *earlier) {
    check.findings.push_back(
        MakeFinding(HintId::kCounterDecreased, series, check.expected, check.observed));
  }
  return check;
}

Check DeltaCheck(const ScrapeIndex& now, const ScrapeIndex& before,
                 const Expectation& expectation) {
  std::optional<double> after = ValueOf(now, expectation.key);
  std::optional<double> earlier = ValueOf(before, expectation.key);
  Check check{"expect-delta", SeriesOf(expectation.key)};
  check.expected = expectation.ToString() + " (scrape - baseline)";
  if (!after || !earlier) {
    // Not a skip: a CI job asking for a change must not pass when the change cannot be measured.
    check.observed = std::string(after ? "baseline" : "scrape") + " has no " + check.metric;
    check.findings.push_back(
        MakeFinding(HintId::kDeltaFailed, check.metric, check.expected, check.observed));
    return check;
  }
  double delta = *after - *earlier;
  check.observed =
      FormatValue(delta) + " (" + FormatValue(*earlier) + " -> " + FormatValue(*after) + ")";
  if (!expectation.Holds(delta)) {
    HintId hint = delta == 0 && expectation.RequiresIncrease() ? HintId::kCountersDidNotMove
                                                               : HintId::kDeltaFailed;
    check.findings.push_back(MakeFinding(hint, check.metric, check.expected, check.observed));
  }
  return check;
}

// traffic: each counter grew by exactly the faults the responses showed (HFI307). Without a
// baseline the proxy is taken to have started at 0, as the local sidecar does.
Check TrafficCheck(const ScrapeIndex& now, const ScrapeIndex* before,
                   const TrafficSummary& traffic) {
  struct Expected {
    ValueKey key;
    std::size_t seen;
    std::string_view what;
  };
  const Expected expected[] = {
      {ValueKey::kAborts, traffic.aborted, "aborted responses seen"},
      {ValueKey::kDelays, traffic.delayed, "delayed responses seen"},
      {ValueKey::kDelayCount, traffic.delayed, "delayed responses seen"},
  };
  Check check{"traffic", ""};
  const std::string increase = before != nullptr ? "+" : "";
  check.expected = "aborts " + increase + std::to_string(traffic.aborted) + ", delays " + increase +
                   std::to_string(traffic.delayed) + ", delay _count " + increase +
                   std::to_string(traffic.delayed) + " (" + std::to_string(traffic.sent) +
                   " requests)";
  std::string observed;
  for (const Expected& e : expected) {
    std::optional<double> after = ValueOf(now, e.key);
    std::optional<double> earlier =
        before != nullptr ? ValueOf(*before, e.key) : std::optional<double>(0);
    std::string label = e.key == ValueKey::kAborts   ? "aborts "
                        : e.key == ValueKey::kDelays ? "delays "
                                                     : "delay _count ";
    std::string value;
    bool agrees = false;
    if (!after) {
      value = "absent from the scrape";
    } else if (!earlier) {
      value = "absent from the baseline";
    } else {
      double delta = *after - *earlier;
      value = before != nullptr ? FormatValue(delta) + " (" + FormatValue(*earlier) + " -> " +
                                      FormatValue(*after) + ")"
                                : FormatValue(delta);
      agrees = delta == static_cast<double>(e.seen);
    }
    observed += (observed.empty() ? "" : ", ") + label + value;
    if (!agrees) {
      check.findings.push_back(MakeFinding(HintId::kTrafficMismatch, SeriesOf(e.key),
                                           std::to_string(e.seen) + " (" + std::string(e.what) +
                                               (before != nullptr ? ", since the baseline)" : ")"),
                                           value));
    }
  }
  check.observed = observed;
  if (check.findings.empty() && traffic.aborted == 0 && traffic.delayed == 0) {
    Finding finding(HintId::kNoFaultsSeen);
    finding.expected = "at least one aborted or delayed response";
    finding.observed =
        "none of " + std::to_string(traffic.sent) + " responses carried x-fault-injected";
    check.findings.push_back(std::move(finding));
  }
  return check;
}

bool HasError(const Check& check) {
  return check.status() == CheckStatus::kFail;
}

}  // namespace

SourceReport CheckScrape(const ParsedScrape& scrape, const ParsedScrape* baseline,
                         const CheckOptions& options) {
  SourceReport report;
  report.name = scrape.name;
  if (baseline != nullptr)
    report.baseline = baseline->name;
  ScrapeIndex index(*scrape.result);

  // The same checks run for every scrape (a check that cannot run is skipped, not left out), so
  // reports and JUnit test cases line up from one run to the next.
  report.checks.push_back(ExpositionCheck(scrape, index));
  for (const MetricName& metric : metrics::kAll) {
    report.checks.push_back(PresenceCheck(index, metric));
    report.checks.push_back(TypeCheck(index, metric));
    if (IsHistogram(metric)) {
      AppendHistogramChecks(index, metric, &report.checks);
    } else {
      report.checks.push_back(CounterValueCheck(index, metric));
    }
  }
  report.checks.push_back(LagCheck(index));
  for (const Expectation& expectation : options.expect) {
    report.checks.push_back(ExpectCheck(index, expectation));
  }

  bool baseline_usable = false;
  if (baseline != nullptr) {
    report.checks.push_back(BaselineCheck(*baseline));
    baseline_usable = !HasError(report.checks.back());
    ScrapeIndex before(*baseline->result);
    for (ValueKey key : {ValueKey::kAborts, ValueKey::kDelays, ValueKey::kDelayCount}) {
      report.checks.push_back(
          baseline_usable ? MonotonicCheck(index, before, key)
                          : Check::Skipped("monotonic", SeriesOf(key), "baseline unusable"));
    }
    for (const Expectation& expectation : options.expect_delta) {
      report.checks.push_back(
          baseline_usable
              ? DeltaCheck(index, before, expectation)
              : Check::Skipped("expect-delta", SeriesOf(expectation.key), "baseline unusable"));
    }
  }

  if (options.traffic) {
    report.traffic = options.traffic;
    if (baseline == nullptr) {
      report.checks.push_back(TrafficCheck(index, nullptr, *options.traffic));
    } else if (baseline_usable) {
      ScrapeIndex before(*baseline->result);
      report.checks.push_back(TrafficCheck(index, &before, *options.traffic));
    } else {
      report.checks.push_back(Check::Skipped("traffic", "", "baseline unusable"));
    }
  }

  // With an unusable exposition every later result would be noise.
  if (HasError(report.checks.front())) {
    for (Check& check : report.checks) {
      if (&check == &report.checks.front() || check.id == "baseline")
        continue;
      check = Check::Skipped(check.id, check.metric, "exposition unusable");
    }
  }
  return report;
}

}  // namespace hfi::verify

#include "promapi/fleet.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <set>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "plugin/metric_names.h"
#include "prom/parser.h"
#include "verify/names.h"
#include "verify/scrape_index.h"
#include "verify/verify.h"

namespace hfi::promapi {
namespace {

using verify::Check;
using verify::Finding;
using verify::HintId;
using verify::ListNames;
using verify::Part;

std::string Get(const Labels& labels, const std::string& name) {
  auto it = labels.find(name);
  return it == labels.end() ? std::string() : it->second;
}

// A target is named by its job and instance, and by the pod and namespace labels: targets that
// share an address (one exporter serving several pods' series on different paths) differ only
// there. Every series a target produces carries all four.
std::string TargetKey(const Labels& labels, const FleetOptions& options) {
  return Get(labels, "job") + '\0' + Get(labels, "instance") + '\0' +
         Get(labels, options.namespace_label) + '\0' + Get(labels, options.pod_label);
}

std::string PodKey(const std::string& namespace_name, const std::string& pod) {
  return namespace_name + '\0' + pod;
}

bool IsHfiName(std::string_view name) {
  return name.find("hfi_faults") != std::string_view::npos;
}

Finding MakeFinding(HintId hint, std::string metric, std::string expected, std::string observed) {
  Finding finding(hint);
  finding.metric = std::move(metric);
  finding.expected = std::move(expected);
  finding.observed = std::move(observed);
  return finding;
}

// The family a series name belongs to: a histogram's name without _bucket, _sum or _count.
std::string FamilyOf(const std::string& name, Part* part = nullptr) {
  std::optional<verify::NameMatch> match = verify::ClassifyName(name);
  Part p = Part::kValue;
  if (match && match->metric != nullptr && match->metric->kind == metrics::Kind::kHistogram)
    p = match->part;
  if (part != nullptr)
    *part = p;
  std::string_view family = name;
  if (p == Part::kBucket)
    family.remove_suffix(7);
  else if (p == Part::kSum)
    family.remove_suffix(4);
  else if (p == Part::kCount)
    family.remove_suffix(6);
  return std::string(family);
}

double BoundOf(const std::string& le) {
  if (le == "+Inf")
    return INFINITY;
  double value = 0;
  const auto [end, error] = std::from_chars(le.data(), le.data() + le.size(), value);
  return error == std::errc() ? value : INFINITY;
}

// The pod's series as the exposition its sidecar served: target labels removed, one family after
// the other with its TYPE, a histogram's buckets in bound order before _sum and _count.
std::string BuildExposition(const std::vector<Sample>& series, const std::set<std::string>& strip,
                            const std::map<std::string, std::string>& types) {
  struct Line {
    std::string labels;  // without le
    int part = 0;        // bucket, sum, count
    double bound = 0;
    std::string text;
  };
  std::map<std::string, std::vector<Line>> families;
  for (const Sample& sample : series) {
    const std::string name = Get(sample.labels, "__name__");
    Part part = Part::kValue;
    const std::string family = FamilyOf(name, &part);
    Line line;
    std::string all, le;
    for (const auto& [label, value] : sample.labels) {
      if (label == "__name__" || strip.count(label) > 0)
        continue;
      // The text format quotes a label value as PromQL quotes a string (\\, \", \n escaped).
      const std::string pair = label + "=" + PromQlString(value);
      all += (all.empty() ? "" : ",") + pair;
      if (label == "le" && part == Part::kBucket)
        le = value;
      else
        line.labels += (line.labels.empty() ? "" : ",") + pair;
    }
    line.part = part == Part::kSum ? 1 : part == Part::kCount ? 2 : 0;
    line.bound = BoundOf(le);
    line.text = name + (all.empty() ? "" : "{" + all + "}") + " " + sample.value;
    families[family].push_back(std::move(line));
  }
  std::string out;
  for (auto& [family, lines] : families) {
    std::stable_sort(lines.begin(), lines.end(), [](const Line& a, const Line& b) {
      if (a.labels != b.labels)
        return a.labels < b.labels;
      if (a.part != b.part)
        return a.part < b.part;
      return a.bound < b.bound;
    });
    std::string type;
    if (auto it = types.find(family); it != types.end()) {
      type = it->second == "unknown" ? "untyped" : it->second;
    } else if (auto match = verify::ClassifyName(family); match && match->metric != nullptr) {
      // Prometheus keeps metadata only while a target exposes it; without it the type the name
      // stands for is assumed rather than reported as missing.
      type = match->metric->kind == metrics::Kind::kHistogram ? "histogram" : "counter";
    }
    if (!type.empty())
      out += "# TYPE " + family + " " + type + "\n";
    for (const Line& line : lines)
      out += line.text + "\n";
  }
  return out;
}

// What one exposition shows of the three metrics in the expected spelling.
struct MetricProfile {
  bool present = false;
  bool bucket = false, inf = false, sum = false, count = false;
  std::optional<double> value;  // a counter's total, a histogram's _count total
};

struct Profile {
  std::map<std::string, MetricProfile> metrics;  // by expected Prometheus name
  std::set<std::string> hfi_names;               // every family whose name has hfi_faults
  bool parsed = false;
};

Profile ProfileOf(const std::string& body) {
  Profile profile;
  prom::ParseOptions options;
  options.mode = prom::Mode::kScrape;
  options.keep = [](std::string_view family) { return IsHfiName(family); };
  prom::ParseResult result = prom::Parse(body, options);
  profile.parsed = result.ok();
  verify::ScrapeIndex index(result);
  for (const verify::Hit& hit : index.hits())
    profile.hfi_names.insert(FamilyOf(hit.sample->name));
  for (const metrics::MetricName& metric : metrics::kAll) {
    MetricProfile& m = profile.metrics[std::string(metric.prometheus)];
    for (const verify::Hit* hit : index.Expected(metric)) {
      m.present = true;
      switch (hit->match.part) {
        case Part::kBucket:
          m.bucket = true;
          for (const auto& label : hit->sample->labels) {
            if (label.name == "le" && BoundOf(label.value) == INFINITY)
              m.inf = true;
          }
          break;
        case Part::kSum:
          m.sum = true;
          break;
        case Part::kCount:
          m.count = true;
          break;
        case Part::kValue:
          break;
      }
    }
    m.value =
        index.Total(metric, metric.kind == metrics::Kind::kHistogram ? Part::kCount : Part::kValue);
  }
  return profile;
}

bool HistogramComplete(const MetricProfile& m) {
  return m.bucket && m.inf && m.sum && m.count;
}

const metrics::MetricName* MetricNamed(std::string_view prometheus_name) {
  for (const metrics::MetricName& metric : metrics::kAll) {
    if (metric.prometheus == prometheus_name)
      return &metric;
  }
  return nullptr;
}

std::string FormatNumber(double value) {
  char buffer[64];
  auto [end, error] = std::to_chars(buffer, buffer + sizeof buffer, value);
  return error == std::errc() ? std::string(buffer, end) : std::to_string(value);
}

std::string TargetText(const PodView& pod) {
  if (!pod.up)
    return "";
  std::string text = "job " + Get(pod.up->labels, "job");
  if (const std::string instance = Get(pod.up->labels, "instance"); !instance.empty())
    text += ", instance " + instance;
  return text;
}

bool TargetDown(const PodView& pod) {
  return (pod.up && pod.up->value != "1") || (pod.target && pod.target->health == "down");
}

bool HasTarget(const PodView& pod) {
  return pod.up.has_value() || pod.target.has_value();
}

Check TargetCheck(const PodView& pod, double now, const FleetOptions& options) {
  Check check{"prometheus-target", ""};
  check.expected =
      "an active target, up, scraped within " + AgeText(options.max_scrape_age_seconds);
  const Expected& expected = pod.expected;
  if (!expected.not_running.empty()) {
    check.observed = "pod not running (" + expected.not_running + ")";
    check.findings.push_back(
        MakeFinding(HintId::kPodNotRunning, "", "a running pod", check.observed));
    return check;
  }
  if (!HasTarget(pod)) {
    check.observed = "no up series with " + options.namespace_label + "=\"" +
                     expected.namespace_name + "\", " + options.pod_label + "=\"" + expected.pod +
                     "\"";
    check.findings.push_back(
        MakeFinding(HintId::kNoTarget, "", "a target scraping the pod", check.observed));
    return check;
  }
  const std::string where = TargetText(pod);
  const std::string suffix = where.empty() ? "" : " (" + where + ")";
  if (TargetDown(pod)) {
    std::string error = pod.target ? pod.target->last_error : "";
    check.observed = "down" + suffix + (error.empty() ? ": up is 0" : ": " + error);
    check.findings.push_back(
        MakeFinding(HintId::kTargetDown, "", "up is 1 (the last scrape worked)", check.observed));
    return check;
  }
  if (pod.target && !pod.target->last_scrape) {
    check.observed = "never scraped yet" + suffix;
    check.findings.push_back(MakeFinding(HintId::kTargetStale, "", check.expected, check.observed));
    return check;
  }
  if (pod.target) {
    const double age = std::max(0.0, now - *pod.target->last_scrape);
    check.observed = "up, last scraped " + AgeText(age) + " ago" + suffix;
    if (age > options.max_scrape_age_seconds) {
      check.findings.push_back(
          MakeFinding(HintId::kTargetStale, "", check.expected, check.observed));
    }
    return check;
  }
  check.observed = "up" + suffix;
  return check;
}

// The sidecar's report for the pod: from the cluster path, or checked here from its scrape.
std::optional<verify::SourceReport> SidecarReport(const DirectScrape& direct,
                                                  const std::string& name) {
  if (direct.report)
    return direct.report;
  if (direct.body.empty())
    return std::nullopt;
  return verify::VerifySource(verify::Source{name, verify::SourceKind::kPod, direct.body}, nullptr,
                              {});
}

std::string Names(const std::vector<std::string>& names) {
  std::set<std::string> set(names.begin(), names.end());
  return ListNames(set);
}

// " (line 12)" means nothing in a text rebuilt from Prometheus' series.
std::string WithoutLines(std::string text) {
  for (std::size_t at = text.find(" (line "); at != std::string::npos;
       at = text.find(" (line ", at)) {
    const std::size_t close = text.find(')', at);
    if (close == std::string::npos)
      break;
    text.erase(at, close - at + 1);
  }
  return text;
}

}  // namespace

std::string AgeText(double seconds) {
  long long s = std::llround(std::max(0.0, seconds));
  std::string out;
  if (s >= 3600) {
    out += std::to_string(s / 3600) + "h";
    s %= 3600;
    if (s / 60 > 0)
      out += std::to_string(s / 60) + "m";
    return out;
  }
  if (s >= 60) {
    out += std::to_string(s / 60) + "m";
    s %= 60;
    if (s == 0)
      return out;
  }
  return out + std::to_string(s) + "s";
}

std::string RegexAlternation(const std::vector<std::string>& values) {
  std::string out;
  std::set<std::string> seen;
  for (const std::string& value : values) {
    if (!seen.insert(value).second)
      continue;
    if (!out.empty())
      out += '|';
    for (char c : value) {
      if (std::string_view(".^$*+?()[]{}|\\").find(c) != std::string_view::npos)
        out += '\\';
      out += c;
    }
  }
  return out;
}

std::vector<std::string> FamilyNames(const std::vector<Sample>& series, std::size_t limit) {
  std::set<std::string> names;
  for (const Sample& sample : series) {
    const std::string name = Get(sample.labels, "__name__");
    if (IsHfiName(name))
      names.insert(FamilyOf(name));
  }
  std::vector<std::string> out(names.begin(), names.end());
  if (out.size() > limit)
    out.resize(limit);
  return out;
}

FleetPlan PlanFleet(const std::vector<Expected>& expected, const FleetData& data,
                    const FleetOptions& options) {
  std::unordered_map<std::string, std::vector<const Sample*>> up_by_pod;
  std::unordered_map<std::string, const Sample*> up_by_target;
  for (const Sample& up : data.up) {
    up_by_target.emplace(TargetKey(up.labels, options), &up);
    up_by_pod[PodKey(Get(up.labels, options.namespace_label), Get(up.labels, options.pod_label))]
        .push_back(&up);
  }
  std::unordered_map<std::string, const Target*> targets, targets_by_pod;
  for (const Target& target : data.targets) {
    targets.emplace(TargetKey(target.labels, options), &target);
    targets_by_pod.emplace(
        PodKey(Get(target.labels, options.namespace_label), Get(target.labels, options.pod_label)),
        &target);
  }
  std::unordered_map<std::string, std::vector<const Sample*>> series_by_target, series_by_pod;
  for (const Sample& sample : data.series) {
    if (!IsHfiName(Get(sample.labels, "__name__")))
      continue;
    series_by_target[TargetKey(sample.labels, options)].push_back(&sample);
    series_by_pod[PodKey(Get(sample.labels, options.namespace_label),
                         Get(sample.labels, options.pod_label))]
        .push_back(&sample);
  }
  auto series_of = [&](const std::string& key) {
    auto it = series_by_target.find(key);
    return it == series_by_target.end() ? std::vector<const Sample*>() : it->second;
  };

  FleetPlan plan;
  plan.pods.reserve(expected.size());
  std::size_t problem_scrapes = 0, samples = 0;
  for (const Expected& e : expected) {
    PodView pod;
    pod.expected = e;
    const Sample* up = nullptr;
    std::vector<const Sample*> series;
    if (!e.target.empty()) {
      auto it = up_by_target.find(TargetKey(e.target, options));
      up = it == up_by_target.end() ? nullptr : it->second;
      series = series_of(TargetKey(e.target, options));
    } else {
      // A pod can be scraped by several jobs (its application's port and the sidecar's): the
      // one with HFI series tells the story, else a failing one, else any.
      auto it = up_by_pod.find(PodKey(e.namespace_name, e.pod));
      if (it != up_by_pod.end()) {
        auto rank = [&](const Sample* s) {
          const bool has_series = series_by_target.count(TargetKey(s->labels, options)) > 0;
          return has_series ? (s->value == "1" ? 0 : 1) : (s->value != "1" ? 2 : 3);
        };
        up = *std::min_element(it->second.begin(), it->second.end(),
                               [&](const Sample* a, const Sample* b) { return rank(a) < rank(b); });
        series = series_of(TargetKey(up->labels, options));
      } else if (auto s = series_by_pod.find(PodKey(e.namespace_name, e.pod));
                 s != series_by_pod.end()) {
        series = s->second;  // no up series (remote storage, federation): the pod's series
      }
    }
    std::set<std::string> strip;
    if (up != nullptr) {
      pod.up = *up;
      for (const auto& [name, value] : up->labels)
        strip.insert(name);
      if (auto t = targets.find(TargetKey(up->labels, options)); t != targets.end())
        pod.target = *t->second;
    } else {
      strip = {"job", "instance", options.namespace_label, options.pod_label};
      // A target Prometheus has not scraped yet (a pod younger than one scrape interval) has no
      // up series: found by the pod's labels, it reads as never scraped rather than missing.
      if (e.target.empty()) {
        if (auto t = targets_by_pod.find(PodKey(e.namespace_name, e.pod));
            t != targets_by_pod.end())
          pod.target = *t->second;
      }
    }
    for (const Sample* s : series)
      pod.series.push_back(*s);
    pod.exposition = BuildExposition(pod.series, strip, data.types);

    bool missing_metric = pod.series.empty();
    if (!pod.series.empty()) {
      verify::SourceReport engine = verify::VerifySource(
          verify::Source{e.name, verify::SourceKind::kPrometheus, pod.exposition}, nullptr,
          options.checks);
      for (const Check& check : engine.checks) {
        for (const Finding& finding : check.findings) {
          if (finding.severity == verify::Severity::kError)
            pod.problem = true;
          if (finding.hint == HintId::kMetricMissing)
            missing_metric = true;
        }
      }
    } else {
      pod.problem = true;
    }
    if (missing_metric && HasTarget(pod) && !TargetDown(pod) && e.not_running.empty())
      plan.wants_renamed = true;

    const bool can_scrape =
        e.not_running.empty() &&
        (e.target.empty() ? true : pod.target && !pod.target->scrape_url.empty());
    if (can_scrape && pod.problem && problem_scrapes < options.max_problem_scrapes) {
      pod.scrape = ScrapeReason::kProblem;
      ++problem_scrapes;
    } else if (can_scrape && !pod.problem && samples < options.sample) {
      pod.scrape = ScrapeReason::kSample;
      ++samples;
    }
    plan.pods.push_back(std::move(pod));
  }
  return plan;
}

verify::Report BuildReport(const FleetPlan& plan, const FleetData& data,
                           const std::vector<std::optional<DirectScrape>>& direct,
                           const FleetOptions& options) {
  // Renamed-looking series per target and per pod.
  std::unordered_map<std::string, std::vector<std::string>> renamed_by_target, renamed_by_pod;
  for (const Labels& series : data.renamed) {
    const std::string name = Get(series, "__name__");
    if (name.empty() || IsHfiName(name))
      continue;
    renamed_by_target[TargetKey(series, options)].push_back(name);
    renamed_by_pod[PodKey(Get(series, options.namespace_label), Get(series, options.pod_label))]
        .push_back(name);
  }

  verify::Report report;
  report.sources.reserve(plan.pods.size());
  for (std::size_t i = 0; i < plan.pods.size(); ++i) {
    const PodView& pod = plan.pods[i];
    const Expected& e = pod.expected;
    const DirectScrape* scrape = i < direct.size() && direct[i] ? &*direct[i] : nullptr;
    std::optional<Profile> side;
    if (scrape != nullptr && !scrape->body.empty())
      side = ProfileOf(scrape->body);
    std::vector<std::string> renamed;
    {
      const auto& index = e.target.empty() ? renamed_by_pod : renamed_by_target;
      const std::string key =
          e.target.empty() ? PodKey(e.namespace_name, e.pod) : TargetKey(e.target, options);
      if (auto it = index.find(key); it != index.end())
        renamed = it->second;
    }

    verify::SourceReport source;
    source.name = e.name;
    source.kind = verify::SourceKind::kPrometheus;
    source.checks.push_back(TargetCheck(pod, data.now, options));

    if (!pod.series.empty()) {
      verify::SourceReport engine = verify::VerifySource(
          verify::Source{e.name, verify::SourceKind::kPrometheus, pod.exposition}, nullptr,
          options.checks);
      const Profile held = ProfileOf(pod.exposition);
      for (Check& check : engine.checks) {
        check.observed = WithoutLines(check.observed);
        for (Finding& finding : check.findings) {
          finding.line = 0;  // lines of a text rebuilt here mean nothing to the reader
          const metrics::MetricName* metric = MetricNamed(finding.metric);
          if (metric == nullptr)
            continue;
          const std::string name(metric->prometheus);
          if (finding.hint == HintId::kMetricMissing) {
            if (!renamed.empty()) {
              finding =
                  MakeFinding(HintId::kRenamedInPrometheus, name, name,
                              "absent; the pod's series in Prometheus include " + Names(renamed));
            } else if (side && side->metrics[name].present) {
              finding =
                  MakeFinding(HintId::kAbsentInPrometheus, name, "in Prometheus as on the sidecar",
                              "absent in Prometheus; the sidecar serves it");
            }
          } else if ((finding.hint == HintId::kInfBucketMissing ||
                      finding.hint == HintId::kSumOrCountMissing) &&
                     metric->kind == metrics::Kind::kHistogram &&
                     (!side || HistogramComplete(side->metrics[name]))) {
            const MetricProfile& m = held.metrics.at(name);
            std::vector<std::string> missing;
            if (!m.bucket)
              missing.push_back("_bucket");
            else if (!m.inf)
              missing.push_back("_bucket{le=\"+Inf\"}");
            if (!m.sum)
              missing.push_back("_sum");
            if (!m.count)
              missing.push_back("_count");
            finding = MakeFinding(
                HintId::kHistogramIncompleteInPrometheus, name, "_bucket (with +Inf), _sum, _count",
                "Prometheus lacks " + Names(missing) +
                    (side ? "; the sidecar serves them all" : " (the sidecar was not scraped)"));
          }
        }
        source.checks.push_back(std::move(check));
      }

      if (scrape != nullptr) {
        Check values{"prometheus-values", ""};
        values.expected = "Prometheus at or below the sidecar's values (it lags by one scrape)";
        if (!side) {
          values.skip_reason = "direct scrape failed: " + scrape->error;
        } else {
          std::string observed;
          for (const metrics::MetricName& metric : metrics::kAll) {
            const std::string name(metric.prometheus);
            const std::optional<double> held_value = held.metrics.at(name).value;
            const std::optional<double> side_value = side->metrics[name].value;
            if (!held_value || !side_value)
              continue;
            const std::string label = metric.kind == metrics::Kind::kHistogram
                                          ? std::string(metric.key) + " count"
                                          : std::string(metric.key);
            observed += (observed.empty() ? "" : ", ") + label + " " + FormatNumber(*held_value) +
                        " / " + FormatNumber(*side_value);
            if (*held_value > *side_value + 0.5) {
              values.findings.push_back(
                  MakeFinding(HintId::kValuesDisagree,
                              name + (metric.kind == metrics::Kind::kHistogram ? "_count" : ""),
                              "at most " + FormatNumber(*side_value) + " (the sidecar now)",
                              FormatNumber(*held_value) + " in Prometheus"));
            }
          }
          if (observed.empty())
            values.skip_reason = "no metric both in Prometheus and on the sidecar";
          else
            values.observed = observed + " (Prometheus / sidecar)";
        }
        source.checks.push_back(std::move(values));
      }
    } else {
      Check series{"prometheus-series", ""};
      series.expected = "the pod's wasmcustom_hfi_faults_* series";
      if (!e.not_running.empty()) {
        series.skip_reason = "the pod is not running";
      } else if (!HasTarget(pod) || TargetDown(pod)) {
        series.skip_reason = "no working target (see prometheus-target)";
      } else if (!renamed.empty()) {
        series.observed = "no hfi_faults series; the pod's series include " + Names(renamed);
        series.findings.push_back(
            MakeFinding(HintId::kRenamedInPrometheus, "", series.expected, series.observed));
      } else if (side && !side->hfi_names.empty()) {
        series.observed = "none in Prometheus; the sidecar serves " + ListNames(side->hfi_names);
        series.findings.push_back(
            MakeFinding(HintId::kAbsentInPrometheus, "", series.expected, series.observed));
      } else if (side) {
        series.skip_reason = "the sidecar has no HFI series either (see the sidecar-* checks)";
      } else {
        std::string why;
        if (scrape != nullptr)
          why = "direct scrape failed: " + scrape->error;
        else if (!e.target.empty() && (!pod.target || pod.target->scrape_url.empty()))
          why = "no scrape URL to compare with";
        else
          why = "not scraped directly: only the first " +
                std::to_string(options.max_problem_scrapes) + " pods with problems are";
        series.observed = "no series name contains hfi_faults in Prometheus (" + why + ")";
        series.findings.push_back(
            MakeFinding(HintId::kNoHfiMetrics, "", series.expected, series.observed));
      }
      source.checks.push_back(std::move(series));
    }

    // What the sidecar itself gets wrong explains a problem pod; a sampled healthy pod's scrape
    // serves only the value comparison.
    if (scrape != nullptr && pod.problem) {
      if (std::optional<verify::SourceReport> own = SidecarReport(*scrape, e.name)) {
        for (Check& check : own->checks) {
          const verify::CheckStatus status = check.status();
          if (status != verify::CheckStatus::kFail && status != verify::CheckStatus::kWarn)
            continue;
          check.id = "sidecar-" + check.id;
          source.checks.push_back(std::move(check));
        }
      }
    }
    report.sources.push_back(std::move(source));
  }
  return report;
}

std::vector<Expected> ExpectedFromUp(const std::vector<Sample>& up, const std::string& pod_label,
                                     const std::string& namespace_label) {
  std::vector<Expected> expected;
  for (const Sample& sample : up) {
    Expected e;
    e.target = sample.labels;
    e.target.erase("__name__");
    e.namespace_name = Get(e.target, namespace_label);
    e.pod = Get(e.target, pod_label);
    if (!e.namespace_name.empty() && !e.pod.empty())
      e.name = e.namespace_name + "/" + e.pod;
    else if (!Get(e.target, "instance").empty())
      e.name = Get(e.target, "instance");
    else
      e.name = LabelSetText(e.target);
    expected.push_back(std::move(e));
  }
  std::stable_sort(expected.begin(), expected.end(),
                   [](const Expected& a, const Expected& b) { return a.name < b.name; });
  return expected;
}

}  // namespace hfi::promapi

// The fleet checks over answers shaped like a Prometheus 2.x server's, read through the API
// client from a fake server: each problem a pod can have in Prometheus, with its code.
#include "promapi/fleet.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "promapi/fake_prometheus.h"
#include "verify/checks.h"

namespace hfi::promapi {
namespace {

using testing::Answer;
using testing::FakePrometheus;
using testing::Json;
using testing::Success;
using testing::Vector;
using verify::CheckStatus;
using verify::HintId;

constexpr double kNow = 1795952410.5;  // 2026-11-29T11:40:10.5Z
constexpr const char* kBounds[] = {
    "0.5",  "1",    "5",     "10",    "25",    "50",     "100",    "250",     "500",     "1000",
    "2500", "5000", "10000", "30000", "60000", "300000", "600000", "1800000", "3600000", "+Inf"};

std::string Rfc3339(double seconds) {
  const auto whole = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&whole, &tm);
  char text[64];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S", &tm);
  const int millis = static_cast<int>((seconds - static_cast<double>(whole)) * 1000 + 0.5);
  char out[80];
  std::snprintf(out, sizeof out, "%s.%03dZ", text, millis);
  return out;
}

// One pod as a test describes it: what Prometheus has and what its sidecar serves.
struct PodSpec {
  std::string pod;
  std::string up = "1";  // "": no target at all
  std::string last_error;
  double scrape_age = 5;                           // seconds before kNow; < 0: never scraped
  double aborts = 3, delays = 2, delay_count = 2;  // in Prometheus
  std::set<std::string> dropped;                   // series suffixes Prometheus lacks
  bool hfi_in_prometheus = true;
  std::string renamed_to;  // a renamed series Prometheus has instead
  // The sidecar: "" none (scrape fails), "hfi" the metrics, "plain" Envoy without HFI.
  std::string sidecar = "hfi";
  double sidecar_aborts = 3;
  bool up_series = true;  // false: a target so new that Prometheus has no up series for it yet
};

Labels TargetLabels(const PodSpec& spec) {
  return {{"instance", "10.1.0." + std::to_string(spec.pod.size()) + spec.pod + ":15020"},
          {"job", "kubernetes-pods"},
          {"namespace", "demo"},
          {"pod", spec.pod}};
}

// The pod's HFI series as Prometheus holds them: Envoy's names and buckets plus target labels.
std::vector<std::pair<Labels, std::string>> HfiSeries(const PodSpec& spec) {
  std::vector<std::pair<Labels, std::string>> out;
  if (!spec.hfi_in_prometheus)
    return out;
  auto add = [&](const std::string& name, const std::string& suffix, const std::string& value,
                 const std::string& le = "") {
    if (spec.dropped.count(suffix) > 0 || (suffix == "_bucket" && spec.dropped.count(le) > 0))
      return;
    Labels labels = TargetLabels(spec);
    labels["__name__"] = name + suffix;
    if (!le.empty())
      labels["le"] = le;
    out.emplace_back(labels, value);
  };
  add("wasmcustom_hfi_faults_aborts_total", "", std::to_string(static_cast<int>(spec.aborts)));
  add("wasmcustom_hfi_faults_delays_total", "", std::to_string(static_cast<int>(spec.delays)));
  // Reverse order: the rebuilt exposition must sort the buckets by bound itself.
  for (int i = static_cast<int>(std::size(kBounds)) - 1; i >= 0; --i) {
    const std::string le = kBounds[i];
    add("wasmcustom_hfi_faults_delay_duration_milliseconds", "_bucket",
        i >= 4 ? std::to_string(static_cast<int>(spec.delay_count)) : "0", le);
  }
  add("wasmcustom_hfi_faults_delay_duration_milliseconds", "_sum", "41.5");
  add("wasmcustom_hfi_faults_delay_duration_milliseconds", "_count",
      std::to_string(static_cast<int>(spec.delay_count)));
  return out;
}

std::string SidecarScrape(const PodSpec& spec) {
  std::string text = "# TYPE envoy_server_live gauge\nenvoy_server_live 1\n";
  if (spec.sidecar != "hfi")
    return text;
  text += "# TYPE wasmcustom_hfi_faults_aborts_total counter\n";
  text += "wasmcustom_hfi_faults_aborts_total " +
          std::to_string(static_cast<int>(spec.sidecar_aborts)) + "\n";
  text += "# TYPE wasmcustom_hfi_faults_delays_total counter\n";
  text += "wasmcustom_hfi_faults_delays_total 2\n";
  text += "# TYPE wasmcustom_hfi_faults_delay_duration_milliseconds histogram\n";
  for (std::size_t i = 0; i < std::size(kBounds); ++i) {
    text += std::string("wasmcustom_hfi_faults_delay_duration_milliseconds_bucket{le=\"") +
            kBounds[i] + "\"} " + (i >= 4 ? "2" : "0") + "\n";
  }
  text += "wasmcustom_hfi_faults_delay_duration_milliseconds_sum 41.5\n";
  text += "wasmcustom_hfi_faults_delay_duration_milliseconds_count 2\n";
  return text;
}

struct Fleet {
  std::vector<PodSpec> pods;
  FleetOptions options;
  bool match_mode = false;
  std::string metadata_type_for_histogram = "histogram";

  FakePrometheus fake;
  FleetData data;
  FleetPlan plan;
  verify::Report report;

  // Serves the fleet from the fake server, reads it through the client as the command does,
  // scrapes what the plan asks for, and builds the report.
  void Run() {
    std::vector<std::pair<Labels, std::string>> up, series, renamed;
    Json targets = Json::array();
    for (const PodSpec& spec : pods) {
      if (!spec.up.empty()) {
        Labels labels = TargetLabels(spec);
        labels["__name__"] = "up";
        if (spec.up_series)
          up.emplace_back(labels, spec.up);
        targets.push_back(
            Json{{"discoveredLabels", {{"__address__", TargetLabels(spec).at("instance")}}},
                 {"labels", TargetLabels(spec)},
                 {"scrapePool", "kubernetes-pods"},
                 {"scrapeUrl", "http://" + TargetLabels(spec).at("instance") + "/stats/prometheus"},
                 {"globalUrl", "http://" + TargetLabels(spec).at("instance") + "/stats/prometheus"},
                 {"lastError", spec.last_error},
                 {"lastScrape",
                  spec.scrape_age < 0 ? "0001-01-01T00:00:00Z" : Rfc3339(kNow - spec.scrape_age)},
                 {"lastScrapeDuration", 0.004},
                 {"health", spec.up == "1" ? "up" : "down"},
                 {"scrapeInterval", "15s"},
                 {"scrapeTimeout", "10s"}});
      }
      for (auto& s : HfiSeries(spec))
        series.push_back(std::move(s));
      if (!spec.renamed_to.empty()) {
        Labels labels = TargetLabels(spec);
        labels["__name__"] = spec.renamed_to;
        renamed.emplace_back(labels, "3");
      }
    }
    fake.queries.emplace_back("up{", Answer(200, Vector(up, kNow)));
    fake.queries.emplace_back("hfi_faults", Answer(200, Vector(series, kNow)));
    fake.paths["/api/v1/targets"] =
        Answer(200, Success(Json{{"activeTargets", targets}, {"droppedTargets", Json::array()}}));
    fake.paths["/api/v1/metadata"] = Answer(
        200,
        Success(Json{{"wasmcustom_hfi_faults_delay_duration_milliseconds",
                      Json::array({Json{
                          {"type", metadata_type_for_histogram}, {"help", ""}, {"unit", ""}}})}}));
    Json renamed_json = Json::array();
    for (const auto& [labels, value] : renamed)
      renamed_json.push_back(labels);
    fake.paths["/api/v1/series"] = Answer(200, Success(renamed_json));

    ApiOptions api;
    api.base_url = "http://prom.test:9090";
    Client client(fake, api);
    data.up = client.Query("up{namespace=\"demo\"}");
    data.targets = client.ActiveTargets();
    data.series = client.Query("{__name__=~\".*hfi_faults.*\",namespace=\"demo\"}");
    for (const std::string& family : FamilyNames(data.series, 10)) {
      for (const auto& [name, entries] : client.Metadata(family))
        data.types[name] = entries.at(0).type;
    }
    data.now = kNow;

    std::vector<Expected> expected;
    if (match_mode) {
      expected = ExpectedFromUp(data.up, options.pod_label, options.namespace_label);
    } else {
      for (const PodSpec& spec : pods)
        expected.push_back(Expected{"demo/" + spec.pod, "demo", spec.pod, {}, ""});
    }
    plan = PlanFleet(expected, data, options);
    if (plan.wants_renamed)
      data.renamed = client.Series("{__name__=~\".*aborts_total.*\"}", std::chrono::seconds(600));

    std::vector<std::optional<DirectScrape>> direct(plan.pods.size());
    for (std::size_t i = 0; i < plan.pods.size(); ++i) {
      if (!plan.pods[i].scrape)
        continue;
      const PodSpec* spec = Find(plan.pods[i].expected.pod);
      DirectScrape scrape;
      if (spec->sidecar.empty())
        scrape.error = "connection refused";
      else
        scrape.body = SidecarScrape(*spec);
      direct[i] = scrape;
    }
    report = BuildReport(plan, data, direct, options);
  }

  const PodSpec* Find(const std::string& pod) const {
    for (const PodSpec& spec : pods) {
      if (spec.pod == pod)
        return &spec;
    }
    return nullptr;
  }

  const verify::SourceReport& Source(const std::string& pod) const {
    for (const verify::SourceReport& source : report.sources) {
      if (source.name == "demo/" + pod)
        return source;
    }
    throw std::runtime_error("no source demo/" + pod);
  }
};

std::set<std::string> Codes(const verify::SourceReport& source) {
  std::set<std::string> codes;
  for (const verify::Check& check : source.checks) {
    for (const verify::Finding& finding : check.findings)
      codes.insert(std::string(verify::GetHint(finding.hint).code));
  }
  return codes;
}

const verify::Check* FindCheck(const verify::SourceReport& source, const std::string& id) {
  for (const verify::Check& check : source.checks) {
    if (check.id == id)
      return &check;
  }
  return nullptr;
}

const verify::Finding* FindFinding(const verify::SourceReport& source, HintId hint) {
  for (const verify::Check& check : source.checks) {
    for (const verify::Finding& finding : check.findings) {
      if (finding.hint == hint)
        return &finding;
    }
  }
  return nullptr;
}

TEST(Fleet, HealthyPodPassesEveryCheckAndAgreesWithItsSidecar) {
  Fleet fleet;
  fleet.pods = {PodSpec{.pod = "a"}};
  fleet.Run();
  ASSERT_EQ(fleet.report.sources.size(), 1u);
  const verify::SourceReport& source = fleet.report.sources[0];
  EXPECT_EQ(source.name, "demo/a");
  EXPECT_EQ(source.kind, verify::SourceKind::kPrometheus);
  EXPECT_EQ(Codes(source), std::set<std::string>{});
  const verify::Check* target = FindCheck(source, "prometheus-target");
  ASSERT_NE(target, nullptr);
  EXPECT_EQ(target->observed,
            "up, last scraped 5s ago (job kubernetes-pods, instance 10.1.0.1a:15020)");
  const verify::Check* presence = FindCheck(source, "presence");  // the scrape engine's checks
  ASSERT_NE(presence, nullptr);
  EXPECT_EQ(presence->observed, "found");  // no line of a text the reader never saw
  const verify::Check* values = FindCheck(source, "prometheus-values");
  ASSERT_NE(values, nullptr);
  EXPECT_EQ(values->status(), CheckStatus::kPass);
  EXPECT_EQ(values->observed,
            "aborts 3 / 3, delays 2 / 2, delay_duration count 2 / 2 (Prometheus / sidecar)");
  EXPECT_EQ(fleet.report.ExitStatus(), ExitCode::kOk);
  for (const verify::Check& check : source.checks)
    EXPECT_NE(check.status(), CheckStatus::kFail) << check.id;
}

TEST(Fleet, RebuiltExpositionDropsTargetLabelsAndOrdersBuckets) {
  Fleet fleet;
  fleet.pods = {PodSpec{.pod = "a"}};
  fleet.Run();
  const std::string& text = fleet.plan.pods[0].exposition;
  EXPECT_EQ(text.find("pod="), std::string::npos) << text;
  EXPECT_EQ(text.find("instance="), std::string::npos);
  EXPECT_NE(text.find("# TYPE wasmcustom_hfi_faults_delay_duration_milliseconds histogram\n"
                      "wasmcustom_hfi_faults_delay_duration_milliseconds_bucket{le=\"0.5\"} 0\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("_bucket{le=\"+Inf\"} 2\n"
                      "wasmcustom_hfi_faults_delay_duration_milliseconds_sum 41.5\n"
                      "wasmcustom_hfi_faults_delay_duration_milliseconds_count 2\n"),
            std::string::npos)
      << text;
  // Counters have no metadata in this server: their type comes from the name.
  EXPECT_NE(text.find("# TYPE wasmcustom_hfi_faults_aborts_total counter\n"
                      "wasmcustom_hfi_faults_aborts_total 3\n"),
            std::string::npos);
}

TEST(Fleet, MetadataTypeIsChecked) {
  Fleet fleet;
  fleet.pods = {PodSpec{.pod = "a"}};
  fleet.metadata_type_for_histogram = "summary";
  fleet.Run();
  EXPECT_TRUE(Codes(fleet.report.sources[0]).count("HFI201"));
}

TEST(Fleet, DownTargetQuotesItsLastError) {
  Fleet fleet;
  fleet.pods = {PodSpec{.pod = "d",
                        .up = "0",
                        .last_error = "Get \"http://10.1.0.1d:15020/stats/prometheus\": dial tcp: "
                                      "connect: connection refused",
                        .hfi_in_prometheus = false,
                        .sidecar = ""}};
  fleet.Run();
  const verify::SourceReport& source = fleet.Source("d");
  const verify::Finding* down = FindFinding(source, HintId::kTargetDown);
  ASSERT_NE(down, nullptr);
  EXPECT_NE(down->observed.find("down (job kubernetes-pods, instance 10.1.0.1d:15020): Get "),
            std::string::npos)
      << down->observed;
  EXPECT_NE(down->observed.find("connection refused"), std::string::npos);
  EXPECT_EQ(FindCheck(source, "prometheus-series")->status(), CheckStatus::kSkip);
  EXPECT_EQ(Codes(source), std::set<std::string>{"HFI601"});
  EXPECT_EQ(fleet.report.ExitStatus(), ExitCode::kChecksFailed);
}

TEST(Fleet, PodWithoutTargetIsHfi602) {
  Fleet fleet;
  fleet.pods = {PodSpec{.pod = "a"}, PodSpec{.pod = "e", .up = "", .hfi_in_prometheus = false}};
  fleet.Run();
  const verify::SourceReport& source = fleet.Source("e");
  const verify::Finding* none = FindFinding(source, HintId::kNoTarget);
  ASSERT_NE(none, nullptr);
  EXPECT_EQ(none->observed, "no up series with namespace=\"demo\", pod=\"e\"");
  EXPECT_EQ(Codes(fleet.Source("a")), std::set<std::string>{});
}

TEST(Fleet, StaleAndNeverScrapedTargetsAreHfi603) {
  Fleet fleet;
  fleet.pods = {PodSpec{.pod = "s", .scrape_age = 610}, PodSpec{.pod = "n", .scrape_age = -1}};
  fleet.Run();
  const verify::Finding* stale = FindFinding(fleet.Source("s"), HintId::kTargetStale);
  ASSERT_NE(stale, nullptr);
  EXPECT_NE(stale->observed.find("last scraped 10m10s ago"), std::string::npos) << stale->observed;
  const verify::Finding* never = FindFinding(fleet.Source("n"), HintId::kTargetStale);
  ASSERT_NE(never, nullptr);
  EXPECT_NE(never->observed.find("never scraped yet"), std::string::npos);
}

// A pod younger than one scrape interval: its target exists, with no up series and no samples
// yet. It is "never scraped yet" (HFI603), not "no target" (HFI602).
TEST(Fleet, ATargetWithoutAnUpSeriesYetIsFoundByThePodLabels) {
  Fleet fleet;
  fleet.pods = {
      PodSpec{.pod = "new", .scrape_age = -1, .hfi_in_prometheus = false, .up_series = false}};
  fleet.Run();
  const verify::SourceReport& source = fleet.Source("new");
  EXPECT_EQ(FindFinding(source, HintId::kNoTarget), nullptr);
  const verify::Finding* never = FindFinding(source, HintId::kTargetStale);
  ASSERT_NE(never, nullptr);
  EXPECT_NE(never->observed.find("never scraped yet"), std::string::npos) << never->observed;
}

TEST(Fleet, SeriesOnTheSidecarButNotInPrometheusAreHfi509) {
  Fleet fleet;
  fleet.pods = {PodSpec{.pod = "r", .hfi_in_prometheus = false}};
  fleet.Run();
  const verify::SourceReport& source = fleet.Source("r");
  EXPECT_EQ(Codes(source), std::set<std::string>{"HFI509"});
  const verify::Finding* absent = FindFinding(source, HintId::kAbsentInPrometheus);
  EXPECT_EQ(absent->observed,
            "none in Prometheus; the sidecar serves wasmcustom_hfi_faults_aborts_total, "
            "wasmcustom_hfi_faults_delay_duration_milliseconds, "
            "wasmcustom_hfi_faults_delays_total");
  EXPECT_TRUE(fleet.plan.wants_renamed);
}

TEST(Fleet, OneMetricDroppedByPrometheusIsHfi509OnThatMetric) {
  Fleet fleet;
  fleet.pods = {PodSpec{.pod = "r", .dropped = {"_bucket", "_sum", "_count"}}};
  fleet.Run();
  const verify::SourceReport& source = fleet.Source("r");
  const verify::Finding* absent = FindFinding(source, HintId::kAbsentInPrometheus);
  ASSERT_NE(absent, nullptr) << testing::Json(Codes(source)).dump();
  EXPECT_EQ(absent->metric, "wasmcustom_hfi_faults_delay_duration_milliseconds");
  EXPECT_EQ(FindFinding(source, HintId::kMetricMissing), nullptr);
}

TEST(Fleet, PluginMissingEverywhereShowsTheSidecarsOwnFindings) {
  Fleet fleet;
  fleet.pods = {PodSpec{.pod = "p", .hfi_in_prometheus = false, .sidecar = "plain"}};
  fleet.Run();
  const verify::SourceReport& source = fleet.Source("p");
  EXPECT_EQ(FindCheck(source, "prometheus-series")->status(), CheckStatus::kSkip);
  EXPECT_TRUE(Codes(source).count("HFI108")) << testing::Json(Codes(source)).dump();
  bool sidecar_check = false;
  for (const verify::Check& check : source.checks)
    sidecar_check = sidecar_check || check.id.starts_with("sidecar-");
  EXPECT_TRUE(sidecar_check);
}

TEST(Fleet, HistogramPartlyDroppedIsHfi604NotTheSidecarsFault) {
  Fleet fleet;
  fleet.pods = {PodSpec{.pod = "h", .dropped = {"_sum", "_count", "+Inf"}}};
  fleet.Run();
  const verify::SourceReport& source = fleet.Source("h");
  const verify::Finding* partial = FindFinding(source, HintId::kHistogramIncompleteInPrometheus);
  ASSERT_NE(partial, nullptr) << testing::Json(Codes(source)).dump();
  EXPECT_NE(partial->observed.find("Prometheus lacks _bucket{le=\"+Inf\"}, _count, _sum"),
            std::string::npos)
      << partial->observed;
  EXPECT_EQ(FindFinding(source, HintId::kSumOrCountMissing), nullptr);
  EXPECT_EQ(FindFinding(source, HintId::kInfBucketMissing), nullptr);
  for (const verify::Check& check : source.checks) {
    for (const verify::Finding& finding : check.findings)
      EXPECT_EQ(finding.line, 0u) << "lines of the rebuilt text are not shown";
  }
}

TEST(Fleet, PrometheusAheadOfTheSidecarIsHfi605) {
  Fleet fleet;
  fleet.pods = {PodSpec{.pod = "v", .aborts = 9, .sidecar_aborts = 4}};
  fleet.options.sample = 1;
  fleet.Run();
  const verify::Finding* ahead = FindFinding(fleet.Source("v"), HintId::kValuesDisagree);
  ASSERT_NE(ahead, nullptr);
  EXPECT_EQ(ahead->metric, "wasmcustom_hfi_faults_aborts_total");
  EXPECT_EQ(ahead->observed, "9 in Prometheus");
  EXPECT_EQ(ahead->expected, "at most 4 (the sidecar now)");
}

TEST(Fleet, PrometheusBehindTheSidecarIsOnlyLag) {
  Fleet fleet;
  fleet.pods = {PodSpec{.pod = "v", .aborts = 2, .sidecar_aborts = 4}};
  fleet.Run();
  EXPECT_EQ(FindCheck(fleet.Source("v"), "prometheus-values")->status(), CheckStatus::kPass);
}

TEST(Fleet, RenamedSeriesAreHfi606) {
  Fleet fleet;
  fleet.pods = {PodSpec{.pod = "n", .hfi_in_prometheus = false, .renamed_to = "hfi_aborts_total"}};
  fleet.Run();
  const verify::SourceReport& source = fleet.Source("n");
  const verify::Finding* renamed = FindFinding(source, HintId::kRenamedInPrometheus);
  ASSERT_NE(renamed, nullptr) << testing::Json(Codes(source)).dump();
  EXPECT_NE(renamed->observed.find("hfi_aborts_total"), std::string::npos);
  EXPECT_EQ(FindFinding(source, HintId::kAbsentInPrometheus), nullptr);
}

TEST(Fleet, DirectScrapesAreCappedAndSampled) {
  Fleet fleet;
  fleet.pods = {PodSpec{.pod = "a"}, PodSpec{.pod = "b"},
                PodSpec{.pod = "x", .hfi_in_prometheus = false},
                PodSpec{.pod = "y", .hfi_in_prometheus = false}};
  fleet.options.sample = 1;
  fleet.options.max_problem_scrapes = 1;
  fleet.Run();
  std::vector<std::string> scraped;
  for (const PodView& pod : fleet.plan.pods) {
    if (pod.scrape)
      scraped.push_back(pod.expected.pod);
  }
  EXPECT_EQ(scraped, (std::vector<std::string>{"a", "x"}));
  EXPECT_EQ(FindCheck(fleet.Source("b"), "prometheus-values"), nullptr);
  const verify::Finding* unknown = FindFinding(fleet.Source("y"), HintId::kNoHfiMetrics);
  ASSERT_NE(unknown, nullptr);
  EXPECT_NE(unknown->observed.find("not scraped directly: only the first 1 pods"),
            std::string::npos);
  EXPECT_TRUE(Codes(fleet.Source("x")).count("HFI509"));
}

TEST(Fleet, NoSampleMeansNoScrapeOfHealthyPods) {
  Fleet fleet;
  fleet.pods = {PodSpec{.pod = "a"}};
  fleet.options.sample = 0;
  fleet.Run();
  EXPECT_FALSE(fleet.plan.pods[0].scrape.has_value());
  EXPECT_EQ(FindCheck(fleet.Source("a"), "prometheus-values"), nullptr);
}

TEST(Fleet, FailedSampleScrapeSkipsTheValueComparison) {
  Fleet fleet;
  fleet.pods = {PodSpec{.pod = "a", .sidecar = ""}};
  fleet.Run();
  const verify::Check* values = FindCheck(fleet.Source("a"), "prometheus-values");
  ASSERT_NE(values, nullptr);
  EXPECT_EQ(values->status(), CheckStatus::kSkip);
  EXPECT_EQ(values->skip_reason, "direct scrape failed: connection refused");
  EXPECT_EQ(fleet.report.ExitStatus(), ExitCode::kOk);
}

TEST(Fleet, MatchModeNamesTargetsByTheirLabels) {
  Fleet fleet;
  fleet.match_mode = true;
  fleet.pods = {PodSpec{.pod = "a"}, PodSpec{.pod = "d", .up = "0", .hfi_in_prometheus = false}};
  fleet.Run();
  ASSERT_EQ(fleet.report.sources.size(), 2u);
  EXPECT_EQ(Codes(fleet.Source("a")), std::set<std::string>{});
  EXPECT_TRUE(Codes(fleet.Source("d")).count("HFI601"));
}

// --match mode names each target by namespace/pod, else its instance, else its labels, sorted.
TEST(ExpectedFromUp, NamesEachTargetByWhatItHas) {
  auto up = [](Labels labels) {
    labels["__name__"] = "up";
    return Sample{labels, kNow, "1"};
  };
  const std::vector<Sample> samples = {
      up({{"job", "j"}, {"instance", "10.0.0.9:15020"}, {"namespace", "demo"}, {"pod", "b"}}),
      up({{"job", "j"}, {"instance", "10.0.0.1:15020"}, {"pod", "only-pod"}}),
      up({{"job", "federate"}, {"zone", "eu"}}),
      up({{"job", "j"}, {"instance", "x"}, {"namespace", "demo"}, {"pod", "a"}}),
  };
  const std::vector<Expected> expected = ExpectedFromUp(samples, "pod", "namespace");
  ASSERT_EQ(expected.size(), 4u);
  EXPECT_EQ(expected[0].name, "10.0.0.1:15020");
  EXPECT_EQ(expected[1].name, "demo/a");
  EXPECT_EQ(expected[2].name, "demo/b");
  EXPECT_EQ(expected[3].name, "{job=\"federate\",zone=\"eu\"}");
  EXPECT_EQ(expected[1].target.count("__name__"), 0u);
  EXPECT_EQ(expected[1].namespace_name, "demo");
  EXPECT_EQ(expected[1].pod, "a");
  EXPECT_EQ(ExpectedFromUp(samples, "kubernetes_pod_name", "namespace")[1].name, "10.0.0.9:15020");
}

TEST(Fleet, PodNotRunningIsNotBlamedOnPrometheus) {
  FleetData data;
  data.now = kNow;
  std::vector<Expected> expected{Expected{"demo/p", "demo", "p", {}, "phase Pending"}};
  FleetPlan plan = PlanFleet(expected, data, FleetOptions{});
  EXPECT_FALSE(plan.pods[0].scrape.has_value());
  verify::Report report = BuildReport(plan, data, {std::nullopt}, FleetOptions{});
  EXPECT_EQ(Codes(report.sources[0]), std::set<std::string>{"HFI502"});
}

TEST(Fleet, PodOnSeveralJobsUsesTheOneWithHfiSeries) {
  FleetData data;
  data.now = kNow;
  Labels app{{"__name__", "up"},
             {"job", "app"},
             {"instance", "1:8080"},
             {"namespace", "demo"},
             {"pod", "a"}};
  Labels envoy{{"__name__", "up"},
               {"job", "envoy"},
               {"instance", "1:15090"},
               {"namespace", "demo"},
               {"pod", "a"}};
  data.up = {Sample{app, kNow, "1"}, Sample{envoy, kNow, "1"}};
  Labels series = envoy;
  series["__name__"] = "wasmcustom_hfi_faults_aborts_total";
  data.series = {Sample{series, kNow, "1"}};
  FleetPlan plan = PlanFleet({Expected{"demo/a", "demo", "a", {}, ""}}, data, FleetOptions{});
  ASSERT_TRUE(plan.pods[0].up.has_value());
  EXPECT_EQ(plan.pods[0].up->labels.at("job"), "envoy");
  EXPECT_EQ(plan.pods[0].series.size(), 1u);
}

TEST(Fleet, Helpers) {
  EXPECT_EQ(RegexAlternation({"demo", "a.b", "demo", "x|y"}), "demo|a\\.b|x\\|y");
  EXPECT_EQ(AgeText(0), "0s");
  EXPECT_EQ(AgeText(59.4), "59s");
  EXPECT_EQ(AgeText(120), "2m");
  EXPECT_EQ(AgeText(130), "2m10s");
  EXPECT_EQ(AgeText(3720), "1h2m");
  std::vector<Sample> series{
      Sample{{{"__name__", "wasmcustom_hfi_faults_delay_duration_milliseconds_bucket"}}, 0, "1"},
      Sample{{{"__name__", "wasmcustom_hfi_faults_delay_duration_milliseconds_sum"}}, 0, "1"},
      Sample{{{"__name__", "wasmcustom_hfi_faults_aborts_total"}}, 0, "1"},
      Sample{{{"__name__", "up"}}, 0, "1"}};
  EXPECT_EQ(FamilyNames(series, 10),
            (std::vector<std::string>{"wasmcustom_hfi_faults_aborts_total",
                                      "wasmcustom_hfi_faults_delay_duration_milliseconds"}));
  EXPECT_EQ(FamilyNames(series, 1).size(), 1u);
}

}  // namespace
}  // namespace hfi::promapi

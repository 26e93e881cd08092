// The fleet as Prometheus sees it, as pure functions: the expected pods (or targets), the answers
// of a handful of API calls (up, the active targets, every HFI series, their metadata) and the
// direct scrapes of a few pods in; one report source per pod out (kind prometheus).
//
// Each pod's series are turned back into the exposition its sidecar served (target labels
// removed, TYPE from the metadata) and checked by the same engine as a scrape, so names, types
// and histograms get the same codes; the Prometheus-specific checks add the target's health and
// age (HFI601-HFI603), histograms Prometheus holds only in part (HFI604), values ahead of the
// sidecar (HFI605), renamed series (HFI606) and metrics the sidecar has but Prometheus lacks
// (HFI509).
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "promapi/api.h"
#include "verify/checks.h"
#include "verify/report.h"

namespace hfi::promapi {

struct FleetOptions {
  std::string pod_label = "pod";
  std::string namespace_label = "namespace";
  double max_scrape_age_seconds = 120;
  std::size_t sample = 3;                // healthy-looking pods also scraped to compare values
  std::size_t max_problem_scrapes = 20;  // pods with missing series scraped to tell why
  verify::CheckOptions checks;           // --expect, applied to what Prometheus holds
};

// One pod (kubectl mode) or one target (--match mode) that should be in Prometheus.
struct Expected {
  std::string name;  // "NAMESPACE/POD", or a target's instance
  std::string namespace_name, pod;
  // --match mode: the labels of the target's `up` series (without __name__). Empty in kubectl
  // mode, where the series are found by the namespace and pod labels.
  Labels target;
  // kubectl mode: why the pod cannot be scraped by anyone (e.g. "phase Pending"), or "".
  std::string not_running;
};

// --match mode: one expected target per `up` series, named NAMESPACE/POD when it has both
// labels, else by its instance, else by its whole label set; sorted by name.
std::vector<Expected> ExpectedFromUp(const std::vector<Sample>& up, const std::string& pod_label,
                                     const std::string& namespace_label);

// What the API calls returned.
struct FleetData {
  std::vector<Sample> up;       // `up{...}`
  std::vector<Target> targets;  // /api/v1/targets?state=active
  std::vector<Sample> series;   // every HFI series of the pods
  // Family name -> TYPE, from /api/v1/metadata.
  std::map<std::string, std::string> types;
  // Series whose names look like renamed HFI metrics (/api/v1/series), when asked for.
  std::vector<Labels> renamed;
  double now = 0;  // the server's evaluation time, seconds since the epoch
};

// Why a pod is to be scraped directly.
enum class ScrapeReason { kProblem, kSample };

// A pod as Prometheus holds it, before any direct scrape.
struct PodView {
  Expected expected;
  std::optional<Sample> up;      // the pod's target's up series (the one with HFI series first)
  std::optional<Target> target;  // the active target behind it
  std::vector<Sample> series;    // its HFI series, from that target only
  std::string exposition;        // the series as Prometheus text, target labels removed
  bool problem = false;          // target missing or down, or series missing or wrong
  std::optional<ScrapeReason> scrape;
};

struct FleetPlan {
  std::vector<PodView> pods;  // in the order of the expected list
  // Pods with a target up and no HFI series: the /api/v1/series look for renamed series helps.
  bool wants_renamed = false;
};

// Matches series to pods and decides which pods are scraped directly: every problem pod up to
// max_problem_scrapes, then the first `sample` healthy ones.
FleetPlan PlanFleet(const std::vector<Expected>& expected, const FleetData& data,
                    const FleetOptions& options);

// The family names the series have (for /api/v1/metadata), sorted, at most `limit`.
std::vector<std::string> FamilyNames(const std::vector<Sample>& series, std::size_t limit);

// The result of scraping one pod directly.
struct DirectScrape {
  std::string body;   // the /stats/prometheus text; empty when the scrape failed
  std::string error;  // why it failed
  // The pod's own report when the scrape went through the cluster path (which adds what only a
  // live pod shows: no sidecar, not running, port-forward denied); nullopt: checked from `body`.
  std::optional<verify::SourceReport> report;
};

// `direct` is indexed like plan.pods (nullopt: not scraped). `renamed` are the series from the
// rename look-up (see FleetData::renamed).
verify::Report BuildReport(const FleetPlan& plan, const FleetData& data,
                           const std::vector<std::optional<DirectScrape>>& direct,
                           const FleetOptions& options);

// The PromQL regex alternation matching exactly these strings ("a|b\\.c").
std::string RegexAlternation(const std::vector<std::string>& values);

// "N days/hours/minutes/seconds ago"-style text for an age in seconds: "3s", "2m10s".
std::string AgeText(double seconds);

}  // namespace hfi::promapi

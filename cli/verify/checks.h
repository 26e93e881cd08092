// The checks over one parsed scrape (and an optional earlier scrape of the same source): presence
// and spelling, TYPE, histogram consistency, values, expectations and deltas. Pure functions over
// prom::ParseResult; knows nothing about files, pods or terminals.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "prom/parser.h"
#include "verify/expectation.h"
#include "verify/report.h"

namespace hfi::verify {

struct CheckOptions {
  std::vector<Expectation> expect;        // on the scrape itself
  std::vector<Expectation> expect_delta;  // on (scrape - baseline); needs a baseline
  // The traffic sent to the source since the baseline (or, without one, since the proxy
  // started): the "traffic" check compares the counters' increase with the faults it saw, and
  // the report carries it.
  std::optional<TrafficSummary> traffic;
};

// One parsed scrape, with what the checks need to know about it beyond the parse.
struct ParsedScrape {
  std::string name;  // as findings should name it: a path, "<stdin>", later a pod
  const prom::ParseResult* result = nullptr;
  // Whether any family name starts with "envoy_": every Envoy /stats/prometheus has
  // envoy_server_* (facts/envoy-istio.md §3.1: Istio always includes the `server` prefix).
  bool has_envoy_families = false;
};

// Runs every check and returns the source's report (name and baseline filled in, kind left as
// the default for the caller to set).
SourceReport CheckScrape(const ParsedScrape& scrape, const ParsedScrape* baseline,
                         const CheckOptions& options);

// Envoy's default histogram bounds (HistogramSettingsImpl::defaultBuckets(), facts §2).
inline constexpr double kEnvoyDefaultBounds[] = {
    0.5,  1,    5,     10,    25,    50,     100,    250,     500,    1000,
    2500, 5000, 10000, 30000, 60000, 300000, 600000, 1800000, 3600000};

}  // namespace hfi::verify

// The HFI-related series of one parsed scrape, classified once (names.h) so that every check
// looks them up instead of rescanning the parse. Internal to cli/verify.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "plugin/metric_names.h"
#include "prom/parser.h"
#include "verify/names.h"

namespace hfi::verify {

struct Hit {
  const prom::Family* family = nullptr;
  const prom::Sample* sample = nullptr;
  NameMatch match;
};

class ScrapeIndex {
 public:
  explicit ScrapeIndex(const prom::ParseResult& result);

  const prom::ParseResult& result() const { return *result_; }
  // Every sample whose name contains "hfi_faults", in input order.
  const std::vector<Hit>& hits() const { return hits_; }

  // The samples of `metric` in the expected spelling (all parts when part is nullopt).
  std::vector<const Hit*> Expected(const metrics::MetricName& metric,
                                   std::optional<Part> part = std::nullopt) const;

  // The sum over label sets of the expected-spelling samples of one part (a counter's value is
  // Part::kValue, a histogram's count Part::kCount); nullopt when there is none.
  std::optional<double> Total(const metrics::MetricName& metric, Part part) const;

  // The family named exactly `name`, or nullptr.
  const prom::Family* FamilyNamed(std::string_view name) const;

 private:
  const prom::ParseResult* result_;
  std::vector<Hit> hits_;
};

// `{a="b",c="d"}` without the `le` label, or "" when nothing is left: how findings name a series.
std::string LabelText(const std::vector<prometheus::ClientMetric::Label>& labels);

}  // namespace hfi::verify

#include "verify/verify.h"

#include <string_view>

namespace hfi::verify {
namespace {

struct Parsed {
  prom::ParseResult result;
  bool has_envoy_families = false;
};

Parsed ParseScrape(const std::string& body) {
  Parsed parsed;
  prom::ParseOptions options;
  // Scrape mode: what the Prometheus server accepts is what matters for a sidecar's metrics.
  options.mode = prom::Mode::kScrape;
  // Only HFI-like families need samples; a sidecar's other thousands of series are only looked
  // at for their names (is this Envoy at all?).
  options.keep = [&parsed](std::string_view family_name) {
    if (family_name.starts_with("envoy_"))
      parsed.has_envoy_families = true;
    return family_name.find("hfi_faults") != std::string_view::npos;
  };
  parsed.result = prom::Parse(body, options);
  return parsed;
}

}  // namespace

SourceReport VerifySource(const Source& source, const Source* baseline,
                          const CheckOptions& options) {
  Parsed current = ParseScrape(source.body);
  ParsedScrape scrape{source.name, &current.result, current.has_envoy_families};
  SourceReport report;
  if (baseline == nullptr) {
    report = CheckScrape(scrape, nullptr, options);
  } else {
    Parsed earlier = ParseScrape(baseline->body);
    ParsedScrape before{baseline->name, &earlier.result, earlier.has_envoy_families};
    report = CheckScrape(scrape, &before, options);
  }
  report.kind = source.kind;
  return report;
}

}  // namespace hfi::verify

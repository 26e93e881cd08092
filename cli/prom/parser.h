// Prometheus text exposition (0.0.4) and OpenMetrics parser producing prometheus-cpp's model.
// Knows nothing about Envoy or HFI: callers decide what the families mean.
#pragma once

#include <prometheus/metric_family.h>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace hfi::prom {

class SampleStore;

enum class Mode {
  kStrict,  // what Prometheus' client libraries (expfmt) accept: the first error stops the parse
  kScrape,  // what the Prometheus server accepts: tolerant, bad lines are skipped with diagnostics
};

enum class Format { kText, kOpenMetrics };  // OpenMetrics is recognised by its `# EOF` line

struct Diagnostic {
  std::size_t line = 0;    // 1-based
  std::size_t column = 0;  // 1-based, in bytes
  bool error = true;       // false: a warning that does not invalidate the input
  std::string message;     // without location, e.g. "expected value after metric name"
  std::string excerpt;     // the offending line, cut to a readable length

  // "source:line:column: message" (the form every error message uses).
  std::string Format(std::string_view source) const;
};

// One sample line as written, for the checks that prometheus-cpp's model cannot express
// (a missing `_sum`, a bucket out of order, `+Inf` absent, duplicate series).
struct Sample {
  std::string name;  // full sample name, e.g. "x_bucket"
  std::vector<prometheus::ClientMetric::Label> labels;
  double value = 0;
  std::int64_t timestamp_ms = 0;
  bool has_timestamp = false;
  std::size_t line = 0;
};

// A family as exposed: its TYPE (kUntyped when absent), its samples in input order and
// prometheus-cpp's model of them (histogram buckets as cumulative counts with their upper
// bounds, `+Inf` last). The parse keeps samples compactly; samples() and model() build the
// public forms on first use and keep them (neither is safe to call for the first time from two
// threads at once on one family). Copies of a Family share what has been built.
class Family {
 public:
  std::string name;
  prometheus::MetricType type = prometheus::MetricType::Untyped;
  bool has_type_line = false;
  std::size_t type_line = 0;  // line of `# TYPE`, 0 if none
  std::string help;

  // Empty for a family the keep filter left out.
  const std::vector<Sample>& samples() const;
  std::size_t sample_count() const;
  // The default (empty) model for a family the keep filter left out.
  const prometheus::MetricFamily& model() const;
  // A model built afresh and not kept: going over every family with it keeps one model in memory
  // at a time.
  prometheus::MetricFamily BuildModel() const;
  // Frees what samples() and model() built; they build it again when asked.
  void Release() const;

  // For a family built by hand rather than parsed: its samples to fill in; model() is built from
  // them (and from `type`) when first asked for after the last call.
  std::vector<Sample>& mutable_samples();

 private:
  friend class Scanner;

  std::shared_ptr<const SampleStore> store_;  // null for a family built by hand
  std::size_t index_ = 0;                     // in store_
  mutable std::shared_ptr<std::vector<Sample>> samples_;
  mutable std::shared_ptr<const prometheus::MetricFamily> model_;
};

struct ParseOptions {
  Mode mode = Mode::kScrape;
  // When set, only families for which keep(name) is true get samples and a model; the rest are
  // still fully checked for syntax. Lets `verify` skip storing 50 MB of unrelated series.
  std::function<bool(std::string_view family_name)> keep;
};

struct ParseResult {
  Format format = Format::kText;
  std::vector<Family> families;  // in order of first appearance
  std::vector<Diagnostic> diagnostics;
  std::size_t lines = 0;    // lines in the input, all of them even when strict mode stopped early
  std::size_t samples = 0;  // all sample lines seen, kept or not

  // False when any diagnostic is an error (in strict mode there is at most one).
  bool ok() const;
  const Family* Find(std::string_view family_name) const;
  // Every family's model, in order (e.g. for prometheus-cpp's TextSerializer); built afresh.
  std::vector<prometheus::MetricFamily> Models() const;
};

ParseResult Parse(std::string_view text, const ParseOptions& options = {});

}  // namespace hfi::prom

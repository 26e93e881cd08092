// Round trip: generated prometheus-cpp models -> prometheus-cpp's TextSerializer -> Parse ->
// the same models, for every metric type and label values that need escaping.
#include <gtest/gtest.h>
#include <prometheus/text_serializer.h>

#include <cmath>
#include <limits>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "prom/parser.h"

namespace hfi::prom {
namespace {

using prometheus::ClientMetric;
using prometheus::MetricFamily;
using prometheus::MetricType;

// TextSerializer prints 16 significant digits, so generated values are multiples of 1/8 below
// 2^40 (exact in that many digits), plus the special values it spells `Nan`, `+Inf`, `-Inf`.
double RandomValue(std::mt19937& rng, bool specials) {
  const int pick = static_cast<int>(rng() % 20);
  if (specials && pick == 0)
    return std::numeric_limits<double>::quiet_NaN();
  if (specials && pick == 1)
    return std::numeric_limits<double>::infinity();
  if (specials && pick == 2)
    return -std::numeric_limits<double>::infinity();
  const double v = static_cast<double>(rng() % (1ULL << 30)) / 8.0;
  return (specials && pick == 3) ? -v : v;
}

std::string RandomLabelValue(std::mt19937& rng) {
  // Backslash, quote and newline must be escaped by the serializer and unescaped by us; the
  // rest are characters a naive parser trips over inside a value.
  static const char* const kPieces[] = {"\\", "\"", "\n", "a", "Z", "0",  " ",   "{",    "}",
                                        ",",  "=",  "#",  "é", "€", "le", "\\n", "\\\"", ""};
  std::string out;
  const std::size_t len = rng() % 6;
  for (std::size_t i = 0; i < len; ++i)
    out += kPieces[rng() % std::size(kPieces)];
  return out;
}

std::vector<ClientMetric::Label> RandomLabels(std::mt19937& rng, int series) {
  std::vector<ClientMetric::Label> labels;
  labels.push_back({"series", std::to_string(series)});  // keeps label sets distinct
  static const char* const kNames[] = {"method", "path", "code", "_under", "x1"};
  const std::size_t extra = rng() % 4;
  for (std::size_t i = 0; i < extra; ++i)
    labels.push_back({kNames[i], RandomLabelValue(rng)});
  return labels;
}

MetricFamily RandomFamily(std::mt19937& rng, MetricType type, int index) {
  MetricFamily f;
  f.name = "family_" + std::to_string(index);
  // prometheus-cpp 1.0.1 writes HELP without escaping `\` or newlines, so generated help text
  // avoids them (a newline would end the HELP line for any parser).
  f.help = (rng() % 2 == 0) ? "" : "Help text with \"quotes\" and é.";
  f.type = type;
  const int series = 1 + static_cast<int>(rng() % 4);
  for (int s = 0; s < series; ++s) {
    ClientMetric m;
    m.label = RandomLabels(rng, s);
    if (rng() % 3 == 0)
      m.timestamp_ms = static_cast<std::int64_t>(rng() % 2000000000000ULL) + 1;
    switch (type) {
      case MetricType::Counter:
        m.counter.value = RandomValue(rng, true);
        break;
      case MetricType::Gauge:
        m.gauge.value = RandomValue(rng, true);
        break;
      case MetricType::Untyped:
        m.untyped.value = RandomValue(rng, true);
        break;
      case MetricType::Histogram: {
        std::uint64_t count = 0;
        double bound = 0.25;
        const std::size_t buckets = rng() % 20;
        for (std::size_t b = 0; b < buckets; ++b) {
          count += rng() % 5;
          m.histogram.bucket.push_back({count, bound});
          bound *= 2 + static_cast<double>(rng() % 3);
        }
        count += rng() % 5;
        m.histogram.bucket.push_back({count, std::numeric_limits<double>::infinity()});
        m.histogram.sample_count = count;
        m.histogram.sample_sum = RandomValue(rng, false);
        break;
      }
      case MetricType::Summary: {
        for (double q : {0.0, 0.5, 0.9, 0.99, 1.0}) {
          if (rng() % 2 == 0)
            m.summary.quantile.push_back({q, RandomValue(rng, true)});
        }
        m.summary.sample_count = rng() % 100000;
        m.summary.sample_sum = RandomValue(rng, false);
        break;
      }
      default:
        break;
    }
    f.metric.push_back(m);
  }
  return f;
}

void ExpectSameValue(double want, double got, const std::string& what) {
  if (std::isnan(want)) {
    EXPECT_TRUE(std::isnan(got)) << what;
  } else {
    EXPECT_EQ(want, got) << what;
  }
}

void ExpectSameFamily(const MetricFamily& want, const MetricFamily& got) {
  SCOPED_TRACE(want.name);
  EXPECT_EQ(want.name, got.name);
  EXPECT_EQ(want.help, got.help);
  EXPECT_EQ(want.type, got.type);
  ASSERT_EQ(want.metric.size(), got.metric.size());
  for (std::size_t i = 0; i < want.metric.size(); ++i) {
    const ClientMetric& w = want.metric[i];
    const ClientMetric& g = got.metric[i];
    EXPECT_EQ(w.label, g.label) << "series " << i;
    EXPECT_EQ(w.timestamp_ms, g.timestamp_ms) << "series " << i;
    ExpectSameValue(w.counter.value, g.counter.value, "counter");
    ExpectSameValue(w.gauge.value, g.gauge.value, "gauge");
    ExpectSameValue(w.untyped.value, g.untyped.value, "untyped");
    EXPECT_EQ(w.histogram.sample_count, g.histogram.sample_count);
    ExpectSameValue(w.histogram.sample_sum, g.histogram.sample_sum, "histogram sum");
    ASSERT_EQ(w.histogram.bucket.size(), g.histogram.bucket.size());
    for (std::size_t b = 0; b < w.histogram.bucket.size(); ++b) {
      EXPECT_EQ(w.histogram.bucket[b].upper_bound, g.histogram.bucket[b].upper_bound);
      EXPECT_EQ(w.histogram.bucket[b].cumulative_count, g.histogram.bucket[b].cumulative_count);
    }
    EXPECT_EQ(w.summary.sample_count, g.summary.sample_count);
    ExpectSameValue(w.summary.sample_sum, g.summary.sample_sum, "summary sum");
    ASSERT_EQ(w.summary.quantile.size(), g.summary.quantile.size());
    for (std::size_t q = 0; q < w.summary.quantile.size(); ++q) {
      EXPECT_EQ(w.summary.quantile[q].quantile, g.summary.quantile[q].quantile);
      ExpectSameValue(w.summary.quantile[q].value, g.summary.quantile[q].value, "quantile");
    }
  }
}

TEST(RoundTrip, TextSerializerOutputParsesToTheSameModel) {
  std::mt19937 rng(20240611);
  const MetricType kTypes[] = {MetricType::Counter, MetricType::Gauge, MetricType::Untyped,
                               MetricType::Histogram, MetricType::Summary};
  for (int round = 0; round < 40; ++round) {
    std::vector<MetricFamily> families;
    for (int i = 0; i < 10; ++i) {
      families.push_back(RandomFamily(rng, kTypes[(round + i) % 5], i));
    }
    std::ostringstream out;
    prometheus::TextSerializer().Serialize(out, families);
    const std::string text = out.str();
    for (Mode mode : {Mode::kStrict, Mode::kScrape}) {
      ParseOptions options;
      options.mode = mode;
      const ParseResult r = Parse(text, options);
      ASSERT_TRUE(r.ok()) << r.diagnostics[0].Format("serialized") << "\n" << text;
      EXPECT_TRUE(r.diagnostics.empty());
      ASSERT_EQ(r.families.size(), families.size());
      for (std::size_t i = 0; i < families.size(); ++i) {
        ExpectSameFamily(families[i], r.families[i].model());
      }
    }
  }
}

}  // namespace
}  // namespace hfi::prom

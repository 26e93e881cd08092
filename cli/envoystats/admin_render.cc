#include "envoystats/admin_render.h"

#include <algorithm>
#include <charconv>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <iterator>
#include <utility>
#include <vector>

namespace hfi::envoystats {
namespace {

constexpr std::string_view kCustomNamespace = "wasmcustom";

// Envoy formats bounds and sums with {:.32g} (facts §2): 0.5, 1, 3600000, 5531.1160155998386...
std::string FormatG32(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.32g", v);
  return buf;
}

std::string FormatU64(std::uint64_t v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%" PRIu64, v);
  return buf;
}

bool Visible(std::string_view name, bool used, const RenderOptions& options) {
  if (options.used_only && !used)
    return false;
  if (options.filter != nullptr && !options.filter->Search(name))
    return false;
  return true;
}

// /stats prints quantiles in their shortest round-trip form; `nan` when there is no data.
std::string FormatQuantile(double v) {
  if (std::isnan(v))
    return "nan";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  if (ec != std::errc())
    return "nan";
  return std::string(buf, end);
}

constexpr double kSupportedQuantiles[] = {0, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 0.995, 0.999, 1};
constexpr const char* kQuantileLabels[] = {"P0",  "P25", "P50",   "P75",   "P90",
                                           "P95", "P99", "P99.5", "P99.9", "P100"};

}  // namespace

std::optional<std::string> PrometheusName(std::string_view internal_name) {
  std::string_view rest = internal_name;
  bool custom = false;
  auto dot = internal_name.find('.');
  if (dot != std::string_view::npos && internal_name.substr(0, dot) == kCustomNamespace) {
    rest = internal_name.substr(dot + 1);
    custom = true;
  }
  std::string out = custom ? std::string() : std::string("envoy_");
  out.reserve(out.size() + rest.size());
  for (char c : rest) {
    bool ok =
        (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    out.push_back(ok ? c : '_');
  }
  if (custom && (out.empty() || (out[0] >= '0' && out[0] <= '9')))
    return std::nullopt;
  return out;
}

std::string RenderPrometheus(const StatStore& store, const RenderOptions& options) {
  std::string out;
  auto scalar_family = [&](const std::string& name, const char* type, std::uint64_t value) {
    auto prom = PrometheusName(name);
    if (!prom)
      return;
    out += "# TYPE " + *prom + " " + type + "\n";
    out += *prom + "{} " + FormatU64(value) + "\n";
  };
  // Envoy writes every counter family, then gauges, then histograms, each sorted by name.
  for (const auto& [name, c] : store.counters()) {
    if (Visible(name, c.used(), options))
      scalar_family(name, "counter", c.value());
  }
  for (const auto& [name, g] : store.gauges()) {
    if (Visible(name, g.used(), options))
      scalar_family(name, "gauge", g.value());
  }
  for (const auto& [name, h] : store.histograms()) {
    if (!Visible(name, h.used(), options))
      continue;
    auto prom = PrometheusName(name);
    if (!prom)
      continue;
    out += "# TYPE " + *prom + " histogram\n";
    const auto& bounds = h.bounds();
    const auto& counts = h.cumulative_bucket_counts();
    for (std::size_t i = 0; i < bounds.size(); ++i) {
      out += *prom + "_bucket{le=\"" + FormatG32(bounds[i]) + "\"} " + FormatU64(counts[i]) + "\n";
    }
    out += *prom + "_bucket{le=\"+Inf\"} " + FormatU64(h.sample_count()) + "\n";
    out += *prom + "_sum{} " + FormatG32(h.sample_sum()) + "\n";
    out += *prom + "_count{} " + FormatU64(h.sample_count()) + "\n";
  }
  return out;
}

std::string RenderStatsText(const StatStore& store, const RenderOptions& options) {
  // Counters and gauges together in name order, then histograms (StatsRequest's phases).
  std::vector<std::pair<std::string_view, std::uint64_t>> scalars;
  for (const auto& [name, c] : store.counters()) {
    if (Visible(name, c.used(), options))
      scalars.emplace_back(name, c.value());
  }
  for (const auto& [name, g] : store.gauges()) {
    if (Visible(name, g.used(), options))
      scalars.emplace_back(name, g.value());
  }
  std::sort(scalars.begin(), scalars.end());
  std::string out;
  for (const auto& [name, value] : scalars) {
    out.append(name).append(": ").append(FormatU64(value)).append("\n");
  }
  for (const auto& [name, h] : store.histograms()) {
    if (!Visible(name, h.used(), options))
      continue;
    out.append(name).append(": ");
    if (h.sample_count() == 0) {
      out += "No recorded values\n";
      continue;
    }
    for (std::size_t i = 0; i < std::size(kSupportedQuantiles); ++i) {
      if (i > 0)
        out += " ";
      out += std::string(kQuantileLabels[i]) + "(" +
             FormatQuantile(h.IntervalQuantile(kSupportedQuantiles[i])) + "," +
             FormatQuantile(h.CumulativeQuantile(kSupportedQuantiles[i])) + ")";
    }
    out += "\n";
  }
  return out;
}

namespace {

std::string JsonString(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += c;
        }
    }
  }
  return out + "\"";
}

std::string JsonNumberOrNull(double v) {
  return std::isnan(v) ? "null" : FormatQuantile(v);
}

}  // namespace

std::string RenderStatsJson(const StatStore& store, const RenderOptions& options) {
  std::vector<std::pair<std::string_view, std::uint64_t>> scalars;
  for (const auto& [name, c] : store.counters()) {
    if (Visible(name, c.used(), options))
      scalars.emplace_back(name, c.value());
  }
  for (const auto& [name, g] : store.gauges()) {
    if (Visible(name, g.used(), options))
      scalars.emplace_back(name, g.value());
  }
  std::sort(scalars.begin(), scalars.end());
  std::string out = "{\"stats\":[";
  bool first = true;
  for (const auto& [name, value] : scalars) {
    if (!first)
      out += ",";
    first = false;
    out += "{\"name\":" + JsonString(name) + ",\"value\":" + FormatU64(value) + "}";
  }
  std::string computed;
  bool any_histogram = false;
  for (const auto& [name, h] : store.histograms()) {
    if (!Visible(name, h.used(), options))
      continue;
    if (any_histogram)
      computed += ",";
    any_histogram = true;
    computed += "{\"name\":" + JsonString(name) + ",\"values\":[";
    for (std::size_t i = 0; i < std::size(kSupportedQuantiles); ++i) {
      if (i > 0)
        computed += ",";
      computed +=
          "{\"interval\":" + JsonNumberOrNull(h.IntervalQuantile(kSupportedQuantiles[i])) +
          ",\"cumulative\":" + JsonNumberOrNull(h.CumulativeQuantile(kSupportedQuantiles[i])) + "}";
    }
    computed += "]}";
  }
  if (any_histogram) {
    if (!first)
      out += ",";
    out += "{\"histograms\":{\"supported_quantiles\":[";
    for (std::size_t i = 0; i < std::size(kSupportedQuantiles); ++i) {
      if (i > 0)
        out += ",";
      out += FormatQuantile(kSupportedQuantiles[i] * 100);
    }
    out += "],\"computed_quantiles\":[" + computed + "]}}";
  }
  out += "]}\n";
  return out;
}

}  // namespace hfi::envoystats

#include "verify/scrape_index.h"

#include <algorithm>

namespace hfi::verify {

ScrapeIndex::ScrapeIndex(const prom::ParseResult& result) : result_(&result) {
  for (const prom::Family& family : result.families) {
    for (const prom::Sample& sample : family.samples()) {
      if (std::optional<NameMatch> match = ClassifyName(sample.name)) {
        hits_.push_back(Hit{&family, &sample, *match});
      }
    }
  }
  // Families are in order of first appearance, but a histogram's samples may be spread over
  // several untyped families; findings read best in line order.
  std::stable_sort(hits_.begin(), hits_.end(),
                   [](const Hit& a, const Hit& b) { return a.sample->line < b.sample->line; });
}

std::vector<const Hit*> ScrapeIndex::Expected(const metrics::MetricName& metric,
                                              std::optional<Part> part) const {
  std::vector<const Hit*> out;
  for (const Hit& hit : hits_) {
    if (hit.match.Is(metric) && hit.match.spelling == Spelling::kExpected &&
        (!part || hit.match.part == *part)) {
      out.push_back(&hit);
    }
  }
  return out;
}

std::optional<double> ScrapeIndex::Total(const metrics::MetricName& metric, Part part) const {
  std::optional<double> total;
  for (const Hit* hit : Expected(metric, part))
    total = total.value_or(0) + hit->sample->value;
  return total;
}

const prom::Family* ScrapeIndex::FamilyNamed(std::string_view name) const {
  for (const prom::Family& family : result_->families) {
    if (family.name == name)
      return &family;
  }
  return nullptr;
}

std::string LabelText(const std::vector<prometheus::ClientMetric::Label>& labels) {
  std::vector<const prometheus::ClientMetric::Label*> kept;
  for (const auto& label : labels) {
    if (label.name != "le")
      kept.push_back(&label);
  }
  if (kept.empty())
    return "";
  std::sort(kept.begin(), kept.end(),
            [](const auto* a, const auto* b) { return a->name < b->name; });
  std::string text = "{";
  for (const auto* label : kept) {
    if (text.size() > 1)
      text += ',';
    text += label->name + "=\"";
    for (char c : label->value) {
      if (c == '"' || c == '\\')
        text += '\\';
      if (c == '\n') {
        text += "\\n";
        continue;
      }
      text += c;
    }
    text += '"';
  }
  return text + "}";
}

}  // namespace hfi::verify

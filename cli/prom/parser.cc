#include "prom/parser.h"

#include <algorithm>

#include "prom/scanner.h"
#include "prom/store.h"

namespace hfi::prom {

std::string Diagnostic::Format(std::string_view source) const {
  std::string out(source);
  out += ':';
  out += std::to_string(line);
  out += ':';
  out += std::to_string(column);
  out += ": ";
  out += message;
  return out;
}

bool ParseResult::ok() const {
  for (const Diagnostic& d : diagnostics) {
    if (d.error)
      return false;
  }
  return true;
}

const Family* ParseResult::Find(std::string_view family_name) const {
  for (const Family& f : families) {
    if (f.name == family_name)
      return &f;
  }
  return nullptr;
}

const std::vector<Sample>& Family::samples() const {
  if (!samples_) {
    samples_ = std::make_shared<std::vector<Sample>>(store_ ? store_->MakeSamples(index_, name)
                                                            : std::vector<Sample>());
  }
  return *samples_;
}

std::size_t Family::sample_count() const {
  if (store_)
    return store_->families[index_].samples;
  return samples_ ? samples_->size() : 0;
}

const prometheus::MetricFamily& Family::model() const {
  if (!model_)
    model_ = std::make_shared<const prometheus::MetricFamily>(BuildModel());
  return *model_;
}

prometheus::MetricFamily Family::BuildModel() const {
  prometheus::MetricFamily model;
  if (store_) {
    store_->BuildModel(index_, name, help, &model);
    return model;
  }
  if (!samples_)
    return model;
  // A family built by hand: its samples in the store's form, just for this build.
  std::vector<std::string> suffixes;
  std::vector<LabelView> labels;
  std::size_t label_count = 0;
  for (const Sample& s : *samples_)
    label_count += s.labels.size();
  labels.reserve(label_count);
  std::vector<CompactSample> compact(samples_->size());
  for (std::size_t i = 0; i < samples_->size(); ++i) {
    const Sample& s = (*samples_)[i];
    CompactSample& c = compact[i];
    const std::string_view suffix = std::string_view(s.name).starts_with(name)
                                        ? std::string_view(s.name).substr(name.size())
                                        : std::string_view(s.name);
    auto it = std::find(suffixes.begin(), suffixes.end(), suffix);
    if (it == suffixes.end())
      it = suffixes.emplace(suffixes.end(), suffix);
    c.suffix = static_cast<std::uint16_t>(it - suffixes.begin());
    c.labels = labels.data() + labels.size();
    c.label_count = static_cast<std::uint32_t>(s.labels.size());
    for (const auto& l : s.labels)
      labels.push_back({l.name, l.value});
    c.value = s.value;
    c.timestamp_ms = s.timestamp_ms;
    c.has_timestamp = s.has_timestamp;
    c.line = s.line;
  }
  ModelBuilder().Build(name, help, KindOf(type), false, compact, suffixes, &model);
  return model;
}

void Family::Release() const {
  if (store_)
    samples_.reset();  // a family built by hand has nothing else to build them from
  model_.reset();
}

std::vector<Sample>& Family::mutable_samples() {
  if (!samples_) {
    samples_ = std::make_shared<std::vector<Sample>>(store_ ? store_->MakeSamples(index_, name)
                                                            : std::vector<Sample>());
  }
  store_.reset();
  model_.reset();
  return *samples_;
}

std::vector<prometheus::MetricFamily> ParseResult::Models() const {
  std::vector<prometheus::MetricFamily> models;
  models.reserve(families.size());
  for (const Family& f : families)
    models.push_back(f.BuildModel());
  return models;
}

ParseResult Parse(std::string_view text, const ParseOptions& options) {
  ParseResult result;
  Scanner scanner(text, options, &result);
  scanner.Run();
  return result;
}

}  // namespace hfi::prom

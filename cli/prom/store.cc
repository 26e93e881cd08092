#include "prom/store.h"

#include <cstring>
#include <stdexcept>

namespace hfi::prom {

std::uint16_t SampleStore::SuffixId(std::string_view suffix) {
  for (std::size_t i = 0; i < suffixes_.size(); ++i) {
    if (suffixes_[i] == suffix)
      return static_cast<std::uint16_t>(i);
  }
  // The scanner attaches samples by a fixed list of suffixes, so this stays tiny.
  if (suffixes_.size() > UINT16_MAX)
    throw std::length_error("too many sample name suffixes");
  suffixes_.emplace_back(suffix);
  return static_cast<std::uint16_t>(suffixes_.size() - 1);
}

std::string_view SampleStore::Copy(std::string_view text) {
  if (text.empty())
    return {};
  char* p = chars_.Allocate(text.size());
  std::memcpy(p, text.data(), text.size());
  return {p, text.size()};
}

void SampleStore::AddRun(std::size_t family, std::span<const CompactSample> samples) {
  if (samples.empty())
    return;
  CompactSample* p = samples_.Allocate(samples.size());
  std::copy(samples.begin(), samples.end(), p);
  FamilyRecord& record = families[family];
  const std::size_t run = runs_.size();
  runs_.push_back(Run{p, samples.size(), kNone});
  if (record.last_run == kNone) {
    record.first_run = run;
  } else {
    runs_[record.last_run].next = run;
  }
  record.last_run = run;
  record.samples += samples.size();
}

std::span<const CompactSample> SampleStore::Samples(std::size_t family,
                                                    std::vector<CompactSample>* scratch) const {
  const FamilyRecord& record = families[family];
  if (record.first_run == kNone)
    return {};
  if (record.first_run == record.last_run) {
    const Run& run = runs_[record.first_run];
    return {run.begin, run.size};
  }
  scratch->clear();
  scratch->reserve(record.samples);
  for (std::size_t r = record.first_run; r != kNone; r = runs_[r].next)
    scratch->insert(scratch->end(), runs_[r].begin, runs_[r].begin + runs_[r].size);
  return *scratch;
}

std::vector<Sample> SampleStore::MakeSamples(std::size_t family,
                                             std::string_view family_name) const {
  std::vector<CompactSample> scratch;
  const std::span<const CompactSample> compact = Samples(family, &scratch);
  std::vector<Sample> out(compact.size());
  for (std::size_t i = 0; i < compact.size(); ++i) {
    const CompactSample& c = compact[i];
    Sample& s = out[i];
    const std::string& suffix = suffixes_[c.suffix];
    s.name.reserve(family_name.size() + suffix.size());
    s.name.append(family_name).append(suffix);
    s.labels.resize(c.label_count);
    for (std::size_t l = 0; l < c.label_count; ++l) {
      s.labels[l].name.assign(c.labels[l].name);
      s.labels[l].value.assign(c.labels[l].value);
    }
    s.value = c.value;
    s.timestamp_ms = c.timestamp_ms;
    s.has_timestamp = c.has_timestamp;
    s.line = c.line;
  }
  return out;
}

void SampleStore::BuildModel(std::size_t family, std::string_view name, std::string_view help,
                             prometheus::MetricFamily* model) const {
  const FamilyRecord& record = families[family];
  if (!record.kept)
    return;
  // Scratch space kept from one family to the next: a caller asks for tens of thousands.
  thread_local ModelBuilder builder;
  thread_local std::vector<CompactSample> scratch;
  builder.Build(name, help, record.kind, open_metrics, Samples(family, &scratch), suffixes_, model);
}

}  // namespace hfi::prom

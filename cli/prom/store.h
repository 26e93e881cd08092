// The compact result of a parse: every kept sample as one fixed-size record (value, timestamp,
// line, its labels as views into text the store owns), grouped into runs per family. The public
// Sample vectors and prometheus-cpp models are built from it when a caller asks for them
// (prom/parser.h), so that parsing every family costs a fraction of the input in memory and no
// allocation per sample line. Internal to cli/prom.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "prom/model.h"

namespace hfi::prom {

// Blocks of T that never move: views into them stay valid as the store grows, and growing never
// copies (no old and new buffer side by side at the peak, as a doubling vector would have).
template <typename T>
class Chunks {
 public:
  // n contiguous elements; their values are unspecified.
  T* Allocate(std::size_t n) {
    if (free_ < n) {
      const std::size_t size = std::max(kChunkBytes / sizeof(T), n);
      blocks_.push_back(std::make_unique_for_overwrite<T[]>(size));
      next_ = blocks_.back().get();
      free_ = size;
    }
    T* p = next_;
    next_ += n;
    free_ -= n;
    return p;
  }

 private:
  static constexpr std::size_t kChunkBytes = 256u << 10;
  std::vector<std::unique_ptr<T[]>> blocks_;
  T* next_ = nullptr;
  std::size_t free_ = 0;
};

class SampleStore {
 public:
  static constexpr std::size_t kNone = SIZE_MAX;

  struct FamilyRecord {
    std::size_t first_run = kNone;
    std::size_t last_run = kNone;
    std::size_t samples = 0;
    Kind kind = Kind::kUntyped;  // final, set when the parse ends
    bool kept = false;
  };

  bool open_metrics = false;
  std::vector<FamilyRecord> families;  // parallel to ParseResult::families

  // A sample name is its family's name plus one of a handful of suffixes ("", "_bucket", ...).
  std::uint16_t SuffixId(std::string_view suffix);
  std::string_view Copy(std::string_view text);
  LabelView* AllocateLabels(std::size_t n) { return labels_.Allocate(n); }
  // Appends a run of consecutive samples to the family (a family whose lines are not together
  // has several).
  void AddRun(std::size_t family, std::span<const CompactSample> samples);

  // The family's samples, in input order; gathered into *scratch when they span several runs.
  std::span<const CompactSample> Samples(std::size_t family,
                                         std::vector<CompactSample>* scratch) const;
  std::vector<Sample> MakeSamples(std::size_t family, std::string_view family_name) const;
  // A family the keep filter left out gets the empty model.
  void BuildModel(std::size_t family, std::string_view name, std::string_view help,
                  prometheus::MetricFamily* model) const;

 private:
  struct Run {
    const CompactSample* begin;
    std::size_t size;
    std::size_t next;
  };

  std::vector<Run> runs_;
  std::vector<std::string> suffixes_{std::string()};
  Chunks<char> chars_;
  Chunks<LabelView> labels_;
  Chunks<CompactSample> samples_;
};

}  // namespace hfi::prom

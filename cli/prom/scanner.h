// The one-pass line scanner behind Parse(): splits the input into lines, reads each as a
// comment, metadata or sample line in the dialect of the format and mode, groups samples into
// families and records diagnostics. Internal to cli/prom; callers use prom/parser.h.
#pragma once

#include <cstddef>
#include <cstring>
#include <deque>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "prom/dialect.h"
#include "prom/model.h"
#include "prom/name_index.h"
#include "prom/parser.h"
#include "prom/store.h"
#include "prom/text.h"

namespace hfi::prom {

class Scanner {
 public:
  Scanner(std::string_view text, const ParseOptions& options, ParseResult* result);
  void Run();

 private:
  struct FamilyState {
    Kind kind = Kind::kUntyped;
    bool has_type_line = false;
    bool has_help = false;
    bool has_unit = false;
    bool has_samples = false;
    bool keep = false;
    bool closed = false;  // another family came after this one (OpenMetrics contiguity)
  };

  struct LabelRef {
    std::string_view name;   // raw: without quotes, escapes not applied
    std::string_view value;  // raw bytes between the quotes
    const char* at = nullptr;
    bool name_quoted = false;
    bool value_escaped = false;  // a backslash in the value: copy it through the unescaper
  };

  struct Resolved {
    int family = -1;  // -1: a new untyped family named after the sample
    Role role = Role::kValue;
    std::uint16_t suffix = 0;  // SampleStore::SuffixId of the name minus the family's name
  };

  // ---- diagnostics (scanner.cc) ----
  // Records an error; strict mode stops at the first. Returns false for `return Fail(...)`.
  bool Fail(const char* at, std::string message) {
    AddDiagnostic(at, std::move(message), true);
    if (dialect_.strict)
      stop_ = true;
    return false;
  }
  void Warn(const char* at, std::string message) { AddDiagnostic(at, std::move(message), false); }
  void AddDiagnostic(const char* at, std::string message, bool error);

  // ---- families (scanner.cc) ----
  Resolved Resolve(std::string_view name);
  bool ResolveInCurrentFamily(std::string_view name, Resolved* r) const;
  std::span<const std::string_view> Suffixes() const;
  // The family a metadata line names, found like a sample's or created.
  std::size_t FindOrCreate(std::string_view name);
  std::size_t Create(std::string_view name);
  std::size_t AddFamily(std::string_view key);  // key: stable, already in by_name_
  bool HasGroupingSuffix(std::string_view name) const;
  bool Enter(std::size_t family, const char* at);
  void SetType(std::size_t family, Kind kind);
  void Finish();

  bool InInput(std::string_view name) const {
    return name.data() >= begin_ && name.data() + name.size() <= end_;
  }
  // Only names that are views into the input stay valid for the next line. All of those were
  // read by ScanMetricName, so MatchCachedName may take cache_name_ for a valid name.
  void Remember(std::string_view name, Resolved r) {
    if (InInput(name)) {
      cache_name_ = name;
      cache_ = r;
    } else {
      cache_name_ = {};
    }
  }
  static bool EndsWith(std::string_view s, std::string_view suffix) {
    return s.size() > suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
  }

  // ---- lines and metadata (scanner.cc) ----
  void ParseLine(bool terminated);
  void ParseTextComment(const char* p);
  void ParseHelp(std::size_t family, std::string_view text, const char* text_at);
  void ParseType(std::size_t family, FamilyState& state, std::string_view text,
                 const char* text_at);
  void ParseOpenMetricsComment(const char* p);

  bool IsEofLine(const char* p) const {
    return p == line_ && eol_ - line_ == 5 && std::memcmp(line_, "# EOF", 5) == 0;
  }
  void HandleEof() {
    eof_seen_ = true;
    // A `# EOF` that is not the last line (the tail check missed it) still switches to
    // OpenMetrics: whatever follows is an error.
    result_.format = Format::kOpenMetrics;
  }

  // ---- samples (scanner_samples.cc) ----
  void ParseSample(const char* p);
  const char* ParseLabels(const char* p, Kind kind, std::string_view* quoted_name,
                          bool for_exemplar, std::size_t first = 0);
  const LabelRef* FindLabel(std::string_view name) const;
  bool CheckBoundLabels(Kind kind, Role role);
  bool ParseTimestampAndRest(const char* q, const Resolved& r, Kind kind, CompactSample* sample);
  bool ParseExemplar(const char* q, const Resolved& r, Kind kind);
  void Commit(std::string_view name, Resolved r, const CompactSample& parsed, const char* value_at);
  // labels_ copied into the store, unescaped; text equal to the previous sample's label at the
  // same position is shared, as a histogram's buckets or a family's series repeat their labels.
  const LabelView* StoreLabels();
  std::string_view StoreLabelText(std::string_view raw, bool escaped, std::string_view previous);
  // Moves pending_ into the store as one run of its family.
  void FlushPending();

  // ---- byte scanning within the current line, inline: they run for every byte ----
  // The end of the metric name at p when it is cache_name_ (the last line's, as a run of samples
  // of one family repeats it): one memcmp instead of a byte loop. nullptr when it is not.
  const char* MatchCachedName(const char* p) const {
    const std::size_t n = cache_name_.size();
    if (n == 0 || static_cast<std::size_t>(eol_ - p) < n ||
        std::memcmp(p, cache_name_.data(), n) != 0)
      return nullptr;
    return (p + n == eol_ || !IsMetricNameChar(p[n])) ? p + n : nullptr;
  }
  // Reads [a-zA-Z_:][a-zA-Z0-9_:]* from p; returns the end (p itself if none).
  const char* ScanMetricName(const char* p) const {
    if (p >= eol_ || !IsMetricNameStart(*p))
      return p;
    ++p;
    while (p < eol_ && IsMetricNameChar(*p))
      ++p;
    return p;
  }
  // A double-quoted string from p (at the opening quote) to after the closing one; nullptr if
  // unterminated. Backslash escapes any byte except the line end.
  const char* ScanQuoted(const char* p) const {
    ++p;
    while (p < eol_ && *p != '"')
      p += (*p == '\\' && p + 1 < eol_) ? 2 : 1;
    return p < eol_ ? p + 1 : nullptr;
  }
  const char* SkipBlanks(const char* p) const {
    while (p < eol_ && IsBlank(*p))
      ++p;
    return p;
  }

  const char* begin_;  // the input
  const char* end_;
  const ParseOptions& options_;
  ParseResult& result_;
  Dialect dialect_;

  const char* line_ = nullptr;  // the current line, without its newline
  const char* eol_ = nullptr;
  std::size_t line_no_ = 0;
  bool line_failed_ = false;
  bool stop_ = false;
  bool eof_seen_ = false;
  std::size_t suppressed_ = 0;
  bool suppressed_errors_ = false;

  std::vector<FamilyState> states_;             // parallel to result_.families
  std::vector<std::string_view> family_names_;  // parallel to result_.families, stable
  NameIndex by_name_;                           // over family_names_
  std::deque<std::string> owned_names_;         // unescaped quoted names (not in the input)
  std::size_t suffixed_families_ = 0;           // families named like `x_sum` (see Resolve)
  int current_family_ = -1;
  // The last sample name resolved: consecutive lines of one family skip the hash lookup.
  std::string_view cache_name_;
  Resolved cache_;
  std::vector<LabelRef> labels_;  // the current sample's, reused line after line
  std::string quoted_name_;       // the current sample's unescaped `{"name"}`
  // Kept samples of the family being read, moved into the store in one go when its run ends, so
  // that each run is contiguous.
  std::vector<CompactSample> pending_;
  std::size_t pending_family_ = kNoFamily;
  std::shared_ptr<SampleStore> store_;
  const LabelView* previous_labels_ = nullptr;  // the last stored sample's
  std::size_t previous_label_count_ = 0;
  std::string unescaped_;

  static constexpr std::size_t kNoFamily = SIZE_MAX;
};

}  // namespace hfi::prom

// Lines, metadata, families and diagnostics of the scanner (samples: scanner_samples.cc).
#include "prom/scanner.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <utility>

#include "prom/number.h"

namespace hfi::prom {
namespace {

// A scrape of garbage must not grow the diagnostics without bound (fuzzing, a binary file
// passed by mistake): past this many, problems are only counted.
constexpr std::size_t kMaxDiagnostics = 1000;

}  // namespace

Scanner::Scanner(std::string_view text, const ParseOptions& options, ParseResult* result)
    : begin_(text.data()), end_(text.data() + text.size()), options_(options), result_(*result) {
  result_.format = EndsWithEof(text) ? Format::kOpenMetrics : Format::kText;
  dialect_ = MakeDialect(result_.format, options.mode);
  // Roughly one family per 700 bytes in Envoy's output. Reserving for them spares the copies
  // (and the peak memory of old and new block side by side) of growing step by step; the part
  // of a reservation that turns out too big is never touched, so it costs no resident memory.
  const std::size_t expected_families = std::min<std::size_t>(text.size() / 700, 1u << 20);
  by_name_ = NameIndex(expected_families);
  store_ = std::make_shared<SampleStore>();
  store_->open_metrics = dialect_.open_metrics;
  store_->families.reserve(expected_families);
  result_.families.reserve(expected_families);
  states_.reserve(expected_families);
  family_names_.reserve(expected_families);
}

void Scanner::Run() {
  const char* p = begin_;
  while (p < end_ && !stop_) {
    const auto* nl = static_cast<const char*>(std::memchr(p, '\n', end_ - p));
    line_ = p;
    eol_ = nl != nullptr ? nl : end_;
    ++line_no_;
    ParseLine(nl != nullptr);
    p = nl != nullptr ? nl + 1 : end_;
  }
  // `lines` counts the whole input, also when strict mode stopped early.
  if (p < end_) {
    line_no_ += static_cast<std::size_t>(std::count(p, end_, '\n')) + (end_[-1] != '\n');
  }
  result_.lines = line_no_;
  Finish();
}

void Scanner::AddDiagnostic(const char* at, std::string message, bool error) {
  if (error)
    line_failed_ = true;
  if (result_.diagnostics.size() >= kMaxDiagnostics) {
    ++suppressed_;
    suppressed_errors_ = suppressed_errors_ || error;
    return;
  }
  Diagnostic d;
  d.line = line_no_;
  if (at < line_)
    at = line_;
  if (at > eol_)
    at = eol_;
  d.column = static_cast<std::size_t>(at - line_) + 1;
  d.error = error;
  d.message = std::move(message);
  d.excerpt = SanitizeExcerpt(std::string_view(line_, eol_ - line_));
  result_.diagnostics.push_back(std::move(d));
}

// expfmt's setOrCreateCurrentMF, generalised to OpenMetrics' suffixes: the exact name wins;
// otherwise a known suffix attaches the sample to a base family of a matching type.
Scanner::Resolved Scanner::Resolve(std::string_view name) {
  if (!cache_name_.empty() && name == cache_name_)
    return cache_;
  Resolved r;
  if (ResolveInCurrentFamily(name, &r)) {
    Remember(name, r);
    return r;
  }
  if (std::size_t found = by_name_.Find(name, family_names_); found != NameIndex::kNone) {
    r.family = static_cast<int>(found);
  } else {
    for (std::string_view suffix : Suffixes()) {
      if (!EndsWith(name, suffix))
        continue;
      const std::size_t base =
          by_name_.Find(name.substr(0, name.size() - suffix.size()), family_names_);
      Role role;
      if (base != NameIndex::kNone &&
          SuffixRole(suffix, states_[base].kind, dialect_.open_metrics, &role)) {
        r.family = static_cast<int>(base);
        r.role = role;
        r.suffix = store_->SuffixId(suffix);
        break;
      }
    }
  }
  Remember(name, r);
  return r;
}

// Most lines belong to the family whose TYPE line (or sample) came just before: compare with
// its name instead of hashing. A family literally named like the sample (say `x_sum` next to
// histogram `x`) would win over the suffix, so the shortcut is off when such names exist.
bool Scanner::ResolveInCurrentFamily(std::string_view name, Resolved* r) const {
  if (current_family_ < 0)
    return false;
  const auto family = static_cast<std::size_t>(current_family_);
  const std::string_view base = family_names_[family];
  if (name.size() < base.size() || name.substr(0, base.size()) != base)
    return false;
  const std::string_view suffix = name.substr(base.size());
  Role role;
  if (!SuffixRole(suffix, states_[family].kind, dialect_.open_metrics, &role))
    return false;
  if (!suffix.empty() && suffixed_families_ > 0 &&
      by_name_.Find(name, family_names_) != NameIndex::kNone)
    return false;
  r->family = current_family_;
  r->role = role;
  r->suffix = suffix.empty() ? 0 : store_->SuffixId(suffix);
  return true;
}

// The suffixes that can attach a sample to another family in this format.
std::span<const std::string_view> Scanner::Suffixes() const {
  static constexpr std::string_view kText[] = {"_bucket", "_count", "_sum"};
  static constexpr std::string_view kOpenMetrics[] = {"_bucket",  "_count",  "_sum",  "_total",
                                                      "_created", "_gcount", "_gsum", "_info"};
  if (dialect_.open_metrics)
    return kOpenMetrics;
  return kText;
}

std::size_t Scanner::Create(std::string_view name) {
  // Map keys view the input where the name is written there, else a copy that stays put.
  std::string_view key = name;
  if (!InInput(name))
    key = owned_names_.emplace_back(name);
  bool inserted = false;
  by_name_.FindOrAdd(key, result_.families.size(), family_names_, &inserted);
  return AddFamily(key);
}

std::size_t Scanner::AddFamily(std::string_view key) {
  const std::size_t index = result_.families.size();
  Family& f = result_.families.emplace_back();
  f.name = std::string(key);
  FamilyState& s = states_.emplace_back();
  s.keep = !options_.keep || options_.keep(f.name);
  f.store_ = store_;
  f.index_ = index;
  store_->families.emplace_back().kept = s.keep;
  family_names_.push_back(key);
  if (HasGroupingSuffix(key))
    ++suffixed_families_;
  cache_name_ = {};
  return index;
}

bool Scanner::HasGroupingSuffix(std::string_view name) const {
  for (std::string_view suffix : Suffixes()) {
    if (EndsWith(name, suffix))
      return true;
  }
  return false;
}

std::size_t Scanner::FindOrCreate(std::string_view name) {
  cache_name_ = {};
  if (HasGroupingSuffix(name) || !InInput(name)) {
    const Resolved r = Resolve(name);
    cache_name_ = {};
    return r.family >= 0 ? static_cast<std::size_t>(r.family) : Create(name);
  }
  // Without a grouping suffix only the exact name can match: one hash operation finds the
  // family or makes room for a new one (one per family in Envoy's output, where every family
  // has its TYPE line).
  bool inserted = false;
  const std::size_t found =
      by_name_.FindOrAdd(name, result_.families.size(), family_names_, &inserted);
  if (!inserted)
    return found;
  return AddFamily(name);
}

// OpenMetrics requires each family's lines to be contiguous; the concatenated output of
// Istio's port 15020 can break that, so only the strict mode minds.
bool Scanner::Enter(std::size_t family, const char* at) {
  if (current_family_ >= 0 && static_cast<std::size_t>(current_family_) != family) {
    states_[static_cast<std::size_t>(current_family_)].closed = true;
  }
  current_family_ = static_cast<int>(family);
  if (dialect_.open_metrics && dialect_.strict && states_[family].closed) {
    return Fail(at, "metric family \"" + result_.families[family].name +
                        "\" is interleaved with another family (OpenMetrics needs its lines "
                        "together)");
  }
  return true;
}

void Scanner::ParseLine(bool terminated) {
  line_failed_ = false;
  if (eof_seen_) {
    Fail(line_, "unexpected data after # EOF");
    stop_ = true;
    return;
  }
  const char* p = line_;
  if (dialect_.open_metrics) {
    if (p == eol_) {
      Fail(p, "empty line (OpenMetrics does not allow blank lines)");
      return;
    }
    if (IsBlank(*p)) {
      Fail(p, "line starts with whitespace (OpenMetrics does not allow it)");
      return;
    }
  }
  while (p < eol_ && IsBlank(*p))
    ++p;
  if (p == eol_)
    return;  // blank lines are fine in the text format
  if (*p == '#') {
    if (dialect_.open_metrics) {
      ParseOpenMetricsComment(p);
    } else {
      ParseTextComment(p);
    }
  } else {
    ParseSample(p);
  }
  // expfmt needs the final newline ("unexpected end of input stream"); the Prometheus server
  // appends one itself (facts/anchors.md §4.2).
  if (!terminated && dialect_.strict && !dialect_.open_metrics && !line_failed_ && !stop_ &&
      !eof_seen_) {
    Fail(eol_, "unexpected end of input: the last line has no newline");
  }
}

// `# HELP`, `# TYPE` or a plain comment, as expfmt (strict) or PromParser (scrape) reads it.
void Scanner::ParseTextComment(const char* p) {
  if (IsEofLine(p)) {
    HandleEof();
    return;
  }
  const char* q = p + 1;
  const bool blank_after_hash = q < eol_ && IsBlank(*q);
  q = SkipBlanks(q);
  const char* keyword_begin = q;
  while (q < eol_ && !IsBlank(*q))
    ++q;
  const std::string_view keyword(keyword_begin, q - keyword_begin);
  const bool help = keyword == "HELP";
  // PromParser wants `#` then whitespace before the keyword; expfmt also takes `#TYPE`.
  if ((!help && keyword != "TYPE") || q == eol_ || (!dialect_.strict && !blank_after_hash)) {
    return;  // an ordinary comment
  }
  cache_name_ = {};
  q = SkipBlanks(q);
  const char* name_begin = q;
  std::string_view name;
  if (!dialect_.strict && q < eol_ && *q == '"') {
    const char* end = ScanQuoted(q);
    if (end == nullptr) {
      Fail(q, "metric name in " + std::string(keyword) + " line is not terminated");
      return;
    }
    quoted_name_.clear();
    AppendUnescapedLabelValue(std::string_view(q + 1, end - q - 2), &quoted_name_);
    name = quoted_name_;
    q = end;
  } else {
    q = ScanMetricName(q);
    name = std::string_view(name_begin, q - name_begin);
  }
  if (q == eol_ && dialect_.strict)
    return;  // `# TYPE`, `# HELP name`: expfmt ignores these
  if (name.empty()) {
    Fail(name_begin, "expected a metric name after " + std::string(keyword));
    return;
  }
  if (q < eol_ && !IsBlank(*q)) {
    Fail(q, "invalid character " + Printable(*q) + " in metric name after " + std::string(keyword));
    return;
  }
  std::string_view text;
  if (dialect_.strict) {
    q = SkipBlanks(q);
    text = std::string_view(q, eol_ - q);
  } else if (q < eol_) {
    // PromParser drops exactly one separator; the rest is the text.
    text = std::string_view(q + 1, eol_ - q - 1);
  }
  // expfmt creates the family as soon as the name is read, even if the text is empty.
  const std::size_t family = FindOrCreate(name);
  Enter(family, p);  // text format families need not be contiguous: this cannot fail
  const char* text_at = text.empty() ? q : text.data();
  if (help) {
    ParseHelp(family, text, text_at);
  } else {
    ParseType(family, states_[family], text, text_at);
  }
}

void Scanner::ParseHelp(std::size_t family, std::string_view text, const char* text_at) {
  FamilyState& state = states_[family];
  if (dialect_.strict) {
    if (text.empty())
      return;  // `# HELP name ` sets nothing in expfmt
    if (state.has_help) {
      Fail(text_at, "second HELP line for metric name \"" + result_.families[family].name + "\"");
      return;
    }
    // expfmt knows only `\\` and `\n` in HELP text.
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] != '\\')
        continue;
      if (i + 1 == text.size()) {
        Fail(text.data() + i, "HELP text ends with a lone backslash (write \\\\)");
        return;
      }
      if (text[i + 1] != '\\' && text[i + 1] != 'n') {
        Fail(text.data() + i, "invalid escape sequence '\\" + std::string(1, text[i + 1]) +
                                  "' in HELP text (only \\\\ and \\n are allowed)");
        return;
      }
      ++i;
    }
  } else {
    // The Prometheus server checks the HELP text's encoding; expfmt does not (promtool
    // 2.42 accepts `# HELP a \xff`).
    if (!IsValidUtf8(text)) {
      Fail(text_at, "HELP text is not valid UTF-8");
      return;
    }
    if (state.has_help) {
      Warn(text_at,
           "second HELP line for metric family \"" + result_.families[family].name + "\" ignored");
      return;
    }
  }
  state.has_help = true;
  if (state.keep)
    AppendUnescapedHelp(text, false, &result_.families[family].help);
}

void Scanner::ParseType(std::size_t family, FamilyState& state, std::string_view text,
                        const char* text_at) {
  Kind kind;
  if (dialect_.strict) {
    if (text.empty())
      return;  // `# TYPE name ` sets nothing in expfmt
    // expfmt treats a family with samples as typed (untyped) already.
    if (state.has_type_line || state.has_samples) {
      Fail(text_at, "second TYPE line for metric name \"" + result_.families[family].name +
                        "\", or TYPE reported after samples");
      return;
    }
    if (!TextKindStrict(text, &kind)) {
      Fail(text_at, "unknown metric type " + Quote(text));
      return;
    }
  } else {
    if (!TextKindScrape(text, &kind)) {
      Fail(text_at, "invalid metric type " + Quote(text) +
                        " (expected counter, gauge, histogram, summary or untyped)");
      return;
    }
    // The Prometheus server does not notice these; the first TYPE stays in force.
    if (state.has_type_line) {
      if (kind != state.kind) {
        Warn(text_at, "second TYPE line for metric family \"" + result_.families[family].name +
                          "\" ignored (it was declared " + KindName(state.kind) + ")");
      }
      return;
    }
    if (state.has_samples) {
      Warn(text_at, "TYPE line after samples of metric family \"" + result_.families[family].name +
                        "\" ignored");
      return;
    }
  }
  SetType(family, kind);
}

void Scanner::SetType(std::size_t family, Kind kind) {
  FamilyState& state = states_[family];
  state.kind = kind;
  state.has_type_line = true;
  Family& f = result_.families[family];
  f.type = ModelType(kind);
  f.has_type_line = true;
  f.type_line = line_no_;
}

// OpenMetrics allows exactly `# HELP|TYPE|UNIT name text` and `# EOF`.
void Scanner::ParseOpenMetricsComment(const char* p) {
  if (IsEofLine(p)) {
    HandleEof();
    return;
  }
  const std::string_view line(p, eol_ - p);
  std::string_view keyword;
  for (std::string_view k : {"HELP", "TYPE", "UNIT"}) {
    if (line.size() > 6 && line.substr(0, 2) == "# " && line.substr(2, 4) == k && line[6] == ' ') {
      keyword = k;
    }
  }
  if (keyword.empty()) {
    Fail(p, "invalid comment (OpenMetrics allows only # HELP, # TYPE, # UNIT and # EOF)");
    return;
  }
  cache_name_ = {};
  const char* q = p + 7;
  std::string_view name;
  std::string name_buf;
  if (q < eol_ && *q == '"') {
    const char* end = ScanQuoted(q);
    if (end == nullptr) {
      Fail(q, "metric name in " + std::string(keyword) + " line is not terminated");
      return;
    }
    AppendUnescapedLabelValue(std::string_view(q + 1, end - q - 2), &name_buf);
    name = name_buf;
    q = end;
  } else {
    const char* end = ScanMetricName(q);
    name = std::string_view(q, end - q);
    if (name.empty()) {
      Fail(q, "expected a metric name after " + std::string(keyword));
      return;
    }
    q = end;
  }
  if (q == eol_) {
    Fail(q, "expected text in " + std::string(keyword) + " after the metric name");
    return;
  }
  if (*q != ' ') {
    Fail(q, "invalid character " + Printable(*q) + " in metric name after " + std::string(keyword));
    return;
  }
  ++q;
  const std::string_view text(q, eol_ - q);
  const std::size_t family = FindOrCreate(name);
  if (!Enter(family, p))
    return;
  FamilyState& state = states_[family];
  const auto misplaced = [&](std::string_view what) {
    std::string message =
        std::string(what) + " for metric family \"" + result_.families[family].name + "\"";
    if (dialect_.strict)
      return Fail(p, message);
    Warn(p, message + " ignored");
    return false;
  };
  if (state.has_samples && !misplaced(std::string(keyword) + " line after the samples"))
    return;
  if (keyword == "HELP") {
    if (!IsValidUtf8(text)) {
      Fail(q, "HELP text is not valid UTF-8");
      return;
    }
    if (state.has_help && !misplaced("second HELP line"))
      return;
    state.has_help = true;
    if (state.keep) {
      result_.families[family].help.clear();
      AppendUnescapedHelp(text, true, &result_.families[family].help);
    }
  } else if (keyword == "TYPE") {
    Kind kind;
    if (!OpenMetricsKind(text, &kind)) {
      Fail(q, "invalid metric type " + Quote(text) +
                  " (expected counter, gauge, histogram, gaugehistogram, summary, info, "
                  "stateset or unknown)");
      return;
    }
    if (state.has_type_line && !misplaced("second TYPE line"))
      return;
    SetType(family, kind);
  } else {
    // `# UNIT` is checked and otherwise ignored: prometheus-cpp's model has no unit.
    if (state.has_unit && !misplaced("second UNIT line"))
      return;
    state.has_unit = true;
  }
}

void Scanner::Finish() {
  if (suppressed_ > 0) {
    Diagnostic d;
    d.line = line_no_;
    d.column = 1;
    d.error = suppressed_errors_;
    d.message = std::to_string(suppressed_) + " more problems not listed";
    result_.diagnostics.push_back(std::move(d));
  }
  FlushPending();
  for (std::size_t i = 0; i < states_.size(); ++i)
    store_->families[i].kind = states_[i].kind;
}

}  // namespace hfi::prom

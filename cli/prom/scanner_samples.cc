// Sample lines of the scanner: name, labels, value, timestamp, exemplar, and how a parsed
// sample joins its family.
#include <algorithm>
#include <cmath>
#include <iterator>
#include <string>
#include <utility>

#include "prom/number.h"
#include "prom/scanner.h"

namespace hfi::prom {

// Parses `{...}` starting at p ('{'). Appends to labels_ (duplicates are looked for from
// labels_[first] on); sets *name if a quoted metric name appears inside. Returns the position
// after '}', or nullptr after reporting an error.
const char* Scanner::ParseLabels(const char* p, Kind kind, std::string_view* quoted_name,
                                 bool for_exemplar, std::size_t first) {
  const char* q = p + 1;
  bool after_comma = false;
  for (;;) {
    if (dialect_.blanks_in_labels)
      q = SkipBlanks(q);
    if (q == eol_) {
      Fail(q, "label set is not closed (missing '}')");
      return nullptr;
    }
    if (*q == '}') {
      if (after_comma && !dialect_.trailing_comma_ok) {
        Fail(q, "trailing ',' before '}' (OpenMetrics does not allow it)");
        return nullptr;
      }
      return q + 1;
    }
    const char* name_at = q;
    LabelRef label;
    label.at = name_at;
    if (IsLabelNameStart(*q)) {
      ++q;
      while (q < eol_ && IsLabelNameChar(*q))
        ++q;
      label.name = std::string_view(name_at, q - name_at);
    } else if (*q == '"' && dialect_.quoted_names) {
      const char* end = ScanQuoted(q);
      if (end == nullptr) {
        Fail(q, "quoted name is not terminated (missing '\"')");
        return nullptr;
      }
      label.name = std::string_view(q + 1, end - q - 2);
      label.name_quoted = true;
      q = end;
    } else {
      Fail(q, "expected a label name, found " + Printable(*q));
      return nullptr;
    }
    if (dialect_.blanks_in_labels)
      q = SkipBlanks(q);
    if (label.name_quoted && !for_exemplar && q < eol_ && (*q == ',' || *q == '}')) {
      // `{"my.metric", a="b"}`: a quoted string without `=` is the metric name.
      if (quoted_name == nullptr || !quoted_name->empty()) {
        Fail(name_at, "metric name given twice");
        return nullptr;
      }
      *quoted_name = label.name;
      if (*q == ',')
        ++q;
      after_comma = false;
      continue;
    }
    if (q == eol_ || *q != '=') {
      Fail(q, "expected '=' after label name " + Quote(label.name));
      return nullptr;
    }
    ++q;
    if (dialect_.blanks_in_labels)
      q = SkipBlanks(q);
    if (q == eol_ || *q != '"') {
      Fail(q, "expected '\"' to start the value of label " + Quote(label.name));
      return nullptr;
    }
    const char* value_begin = ++q;
    unsigned char high = 0;
    for (;;) {
      q = SkipPlainValueBytes(q, eol_);
      if (q == eol_ || *q == '"')
        break;
      if (*q == '\\') {
        if (q + 1 == eol_)
          break;
        label.value_escaped = true;
        const char next = q[1];
        if (next != '\\' && next != '"' && next != 'n') {
          if (!dialect_.unknown_escape_ok) {
            Fail(q, "invalid escape sequence '\\" + std::string(1, next) +
                        "' in label value (only \\\\, \\\" and \\n are allowed)");
            return nullptr;
          }
          if (dialect_.warn_unknown_escape) {
            Warn(q, "unknown escape sequence '\\" + std::string(1, next) +
                        "' in label value kept as written");
          }
        }
        q += 2;
        continue;
      }
      high |= static_cast<unsigned char>(*q);
      ++q;
    }
    if (q == eol_) {
      Fail(value_begin - 1,
           "label value is not terminated (missing '\"'; a newline in a value must be "
           "written \\n)");
      return nullptr;
    }
    label.value = std::string_view(value_begin, q - value_begin);
    ++q;
    if ((high & 0x80) != 0 && !IsValidUtf8(label.value)) {
      Fail(value_begin - 1, "label value of " + Quote(label.name) + " is not valid UTF-8");
      return nullptr;
    }
    if (label.name == "__name__") {
      Fail(name_at, "label name \"__name__\" is reserved");
      return nullptr;
    }
    // expfmt keeps `le` (histograms) and `quantile` (summaries) apart from the labels, so
    // repeating them is not a duplicate there (promtool 2.42 accepts `{le="1",le="2"}`).
    const bool special = dialect_.strict && !dialect_.open_metrics &&
                         ((kind == Kind::kHistogram && label.name == "le") ||
                          (kind == Kind::kSummary && label.name == "quantile"));
    if (!special) {
      for (std::size_t i = first; i < labels_.size(); ++i) {
        if (labels_[i].name == label.name) {
          Fail(name_at, "duplicate label name " + Quote(label.name));
          return nullptr;
        }
      }
    }
    labels_.push_back(label);
    if (dialect_.blanks_in_labels)
      q = SkipBlanks(q);
    if (q < eol_ && *q == ',') {
      ++q;
      after_comma = true;
      continue;
    }
    if (q < eol_ && *q == '}')
      return q + 1;
    if (dialect_.missing_comma_ok && q < eol_ && (IsLabelNameStart(*q) || *q == '"')) {
      Warn(q, "missing ',' between labels");
      after_comma = false;
      continue;
    }
    if (q == eol_) {
      Fail(q, "label set is not closed (missing '}')");
    } else {
      Fail(q, "expected ',' or '}' after label value, found " + Printable(*q));
    }
    return nullptr;
  }
}

// Value of the first label called `name`, raw, or nullptr.
const Scanner::LabelRef* Scanner::FindLabel(std::string_view name) const {
  for (const LabelRef& l : labels_) {
    if (!l.name_quoted && l.name == name)
      return &l;
  }
  return nullptr;
}

// `le` of histogram buckets and `quantile` of summaries: expfmt rejects a non-float at parse
// time, OpenMetrics' spec suite also rejects a missing one and non-canonical spellings;
// the Prometheus server takes anything. The model needs the float, so scrape mode warns.
bool Scanner::CheckBoundLabels(Kind kind, Role role) {
  const bool histogram = kind == Kind::kHistogram || kind == Kind::kGaugeHistogram;
  if (!histogram && kind != Kind::kSummary)
    return true;
  if (kind == Kind::kGaugeHistogram && !dialect_.open_metrics)
    return true;
  const std::string_view label_name = histogram ? "le" : "quantile";
  const bool applies = histogram ? role == Role::kBucket : role == Role::kValue;
  const bool text_strict = dialect_.strict && !dialect_.open_metrics;
  for (const LabelRef& l : labels_) {
    if (l.name_quoted || l.name != label_name)
      continue;
    // expfmt parses `le`/`quantile` on every sample of the family, e.g. on `x_sum` too.
    if (!applies && !text_strict)
      continue;
    // Bounds are plain numbers; unescape only when a backslash makes it necessary.
    std::string unescaped;
    std::string_view value = l.value;
    if (value.find('\\') != std::string_view::npos) {
      AppendUnescapedLabelValue(l.value, &unescaped);
      value = unescaped;
    }
    double v = 0;
    const bool is_float = ParseFloat(value, &v);
    std::string problem;
    if (!is_float) {
      problem = "expected a float as value of the '" + std::string(label_name) + "' label, got " +
                Quote(value);
    } else if (dialect_.open_metrics && histogram && std::isinf(v) && v > 0 && value != "+Inf") {
      problem = "le=" + Quote(value) + " must be written \"+Inf\" in OpenMetrics";
    } else if (dialect_.open_metrics && !histogram && !(v >= 0 && v <= 1)) {
      problem = "quantile=" + Quote(value) + " is not between 0 and 1";
    } else {
      continue;
    }
    if (dialect_.strict)
      return Fail(l.at, problem);
    Warn(l.at, problem + "; sample left out of the model");
  }
  if (applies && FindLabel(label_name) == nullptr) {
    const std::string problem = histogram ? "histogram bucket without an 'le' label"
                                          : "summary sample without a 'quantile' label";
    // expfmt silently drops such a sample; OpenMetrics' spec suite rejects it.
    if (dialect_.strict && dialect_.open_metrics)
      return Fail(line_, problem);
    Warn(line_, problem + " (left out of the model)");
  }
  return true;
}

void Scanner::ParseSample(const char* p) {
  labels_.clear();
  // Resolve() would answer from its cache for the cached name.
  Resolved r;
  const char* name_end = MatchCachedName(p);
  const bool resolved = name_end != nullptr;
  if (resolved) {
    r = cache_;
  } else {
    name_end = ScanMetricName(p);
  }
  std::string_view name(p, name_end - p);
  const char* q = name_end;
  if (name.empty() && !(*p == '{' && dialect_.quoted_names)) {
    Fail(p, "expected a metric name, found " + Printable(*p));
    return;
  }
  if (!dialect_.open_metrics)
    q = SkipBlanks(q);
  Kind kind = Kind::kUntyped;
  if (!name.empty()) {
    if (!resolved)
      r = Resolve(name);
    if (r.family >= 0)
      kind = states_[static_cast<std::size_t>(r.family)].kind;
  }
  if (q < eol_ && *q == '{') {
    // A quoted name inside the braces is allowed only when none came before them.
    std::string_view quoted;
    const char* end = ParseLabels(q, kind, name.empty() ? &quoted : nullptr, false);
    if (end == nullptr)
      return;
    if (name.empty()) {
      if (quoted.empty()) {
        Fail(p, "metric name not set (write name{labels} or {\"name\",labels})");
        return;
      }
      name = quoted;
      quoted_name_.clear();
      AppendUnescapedLabelValue(name, &quoted_name_);
      name = quoted_name_;
      r = Resolve(name);
      if (r.family >= 0)
        kind = states_[static_cast<std::size_t>(r.family)].kind;
    }
    q = end;
    if (dialect_.open_metrics) {
      if (q == eol_ || *q != ' ') {
        Fail(q, "expected a space and the value after the labels");
        return;
      }
      ++q;
    } else {
      q = SkipBlanks(q);
    }
  } else if (dialect_.open_metrics) {
    if (q == eol_ || *q != ' ') {
      Fail(q, q == eol_ ? "expected a value after the metric name"
                        : "invalid character " + Printable(*q) + " in metric name");
      return;
    }
    ++q;
  }

  // The value: up to whitespace (expfmt), also up to '{' (PromParser's token class).
  const char* value_begin = q;
  if (dialect_.open_metrics) {
    while (q < eol_ && *q != ' ')
      ++q;
  } else {
    while (q < eol_ && !IsBlank(*q) && !(*q == '{' && !dialect_.strict))
      ++q;
  }
  const std::string_view value_text(value_begin, q - value_begin);
  CompactSample sample;
  if (value_text.empty()) {
    Fail(value_begin, "expected a value after the metric");
    return;
  }
  if (!ParseFloat(value_text, &sample.value)) {
    Fail(value_begin, "expected a float as value, got " + Quote(value_text) +
                          " (Go float syntax: 1, -2.5e3, NaN, +Inf)");
    return;
  }
  if (!ParseTimestampAndRest(q, r, kind, &sample))
    return;
  if (!CheckBoundLabels(kind, r.role))
    return;
  Commit(name, r, sample, value_begin);
}

bool Scanner::ParseTimestampAndRest(const char* q, const Resolved& r, Kind kind,
                                    CompactSample* sample) {
  if (q == eol_)
    return true;
  if (dialect_.open_metrics) {
    // q is at the space after the value.
    ++q;
    if (q < eol_ && *q != '#') {
      const char* ts_begin = q;
      while (q < eol_ && *q != ' ')
        ++q;
      const std::string_view ts(ts_begin, q - ts_begin);
      if (!ParseSecondsAsMs(ts, &sample->timestamp_ms)) {
        return Fail(ts_begin, "invalid timestamp " + Quote(ts) + " (float seconds expected)");
      }
      sample->has_timestamp = true;
      if (q == eol_)
        return true;
      ++q;
    }
    return ParseExemplar(q, r, kind);
  }
  if (dialect_.strict) {
    // expfmt: a blank after the value announces a timestamp, even at the end of the line.
    q = SkipBlanks(q);
    const char* ts_begin = q;
    while (q < eol_ && !IsBlank(*q))
      ++q;
    const std::string_view ts(ts_begin, q - ts_begin);
    if (!ParseInt64(ts, &sample->timestamp_ms)) {
      return Fail(ts_begin, ts.empty() ? std::string("expected a timestamp after the value "
                                                     "(no trailing whitespace allowed)")
                                       : "expected integer as timestamp, got " + Quote(ts));
    }
    sample->has_timestamp = true;
    if (q != eol_) {
      return Fail(SkipBlanks(q),
                  "spurious string after timestamp: " + Quote(std::string_view(q, eol_ - q)));
    }
    return true;
  }
  // PromParser: whitespace, then digits, then whitespace to the end of the line.
  if (*q == '{')
    return Fail(q, "expected timestamp or new record, found '{'");
  q = SkipBlanks(q);
  if (q == eol_)
    return true;
  const char* ts_begin = q;
  while (q < eol_ && *q >= '0' && *q <= '9')
    ++q;
  const std::string_view ts(ts_begin, q - ts_begin);
  if (ts.empty()) {
    return Fail(ts_begin, "expected timestamp or new record, found " + Printable(*ts_begin));
  }
  if (!ParseDigitsInt64(ts, &sample->timestamp_ms)) {
    return Fail(ts_begin, "timestamp " + Quote(ts) + " is out of range");
  }
  sample->has_timestamp = true;
  q = SkipBlanks(q);
  if (q != eol_)
    return Fail(q, "expected next entry after timestamp, found " + Printable(*q));
  return true;
}

// ` # {labels} value [timestamp]` after an OpenMetrics sample: checked, then dropped.
bool Scanner::ParseExemplar(const char* q, const Resolved& r, Kind kind) {
  const char* at = q;
  if (eol_ - q < 3 || q[0] != '#' || q[1] != ' ' || q[2] != '{') {
    return Fail(q, "expected a timestamp or an exemplar (# {labels} value) after the value");
  }
  const bool allowed =
      (kind == Kind::kCounter && r.role == Role::kTotal) ||
      ((kind == Kind::kHistogram || kind == Kind::kGaugeHistogram) && r.role == Role::kBucket);
  if (!allowed) {
    return Fail(at, "exemplars are only allowed on counter _total and histogram _bucket samples");
  }
  // The sample's labels are complete; the exemplar's go after them and are then dropped.
  const std::size_t sample_labels = labels_.size();
  const char* end = ParseLabels(q + 2, Kind::kUntyped, nullptr, true, sample_labels);
  labels_.resize(sample_labels);
  if (end == nullptr)
    return false;
  q = end;
  if (q == eol_ || *q != ' ')
    return Fail(q, "expected a space and the exemplar value");
  ++q;
  const char* value_begin = q;
  while (q < eol_ && *q != ' ')
    ++q;
  double value = 0;
  const std::string_view value_text(value_begin, q - value_begin);
  if (!ParseFloat(value_text, &value)) {
    return Fail(value_begin, "expected a float as exemplar value, got " + Quote(value_text));
  }
  if (q == eol_)
    return true;
  ++q;
  const std::string_view ts(q, eol_ - q);
  std::int64_t ms = 0;
  if (!ParseSecondsAsMs(ts, &ms)) {
    return Fail(q, "invalid exemplar timestamp " + Quote(ts));
  }
  return true;
}

void Scanner::Commit(std::string_view name, Resolved r, const CompactSample& parsed,
                     const char* value_at) {
  std::size_t family;
  if (r.family >= 0) {
    family = static_cast<std::size_t>(r.family);
  } else {
    family = Create(name);
    Remember(name, Resolved{static_cast<int>(family), Role::kValue});
  }
  if (!Enter(family, line_))
    return;
  FamilyState& state = states_[family];
  const bool histogram = state.kind == Kind::kHistogram || state.kind == Kind::kGaugeHistogram;
  if (histogram && (r.role == Role::kBucket || r.role == Role::kCount) && parsed.value < 0) {
    // Neither expfmt (promtool 2.42) nor the Prometheus server rejects this at parse time.
    Warn(value_at, std::string("negative histogram ") +
                       (r.role == Role::kBucket ? "bucket count" : "_count"));
  }
  state.has_samples = true;
  ++result_.samples;
  if (!state.keep)
    return;
  if (family != pending_family_) {
    FlushPending();
    pending_family_ = family;
  }
  CompactSample& s = pending_.emplace_back(parsed);
  s.line = line_no_;
  s.suffix = r.suffix;
  s.label_count = static_cast<std::uint32_t>(labels_.size());
  s.labels = StoreLabels();
}

const LabelView* Scanner::StoreLabels() {
  const std::size_t n = labels_.size();
  if (n == 0)
    return nullptr;
  LabelView* out = store_->AllocateLabels(n);
  for (std::size_t i = 0; i < n; ++i) {
    const LabelRef& l = labels_[i];
    const bool same_slot = i < previous_label_count_;
    out[i].name = StoreLabelText(l.name, l.name_quoted,
                                 same_slot ? previous_labels_[i].name : std::string_view());
    out[i].value = StoreLabelText(l.value, l.value_escaped,
                                  same_slot ? previous_labels_[i].value : std::string_view());
  }
  previous_labels_ = out;
  previous_label_count_ = n;
  return out;
}

std::string_view Scanner::StoreLabelText(std::string_view raw, bool escaped,
                                         std::string_view previous) {
  std::string_view text = raw;
  if (escaped) {
    unescaped_.clear();
    AppendUnescapedLabelValue(raw, &unescaped_);
    text = unescaped_;
  }
  if (text.size() == previous.size() && text == previous)
    return previous;
  return store_->Copy(text);
}

void Scanner::FlushPending() {
  if (pending_family_ == kNoFamily)
    return;
  store_->AddRun(pending_family_, pending_);
  pending_.clear();
  pending_family_ = kNoFamily;
}

}  // namespace hfi::prom

// Value expectations from the command line: `--expect aborts>=1` on one scrape and
// `--expect-delta delays>=5` on (scrape - baseline). Parsing and evaluation only, no I/O.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace hfi::verify {

// The values an expectation can name. delay_count and delay_sum are the histogram's _count and
// _sum; counters and the histogram add up over label sets when a scrape has several.
enum class ValueKey { kAborts, kDelays, kDelayCount, kDelaySum };

enum class Comparison { kGe, kLe, kEq, kGt, kLt };

struct Expectation {
  ValueKey key = ValueKey::kAborts;
  Comparison op = Comparison::kGe;
  double value = 0;

  bool Holds(double observed) const;
  // True when only an increase can satisfy it, e.g. `>= 1` or `> 0`, so no change at all is
  // "did not move" rather than "moved too little".
  bool RequiresIncrease() const;
  std::string ToString() const;  // "aborts >= 1"
};

// Parses KEY OP NUMBER (spaces allowed around OP). On failure returns nullopt and sets *error to
// a sentence naming the accepted keys and operators.
std::optional<Expectation> ParseExpectation(std::string_view text, std::string* error);

std::string_view ValueKeyName(ValueKey key);     // "aborts", "delays", "delay_count", "delay_sum"
std::string_view ComparisonName(Comparison op);  // ">=", "<=", "==", ">", "<"

// Formats a metric value the way Envoy writes integers ("7", not "7.000000"), else shortest form.
std::string FormatValue(double value);

}  // namespace hfi::verify

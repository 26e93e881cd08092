// Number spellings of the Prometheus exposition formats: Go's strconv.ParseFloat as expfmt and
// Prometheus use it, integer millisecond timestamps, and OpenMetrics' float-second timestamps.
// Pure functions over string_views; no allocation, no locale.
#pragma once

#include <cstdint>
#include <string_view>

namespace hfi::prom {

// Go's strconv.ParseFloat(s, 64) restricted as Prometheus' parsers restrict it: decimal forms
// (`1`, `-1.5e3`, `.5`, `5.`, leading zeros), `NaN`, `Inf`, `+Inf`, `-Inf`, `Infinity`, all
// case-insensitive. Rejects hex floats, `_` separators, `0x`/`0b`/`0o` forms, overflow past the
// largest double (Go returns ErrRange) and anything else. Underflow gives ±0 as in Go.
bool ParseFloat(std::string_view s, double* out);

// strconv.ParseInt(s, 10, 64): optional sign, decimal digits, no overflow.
bool ParseInt64(std::string_view s, std::int64_t* out);

// Unsigned decimal digits only (the Prometheus server's timestamp token), no overflow.
bool ParseDigitsInt64(std::string_view s, std::int64_t* out);

// An OpenMetrics timestamp (float seconds, finite) converted to milliseconds, rounded to nearest.
bool ParseSecondsAsMs(std::string_view s, std::int64_t* out_ms);

}  // namespace hfi::prom

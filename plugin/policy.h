// The fault-injection policy: the plugin configuration (JSON, schema of the original HFI,
// facts/hfi-origin.md §2.1) parsed and checked into typed values. Knows nothing of the host.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "plugin/regex.h"

namespace hfi::plugin {

// Bounds on what a policy may ask for. A larger value is a mistake (a unit confusion, a typo),
// and accepting it would hold requests, and the memory they use, for hours.
inline constexpr std::uint32_t kMaxDelayMs = 3'600'000;           // one hour
inline constexpr std::uint32_t kMaxDurationSeconds = 31'536'000;  // one year
inline constexpr std::string_view kDefaultAbortBody = "fault injected by hfi";

// One condition on a string (path, method or header value).
struct StringMatch {
  enum class Kind {
    kAny,  // no condition: anything matches (for a header: it only has to be present)
    kExact,
    kPrefix,
    kRegex,  // matches if the pattern matches anywhere in the value
  };
  Kind kind = Kind::kAny;
  std::string text;  // the exact value, the prefix, or the regex pattern
  re::Regex regex;   // compiled `text` when kind == kRegex
};

struct HeaderMatch {
  std::string name;  // lower-case: header names compare case-insensitively
  StringMatch value;
};

// Every condition present must hold; an empty Match matches every request.
struct Match {
  StringMatch path;    // against the raw :path, query string included (as the original)
  StringMatch method;  // against :method, case-sensitive
  std::vector<HeaderMatch> headers;
};

struct Abort {
  std::uint32_t http_status = 0;
  std::string body{kDefaultAbortBody};
};

struct Fault {
  double percentage = 0;  // [0, 100]: share of matching requests that get the fault
  std::optional<Abort> abort;
  std::optional<std::uint32_t> delay_ms;  // 0 means no delay
  std::uint32_t start_delay_ms = 0;       // wait this long before applying the fault
  std::uint32_t duration_seconds = 0;     // 0: forever; else from when the policy was first seen
};

struct Rule {
  Match match;
  Fault fault;
};

// Which workloads a policy applies to; an empty field is a wildcard ("*", "" and absent all are).
struct Selector {
  std::string service;         // against node metadata WORKLOAD_NAME
  std::string namespace_name;  // against node metadata NAMESPACE
};

struct PolicyEntry {
  std::string name;  // metadata.name, unique within a Policy
  Selector selector;
  std::vector<Rule> rules;
};

struct Policy {
  std::vector<PolicyEntry> entries;

  std::size_t RuleCount() const;
};

// Parses a plugin configuration. Empty (or all-whitespace) text is a valid policy with no entries.
// On failure returns false and sets *error to one line naming the JSON path of the problem, e.g.
// "policies[0].spec.rules[1].fault.percentage: must be between 0 and 100, got 150"; *out is then
// unchanged.
bool ParsePolicy(std::string_view text, Policy* out, std::string* error);

}  // namespace hfi::plugin

// Fuzz target for the plugin's policy parser: any bytes must give either a policy or one error
// line naming what is wrong, never a crash, a hang or an unbounded allocation. A parsed policy is
// then used for a few decisions, so matchers (regexes included) built from fuzzed text run too.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "plugin/fault_decider.h"
#include "plugin/map_request_view.h"
#include "plugin/policy.h"

namespace {

[[noreturn]] void Violation(const char* what, const std::string& detail) {
  std::fprintf(stderr, "policy_fuzz: %s: %s\n", what, detail.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace hfi::plugin;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  Policy policy;
  std::string error;
  if (!ParsePolicy(text, &policy, &error)) {
    // The contract of the error: one non-empty line, printable, of bounded length.
    if (error.empty())
      Violation("empty error", "");
    if (error.size() > 1024)
      Violation("error longer than 1024 bytes", error.substr(0, 200));
    for (char c : error) {
      if (static_cast<unsigned char>(c) < 0x20)
        Violation("control byte in error", error);
    }
    if (!policy.entries.empty())
      Violation("failed parse changed the output", error);
    return 0;
  }
  for (const PolicyEntry& entry : policy.entries) {
    if (entry.name.empty())
      Violation("policy without a name", "");
    for (const Rule& rule : entry.rules) {
      const Fault& fault = rule.fault;
      if (!(fault.percentage >= 0 && fault.percentage <= 100))
        Violation("percentage", entry.name);
      if (!fault.abort && !fault.delay_ms)
        Violation("fault without abort or delay", entry.name);
      if (fault.abort && (fault.abort->http_status < 200 || fault.abort->http_status > 599)) {
        Violation("status out of range", entry.name);
      }
      if (fault.delay_ms.value_or(0) > kMaxDelayMs || fault.start_delay_ms > kMaxDelayMs) {
        Violation("delay out of range", entry.name);
      }
    }
  }
  FaultDecider decider;
  decider.SetPolicy(std::move(policy), 0);
  XorShiftRandom random(size);
  const MapRequestView requests[] = {
      MapRequestView("/", "GET"),
      MapRequestView("/api/v1/items?id=1", "POST", {{"x-user-id", "test"}, {"user-agent", "curl"}}),
      MapRequestView(std::string(text.substr(0, 256)), "PUT", {{"x-any", std::string(text)}}),
  };
  for (const MapRequestView& request : requests) {
    const ActiveRule* chosen = decider.Decide(request, 1, random);
    if (chosen != nullptr && chosen->rule == nullptr)
      Violation("decision without a rule", "");
  }
  return 0;
}

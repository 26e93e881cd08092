// The built-in policy through the plugin's own parser and matcher: it parses, applies to every
// workload, and each request of the traffic plan meets exactly the rule its kind names.
#include "local/builtin_policy.h"

#include <gtest/gtest.h>

#include <string>

#include "local/traffic.h"
#include "plugin/map_request_view.h"
#include "plugin/matcher.h"
#include "plugin/policy.h"

namespace hfi::local {
namespace {

plugin::Policy Parsed() {
  plugin::Policy policy;
  std::string error;
  EXPECT_TRUE(plugin::ParsePolicy(kBuiltinPolicy, &policy, &error)) << error;
  return policy;
}

TEST(BuiltinPolicy, ParsesWithTheRulesTheConstantsName) {
  plugin::Policy policy = Parsed();
  ASSERT_EQ(policy.entries.size(), 1u);
  const plugin::PolicyEntry& entry = policy.entries[0];
  // Wildcards: whatever --workload and --namespace give the sidecar, the policy applies.
  EXPECT_EQ(entry.selector.service, "");
  EXPECT_EQ(entry.selector.namespace_name, "");
  ASSERT_EQ(entry.rules.size(), 2u);

  const plugin::Fault& abort = entry.rules[0].fault;
  EXPECT_EQ(abort.percentage, 100);
  ASSERT_TRUE(abort.abort);
  EXPECT_EQ(abort.abort->http_status, static_cast<std::uint32_t>(kBuiltinAbortStatus));
  EXPECT_FALSE(abort.delay_ms);

  const plugin::Fault& delay = entry.rules[1].fault;
  EXPECT_EQ(delay.percentage, 100);
  EXPECT_FALSE(delay.abort);
  ASSERT_TRUE(delay.delay_ms);
  EXPECT_EQ(*delay.delay_ms, static_cast<std::uint32_t>(kBuiltinDelay.count()));
}

TEST(BuiltinPolicy, EachPlannedRequestMeetsTheRuleOfItsKind) {
  plugin::Policy policy = Parsed();
  ASSERT_EQ(policy.entries.size(), 1u);
  const auto& rules = policy.entries[0].rules;
  ASSERT_EQ(rules.size(), 2u);
  for (std::size_t i = 0; i < 6; ++i) {
    PlannedRequest planned = PlanRequest(i);
    plugin::MapRequestView view(planned.path, "GET", planned.headers);
    const bool aborts = plugin::Matches(rules[0].match, view);
    const bool delays = plugin::Matches(rules[1].match, view);
    EXPECT_EQ(aborts, planned.kind == RequestKind::kAbort) << planned.path;
    EXPECT_EQ(delays, planned.kind == RequestKind::kDelay) << planned.path;
  }
}

}  // namespace
}  // namespace hfi::local

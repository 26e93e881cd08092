// Which fault, if any, a request gets: the first rule in force for this workload that matches the
// request, then one percentage draw. Deciding allocates nothing and touches no host state, so a
// request that matches no rule costs only the comparisons.
#pragma once

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "plugin/matcher.h"
#include "plugin/policy.h"

namespace hfi::plugin {

// Uniform draws in [0, 100) for fault percentages; injectable so tests can fix the sequence.
class RandomSource {
 public:
  virtual ~RandomSource() = default;
  virtual double NextPercent() = 0;
};

// xorshift64*: fast and plenty for sampling requests (not for anything secret).
class XorShiftRandom final : public RandomSource {
 public:
  explicit XorShiftRandom(std::uint64_t seed);
  double NextPercent() override;

 private:
  std::uint64_t state_;
};

// Who this plugin instance serves, from Envoy's node metadata; nullopt when the host did not say.
struct Identity {
  std::optional<std::string> workload;        // WORKLOAD_NAME
  std::optional<std::string> namespace_name;  // NAMESPACE
};

// A selector field that names a value applies only when the identity has that exact value; so with
// an unknown identity only wildcard selectors apply (the original's fail-open rule).
bool SelectorApplies(const Selector& selector, const Identity& identity);

// A rule in force for this workload, in decision order (policy order, then rule order).
struct ActiveRule {
  const PolicyEntry* policy = nullptr;
  std::size_t rule_index = 0;
  const Rule* rule = nullptr;
  std::int64_t expires_at_ns = std::numeric_limits<std::int64_t>::max();
};

class FaultDecider {
 public:
  FaultDecider() = default;
  FaultDecider(const FaultDecider&) = delete;  // active_ points into policy_
  FaultDecider& operator=(const FaultDecider&) = delete;

  // Installs a new policy. A policy name seen for the first time is stamped with now_ns; names seen
  // before keep their first stamp, so duration_seconds survives reconfiguration.
  void SetPolicy(Policy policy, std::int64_t now_ns);
  void SetIdentity(Identity identity);

  const Policy& policy() const { return policy_; }
  const Identity& identity() const { return identity_; }
  std::size_t active_rule_count() const { return active_.size(); }

  // The rule whose fault this request gets, or nullptr. The first matching unexpired rule decides
  // with one draw (random < percentage, so 100 always and 0 never injects); later rules are not
  // tried even when the draw says no. The pointer is valid until the next SetPolicy/SetIdentity.
  const ActiveRule* Decide(const RequestView& request, std::int64_t now_ns,
                           RandomSource& random) const;

 private:
  void Rebuild();

  Policy policy_;
  Identity identity_;
  std::map<std::string, std::int64_t, std::less<>> first_seen_ns_;  // by policy name
  std::vector<ActiveRule> active_;
};

}  // namespace hfi::plugin

#include "plugin/fault_decider.h"

#include <utility>

namespace hfi::plugin {

XorShiftRandom::XorShiftRandom(std::uint64_t seed)
    // xorshift must not start at 0 (it would stay there); mixing the seed also spreads close seeds.
    : state_((seed ^ 0x9E3779B97F4A7C15ull) | 1) {}

double XorShiftRandom::NextPercent() {
  state_ ^= state_ >> 12;
  state_ ^= state_ << 25;
  state_ ^= state_ >> 27;
  const std::uint64_t bits = state_ * 0x2545F4914F6CDD1Dull;
  // 53 random bits as a fraction in [0, 1), scaled; the product stays below 100 (the largest
  // fraction times 100 rounds down to 100 - 2^-46).
  return static_cast<double>(bits >> 11) * (1.0 / 9007199254740992.0) * 100.0;
}

bool SelectorApplies(const Selector& selector, const Identity& identity) {
  if (!selector.service.empty() && (!identity.workload || *identity.workload != selector.service)) {
    return false;
  }
  if (!selector.namespace_name.empty() &&
      (!identity.namespace_name || *identity.namespace_name != selector.namespace_name)) {
    return false;
  }
  return true;
}

void FaultDecider::SetPolicy(Policy policy, std::int64_t now_ns) {
  policy_ = std::move(policy);
  for (const PolicyEntry& entry : policy_.entries)
    first_seen_ns_.emplace(entry.name, now_ns);
  Rebuild();
}

void FaultDecider::SetIdentity(Identity identity) {
  identity_ = std::move(identity);
  Rebuild();
}

void FaultDecider::Rebuild() {
  active_.clear();
  for (const PolicyEntry& entry : policy_.entries) {
    if (!SelectorApplies(entry.selector, identity_))
      continue;
    const std::int64_t first_seen = first_seen_ns_.find(entry.name)->second;
    for (std::size_t i = 0; i < entry.rules.size(); ++i) {
      ActiveRule active;
      active.policy = &entry;
      active.rule_index = i;
      active.rule = &entry.rules[i];
      if (const std::uint32_t seconds = entry.rules[i].fault.duration_seconds; seconds > 0) {
        // In force for [first seen, first seen + duration); at most a year, so no overflow.
        active.expires_at_ns = first_seen + static_cast<std::int64_t>(seconds) * 1'000'000'000;
      }
      active_.push_back(active);
    }
  }
}

const ActiveRule* FaultDecider::Decide(const RequestView& request, std::int64_t now_ns,
                                       RandomSource& random) const {
  for (const ActiveRule& active : active_) {
    // An expired rule is out of force, so it does not hide the rules after it.
    if (now_ns >= active.expires_at_ns)
      continue;
    if (!Matches(active.rule->match, request))
      continue;
    return random.NextPercent() < active.rule->fault.percentage ? &active : nullptr;
  }
  return nullptr;
}

}  // namespace hfi::plugin

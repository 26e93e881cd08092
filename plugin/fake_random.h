// Test double for RandomSource: every draw returns one chosen value, and draws are counted, so a
// test decides whether a percentage fires and can check how often the plugin drew.
#pragma once

#include "plugin/fault_decider.h"

namespace hfi::plugin {

class FixedRandom final : public RandomSource {
 public:
  explicit FixedRandom(double value) : value_(value) {}
  double NextPercent() override {
    ++draws;
    return value_;
  }
  int draws = 0;

 private:
  double value_;
};

}  // namespace hfi::plugin

#include "verify/names.h"

#include <gtest/gtest.h>

namespace hfi::verify {
namespace {

struct Case {
  const char* name;
  const char* metric_key;  // nullptr: unrecognised
  Spelling spelling;
  Part part;
};

class ClassifyNameTest : public testing::TestWithParam<Case> {};

TEST_P(ClassifyNameTest, Classifies) {
  const Case& c = GetParam();
  std::optional<NameMatch> match = ClassifyName(c.name);
  ASSERT_TRUE(match.has_value()) << c.name;
  EXPECT_EQ(match->spelling, c.spelling) << c.name;
  EXPECT_EQ(match->part, c.part) << c.name;
  if (c.metric_key == nullptr) {
    EXPECT_EQ(match->metric, nullptr) << c.name;
  } else {
    ASSERT_NE(match->metric, nullptr) << c.name;
    EXPECT_EQ(match->metric->key, c.metric_key) << c.name;
  }
}

// The spellings of facts/envoy-istio.md §1.2-1.3 and §8 (C5, C13, C14).
INSTANTIATE_TEST_SUITE_P(
    Spellings, ClassifyNameTest,
    testing::Values(
        Case{"wasmcustom_hfi_faults_aborts_total", "aborts", Spelling::kExpected, Part::kValue},
        Case{"wasmcustom_hfi_faults_delays_total", "delays", Spelling::kExpected, Part::kValue},
        Case{"wasmcustom_hfi_faults_delay_duration_milliseconds_bucket", "delay_duration",
             Spelling::kExpected, Part::kBucket},
        Case{"wasmcustom_hfi_faults_delay_duration_milliseconds_sum", "delay_duration",
             Spelling::kExpected, Part::kSum},
        Case{"wasmcustom_hfi_faults_delay_duration_milliseconds_count", "delay_duration",
             Spelling::kExpected, Part::kCount},
        Case{"hfi_faults_aborts_total", "aborts", Spelling::kPlain, Part::kValue},
        Case{"hfi_faults_delay_duration_milliseconds_bucket", "delay_duration", Spelling::kPlain,
             Part::kBucket},
        Case{"envoy_wasmcustom_hfi_faults_delays_total", "delays", Spelling::kEnvoyWasmcustom,
             Part::kValue},
        Case{"envoy_hfi_faults_aborts_total", "aborts", Spelling::kEnvoyPlain, Part::kValue},
        Case{"envoy_cluster_wasmcustom_hfi_faults_aborts_total", "aborts", Spelling::kClusterScoped,
             Part::kValue},
        Case{"envoy_cluster_wasmcustom_wasmcustom_hfi_faults_delay_duration_milliseconds_count",
             "delay_duration", Spelling::kClusterScoped, Part::kCount},
        Case{"hfi_faults_aborts_total_x___y___", "aborts", Spelling::kEmbeddedTags, Part::kValue},
        Case{"wasmcustom_hfi_faults_delay_duration_milliseconds_policy___slow____bucket",
             "delay_duration", Spelling::kEmbeddedTags, Part::kBucket},
        Case{"wasmcustom_hfi_faults_aborts", nullptr, Spelling::kUnrecognised, Part::kValue},
        Case{"wasmcustom_hfi_faults_aborts_total_bucket", nullptr, Spelling::kUnrecognised,
             Part::kValue},
        Case{"wasmcustom_hfi_faults_rules_matched_total", nullptr, Spelling::kUnrecognised,
             Part::kValue},
        Case{"wasmcustom_wasmcustom_hfi_faults_aborts_total", nullptr, Spelling::kUnrecognised,
             Part::kValue},
        Case{"myapp_hfi_faults", nullptr, Spelling::kUnrecognised, Part::kValue}));

TEST(ClassifyName, IgnoresOtherNames) {
  EXPECT_FALSE(ClassifyName("envoy_server_live").has_value());
  EXPECT_FALSE(ClassifyName("hfi_fault_aborts_total").has_value());
  EXPECT_FALSE(ClassifyName("").has_value());
}

TEST(SpellingHint, EachOtherSpellingHasItsHint) {
  EXPECT_EQ(SpellingHint(Spelling::kPlain), HintId::kPlainName);
  EXPECT_EQ(SpellingHint(Spelling::kEnvoyWasmcustom), HintId::kEnvoyWasmcustomName);
  EXPECT_EQ(SpellingHint(Spelling::kEnvoyPlain), HintId::kEnvoyPlainName);
  EXPECT_EQ(SpellingHint(Spelling::kClusterScoped), HintId::kClusterScopedName);
  EXPECT_EQ(SpellingHint(Spelling::kEmbeddedTags), HintId::kEmbeddedTags);
  EXPECT_EQ(SpellingHint(Spelling::kUnrecognised), HintId::kUnrecognisedName);
}

}  // namespace
}  // namespace hfi::verify

#include "prom/number.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace hfi::prom {
namespace {

TEST(ParseFloat, AcceptsGoSpellings) {
  struct Case {
    const char* text;
    double want;
  };
  const Case cases[] = {
      {"0", 0},
      {"1", 1},
      {"-1.5e3", -1500},
      {"+2", 2},
      {".5", 0.5},
      {"5.", 5},
      {"1E2", 100},
      {"0000000000000000000000000000000000000000001.2e-1", 0.12},
      {"9223372036854775808", 9223372036854775808.0},
      {"5531.1160155998386471765115857124", 5531.1160155998386471765115857124},
      {"3600000", 3600000},
      {"1e-400", 0},
      {"5e-324", 5e-324},
      {"1.7976931348623157e308", 1.7976931348623157e308},
  };
  for (const Case& c : cases) {
    double v = -42;
    EXPECT_TRUE(ParseFloat(c.text, &v)) << c.text;
    EXPECT_EQ(v, c.want) << c.text;
  }
}

TEST(ParseFloat, AcceptsSpecialWordsCaseInsensitively) {
  const double inf = std::numeric_limits<double>::infinity();
  const std::pair<const char*, double> cases[] = {
      {"+Inf", inf},      {"-Inf", -inf},      {"Inf", inf},     {"inf", inf},
      {"INF", inf},       {"-INF", -inf},      {"+inf", inf},    {"Infinity", inf},
      {"+Infinity", inf}, {"-infinity", -inf}, {"INFINITY", inf}};
  for (const auto& [text, want] : cases) {
    double v = 0;
    EXPECT_TRUE(ParseFloat(text, &v)) << text;
    EXPECT_EQ(v, want) << text;
  }
  for (const char* text : {"NaN", "nan", "Nan", "nAN"}) {
    double v = 0;
    EXPECT_TRUE(ParseFloat(text, &v)) << text;
    EXPECT_TRUE(std::isnan(v)) << text;
  }
}

TEST(ParseFloat, RejectsWhatGoAndPrometheusReject) {
  for (const char* text : {"",          "true",
                           "1_2",       "0x1p-3",
                           "0x1P-3",    "0X1P-3",
                           "0x1",       "0B1",
                           "0O1",       "0X1",
                           "0b1",       "0o1",
                           "1.1.1",     "1z",
                           "1e",        "1e+",
                           ".",         "-",
                           "+",         "+nan",
                           "-NaN",      "infin",
                           "infinityy", "1e400",
                           "-1e400",    "1.7976931348623159e308",
                           " 1",        "1 ",
                           "1\r",       "１"}) {
    double v = 0;
    EXPECT_FALSE(ParseFloat(text, &v)) << text;
  }
}

TEST(ParseInt64, FollowsStrconvParseInt) {
  std::int64_t v = 0;
  EXPECT_TRUE(ParseInt64("429496729600", &v));
  EXPECT_EQ(v, 429496729600);
  EXPECT_TRUE(ParseInt64("-5", &v));
  EXPECT_EQ(v, -5);
  EXPECT_TRUE(ParseInt64("+5", &v));
  EXPECT_EQ(v, 5);
  EXPECT_TRUE(ParseInt64("9223372036854775807", &v));
  EXPECT_EQ(v, std::numeric_limits<std::int64_t>::max());
  EXPECT_TRUE(ParseInt64("-9223372036854775808", &v));
  EXPECT_EQ(v, std::numeric_limits<std::int64_t>::min());
  for (const char* text : {"", "-", "9223372036854775808", "92233720368547758080000", "1.5", "1_2",
                           "NaN", "1z", "0x10"}) {
    EXPECT_FALSE(ParseInt64(text, &v)) << text;
  }
}

TEST(ParseDigitsInt64, TakesDigitsOnly) {
  std::int64_t v = 0;
  EXPECT_TRUE(ParseDigitsInt64("123", &v));
  EXPECT_EQ(v, 123);
  EXPECT_FALSE(ParseDigitsInt64("-5", &v));
  EXPECT_FALSE(ParseDigitsInt64("+5", &v));
  EXPECT_FALSE(ParseDigitsInt64("9223372036854775808", &v));
}

TEST(ParseSecondsAsMs, ConvertsFloatSeconds) {
  std::int64_t ms = 0;
  EXPECT_TRUE(ParseSecondsAsMs("123.123", &ms));
  EXPECT_EQ(ms, 123123);
  EXPECT_TRUE(ParseSecondsAsMs("1", &ms));
  EXPECT_EQ(ms, 1000);
  EXPECT_TRUE(ParseSecondsAsMs("-1.5", &ms));
  EXPECT_EQ(ms, -1500);
  for (const char* text : {"NaN", "+Inf", "-Inf", "1e300", "1_2", "", "x"}) {
    EXPECT_FALSE(ParseSecondsAsMs(text, &ms)) << text;
  }
}

}  // namespace
}  // namespace hfi::prom

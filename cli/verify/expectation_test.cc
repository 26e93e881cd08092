#include "verify/expectation.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace hfi::verify {
namespace {

Expectation Parsed(std::string_view text) {
  std::string error;
  std::optional<Expectation> e = ParseExpectation(text, &error);
  EXPECT_TRUE(e.has_value()) << text << ": " << error;
  return e.value_or(Expectation{});
}

std::string ErrorOf(std::string_view text) {
  std::string error;
  EXPECT_FALSE(ParseExpectation(text, &error).has_value()) << text;
  return error;
}

TEST(Expectation, ParsesEveryKeyAndOperator) {
  Expectation e = Parsed("aborts>=1");
  EXPECT_EQ(e.key, ValueKey::kAborts);
  EXPECT_EQ(e.op, Comparison::kGe);
  EXPECT_EQ(e.value, 1);
  EXPECT_EQ(Parsed("delays<=5").op, Comparison::kLe);
  EXPECT_EQ(Parsed("delay_count==2").key, ValueKey::kDelayCount);
  EXPECT_EQ(Parsed("delay_sum>100.5").value, 100.5);
  EXPECT_EQ(Parsed("delay_sum>100.5").op, Comparison::kGt);
  EXPECT_EQ(Parsed("delays<3").op, Comparison::kLt);
  EXPECT_EQ(Parsed("  delays >= 1e1 ").value, 10);
}

TEST(Expectation, RejectsBadSyntaxWithAReason) {
  EXPECT_NE(ErrorOf("abort>=1").find("unknown key 'abort'"), std::string::npos);
  EXPECT_NE(ErrorOf("aborts=1").find("operators: >=, <=, ==, >, <"), std::string::npos);
  EXPECT_NE(ErrorOf("aborts>=").find("not a finite number"), std::string::npos);
  EXPECT_NE(ErrorOf("aborts>=one").find("'one' is not a finite number"), std::string::npos);
  EXPECT_NE(ErrorOf("aborts>=1x").find("not a finite number"), std::string::npos);
  EXPECT_NE(ErrorOf("aborts>=inf").find("not a finite number"), std::string::npos);
  EXPECT_NE(ErrorOf("aborts>=nan").find("not a finite number"), std::string::npos);
  EXPECT_NE(ErrorOf("").find("expected KEY OP NUMBER"), std::string::npos);
  EXPECT_NE(ErrorOf(">=1").find("expected KEY OP NUMBER"), std::string::npos);
  EXPECT_NE(ErrorOf("aborts>=1 and more").find("not a finite number"), std::string::npos);
}

TEST(Expectation, RefusesEqualityOnTheApproximateSum) {
  EXPECT_NE(ErrorOf("delay_sum==5470").find("approximate"), std::string::npos);
  Parsed("delay_sum>=5000");
}

TEST(Expectation, Holds) {
  EXPECT_TRUE(Parsed("aborts>=1").Holds(1));
  EXPECT_FALSE(Parsed("aborts>=1").Holds(0));
  EXPECT_TRUE(Parsed("aborts<=1").Holds(1));
  EXPECT_FALSE(Parsed("aborts<=1").Holds(2));
  EXPECT_TRUE(Parsed("aborts==3").Holds(3));
  EXPECT_FALSE(Parsed("aborts==3").Holds(3.5));
  EXPECT_FALSE(Parsed("aborts>3").Holds(3));
  EXPECT_TRUE(Parsed("aborts<3").Holds(2));
  EXPECT_FALSE(Parsed("aborts>=0").Holds(std::numeric_limits<double>::quiet_NaN()));
}

TEST(Expectation, RequiresIncrease) {
  EXPECT_TRUE(Parsed("delays>=5").RequiresIncrease());
  EXPECT_TRUE(Parsed("delays>0").RequiresIncrease());
  EXPECT_TRUE(Parsed("delays>0.5").RequiresIncrease());
  EXPECT_TRUE(Parsed("delays==3").RequiresIncrease());
  EXPECT_FALSE(Parsed("delays>=0").RequiresIncrease());
  EXPECT_FALSE(Parsed("delays<=3").RequiresIncrease());
  EXPECT_FALSE(Parsed("delays==0").RequiresIncrease());
  EXPECT_FALSE(Parsed("delays<0").RequiresIncrease());
  EXPECT_FALSE(Parsed("delays>-1").RequiresIncrease());
}

TEST(Expectation, ToStringRoundTrips) {
  EXPECT_EQ(Parsed("delay_count>=5").ToString(), "delay_count >= 5");
  EXPECT_EQ(Parsed("aborts < 2.5").ToString(), "aborts < 2.5");
  EXPECT_EQ(Parsed(Parsed("delays==7").ToString()).ToString(), "delays == 7");
}

TEST(FormatValue, PlainDecimals) {
  EXPECT_EQ(FormatValue(7), "7");
  EXPECT_EQ(FormatValue(300000), "300000");
  EXPECT_EQ(FormatValue(0.5), "0.5");
  EXPECT_EQ(FormatValue(-1), "-1");
  EXPECT_EQ(FormatValue(5531.1160155998386471765115857124), "5531.116015599839");
  EXPECT_EQ(FormatValue(1e20), "1e+20");
  EXPECT_EQ(FormatValue(std::numeric_limits<double>::quiet_NaN()), "NaN");
  EXPECT_EQ(FormatValue(std::numeric_limits<double>::infinity()), "+Inf");
  EXPECT_EQ(FormatValue(-std::numeric_limits<double>::infinity()), "-Inf");
}

}  // namespace
}  // namespace hfi::verify

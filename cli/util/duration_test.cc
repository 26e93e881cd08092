#include "util/duration.h"

#include <gtest/gtest.h>

#include "util/errors.h"

namespace hfi {
namespace {

using std::chrono::milliseconds;

TEST(DurationTest, ParsesUnitsAndCompounds) {
  EXPECT_EQ(ParseDurationFlag("500ms", "--t"), milliseconds(500));
  EXPECT_EQ(ParseDurationFlag("10s", "--t"), milliseconds(10'000));
  EXPECT_EQ(ParseDurationFlag("2m", "--t"), milliseconds(120'000));
  EXPECT_EQ(ParseDurationFlag("1h", "--t"), milliseconds(3'600'000));
  EXPECT_EQ(ParseDurationFlag("1m30s", "--t"), milliseconds(90'000));
  EXPECT_EQ(ParseDurationFlag("1h2m3s4ms", "--t"), milliseconds(3'723'004));
  EXPECT_EQ(ParseDurationFlag("90", "--t"), milliseconds(90'000));  // plain seconds
}

TEST(DurationTest, RefusesWhatIsNotADuration) {
  for (const char* text : {"", "soon", "s", "10x", "1m30", "-1s", "1.5s", " 1s", "1s ",
                           "99999999999999999999s", "1000000000h"}) {
    try {
      ParseDurationFlag(text, "--timeout");
      ADD_FAILURE() << "accepted '" << text << "'";
    } catch (const UsageError& e) {
      EXPECT_EQ(e.subject(), "--timeout");
      EXPECT_NE(e.reason().find("is not a duration"), std::string::npos) << e.reason();
    }
  }
}

TEST(DurationTest, EnforcesTheRange) {
  const DurationRange range{milliseconds(1000), milliseconds(3'600'000)};
  EXPECT_EQ(ParseDurationFlag("1s", "--t", range), milliseconds(1000));
  EXPECT_EQ(ParseDurationFlag("1h", "--t", range), milliseconds(3'600'000));
  try {
    ParseDurationFlag("500ms", "--t", range);
    ADD_FAILURE() << "accepted 500ms below the minimum";
  } catch (const UsageError& e) {
    EXPECT_EQ(e.reason(), "'500ms' is out of range");
    EXPECT_EQ(e.hint(), "use at least 1s and at most 1h");
  }
  EXPECT_THROW(ParseDurationFlag("0s", "--t"), UsageError);  // the default minimum is 1ms
  EXPECT_THROW(ParseDurationFlag("25h", "--t"), UsageError);
}

TEST(DurationTest, FormatsTheShortestExactForm) {
  EXPECT_EQ(FormatDuration(milliseconds(0)), "0s");
  EXPECT_EQ(FormatDuration(milliseconds(250)), "250ms");
  EXPECT_EQ(FormatDuration(milliseconds(1500)), "1500ms");
  EXPECT_EQ(FormatDuration(milliseconds(30'000)), "30s");
  EXPECT_EQ(FormatDuration(milliseconds(90'000)), "1m30s");
  EXPECT_EQ(FormatDuration(milliseconds(3'600'000)), "1h");
  EXPECT_EQ(FormatDuration(milliseconds(3'723'000)), "1h2m3s");
  for (const char* text : {"250ms", "30s", "1m30s", "1h2m3s", "24h"})
    EXPECT_EQ(FormatDuration(ParseDurationFlag(text, "--t")), text);
}

}  // namespace
}  // namespace hfi

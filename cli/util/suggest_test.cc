#include "util/suggest.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hfi {
namespace {

TEST(EditDistance, CountsInsertionsDeletionsAndSubstitutionsIgnoringCase) {
  EXPECT_EQ(EditDistance("", ""), 0u);
  EXPECT_EQ(EditDistance("verify", "verify"), 0u);
  EXPECT_EQ(EditDistance("verfy", "verify"), 1u);
  EXPECT_EQ(EditDistance("Verify", "verify"), 0u);
  EXPECT_EQ(EditDistance("vreify", "verify"), 2u);
  EXPECT_EQ(EditDistance("", "abc"), 3u);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
}

TEST(ClosestName, NearestWithinTheLimitElsePrefixElseNothing) {
  const std::vector<std::string> commands = {"build",  "inspect", "verify",
                                             "render", "apply",   "deploy"};
  EXPECT_EQ(ClosestName("verfy", commands), "verify");
  EXPECT_EQ(ClosestName("aply", commands), "apply");
  EXPECT_EQ(ClosestName("deplyo", commands), "deploy");
  EXPECT_EQ(ClosestName("insp", commands), "inspect");  // a prefix, 3 edits away
  EXPECT_EQ(ClosestName("kubectl", commands), std::nullopt);
  const std::vector<std::string> shared = {"verify", "version"};
  EXPECT_EQ(ClosestName("ver", shared), std::nullopt);  // a start both share
  EXPECT_EQ(ClosestName("veri", shared), "verify");
  EXPECT_EQ(ClosestName("", commands), std::nullopt);
  EXPECT_EQ(ClosestName("x", commands), std::nullopt);
}

}  // namespace
}  // namespace hfi

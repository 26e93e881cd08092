#include "plugin/matcher.h"

#include <gtest/gtest.h>

#include <string>

#include "plugin/map_request_view.h"
#include "plugin/policy.h"

namespace hfi::plugin {
namespace {

// Matchers are built by the real parser, so these tests also pin what the JSON means.
Match MatchFrom(const std::string& match_json) {
  Policy policy;
  std::string error;
  const std::string text = R"({"policies":[{"metadata":{"name":"p"},"spec":{"rules":[{"match":)" +
                           match_json +
                           R"(,"fault":{"percentage":100,"abort":{"httpStatus":503}}}]}}]})";
  EXPECT_TRUE(ParsePolicy(text, &policy, &error)) << error;
  return policy.entries.empty() ? Match{} : policy.entries[0].rules[0].match;
}

bool Hits(const std::string& match_json, const MapRequestView& request) {
  return Matches(MatchFrom(match_json), request);
}

TEST(MatcherTest, EmptyMatchMatchesEveryRequest) {
  EXPECT_TRUE(Hits("{}", MapRequestView("/anything", "DELETE")));
  EXPECT_TRUE(Hits(R"({"path":{},"method":{},"headers":[]})", MapRequestView("", "")));
}

TEST(MatcherTest, PathExact) {
  EXPECT_TRUE(Hits(R"({"path":{"exact":"/api/users"}})", MapRequestView("/api/users", "GET")));
  EXPECT_FALSE(Hits(R"({"path":{"exact":"/api/users"}})", MapRequestView("/api/users/1", "GET")));
  EXPECT_FALSE(Hits(R"({"path":{"exact":"/api/users"}})", MapRequestView("/API/users", "GET")));
  // :path is raw, query string included, as in the original.
  EXPECT_FALSE(Hits(R"({"path":{"exact":"/a"}})", MapRequestView("/a?x=1", "GET")));
}

TEST(MatcherTest, PathPrefix) {
  EXPECT_TRUE(Hits(R"({"path":{"prefix":"/api/"}})", MapRequestView("/api/users", "GET")));
  EXPECT_TRUE(Hits(R"({"path":{"prefix":"/api/"}})", MapRequestView("/api/", "GET")));
  EXPECT_FALSE(Hits(R"({"path":{"prefix":"/api/"}})", MapRequestView("/api", "GET")));
  EXPECT_TRUE(Hits(R"({"path":{"prefix":"/a"}})", MapRequestView("/a?x=1", "GET")));
  EXPECT_TRUE(Hits(R"({"path":{"prefix":""}})", MapRequestView("", "GET")));
}

TEST(MatcherTest, PathRegexMatchesAnywhere) {
  EXPECT_TRUE(
      Hits(R"({"path":{"regex":"users/[0-9]+"}})", MapRequestView("/v1/users/42/x", "GET")));
  EXPECT_FALSE(Hits(R"({"path":{"regex":"users/[0-9]+"}})", MapRequestView("/v1/users/me", "GET")));
  EXPECT_TRUE(Hits(R"({"path":{"regex":"^/v1/"}})", MapRequestView("/v1/users", "GET")));
  EXPECT_FALSE(Hits(R"({"path":{"regex":"^/v1/"}})", MapRequestView("/api/v1/users", "GET")));
  EXPECT_FALSE(Hits(R"({"path":{"regex":"^/v1$"}})", MapRequestView("/v1/x", "GET")));
}

TEST(MatcherTest, PrecedenceDecidesWhichConditionApplies) {
  // exact wins over prefix: "/p/x" would pass the prefix, but only the exact value counts.
  EXPECT_FALSE(Hits(R"({"path":{"exact":"/e","prefix":"/p"}})", MapRequestView("/p/x", "GET")));
  EXPECT_TRUE(Hits(R"({"path":{"exact":"/e","prefix":"/p"}})", MapRequestView("/e", "GET")));
  EXPECT_FALSE(Hits(R"({"path":{"prefix":"/p","regex":"x"}})", MapRequestView("/x", "GET")));
}

TEST(MatcherTest, Method) {
  EXPECT_TRUE(Hits(R"({"method":{"exact":"POST"}})", MapRequestView("/", "POST")));
  EXPECT_FALSE(Hits(R"({"method":{"exact":"POST"}})", MapRequestView("/", "GET")));
  EXPECT_FALSE(Hits(R"({"method":{"exact":"POST"}})", MapRequestView("/", "post")));
  EXPECT_TRUE(Hits(R"({"method":{"prefix":"P"}})", MapRequestView("/", "PUT")));
  EXPECT_TRUE(Hits(R"({"method":{"regex":"^(GET|HEAD)$"}})", MapRequestView("/", "HEAD")));
  EXPECT_FALSE(Hits(R"({"method":{"regex":"^(GET|HEAD)$"}})", MapRequestView("/", "GETS")));
}

TEST(MatcherTest, AnyHeaderCanMatch) {
  // Not on the original's allow-list: it could never match there.
  const std::string match = R"({"headers":[{"name":"x-boifi-request-id","exact":"abc"}]})";
  EXPECT_TRUE(Hits(match, MapRequestView("/", "GET", {{"x-boifi-request-id", "abc"}})));
  EXPECT_FALSE(Hits(match, MapRequestView("/", "GET", {{"x-boifi-request-id", "abcd"}})));
  EXPECT_TRUE(Hits(R"({"headers":[{"name":":authority","prefix":"reviews."}]})",
                   MapRequestView("/", "GET", {{":authority", "reviews.demo:9080"}})));
}

TEST(MatcherTest, HeaderNamesAreCaseInsensitive) {
  const std::string match = R"({"headers":[{"name":"X-User-Id","exact":"test"}]})";
  EXPECT_TRUE(Hits(match, MapRequestView("/", "GET", {{"x-user-id", "test"}})));
  EXPECT_TRUE(Hits(match, MapRequestView("/", "GET", {{"X-USER-ID", "test"}})));
  // Values are not.
  EXPECT_FALSE(Hits(match, MapRequestView("/", "GET", {{"x-user-id", "TEST"}})));
}

TEST(MatcherTest, MissingHeaderNeverMatches) {
  const MapRequestView without("/", "GET", {{"x-other", "v"}});
  EXPECT_FALSE(Hits(R"({"headers":[{"name":"x-user","exact":""}]})", without));
  EXPECT_FALSE(Hits(R"({"headers":[{"name":"x-user","prefix":""}]})", without));
  EXPECT_FALSE(Hits(R"({"headers":[{"name":"x-user","regex":".*"}]})", without));
  EXPECT_FALSE(Hits(R"({"headers":[{"name":"x-user"}]})", without));
}

TEST(MatcherTest, HeaderWithoutValueConditionIsAPresenceCheck) {
  const std::string match = R"({"headers":[{"name":"x-canary"}]})";
  EXPECT_TRUE(Hits(match, MapRequestView("/", "GET", {{"x-canary", "1"}})));
  EXPECT_TRUE(Hits(match, MapRequestView("/", "GET", {{"x-canary", ""}})));
  EXPECT_FALSE(Hits(match, MapRequestView("/", "GET")));
}

TEST(MatcherTest, HeaderRegexMatchesAnywhereInTheValue) {
  const std::string match = R"({"headers":[{"name":"user-agent","regex":"curl/[0-9]"}]})";
  EXPECT_TRUE(Hits(match, MapRequestView("/", "GET", {{"user-agent", "x curl/8.1 y"}})));
  EXPECT_FALSE(Hits(match, MapRequestView("/", "GET", {{"user-agent", "wget/1"}})));
}

TEST(MatcherTest, AllConditionsMustHold) {
  const std::string match = R"({"path":{"prefix":"/api"},"method":{"exact":"POST"},
      "headers":[{"name":"a","exact":"1"},{"name":"b"}]})";
  EXPECT_TRUE(Hits(match, MapRequestView("/api/x", "POST", {{"a", "1"}, {"b", "2"}})));
  EXPECT_FALSE(Hits(match, MapRequestView("/web/x", "POST", {{"a", "1"}, {"b", "2"}})));
  EXPECT_FALSE(Hits(match, MapRequestView("/api/x", "GET", {{"a", "1"}, {"b", "2"}})));
  EXPECT_FALSE(Hits(match, MapRequestView("/api/x", "POST", {{"a", "2"}, {"b", "2"}})));
  EXPECT_FALSE(Hits(match, MapRequestView("/api/x", "POST", {{"a", "1"}})));
}

// Counts what a matcher asks for, to see which conditions ran.
class CountingView final : public RequestView {
 public:
  std::string_view Path() const override {
    ++path_reads;
    return "/internal/x";
  }
  std::string_view Method() const override {
    ++method_reads;
    return "GET";
  }
  std::optional<std::string_view> Header(std::string_view) const override {
    ++header_reads;
    return std::nullopt;
  }
  mutable int path_reads = 0, method_reads = 0, header_reads = 0;
};

TEST(MatcherTest, RegexRunsOnlyWhenTheCheapConditionsHold) {
  CountingView method_fails;
  EXPECT_FALSE(Matches(MatchFrom(R"({"path":{"regex":"^/internal/"},"method":{"exact":"POST"}})"),
                       method_fails));
  EXPECT_EQ(method_fails.method_reads, 1);
  EXPECT_EQ(method_fails.path_reads, 0);  // the regex never ran

  CountingView header_missing;
  EXPECT_FALSE(
      Matches(MatchFrom(R"({"path":{"regex":"x"},"headers":[{"name":"h"}]})"), header_missing));
  EXPECT_EQ(header_missing.header_reads, 1);
  EXPECT_EQ(header_missing.path_reads, 0);

  CountingView all_cheap_hold;
  EXPECT_TRUE(Matches(MatchFrom(R"({"path":{"regex":"^/internal/"},"method":{"exact":"GET"}})"),
                      all_cheap_hold));
  EXPECT_EQ(all_cheap_hold.path_reads, 1);
}

TEST(MatcherTest, MatchesStringKinds) {
  StringMatch any;
  EXPECT_TRUE(MatchesString(any, "whatever"));
  StringMatch exact;
  exact.kind = StringMatch::Kind::kExact;
  exact.text = "v";
  EXPECT_TRUE(MatchesString(exact, "v"));
  EXPECT_FALSE(MatchesString(exact, "vv"));
  StringMatch prefix;
  prefix.kind = StringMatch::Kind::kPrefix;
  prefix.text = "abc";
  EXPECT_TRUE(MatchesString(prefix, "abcdef"));
  EXPECT_FALSE(MatchesString(prefix, "ab"));
}

}  // namespace
}  // namespace hfi::plugin

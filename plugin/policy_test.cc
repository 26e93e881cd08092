#include "plugin/policy.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "plugin/json.h"

namespace hfi::plugin {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

Policy MustParse(std::string_view text) {
  Policy policy;
  std::string error;
  EXPECT_TRUE(ParsePolicy(text, &policy, &error)) << error << "\n" << text;
  return policy;
}

std::string ErrorOf(std::string_view text) {
  Policy policy;
  std::string error;
  EXPECT_FALSE(ParsePolicy(text, &policy, &error)) << text;
  EXPECT_EQ(error.find('\n'), std::string::npos) << "one line: " << error;
  return error;
}

// A one-policy, one-rule document around a fault, a match, or a whole rule.
std::string WithRule(const std::string& rule) {
  return R"({"policies":[{"metadata":{"name":"p"},"spec":{"rules":[)" + rule + "]}}]}";
}
std::string WithFault(const std::string& fault) {
  return WithRule(R"({"fault":)" + fault + "}");
}
std::string WithMatch(const std::string& match) {
  return WithRule(R"({"match":)" + match +
                  R"(,"fault":{"percentage":100,"abort":{"httpStatus":503}}})");
}
std::string WithDelay(const std::string& delay) {
  return WithFault(R"({"percentage":100,"delay":)" + delay + "}");
}
std::string WithAbort(const std::string& abort) {
  return WithFault(R"({"percentage":100,"abort":)" + abort + "}");
}

constexpr const char* kFault = "policies[0].spec.rules[0].fault";
constexpr const char* kMatch = "policies[0].spec.rules[0].match";

TEST(PolicyTest, EmptyConfigurationMeansNoPolicies) {
  EXPECT_TRUE(MustParse("").entries.empty());
  EXPECT_TRUE(MustParse(" \n\t\r ").entries.empty());
  EXPECT_TRUE(MustParse("{}").entries.empty());
  EXPECT_TRUE(MustParse(R"({"policies":[]})").entries.empty());
}

TEST(PolicyTest, ParsesEveryField) {
  const Policy policy = MustParse(R"({"policies":[{
    "metadata":{"name":"checkout-faults","version":"7"},
    "spec":{
      "selector":{"service":"frontend","namespace":"demo"},
      "rules":[
        {"match":{"path":{"prefix":"/api/"},"method":{"exact":"POST"},
                  "headers":[{"name":"X-User-Id","exact":"test"},
                             {"name":"x-tenant","prefix":"acme-"},
                             {"name":"x-trace","regex":"^[0-9a-f]+$"},
                             {"name":"x-canary"}]},
         "fault":{"percentage":12.5,
                  "abort":{"httpStatus":503,"body":"try later"},
                  "delay":{"fixed_delay_ms":500},
                  "start_delay_ms":100,"duration_seconds":60}},
        {"match":{"path":{"regex":"/v[0-9]+/"},"method":{"prefix":"G"}},
         "fault":{"percentage":100,"abort":{"httpStatus":418}}}]}}]})");
  ASSERT_EQ(policy.entries.size(), 1u);
  const PolicyEntry& entry = policy.entries[0];
  EXPECT_EQ(entry.name, "checkout-faults");
  EXPECT_EQ(entry.selector.service, "frontend");
  EXPECT_EQ(entry.selector.namespace_name, "demo");
  ASSERT_EQ(entry.rules.size(), 2u);
  EXPECT_EQ(policy.RuleCount(), 2u);

  const Rule& first = entry.rules[0];
  EXPECT_EQ(first.match.path.kind, StringMatch::Kind::kPrefix);
  EXPECT_EQ(first.match.path.text, "/api/");
  EXPECT_EQ(first.match.method.kind, StringMatch::Kind::kExact);
  EXPECT_EQ(first.match.method.text, "POST");
  ASSERT_EQ(first.match.headers.size(), 4u);
  EXPECT_EQ(first.match.headers[0].name, "x-user-id");  // lower-cased
  EXPECT_EQ(first.match.headers[0].value.kind, StringMatch::Kind::kExact);
  EXPECT_EQ(first.match.headers[0].value.text, "test");
  EXPECT_EQ(first.match.headers[1].value.kind, StringMatch::Kind::kPrefix);
  EXPECT_EQ(first.match.headers[2].value.kind, StringMatch::Kind::kRegex);
  EXPECT_TRUE(first.match.headers[2].value.regex.Search("00ff"));
  EXPECT_EQ(first.match.headers[3].name, "x-canary");
  EXPECT_EQ(first.match.headers[3].value.kind, StringMatch::Kind::kAny);
  EXPECT_DOUBLE_EQ(first.fault.percentage, 12.5);
  ASSERT_TRUE(first.fault.abort.has_value());
  EXPECT_EQ(first.fault.abort->http_status, 503u);
  EXPECT_EQ(first.fault.abort->body, "try later");
  ASSERT_TRUE(first.fault.delay_ms.has_value());
  EXPECT_EQ(*first.fault.delay_ms, 500u);
  EXPECT_EQ(first.fault.start_delay_ms, 100u);
  EXPECT_EQ(first.fault.duration_seconds, 60u);

  const Rule& second = entry.rules[1];
  EXPECT_EQ(second.match.path.kind, StringMatch::Kind::kRegex);
  EXPECT_EQ(second.match.path.text, "/v[0-9]+/");
  EXPECT_EQ(second.match.method.kind, StringMatch::Kind::kPrefix);
  EXPECT_EQ(second.fault.abort->body, kDefaultAbortBody);
  EXPECT_FALSE(second.fault.delay_ms.has_value());
  EXPECT_EQ(second.fault.start_delay_ms, 0u);
  EXPECT_EQ(second.fault.duration_seconds, 0u);
}

TEST(PolicyTest, KeepsPolicyAndRuleOrder) {
  const Policy policy = MustParse(R"({"policies":[
    {"metadata":{"name":"a"},"spec":{"rules":[
      {"fault":{"percentage":1,"abort":{"httpStatus":500}}},
      {"fault":{"percentage":2,"abort":{"httpStatus":501}}}]}},
    {"metadata":{"name":"b"},"spec":{"rules":[
      {"fault":{"percentage":3,"abort":{"httpStatus":502}}}]}}]})");
  ASSERT_EQ(policy.entries.size(), 2u);
  EXPECT_EQ(policy.entries[0].name, "a");
  EXPECT_EQ(policy.entries[1].name, "b");
  EXPECT_EQ(policy.entries[0].rules[1].fault.abort->http_status, 501u);
  EXPECT_EQ(policy.RuleCount(), 3u);
}

TEST(PolicyTest, MissingMatchOrEmptyMatcherMatchesEverything) {
  const Policy policy = MustParse(WithMatch(R"({"path":{},"method":{},"headers":[]})"));
  const Match& match = policy.entries[0].rules[0].match;
  EXPECT_EQ(match.path.kind, StringMatch::Kind::kAny);
  EXPECT_EQ(match.method.kind, StringMatch::Kind::kAny);
  EXPECT_TRUE(match.headers.empty());
  const Policy no_match = MustParse(WithFault(R"({"percentage":5,"abort":{"httpStatus":500}})"));
  EXPECT_EQ(no_match.entries[0].rules[0].match.path.kind, StringMatch::Kind::kAny);
}

TEST(PolicyTest, ExactBeatsPrefixBeatsRegexAsInTheOriginal) {
  const Policy all = MustParse(WithMatch(R"({"path":{"regex":"r","prefix":"/p","exact":"/e"}})"));
  EXPECT_EQ(all.entries[0].rules[0].match.path.kind, StringMatch::Kind::kExact);
  EXPECT_EQ(all.entries[0].rules[0].match.path.text, "/e");
  const Policy two = MustParse(WithMatch(R"({"method":{"regex":"G.*","prefix":"PO"}})"));
  EXPECT_EQ(two.entries[0].rules[0].match.method.kind, StringMatch::Kind::kPrefix);
  EXPECT_EQ(two.entries[0].rules[0].match.method.text, "PO");
}

TEST(PolicyTest, WildcardSelectorsBecomeEmpty) {
  const Policy policy = MustParse(
      R"({"policies":[{"metadata":{"name":"p"},"spec":{"selector":{"service":"*","namespace":""},
          "rules":[{"fault":{"percentage":1,"abort":{"httpStatus":500}}}]}}]})");
  EXPECT_EQ(policy.entries[0].selector.service, "");
  EXPECT_EQ(policy.entries[0].selector.namespace_name, "");
}

TEST(PolicyTest, DelayForms) {
  auto delay_of = [](const std::string& delay) {
    const Policy policy = MustParse(WithDelay(delay));
    return policy.entries.empty() ? 999u : policy.entries[0].rules[0].fault.delay_ms.value();
  };
  EXPECT_EQ(delay_of(R"({"fixed_delay_ms":500})"), 500u);
  EXPECT_EQ(delay_of(R"({"fixed_delay_ms":0})"), 0u);
  EXPECT_EQ(delay_of(R"({"fixed_delay_ms":3600000})"), 3'600'000u);
  EXPECT_EQ(delay_of(R"({"fixed_delay":"500ms"})"), 500u);
  EXPECT_EQ(delay_of(R"({"fixed_delay":"1s"})"), 1000u);
  EXPECT_EQ(delay_of(R"({"fixed_delay":"1m"})"), 60'000u);
  EXPECT_EQ(delay_of(R"({"fixed_delay":"250"})"), 250u);
  EXPECT_EQ(delay_of(R"({"fixed_delay":"60m"})"), 3'600'000u);
}

TEST(PolicyTest, BoundaryValuesAreAccepted) {
  EXPECT_EQ(MustParse(WithFault(R"({"percentage":0,"abort":{"httpStatus":200}})"))
                .entries[0]
                .rules[0]
                .fault.abort->http_status,
            200u);
  EXPECT_DOUBLE_EQ(MustParse(WithFault(R"({"percentage":100,"abort":{"httpStatus":599}})"))
                       .entries[0]
                       .rules[0]
                       .fault.percentage,
                   100);
  EXPECT_EQ(MustParse(WithFault(R"({"percentage":1,"abort":{"httpStatus":500},
                                    "start_delay_ms":3600000,"duration_seconds":31536000})"))
                .entries[0]
                .rules[0]
                .fault.duration_seconds,
            31'536'000u);
}

TEST(PolicyTest, FailureLeavesOutputUntouched) {
  Policy policy = MustParse(WithFault(R"({"percentage":1,"abort":{"httpStatus":500}})"));
  std::string error;
  EXPECT_FALSE(ParsePolicy(R"({"policies":7})", &policy, &error));
  EXPECT_EQ(policy.entries.size(), 1u);
}

TEST(PolicyTest, NotJson) {
  json::Value unused;
  std::string why;
  ASSERT_FALSE(json::Parse("{", &unused, &why));
  EXPECT_EQ(ErrorOf("{"), "configuration is not valid JSON: " + why);
  EXPECT_THAT(ErrorOf("policies: []"),
              StartsWith("configuration is not valid JSON: line 1, column 1: "));
  EXPECT_THAT(ErrorOf("{\"policies\":[]}\n}"),
              StartsWith("configuration is not valid JSON: line 2, column 1: "));
}

TEST(PolicyTest, DocumentShapeErrors) {
  EXPECT_EQ(ErrorOf("[]"), "configuration: must be an object, got array");
  EXPECT_EQ(ErrorOf(R"({"policy":[]})"), "policy: unknown field (expected policies)");
  EXPECT_EQ(ErrorOf(R"({"control_plane_address":"x:8080"})"),
            "control_plane_address: unknown field (expected policies)");
  EXPECT_EQ(ErrorOf(R"({"policies":{}})"), "policies: must be an array, got object");
  EXPECT_EQ(ErrorOf(R"({"policies":null})"), "policies: must be an array, got null");
  EXPECT_EQ(ErrorOf(R"({"policies":["p"]})"), "policies[0]: must be an object, got string");
  // Keys with odd bytes are quoted and escaped, so the error stays one line.
  EXPECT_EQ(ErrorOf("{\"a\\nb\":1}"), "\"a\\x0ab\": unknown field (expected policies)");
}

TEST(PolicyTest, PolicyEntryErrors) {
  const std::string rules = R"("rules":[{"fault":{"percentage":1,"abort":{"httpStatus":500}}}])";
  EXPECT_EQ(ErrorOf(R"({"policies":[{"spec":{)" + rules + "}}]}"),
            "policies[0].metadata: is required");
  EXPECT_EQ(ErrorOf(R"({"policies":[{"metadata":[],"spec":{)" + rules + "}}]}"),
            "policies[0].metadata: must be an object, got array");
  EXPECT_EQ(ErrorOf(R"({"policies":[{"metadata":{},"spec":{)" + rules + "}}]}"),
            "policies[0].metadata.name: is required");
  EXPECT_EQ(ErrorOf(R"({"policies":[{"metadata":{"name":3},"spec":{)" + rules + "}}]}"),
            "policies[0].metadata.name: must be a string, got number");
  EXPECT_EQ(ErrorOf(R"({"policies":[{"metadata":{"name":""},"spec":{)" + rules + "}}]}"),
            "policies[0].metadata.name: must not be empty");
  EXPECT_EQ(ErrorOf(R"({"policies":[{"metadata":{"name":"p"},"spek":{}}]})"),
            "policies[0].spek: unknown field (expected one of: metadata, spec)");
  EXPECT_EQ(ErrorOf(R"({"policies":[{"metadata":{"name":"p"}}]})"),
            "policies[0].spec: is required");
  EXPECT_EQ(ErrorOf(R"({"policies":[{"metadata":{"name":"p"},"spec":true}]})"),
            "policies[0].spec: must be an object, got boolean");
  EXPECT_EQ(ErrorOf(R"({"policies":[{"metadata":{"name":"p"},"spec":{"rule":[]}}]})"),
            "policies[0].spec.rule: unknown field (expected one of: selector, rules)");
  EXPECT_EQ(ErrorOf(R"({"policies":[{"metadata":{"name":"p"},"spec":{}}]})"),
            "policies[0].spec.rules: is required");
  EXPECT_EQ(ErrorOf(R"({"policies":[{"metadata":{"name":"p"},"spec":{"rules":{}}}]})"),
            "policies[0].spec.rules: must be an array, got object");
  EXPECT_EQ(ErrorOf(R"({"policies":[{"metadata":{"name":"p"},"spec":{"rules":[]}}]})"),
            "policies[0].spec.rules: must have at least one rule");
  EXPECT_EQ(ErrorOf(R"({"policies":[{"metadata":{"name":"p"},"spec":{"rules":[1]}}]})"),
            "policies[0].spec.rules[0]: must be an object, got number");
}

TEST(PolicyTest, DuplicatePolicyNames) {
  const std::string rules = R"("rules":[{"fault":{"percentage":1,"abort":{"httpStatus":500}}}])";
  const std::string entry = R"({"metadata":{"name":"same"},"spec":{)" + rules + "}}";
  const std::string other = R"({"metadata":{"name":"other"},"spec":{)" + rules + "}}";
  EXPECT_EQ(ErrorOf(R"({"policies":[)" + entry + "," + other + "," + entry + "]}"),
            "policies[2].metadata.name: duplicate policy name \"same\" (also policies[0])");
}

TEST(PolicyTest, SelectorErrors) {
  auto with_selector = [](const std::string& selector) {
    return R"({"policies":[{"metadata":{"name":"p"},"spec":{"selector":)" + selector +
           R"(,"rules":[{"fault":{"percentage":1,"abort":{"httpStatus":500}}}]}}]})";
  };
  EXPECT_EQ(ErrorOf(with_selector("[]")),
            "policies[0].spec.selector: must be an object, got array");
  EXPECT_EQ(ErrorOf(with_selector(R"({"services":"a"})")),
            "policies[0].spec.selector.services: unknown field (expected one of: service, "
            "namespace)");
  EXPECT_EQ(ErrorOf(with_selector(R"({"service":1})")),
            "policies[0].spec.selector.service: must be a string, got number");
  EXPECT_EQ(ErrorOf(with_selector(R"({"namespace":null})")),
            "policies[0].spec.selector.namespace: must be a string, got null");
}

TEST(PolicyTest, RuleErrors) {
  EXPECT_EQ(ErrorOf(WithRule(R"({"matches":{},"fault":{}})")),
            "policies[0].spec.rules[0].matches: unknown field (expected one of: match, fault)");
  EXPECT_EQ(ErrorOf(WithRule(R"({"match":{}})")), "policies[0].spec.rules[0].fault: is required");
  EXPECT_EQ(ErrorOf(WithRule(R"({"fault":[]})")),
            "policies[0].spec.rules[0].fault: must be an object, got array");
  // The path of a later rule of a later policy is named exactly.
  const std::string good = R"({"fault":{"percentage":1,"abort":{"httpStatus":500}}})";
  const std::string text = R"({"policies":[{"metadata":{"name":"a"},"spec":{"rules":[)" + good +
                           R"(]}},{"metadata":{"name":"b"},"spec":{"rules":[)" + good + "," +
                           R"({"fault":{"percentage":150,"abort":{"httpStatus":500}}}]}}]})";
  EXPECT_EQ(ErrorOf(text),
            "policies[1].spec.rules[1].fault.percentage: must be between 0 and 100, got 150");
}

TEST(PolicyTest, MatchErrors) {
  EXPECT_EQ(ErrorOf(WithMatch("[]")), std::string(kMatch) + ": must be an object, got array");
  EXPECT_EQ(ErrorOf(WithMatch(R"({"paths":{}})")),
            std::string(kMatch) + ".paths: unknown field (expected one of: path, method, headers)");
  EXPECT_EQ(ErrorOf(WithMatch(R"({"path":"/x"})")),
            std::string(kMatch) + ".path: must be an object, got string");
  EXPECT_EQ(
      ErrorOf(WithMatch(R"({"path":{"exactly":"/x"}})")),
      std::string(kMatch) + ".path.exactly: unknown field (expected one of: exact, prefix, regex)");
  EXPECT_EQ(ErrorOf(WithMatch(R"({"path":{"exact":1}})")),
            std::string(kMatch) + ".path.exact: must be a string, got number");
  EXPECT_EQ(ErrorOf(WithMatch(R"({"path":{"prefix":false}})")),
            std::string(kMatch) + ".path.prefix: must be a string, got boolean");
  EXPECT_EQ(ErrorOf(WithMatch(R"({"method":{"regex":[]}})")),
            std::string(kMatch) + ".method.regex: must be a string, got array");
  EXPECT_EQ(
      ErrorOf(WithMatch(R"({"method":{"name":"GET"}})")),
      std::string(kMatch) + ".method.name: unknown field (expected one of: exact, prefix, regex)");
  EXPECT_EQ(ErrorOf(WithMatch(R"({"headers":{}})")),
            std::string(kMatch) + ".headers: must be an array, got object");
  EXPECT_EQ(ErrorOf(WithMatch(R"({"headers":["x"]})")),
            std::string(kMatch) + ".headers[0]: must be an object, got string");
  EXPECT_EQ(ErrorOf(WithMatch(R"({"headers":[{"name":"a"},{"exact":"v"}]})")),
            std::string(kMatch) + ".headers[1].name: is required");
  EXPECT_EQ(ErrorOf(WithMatch(R"({"headers":[{"name":""}]})")),
            std::string(kMatch) + ".headers[0].name: must not be empty");
  EXPECT_EQ(ErrorOf(WithMatch(R"({"headers":[{"name":7}]})")),
            std::string(kMatch) + ".headers[0].name: must be a string, got number");
  EXPECT_EQ(ErrorOf(WithMatch(R"({"headers":[{"name":"a","value":"v"}]})")),
            std::string(kMatch) +
                ".headers[0].value: unknown field (expected one of: name, exact, prefix, regex)");
}

TEST(PolicyTest, RegexThatDoesNotCompile) {
  re::Regex unused;
  std::string why;
  ASSERT_FALSE(re::Regex::Compile("(a", &unused, &why));
  EXPECT_EQ(ErrorOf(WithMatch(R"({"path":{"regex":"(a"}})")),
            std::string(kMatch) + ".path.regex: does not compile: " + why);
  // Checked even when exact takes precedence: a broken pattern is a mistake either way.
  EXPECT_EQ(ErrorOf(WithMatch(R"({"headers":[{"name":"h","exact":"x","regex":"(a"}]})")),
            std::string(kMatch) + ".headers[0].regex: does not compile: " + why);
}

TEST(PolicyTest, FaultErrors) {
  const std::string fault = kFault;
  EXPECT_EQ(ErrorOf(WithFault(R"({"percentage":1,"abort":{"httpStatus":500},"delays":{}})")),
            fault +
                ".delays: unknown field (expected one of: percentage, abort, delay, "
                "start_delay_ms, duration_seconds)");
  EXPECT_EQ(ErrorOf(WithFault(R"({"abort":{"httpStatus":500}})")),
            fault + ".percentage: is required");
  EXPECT_EQ(ErrorOf(WithFault(R"({"percentage":"50","abort":{"httpStatus":500}})")),
            fault + ".percentage: must be a number, got string");
  EXPECT_EQ(ErrorOf(WithFault(R"({"percentage":150,"abort":{"httpStatus":500}})")),
            fault + ".percentage: must be between 0 and 100, got 150");
  EXPECT_EQ(ErrorOf(WithFault(R"({"percentage":-1,"abort":{"httpStatus":500}})")),
            fault + ".percentage: must be between 0 and 100, got -1");
  EXPECT_EQ(ErrorOf(WithFault(R"({"percentage":100.5,"abort":{"httpStatus":500}})")),
            fault + ".percentage: must be between 0 and 100, got 100.5");
  EXPECT_EQ(ErrorOf(WithFault(R"({"percentage":50})")), fault + ": must have an abort or a delay");
  EXPECT_EQ(
      ErrorOf(WithFault(R"({"percentage":1,"abort":{"httpStatus":500},"start_delay_ms":-1})")),
      fault + ".start_delay_ms: must be between 0 and 3600000 ms (one hour), got -1");
  EXPECT_EQ(
      ErrorOf(WithFault(R"({"percentage":1,"abort":{"httpStatus":500},"start_delay_ms":3600001})")),
      fault + ".start_delay_ms: must be between 0 and 3600000 ms (one hour), got 3600001");
  EXPECT_EQ(
      ErrorOf(WithFault(R"({"percentage":1,"abort":{"httpStatus":500},"start_delay_ms":"5"})")),
      fault + ".start_delay_ms: must be a number, got string");
  EXPECT_EQ(
      ErrorOf(WithFault(R"({"percentage":1,"abort":{"httpStatus":500},"duration_seconds":-5})")),
      fault + ".duration_seconds: must be between 0 and 31536000 s (one year), got -5");
  EXPECT_EQ(
      ErrorOf(WithFault(R"({"percentage":1,"abort":{"httpStatus":500},"duration_seconds":1e12})")),
      fault + ".duration_seconds: must be between 0 and 31536000 s (one year), got 1000000000000");
  EXPECT_EQ(
      ErrorOf(WithFault(R"({"percentage":1,"abort":{"httpStatus":500},"duration_seconds":2.5})")),
      fault + ".duration_seconds: must be a whole number, got 2.5");
}

TEST(PolicyTest, AbortErrors) {
  const std::string abort = std::string(kFault) + ".abort";
  EXPECT_EQ(ErrorOf(WithAbort("503")), abort + ": must be an object, got number");
  EXPECT_EQ(ErrorOf(WithAbort(R"({"status":503})")),
            abort + ".status: unknown field (expected one of: httpStatus, body)");
  EXPECT_EQ(ErrorOf(WithAbort(R"({"http_status":503})")),
            abort + ".http_status: unknown field (expected one of: httpStatus, body)");
  EXPECT_EQ(ErrorOf(WithAbort("{}")), abort + ".httpStatus: is required");
  EXPECT_EQ(ErrorOf(WithAbort(R"({"httpStatus":"503"})")),
            abort + ".httpStatus: must be a number, got string");
  EXPECT_EQ(ErrorOf(WithAbort(R"({"httpStatus":503.5})")),
            abort + ".httpStatus: must be a whole number, got 503.5");
  EXPECT_EQ(ErrorOf(WithAbort(R"({"httpStatus":199})")),
            abort + ".httpStatus: must be between 200 and 599, got 199");
  EXPECT_EQ(ErrorOf(WithAbort(R"({"httpStatus":600})")),
            abort + ".httpStatus: must be between 200 and 599, got 600");
  EXPECT_EQ(ErrorOf(WithAbort(R"({"httpStatus":503,"body":{}})")),
            abort + ".body: must be a string, got object");
}

TEST(PolicyTest, DelayErrors) {
  const std::string delay = std::string(kFault) + ".delay";
  EXPECT_EQ(ErrorOf(WithDelay("500")), delay + ": must be an object, got number");
  EXPECT_EQ(
      ErrorOf(WithDelay(R"({"fixed_delay_sec":1})")),
      delay + ".fixed_delay_sec: unknown field (expected one of: fixed_delay_ms, fixed_delay)");
  EXPECT_EQ(ErrorOf(WithDelay("{}")), delay + ": must set fixed_delay_ms (or fixed_delay)");
  EXPECT_EQ(ErrorOf(WithDelay(R"({"fixed_delay_ms":5,"fixed_delay":"5ms"})")),
            delay + ": set only one of fixed_delay_ms and fixed_delay");
  EXPECT_EQ(ErrorOf(WithDelay(R"({"fixed_delay_ms":-5})")),
            delay + ".fixed_delay_ms: must be between 0 and 3600000 ms (one hour), got -5");
  EXPECT_EQ(ErrorOf(WithDelay(R"({"fixed_delay_ms":3600001})")),
            delay + ".fixed_delay_ms: must be between 0 and 3600000 ms (one hour), got 3600001");
  EXPECT_EQ(ErrorOf(WithDelay(R"({"fixed_delay_ms":1.5})")),
            delay + ".fixed_delay_ms: must be a whole number, got 1.5");
  EXPECT_EQ(ErrorOf(WithDelay(R"({"fixed_delay_ms":"500"})")),
            delay + ".fixed_delay_ms: must be a number, got string");
  EXPECT_EQ(ErrorOf(WithDelay(R"({"fixed_delay":500})")),
            delay + ".fixed_delay: must be a string, got number");
  const std::string form =
      ".fixed_delay: must be a duration like \"500ms\", \"1s\", \"1m\" or \"250\" (ms), got ";
  EXPECT_EQ(ErrorOf(WithDelay(R"({"fixed_delay":"abc"})")), delay + form + "\"abc\"");
  EXPECT_EQ(ErrorOf(WithDelay(R"({"fixed_delay":"2h"})")), delay + form + "\"2h\"");
  EXPECT_EQ(ErrorOf(WithDelay(R"({"fixed_delay":"1.5s"})")), delay + form + "\"1.5s\"");
  EXPECT_EQ(ErrorOf(WithDelay(R"({"fixed_delay":""})")), delay + form + "\"\"");
  EXPECT_EQ(ErrorOf(WithDelay(R"({"fixed_delay":"-5ms"})")), delay + form + "\"-5ms\"");
  EXPECT_EQ(ErrorOf(WithDelay(R"({"fixed_delay":"61m"})")),
            delay + ".fixed_delay: must be at most 3600000 ms (one hour), got \"61m\"");
  EXPECT_EQ(ErrorOf(WithDelay(R"({"fixed_delay":"99999999999999999999s"})")),
            delay +
                ".fixed_delay: must be at most 3600000 ms (one hour), got "
                "\"99999999999999999999s\"");
}

TEST(PolicyTest, LongValuesAreCutInErrors) {
  const std::string long_text(200, 'x');
  const std::string error = ErrorOf(WithDelay(R"({"fixed_delay":")" + long_text + "\"}"));
  EXPECT_THAT(error, HasSubstr("got \"" + std::string(64, 'x') + "...\""));
}

// Every example shipped in k8s/policies/ must be a valid configuration.
TEST(PolicyTest, ExamplePoliciesAreValid) {
  const std::filesystem::path dir = std::filesystem::path(HFI_SOURCE_DIR) / "k8s" / "policies";
  ASSERT_TRUE(std::filesystem::is_directory(dir)) << dir;
  int parsed = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".json")
      continue;
    std::ifstream in(entry.path());
    std::stringstream text;
    text << in.rdbuf();
    Policy policy;
    std::string error;
    EXPECT_TRUE(ParsePolicy(text.str(), &policy, &error)) << entry.path() << ": " << error;
    EXPECT_GT(policy.RuleCount(), 0u) << entry.path();
    ++parsed;
  }
  EXPECT_GE(parsed, 3);
}

}  // namespace
}  // namespace hfi::plugin

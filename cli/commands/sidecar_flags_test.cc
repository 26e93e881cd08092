#include "commands/sidecar_flags.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "util/errors.h"

namespace hfi {
namespace {

using Mode = envoystats::StatsMatcher::Mode;

class SidecarFlagsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = ::testing::TempDir() + "sidecar_flags_XXXXXX";
    ASSERT_NE(::mkdtemp(pattern.data()), nullptr);
    dir_ = pattern;
    flags_.plugin = Write("plugin.wasm", "wasm bytes");
  }
  void TearDown() override {
    for (const std::string& file : files_)
      ::unlink(file.c_str());
    ::rmdir(dir_.c_str());
  }

  std::string Write(const std::string& name, const std::string& content) {
    std::string path = dir_ + "/" + name;
    std::ofstream(path, std::ios::binary) << content;
    files_.push_back(path);
    return path;
  }

  // Parses `args` as the sidecar flags onto flags_.
  void Parse(std::vector<std::string> args) {
    CLI::App app;
    AddSidecarFlags(&app, flags_);
    std::reverse(args.begin(), args.end());  // CLI11 takes them last first
    app.parse(args);
  }

  sidecar::SidecarConfig Make() { return MakeSidecarConfig(flags_, "", "5s"); }

  template <typename E>
  std::string ErrorOf() {
    try {
      Make();
    } catch (const E& e) {
      return FormatError(e);
    }
    return "no error";
  }

  std::string dir_;
  std::vector<std::string> files_;
  SidecarFlags flags_;
};

TEST_F(SidecarFlagsTest, DefaultsAreIstiosMatcherAndEnvoysFlushInterval) {
  Parse({});
  sidecar::SidecarConfig config = Make();
  EXPECT_EQ(config.plugin_path, flags_.plugin);
  EXPECT_EQ(config.plugin_wasm, "wasm bytes");
  EXPECT_EQ(config.policy, "");
  EXPECT_EQ(config.policy_path, "");
  EXPECT_EQ(config.stats_matcher.mode(), Mode::kInclusion);
  EXPECT_TRUE(config.stats_matcher.Accepts("wasmcustom.hfi_faults_aborts_total"));
  EXPECT_FALSE(config.stats_matcher.Accepts("http.inbound.rq_total"));
  EXPECT_EQ(config.flush_interval, std::chrono::seconds(5));
  EXPECT_EQ(config.host.failure_policy, wasmhost::FailurePolicy::kFailClosed);
  EXPECT_EQ(config.host.node_metadata,
            (std::map<std::string, std::string>{
                {"NAME", "hfi-local"}, {"NAMESPACE", "default"}, {"WORKLOAD_NAME", "hfi-local"}}));
}

TEST_F(SidecarFlagsTest, FlagsReachTheConfig) {
  const std::string policy = Write("policy.json", R"({"policies":[]})");
  Parse({"--policy", policy, "--flush-interval", "250ms", "--workload", "reviews-v1", "--namespace",
         "demo", "--fail", "open"});
  sidecar::SidecarConfig config = Make();
  EXPECT_EQ(config.policy, R"({"policies":[]})");
  EXPECT_EQ(config.policy_path, policy);
  EXPECT_EQ(config.host.plugin_configuration, config.policy);
  EXPECT_EQ(config.flush_interval, std::chrono::milliseconds(250));
  EXPECT_EQ(config.host.node_metadata.at("WORKLOAD_NAME"), "reviews-v1");
  EXPECT_EQ(config.host.node_metadata.at("NAME"), "reviews-v1");
  EXPECT_EQ(config.host.node_metadata.at("NAMESPACE"), "demo");
  EXPECT_EQ(config.host.failure_policy, wasmhost::FailurePolicy::kFailOpen);
}

TEST_F(SidecarFlagsTest, TheDefaultPolicyAppliesWithoutPolicy) {
  Parse({});
  sidecar::SidecarConfig config = MakeSidecarConfig(flags_, "{\"policies\":[]}", "1s");
  EXPECT_EQ(config.policy, "{\"policies\":[]}");
  EXPECT_EQ(config.policy_path, "");
  EXPECT_EQ(config.flush_interval, std::chrono::seconds(1));
}

TEST_F(SidecarFlagsTest, MatcherChoices) {
  Parse({"--stats-matcher", "all"});
  EXPECT_EQ(Make().stats_matcher.mode(), Mode::kAcceptAll);
  Parse({"--stats-matcher", "none"});
  EXPECT_EQ(Make().stats_matcher.mode(), Mode::kRejectAll);
  EXPECT_THROW(Parse({"--stats-matcher", "envoy"}), CLI::ValidationError);
}

TEST_F(SidecarFlagsTest, PatternListsReplaceTheMatcher) {
  Parse({"--stats-inclusion", "prefix:wasmcustom.", "--stats-inclusion", "regex:.*hfi.*"});
  sidecar::SidecarConfig config = Make();
  EXPECT_EQ(config.stats_matcher.mode(), Mode::kInclusion);
  ASSERT_EQ(config.stats_matcher.patterns().size(), 2u);
  EXPECT_EQ(config.stats_matcher.patterns()[0].Describe(), "prefix:wasmcustom.");
  EXPECT_EQ(config.stats_matcher.patterns()[1].Describe(), "regex:.*hfi.*");
  EXPECT_FALSE(config.stats_matcher.Accepts("server.live"));

  flags_ = SidecarFlags{};
  flags_.plugin = files_[0];
  Parse({"--stats-exclusion", "contains:hfi"});
  config = Make();
  EXPECT_EQ(config.stats_matcher.mode(), Mode::kExclusion);
  EXPECT_FALSE(config.stats_matcher.Accepts("wasmcustom.hfi_faults_aborts_total"));
  EXPECT_TRUE(config.stats_matcher.Accepts("server.live"));
}

TEST_F(SidecarFlagsTest, ConflictingOrBadPatternsAreUsageErrors) {
  Parse({"--stats-inclusion", "prefix:a", "--stats-exclusion", "prefix:b"});
  EXPECT_EQ(ErrorOf<UsageError>(),
            "hfi-metrics: --stats-inclusion: cannot be combined with --stats-exclusion (Envoy's "
            "stats_matcher holds one list: pass one kind)");

  flags_.exclusion.clear();
  flags_.stats_matcher = "none";
  EXPECT_EQ(ErrorOf<UsageError>(),
            "hfi-metrics: --stats-inclusion: cannot be combined with --stats-matcher none "
            "(reject_all has no pattern list: drop one of them)");

  flags_.stats_matcher = "istio";
  flags_.inclusion = {"wasmcustom."};
  EXPECT_EQ(ErrorOf<UsageError>(),
            "hfi-metrics: --stats-inclusion: 'wasmcustom.': expected KIND:VALUE with KIND "
            "prefix, suffix, exact, contains or regex (e.g. --stats-inclusion prefix:wasmcustom. "
            "or regex:.*hfi.*)");
  flags_.inclusion = {"regex:("};
  EXPECT_NE(ErrorOf<UsageError>().find("--stats-inclusion: 'regex:(': "), std::string::npos);
}

TEST(SidecarFlushIntervalTest, DurationsUpToAnHour) {
  EXPECT_EQ(ParseFlushInterval("250ms"), std::chrono::milliseconds(250));
  EXPECT_EQ(ParseFlushInterval("5s"), std::chrono::seconds(5));
  EXPECT_EQ(ParseFlushInterval("1m"), std::chrono::minutes(1));
  EXPECT_EQ(ParseFlushInterval("1h"), std::chrono::hours(1));
  EXPECT_EQ(ParseFlushInterval("3600000ms"), std::chrono::hours(1));
  for (const char* bad : {"", "5", "s", "0s", "0ms", "-1s", "1.5s", "2h", "3600001ms", "61m", "5 s",
                          "5sec", "99999999999999999999s"}) {
    EXPECT_THROW(ParseFlushInterval(bad), UsageError) << bad;
  }
  try {
    ParseFlushInterval("soon");
  } catch (const UsageError& e) {
    EXPECT_EQ(FormatError(e),
              "hfi-metrics: --flush-interval: 'soon' is not a duration (use e.g. 5s, 250ms or 1m "
              "(more than 0, at most 1h))");
  }
}

TEST_F(SidecarFlagsTest, EmptyNamesAndBadFailPolicyAreUsageErrors) {
  flags_.workload = "";
  EXPECT_EQ(ErrorOf<UsageError>(),
            "hfi-metrics: --workload: must not be empty (pass the workload's name)");
  flags_.workload = "w";
  flags_.fail_policy = "sometimes";
  EXPECT_NE(ErrorOf<UsageError>().find("--fail"), std::string::npos);
  flags_.fail_policy = "closed";
  flags_.plugin = "-";
  flags_.policy = "-";
  EXPECT_NE(ErrorOf<UsageError>().find("standard input"), std::string::npos);
}

TEST_F(SidecarFlagsTest, UnreadableFilesAndInvalidPoliciesAreInputErrors) {
  flags_.plugin = dir_ + "/absent.wasm";
  EXPECT_EQ(ErrorOf<InputError>(),
            "hfi-metrics: " + dir_ + "/absent.wasm: No such file or directory (check the path)");
  flags_.plugin = files_[0];
  flags_.policy =
      Write("bad.json", R"({"policies":[{"spec":{"rules":[{"fault":{"percentage":150}}]}}]})");
  const std::string error = ErrorOf<InputError>();
  EXPECT_EQ(error.rfind("hfi-metrics: " + flags_.policy + ": policies[0]", 0), 0u) << error;
}

}  // namespace
}  // namespace hfi

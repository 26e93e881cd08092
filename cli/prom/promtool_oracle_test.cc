// Differential test of strict mode against `promtool check metrics` (Debian's promtool 2.42,
// which parses with expfmt's TextParser): generated inputs, valid and broken, must be accepted
// or rejected by both alike. promtool 2.42 has no `--lint=none`; its exit status is 0 (clean),
// 3 (parsed, lint problems) or 1 (parse error), so only 1 counts as a rejection.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <random>
#include <string>
#include <vector>

#include "prom/parser.h"

namespace hfi::prom {
namespace {

bool OnPath(const char* tool) {
  const std::string cmd = std::string("command -v ") + tool + " >/dev/null 2>&1";
  return std::system(cmd.c_str()) == 0;
}

// Exit status of promtool for `input` on stdin, or -1 if it could not be run.
int Promtool(const std::string& input) {
  FILE* pipe = popen("promtool check metrics >/dev/null 2>&1", "w");
  if (pipe == nullptr)
    return -1;
  std::fwrite(input.data(), 1, input.size(), pipe);
  const int status = pclose(pipe);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

// Lines that are valid in isolation, in the shapes Envoy, prometheus-cpp and client libraries
// write, and lines that exercise the edges of the grammar.
const char* const kLines[] = {
    "# TYPE a counter",
    "# TYPE h histogram",
    "# TYPE s summary",
    "# TYPE g gauge",
    "# HELP a Some help.",
    "# HELP h with \\\\ and \\n",
    "# a comment",
    "a 1",
    "a{} 3",
    "a{x=\"1\"} 2 1700000000000",
    "a{x=\"1\",y=\"v\"} 2",
    "a_total 5",
    "g -1.5e3",
    "g{l=\"\\\"q\\\"\"} NaN",
    "h_bucket{le=\"0.5\"} 0",
    "h_bucket{le=\"+Inf\"} 2",
    "h_sum{} 5531.1160155998386471765115857124",
    "h_count{} 2",
    "s{quantile=\"0.5\"} 1",
    "s_sum 3",
    "s_count 2",
    "",
    "   ",
    "x { a = \"b\" , } +Inf",
};

// Byte edits that produce the near-misses a real exposition contains.
const char kNoise[] = {' ', '\t', '{', '}', '"', ',', '=', '\\', '#', 'e',  '_',  '.',
                       '-', '+',  '0', '9', 'x', 'n', 'l', ':',  '@', '\r', '\n', '\xff'};

std::string Mutate(std::string s, std::mt19937& rng) {
  const int edits = 1 + static_cast<int>(rng() % 2);
  for (int i = 0; i < edits; ++i) {
    const std::size_t pos = s.empty() ? 0 : rng() % s.size();
    switch (rng() % 3) {
      case 0:
        if (!s.empty())
          s.erase(pos, 1);
        break;
      case 1:
        s.insert(s.begin() + static_cast<std::ptrdiff_t>(pos), kNoise[rng() % sizeof(kNoise)]);
        break;
      default:
        if (!s.empty())
          s[pos] = kNoise[rng() % sizeof(kNoise)];
        break;
    }
  }
  return s;
}

std::string GenerateInput(std::mt19937& rng) {
  std::string input;
  const int lines = 1 + static_cast<int>(rng() % 5);
  for (int i = 0; i < lines; ++i)
    input += kLines[rng() % std::size(kLines)] + std::string("\n");
  // Two inputs in three are damaged somewhere; a few lose their final newline.
  if (rng() % 3 != 0)
    input = Mutate(input, rng);
  if (rng() % 10 == 0 && !input.empty() && input.back() == '\n')
    input.pop_back();
  return input;
}

TEST(PromtoolOracle, StrictModeAcceptsWhatPromtoolAccepts) {
  if (!OnPath("promtool"))
    GTEST_SKIP() << "promtool is not on PATH";
  // HFI_ORACLE_INPUTS / HFI_ORACLE_SEED widen the search by hand; the default keeps the test
  // near 15 s (promtool takes some 30-60 ms per run).
  const char* count_env = std::getenv("HFI_ORACLE_INPUTS");
  const char* seed_env = std::getenv("HFI_ORACLE_SEED");
  const int count = count_env != nullptr ? std::atoi(count_env) : 300;
  std::mt19937 rng(seed_env != nullptr ? static_cast<unsigned>(std::atoi(seed_env)) : 4242U);
  int accepted = 0, rejected = 0;
  for (int i = 0; i < count; ++i) {
    const std::string input = GenerateInput(rng);
    // `# EOF` makes an OpenMetrics body for us but is a plain comment to expfmt (a documented
    // difference), so such inputs say nothing about strict mode.
    if (input.find("# EOF") != std::string::npos)
      continue;
    const int status = Promtool(input);
    ASSERT_NE(status, -1) << "could not run promtool";
    const bool promtool_accepts = status != 1;
    ParseOptions options;
    options.mode = Mode::kStrict;
    const ParseResult r = Parse(input, options);
    EXPECT_EQ(r.ok(), promtool_accepts)
        << "input: " << ::testing::PrintToString(input) << "\npromtool exit " << status
        << (r.ok() ? std::string() : "\nours: " + r.diagnostics[0].Format("input"));
    (promtool_accepts ? accepted : rejected)++;
  }
  // The generator must exercise both outcomes for the comparison to mean anything.
  EXPECT_GT(accepted, count / 8);
  EXPECT_GT(rejected, count / 8);
}

}  // namespace
}  // namespace hfi::prom

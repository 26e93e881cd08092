// Golden-file tests of the three renderers (tests/data/golden/), on the engine's report of real
// data files, plus escaping and colour. HFI_UPDATE_GOLDEN=1 rewrites the golden files.
#include "report/render.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "verify/verify.h"

namespace hfi::report {
namespace {

std::string SourceDir() {
  const char* dir = std::getenv("HFI_SOURCE_DIR");
  return dir != nullptr ? dir : HFI_SOURCE_DIR_DEFAULT;
}

std::string Read(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

void ExpectGolden(const std::string& actual, const std::string& golden_name) {
  std::string path = SourceDir() + "/tests/data/golden/" + golden_name;
  const char* update = std::getenv("HFI_UPDATE_GOLDEN");
  if (update != nullptr && std::string(update) == "1") {
    std::ofstream(path, std::ios::binary) << actual;
  }
  EXPECT_EQ(actual, Read(path)) << "differs from " << path
                                << " (rerun with HFI_UPDATE_GOLDEN=1 to accept the change)";
}

// Three files: all checks pass; a warning; an unparseable scrape. The second carries a baseline
// and expectations so that every part of the report appears.
verify::Report SampleReport() {
  auto source = [](const std::string& file) {
    return verify::Source{file, verify::SourceKind::kFile,
                          Read(SourceDir() + "/tests/data/verify/" + file)};
  };
  std::string error;
  verify::CheckOptions with_expectations;
  with_expectations.expect = {*verify::ParseExpectation("aborts>=1", &error)};
  with_expectations.expect_delta = {*verify::ParseExpectation("delays>=5", &error)};
  verify::Source baseline = source("healthy.prom");
  verify::Report report;
  report.sources.push_back(verify::VerifySource(source("healthy.prom"), nullptr, {}));
  report.sources.push_back(
      verify::VerifySource(source("hfi210-histogram-lag.prom"), &baseline, with_expectations));
  report.sources.push_back(verify::VerifySource(source("hfi401-malformed.prom"), nullptr, {}));
  return report;
}

TEST(Render, TextGolden) {
  ExpectGolden(RenderText(SampleReport(), false), "verify.txt");
}
TEST(Render, JsonGolden) {
  ExpectGolden(RenderJson(SampleReport()), "verify.json");
}
TEST(Render, JunitGolden) {
  ExpectGolden(RenderJunit(SampleReport()), "verify.xml");
}

TEST(Render, JsonCarriesSchemaExitCodeAndSummary) {
  verify::Report report = SampleReport();
  nlohmann::json json = nlohmann::json::parse(RenderJson(report));
  EXPECT_EQ(json["schemaVersion"], "hfi-metrics.verify/v1");
  EXPECT_EQ(json["exitCode"], 3);  // the unparseable file wins over the others' results
  EXPECT_EQ(json["summary"]["sources"], 3);
  EXPECT_EQ(json["sources"][1]["baseline"], "healthy.prom");
  EXPECT_EQ(json["sources"][0]["exitCode"], 0);
  EXPECT_EQ(json["sources"][2]["exitCode"], 3);
}

// A local source: its kind, its traffic in each format, the plugin check first.
verify::Report LocalReport() {
  verify::SourceReport source;
  source.name = "local sidecar (127.0.0.1:40123)";
  source.kind = verify::SourceKind::kLocal;
  source.traffic = verify::TrafficSummary{30, 10, 10, 9, 1};
  verify::Check check{"traffic", ""};
  check.expected = "aborts 10, delays 10, delay _count 10 (30 requests)";
  check.observed = "aborts 9, delays 10, delay _count 10";
  verify::Finding finding(verify::HintId::kTrafficMismatch);
  finding.metric = "wasmcustom_hfi_faults_aborts_total";
  finding.expected = "10 (aborted responses seen)";
  finding.observed = "9";
  check.findings.push_back(finding);
  source.checks.push_back(verify::Check{"plugin", "", "running", "running"});
  source.checks.push_back(check);
  verify::Report report;
  report.sources.push_back(source);
  return report;
}

TEST(Render, LocalSourceCarriesItsTrafficInEveryFormat) {
  verify::Report report = LocalReport();
  nlohmann::json json = nlohmann::json::parse(RenderJson(report));
  const nlohmann::json& source = json["sources"][0];
  EXPECT_EQ(source["kind"], "local");
  EXPECT_EQ(
      source["traffic"],
      nlohmann::json::parse(R"({"sent":30,"aborted":10,"delayed":10,"passed":9,"failed":1})"));
  EXPECT_EQ(source["checks"][1]["findings"][0]["code"], "HFI307");
  EXPECT_EQ(json["exitCode"], 1);

  std::string text = RenderText(report, false);
  EXPECT_NE(text.find("local sidecar (127.0.0.1:40123)\n"
                      "  traffic: 30 requests sent: 10 aborted, 10 delayed, 9 passed, 1 failed\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("HFI307 error: Counters disagree with the faults the traffic saw"),
            std::string::npos);

  std::string xml = RenderJunit(report);
  EXPECT_NE(xml.find("<testsuite name=\"local sidecar (127.0.0.1:40123)\" tests=\"2\" "
                     "failures=\"1\" errors=\"0\" skipped=\"0\">\n"
                     "    <properties>\n"
                     "      <property name=\"traffic.sent\" value=\"30\"/>\n"
                     "      <property name=\"traffic.aborted\" value=\"10\"/>\n"),
            std::string::npos)
      << xml;
  EXPECT_NE(xml.find("<property name=\"traffic.failed\" value=\"1\"/>"), std::string::npos);
  EXPECT_NE(xml.find("<failure type=\"HFI307\""), std::string::npos);
}

TEST(Render, FileSourcesHaveNullTrafficAndNoProperties) {
  verify::Report report = SampleReport();
  nlohmann::json json = nlohmann::json::parse(RenderJson(report));
  EXPECT_TRUE(json["sources"][0]["traffic"].is_null());
  EXPECT_EQ(RenderJunit(report).find("<properties>"), std::string::npos);
  EXPECT_EQ(RenderText(report, false).find("traffic:"), std::string::npos);
}

TEST(Render, SummaryLine) {
  verify::Summary summary{1, 16, 15, 0, 1, 0};
  EXPECT_EQ(SummaryLine(summary), "1 source, 16 checks: 15 passed, 0 failed, 1 warning");
  summary = {3, 40, 20, 2, 3, 15};
  EXPECT_EQ(SummaryLine(summary),
            "3 sources, 40 checks: 20 passed, 2 failed, 3 warnings, 15 skipped");
}

// A report whose strings carry markup characters, a control character and invalid UTF-8.
verify::Report HostileReport() {
  verify::SourceReport source;
  source.name = "a<b>&\"c'.prom";
  verify::Check check{"presence", "m"};
  verify::Finding finding(verify::HintId::kMetricMissing);
  finding.metric = "m";
  finding.expected = "x < y & z";
  finding.observed = std::string("bad \x01 byte \xff end");
  check.findings.push_back(finding);
  source.checks.push_back(check);
  verify::Report report;
  report.sources.push_back(source);
  return report;
}

TEST(Render, JunitEscapesMarkupAndReplacesWhatXmlCannotCarry) {
  std::string xml = RenderJunit(HostileReport());
  EXPECT_NE(xml.find("name=\"a&lt;b&gt;&amp;&quot;c&apos;.prom\""), std::string::npos) << xml;
  EXPECT_NE(xml.find("expected: x &lt; y &amp; z"), std::string::npos) << xml;
  EXPECT_NE(xml.find("bad \xEF\xBF\xBD byte \xEF\xBF\xBD end"), std::string::npos) << xml;
  EXPECT_EQ(xml.find('\x01'), std::string::npos);
  EXPECT_NE(xml.find("<failure type=\"HFI101\""), std::string::npos);
}

TEST(Render, JsonReplacesInvalidUtf8) {
  nlohmann::json json = nlohmann::json::parse(RenderJson(HostileReport()));
  std::string observed = json["sources"][0]["checks"][0]["findings"][0]["observed"];
  EXPECT_EQ(observed, "bad \x01 byte \xEF\xBF\xBD end");
  EXPECT_EQ(json["sources"][0]["checks"][0]["findings"][0]["code"], "HFI101");
  EXPECT_EQ(json["sources"][0]["checks"][0]["findings"][0]["documentation"],
            "docs/hints.md#hfi101");
}

TEST(Render, ColourOnlyWhenAsked) {
  verify::Report report = SampleReport();
  EXPECT_EQ(RenderText(report, false).find('\x1b'), std::string::npos);
  std::string coloured = RenderText(report, true);
  EXPECT_NE(coloured.find("\x1b[32mpass"), std::string::npos);
  EXPECT_NE(coloured.find("\x1b[1;31mfail"), std::string::npos);
}

}  // namespace
}  // namespace hfi::report

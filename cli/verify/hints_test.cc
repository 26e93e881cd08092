#include "verify/hints.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>
#include <string>

namespace hfi::verify {
namespace {

std::string SourceDir() {
  const char* dir = std::getenv("HFI_SOURCE_DIR");
  return dir != nullptr ? dir : HFI_SOURCE_DIR_DEFAULT;
}

std::string ReadDoc() {
  std::ifstream in(SourceDir() + "/docs/hints.md");
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

TEST(Hints, CodesAreUniqueWellFormedAndGroupedByHundreds) {
  std::set<std::string_view> codes;
  for (const Hint& hint : AllHints()) {
    EXPECT_TRUE(codes.insert(hint.code).second) << hint.code << " appears twice";
    ASSERT_TRUE(std::regex_match(std::string(hint.code), std::regex("HFI[1-9][0-9]{2}")))
        << hint.code;
    // 7xx belongs to the wasm inspector; 8xx+ have no meaning here yet.
    char group = hint.code[3];
    EXPECT_TRUE(group >= '1' && group <= '6') << hint.code << " is outside the 1xx-6xx groups";
    if (group == '5') {
      EXPECT_NE(hint.detection, Detection::kAnySource)
          << hint.code << ": 5xx is for what only a cluster or Prometheus can show";
    }
    if (group == '6') {
      EXPECT_EQ(hint.detection, Detection::kPrometheus) << hint.code
                                                        << ": 6xx is the Prometheus "
                                                           "view of the fleet";
    }
  }
}

TEST(Hints, EveryEntryHasItsTexts) {
  for (const Hint& hint : AllHints()) {
    EXPECT_FALSE(hint.title.empty()) << hint.code;
    EXPECT_NE(hint.title.back(), '.') << hint.code << ": titles are one line without a period";
    EXPECT_GT(hint.why.size(), 40u) << hint.code;
    EXPECT_GT(hint.fix.size(), 20u) << hint.code;
    EXPECT_EQ(hint.why.find('\n'), std::string_view::npos) << hint.code;
  }
}

TEST(Hints, FixesAreConcrete) {
  // Every fix names something to run or a setting to change, written as code.
  for (const Hint& hint : AllHints()) {
    EXPECT_NE(hint.fix.find('`'), std::string_view::npos) << hint.code << ": " << hint.fix;
  }
}

TEST(Hints, TableIsIndexedById) {
  for (const Hint& hint : AllHints()) {
    EXPECT_EQ(&GetHint(hint.id), &hint);
    EXPECT_EQ(FindHint(hint.code), &hint);
  }
  EXPECT_EQ(FindHint("HFI999"), nullptr);
  EXPECT_EQ(FindHint("hfi101"), nullptr);
}

TEST(Hints, DesignSection5IsCovered) {
  // DESIGN §5 names these problems; each must have its own entry.
  for (HintId id :
       {HintId::kPluginNotLoaded,     HintId::kPlainName,          HintId::kEnvoyPlainName,
        HintId::kStatsMatcherRejects, HintId::kRestartNeeded,      HintId::kBootstrapFilterIgnored,
        HintId::kWrongType,           HintId::kBoundsOutOfOrder,   HintId::kNotCumulative,
        HintId::kInfNotCount,         HintId::kSumOrCountMissing,  HintId::kCustomBuckets,
        HintId::kHistogramLags,       HintId::kCountersDidNotMove, HintId::kNoSidecar,
        HintId::kPodNotRunning,       HintId::kPortForwardDenied,  HintId::kEndpointUnreachable,
        HintId::kAbsentInPrometheus,  HintId::kUnparseable}) {
    EXPECT_FALSE(GetHint(id).title.empty());
  }
  EXPECT_EQ(GetHint(HintId::kUnparseable).exit_code, ExitCode::kInvalidInput);
  EXPECT_EQ(GetHint(HintId::kPortForwardDenied).exit_code, ExitCode::kEnvironment);
  EXPECT_EQ(GetHint(HintId::kEmptyInput).exit_code, ExitCode::kChecksFailed);
}

TEST(Hints, DocAnchorIsLowerCaseCode) {
  EXPECT_EQ(DocAnchor(GetHint(HintId::kMetricMissing)), "docs/hints.md#hfi101");
}

// docs/hints.md has one section per code, `<a id="hfi###"></a>` then `## HFI###: <title>`, and
// names no code the catalogue lacks.
TEST(HintsDoc, HasOneSectionPerCatalogueCodeAndNoOthers) {
  std::string doc = ReadDoc();
  ASSERT_FALSE(doc.empty()) << "cannot read " << SourceDir() << "/docs/hints.md";

  std::map<std::string, std::string> headings;  // code -> title
  std::regex heading("^## (HFI[0-9]{3}): (.*)$", std::regex::multiline);
  for (auto it = std::sregex_iterator(doc.begin(), doc.end(), heading);
       it != std::sregex_iterator(); ++it) {
    EXPECT_TRUE(headings.emplace((*it)[1], (*it)[2]).second) << (*it)[1] << " has two sections";
  }
  std::set<std::string> anchors;
  std::regex anchor("<a id=\"(hfi[0-9]{3})\"></a>");
  for (auto it = std::sregex_iterator(doc.begin(), doc.end(), anchor); it != std::sregex_iterator();
       ++it) {
    anchors.insert((*it)[1]);
  }
  for (const Hint& hint : AllHints()) {
    std::string code(hint.code);
    ASSERT_TRUE(headings.count(code)) << code << " has no section in docs/hints.md";
    EXPECT_EQ(headings[code], hint.title) << code << ": docs heading differs from the catalogue";
    std::string id = DocAnchor(hint).substr(DocAnchor(hint).find('#') + 1);
    EXPECT_TRUE(anchors.count(id)) << code << " has no <a id=\"" << id << "\"> anchor";
  }
  std::regex any_code("HFI[0-9]{3}");
  for (auto it = std::sregex_iterator(doc.begin(), doc.end(), any_code);
       it != std::sregex_iterator(); ++it) {
    EXPECT_NE(FindHint(it->str()), nullptr)
        << "docs/hints.md names " << it->str() << ", which the catalogue lacks";
  }
  for (const std::string& id : anchors) {
    std::string code = "HFI" + id.substr(3);
    EXPECT_NE(FindHint(code), nullptr) << "docs/hints.md has an anchor for unknown " << id;
  }
}

}  // namespace
}  // namespace hfi::verify

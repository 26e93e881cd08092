// Fuzz target for the Prometheus text / OpenMetrics parser (cli/prom): any bytes, in both modes,
// must give a result whose diagnostics point inside the input, never a crash, a hang or memory
// out of proportion to the input. The first byte picks whether a keep filter is used.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "prom/parser.h"

namespace {

[[noreturn]] void Violation(const char* what, const std::string& detail) {
  std::fprintf(stderr, "prom_parser_fuzz: %s: %s\n", what, detail.c_str());
  std::abort();
}

std::vector<std::size_t> LineLengths(std::string_view text) {
  std::vector<std::size_t> lengths;
  while (!text.empty()) {
    const std::size_t nl = text.find('\n');
    lengths.push_back(nl == std::string_view::npos ? text.size() : nl);
    text.remove_prefix(nl == std::string_view::npos ? text.size() : nl + 1);
  }
  return lengths;
}

void Check(std::string_view text, hfi::prom::Mode mode, bool filtered) {
  using namespace hfi::prom;
  ParseOptions options;
  options.mode = mode;
  if (filtered) {
    options.keep = [](std::string_view name) { return name.size() % 2 == 0; };
  }
  const ParseResult result = Parse(text, options);
  const std::vector<std::size_t> lines = LineLengths(text);
  if (result.lines != lines.size()) {
    Violation("line count", std::to_string(result.lines) + " vs " + std::to_string(lines.size()));
  }
  std::size_t errors = 0;
  for (std::size_t i = 0; i < result.diagnostics.size(); ++i) {
    const Diagnostic& d = result.diagnostics[i];
    errors += d.error ? 1 : 0;
    if (d.message.empty())
      Violation("empty message", d.Format("in"));
    if (d.message.find('\n') != std::string::npos)
      Violation("multi-line message", d.message);
    // The last entry may be the "N more problems not listed" summary.
    if (i + 1 == result.diagnostics.size() && d.message.find("more problems") != std::string::npos)
      continue;
    if (d.line < 1 || d.line > lines.size())
      Violation("line out of range", d.Format("in"));
    if (d.column < 1 || d.column > lines[d.line - 1] + 1) {
      Violation("column out of range", d.Format("in"));
    }
    if (d.excerpt.size() > 83)
      Violation("excerpt too long", d.excerpt);
    for (char c : d.excerpt) {
      if (static_cast<unsigned char>(c) < 0x20 && c != '\t')
        Violation("control in excerpt", d.excerpt);
    }
  }
  if (result.diagnostics.size() > 1001)
    Violation("diagnostics not capped", "");
  if (mode == Mode::kStrict && errors > 1)
    Violation("strict mode went on after an error", "");
  if (result.ok() != (errors == 0))
    Violation("ok() disagrees with the diagnostics", "");

  std::set<std::string> names;
  std::size_t kept = 0;
  for (const Family& f : result.families) {
    if (!names.insert(f.name).second)
      Violation("family listed twice", f.name);
    for (const Sample& s : f.samples()) {
      if (s.line < 1 || s.line > lines.size())
        Violation("sample line out of range", s.name);
    }
    kept += f.samples().size();
    if (f.sample_count() != f.samples().size())
      Violation("sample count", f.name);
    if (!f.samples().empty() && f.model().name != f.name)
      Violation("model name", f.name);
    if (f.model().metric.size() > f.samples().size())
      Violation("more series than samples", f.name);
  }
  if (kept > result.samples)
    Violation("kept more samples than seen", "");
  if (!filtered && kept != result.samples)
    Violation("a sample went missing", "");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0)
    return 0;
  const bool filtered = (data[0] & 1) != 0;
  const std::string_view text(reinterpret_cast<const char*>(data) + 1, size - 1);
  Check(text, hfi::prom::Mode::kStrict, filtered);
  Check(text, hfi::prom::Mode::kScrape, filtered);
  return 0;
}

#include "render/yaml_guard.h"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <sstream>
#include <string>

namespace hfi::render {
namespace {

// Notes where each document starts and ignores the nodes.
class DocumentStarts : public YAML::EventHandler {
 public:
  std::optional<YAML::Mark> last_start;

  void OnDocumentStart(const YAML::Mark& mark) override { last_start = mark; }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
  void OnAlias(const YAML::Mark&, YAML::anchor_t) override {}
  void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t,
                const std::string&) override {}
  void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                       YAML::EmitterStyle::value) override {}
  void OnSequenceEnd() override {}
  void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t,
                  YAML::EmitterStyle::value) override {}
  void OnMapEnd() override {}
};

}  // namespace

std::optional<TextPosition> FindSecondDocument(std::string_view text) {
  std::istringstream stream{std::string(text)};
  YAML::Parser parser(stream);
  DocumentStarts starts;
  if (!parser.HandleNextDocument(starts))
    return std::nullopt;
  starts.last_start.reset();
  if (!parser.HandleNextDocument(starts) || !starts.last_start)
    return std::nullopt;
  const YAML::Mark& mark = *starts.last_start;
  return TextPosition{static_cast<std::size_t>(mark.line) + 1,
                      static_cast<std::size_t>(mark.column) + 1,
                      static_cast<std::size_t>(mark.pos)};
}

std::optional<TextPosition> FindControlCharacter(std::string_view text) {
  std::size_t line = 1, column = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    ++column;
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\n') {
      ++line;
      column = 0;
    } else if ((byte < 0x20 && c != '\t' && c != '\r') || byte == 0x7f) {
      return TextPosition{line, column, i};
    }
  }
  return std::nullopt;
}

}  // namespace hfi::render

// Reading YAML safely with Debian's yaml-cpp 0.7. Its LoadAll never returns on a token that no
// block node consumes (a ',' outside a flow collection, as in `"x" ,`): each pass starts another
// empty document at the same place, allocating without bound (found by tests/fuzz/values_fuzz).
// Every single document parse does return, so the loader counts documents through yaml-cpp's own
// event parser, stopping at the second, and then loads the first.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace hfi::render {

struct TextPosition {
  std::size_t line = 0, column = 0;  // 1-based
  std::size_t offset = 0;            // 0-based byte offset
};

// Where yaml-cpp begins the second document of the text (at its `---`, or at a token it could not
// place in the first); nullopt for none or one document. Throws YAML::ParserException for text
// yaml-cpp cannot parse before that point.
std::optional<TextPosition> FindSecondDocument(std::string_view text);

// The first C0 control character other than tab, line feed and carriage return, or DEL: YAML
// allows none of them (c-printable), and yaml-cpp lexes them unpredictably.
std::optional<TextPosition> FindControlCharacter(std::string_view text);

}  // namespace hfi::render

// Text that Debian's yaml-cpp 0.7 cannot be trusted with. Its parser never returns, allocating
// without bound, when a ',' token appears outside a flow collection (a document that starts with
// ',', or `"x" ,`, or `&a ,`). Such text is not valid YAML anyway, so the values loader refuses it
// before yaml-cpp sees it (found by tests/fuzz/values_fuzz).
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

namespace hfi::render {

struct TextPosition {
  std::size_t line = 0, column = 0;  // 1-based
};

// The first ',' that is outside every flow collection, quoted scalar, comment and block scalar and
// not inside a plain scalar; nullopt when there is none. A plain scalar continued on a line that
// starts with ',' is reported too: rare, and a false alarm costs only quoting the value.
std::optional<TextPosition> FindStrayComma(std::string_view text);

// The first C0 control character other than tab, line feed and carriage return, or DEL: YAML
// allows none of them (c-printable), and yaml-cpp lexes them unpredictably.
std::optional<TextPosition> FindControlCharacter(std::string_view text);

}  // namespace hfi::render

// Text to roff (man(7)) source: escapes, and `code` spans set in bold. The man writer's only
// dependency on the format's quoting rules.
#pragma once

#include <string>
#include <string_view>

namespace hfi::cmdtree {

// One paragraph of running text: backslashes and hyphens escaped, non-ASCII as \[uXXXX],
// `backquoted` spans in bold, line breaks turned into spaces, break points (\:) after the
// punctuation of very long words, and a line that would start with a control character guarded.
std::string RoffText(std::string_view text);

// The same for a line of a no-fill (literal) block: kept as is, backquotes included.
std::string RoffLiteral(std::string_view line);

// A macro argument: RoffText in double quotes (a quote inside becomes \(dq).
std::string RoffArgument(std::string_view text);

}  // namespace hfi::cmdtree

// Whether to colour output: only on a terminal, never with NO_COLOR (https://no-color.org) or
// --no-color. The report renderers are the only callers that emit colour.
#pragma once

#include <unistd.h>

#include <cstdio>
#include <cstdlib>

namespace hfi {

inline bool UseColor(bool no_color_flag, std::FILE* stream) {
  if (no_color_flag)
    return false;
  const char* no_color = std::getenv("NO_COLOR");
  if (no_color != nullptr && *no_color != '\0')
    return false;
  return ::isatty(::fileno(stream)) != 0;
}

inline bool IsTerminal(std::FILE* stream) {
  return ::isatty(::fileno(stream)) != 0;
}

}  // namespace hfi

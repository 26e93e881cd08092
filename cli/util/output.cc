#include "util/output.h"

#include <cerrno>
#include <cstring>
#include <string>

namespace hfi {

void WriteOut(std::string_view text, std::FILE* out) {
  errno = 0;
  const bool written = std::fwrite(text.data(), 1, text.size(), out) == text.size();
  const bool flushed = written && std::fflush(out) == 0;
  if (flushed)
    return;
  if (errno == EPIPE)
    throw BrokenPipe();
  throw EnvironmentError("standard output",
                         std::string("write failed: ") + std::strerror(errno != 0 ? errno : EIO));
}

}  // namespace hfi

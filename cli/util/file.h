// Reading whole files (or stdin) with a size cap and errors that name the file and the fix.
#pragma once

#include <cstddef>
#include <string>

namespace hfi {

// Default cap: stats expositions and plugins are megabytes; anything near this is a mistake.
inline constexpr std::size_t kDefaultMaxFileBytes = std::size_t{1} << 30;  // 1 GiB

// Reads `path` ("-" means standard input). Throws InputError when it cannot be read or is larger
// than max_bytes (the message names the path and the limit).
std::string ReadFileOrStdin(const std::string& path, std::size_t max_bytes = kDefaultMaxFileBytes);

// Writes `data` to `path` through a temporary file and rename, so an interrupted write never leaves
// a truncated file in place of a good one. Throws EnvironmentError on failure.
void WriteFileAtomically(const std::string& path, const std::string& data);

}  // namespace hfi

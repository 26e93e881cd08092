// The proxy-wasm serialized pairs format, both ways (facts/proxy-wasm-abi.md §3.8): header maps
// handed to the plugin, and header blocks the plugin hands back (local reply,
// set_header_map_pairs). Written independently of the plugin's own encoder so each checks the
// other.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hfi::wasmhost {

using HeaderList = std::vector<std::pair<std::string, std::string>>;

// Limits from cpp-host include/proxy-wasm/limits.h (§3.8).
inline constexpr std::size_t kMaxPairsBytes = std::size_t{1} << 20;
inline constexpr std::size_t kMaxPairsCount = 1024;

// u32 N, N x {u32 key_len, u32 value_len}, then N x {key, 0x00, value, 0x00}; little-endian.
// An empty list serialises to nothing: the host then hands out (0, 0) (§3.7).
std::string SerializePairs(const HeaderList& pairs);

// Decodes a block from the plugin. Like cpp-host's toPairs, a malformed block (over the limits, a
// string without its NUL, sizes past the end, trailing bytes) yields an empty list; the return
// value says whether that happened, for the host's log. Fewer than 4 bytes is an empty list.
bool ParsePairs(std::string_view bytes, HeaderList* out);

}  // namespace hfi::wasmhost

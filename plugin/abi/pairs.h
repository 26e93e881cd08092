// The proxy-wasm serialized header-map format (facts/proxy-wasm-abi.md §3.8), for the headers of a
// local reply. Plain C++: built natively too, so the byte layout is unit-tested.
#pragma once

#include <cstddef>
#include <string>

#include "plugin/host_api.h"

namespace hfi::plugin::abi {

// u32 count, then count x {u32 name size, u32 value size}, then each name and value followed by a
// NUL byte; integers little-endian. A malformed block is silently dropped by the host, which makes
// this exact layout matter.
std::string SerializePairs(const HeaderPair* pairs, std::size_t count);

}  // namespace hfi::plugin::abi

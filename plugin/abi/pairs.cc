#include "plugin/abi/pairs.h"

#include <cstdint>

namespace hfi::plugin::abi {
namespace {

void AppendU32(std::string* out, std::size_t value) {
  const auto v = static_cast<std::uint32_t>(value);
  for (int shift = 0; shift < 32; shift += 8)
    out->push_back(static_cast<char>((v >> shift) & 0xff));
}

}  // namespace

std::string SerializePairs(const HeaderPair* pairs, std::size_t count) {
  std::string out;
  std::size_t size = 4;
  for (std::size_t i = 0; i < count; ++i)
    size += 8 + pairs[i].name.size() + pairs[i].value.size() + 2;
  out.reserve(size);
  AppendU32(&out, count);
  for (std::size_t i = 0; i < count; ++i) {
    AppendU32(&out, pairs[i].name.size());
    AppendU32(&out, pairs[i].value.size());
  }
  for (std::size_t i = 0; i < count; ++i) {
    out.append(pairs[i].name);
    out.push_back('\0');
    out.append(pairs[i].value);
    out.push_back('\0');
  }
  return out;
}

}  // namespace hfi::plugin::abi

#include "wasmhost/pairs.h"

#include <cstdint>

namespace hfi::wasmhost {
namespace {

void AppendU32(std::string* out, std::uint32_t v) {
  for (int i = 0; i < 4; ++i)
    out->push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

std::uint32_t LoadU32(std::string_view bytes, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i)
    v |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + i])) << (8 * i);
  return v;
}

}  // namespace

std::string SerializePairs(const HeaderList& pairs) {
  if (pairs.empty())
    return {};
  std::size_t size = 4;
  for (const auto& [key, value] : pairs)
    size += 8 + key.size() + 1 + value.size() + 1;
  std::string out;
  out.reserve(size);
  AppendU32(&out, static_cast<std::uint32_t>(pairs.size()));
  for (const auto& [key, value] : pairs) {
    AppendU32(&out, static_cast<std::uint32_t>(key.size()));
    AppendU32(&out, static_cast<std::uint32_t>(value.size()));
  }
  for (const auto& [key, value] : pairs) {
    out.append(key);
    out.push_back('\0');
    out.append(value);
    out.push_back('\0');
  }
  return out;
}

bool ParsePairs(std::string_view bytes, HeaderList* out) {
  out->clear();
  if (bytes.size() < 4)
    return true;
  if (bytes.size() > kMaxPairsBytes)
    return false;
  const std::size_t count = LoadU32(bytes, 0);
  if (count > kMaxPairsCount || 4 + count * 8 > bytes.size())
    return false;
  std::size_t data = 4 + count * 8;
  HeaderList pairs;
  pairs.reserve(count);
  for (std::size_t i = 0; i < count; ++i) {
    const std::size_t sizes[2] = {LoadU32(bytes, 4 + i * 8), LoadU32(bytes, 8 + i * 8)};
    std::string strings[2];
    for (int k = 0; k < 2; ++k) {
      // Each string needs its bytes plus the NUL that ends it.
      if (sizes[k] >= bytes.size() - data || bytes[data + sizes[k]] != '\0')
        return false;
      strings[k].assign(bytes.substr(data, sizes[k]));
      data += sizes[k] + 1;
    }
    pairs.emplace_back(std::move(strings[0]), std::move(strings[1]));
  }
  if (data != bytes.size())
    return false;
  *out = std::move(pairs);
  return true;
}

}  // namespace hfi::wasmhost

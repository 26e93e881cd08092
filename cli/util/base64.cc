#include "util/base64.h"

#include <cstdint>

namespace hfi {
namespace {

constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

}  // namespace

std::string Base64Encode(std::string_view data) {
  std::string out;
  out.reserve(Base64EncodedSize(data.size()));
  std::size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    const std::uint32_t group =
        static_cast<std::uint32_t>(static_cast<unsigned char>(data[i])) << 16 |
        static_cast<std::uint32_t>(static_cast<unsigned char>(data[i + 1])) << 8 |
        static_cast<unsigned char>(data[i + 2]);
    out += kAlphabet[(group >> 18) & 0x3f];
    out += kAlphabet[(group >> 12) & 0x3f];
    out += kAlphabet[(group >> 6) & 0x3f];
    out += kAlphabet[group & 0x3f];
  }
  const std::size_t rest = data.size() - i;
  if (rest == 0)
    return out;
  std::uint32_t group = static_cast<std::uint32_t>(static_cast<unsigned char>(data[i])) << 16;
  if (rest == 2)
    group |= static_cast<std::uint32_t>(static_cast<unsigned char>(data[i + 1])) << 8;
  out += kAlphabet[(group >> 18) & 0x3f];
  out += kAlphabet[(group >> 12) & 0x3f];
  out += rest == 2 ? kAlphabet[(group >> 6) & 0x3f] : '=';
  out += '=';
  return out;
}

}  // namespace hfi

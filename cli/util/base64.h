// Base64 (RFC 4648 §4, standard alphabet, with `=` padding): the encoding Kubernetes expects for a
// ConfigMap's `binaryData` values. Pure computation, no I/O.
#pragma once

#include <string>
#include <string_view>

namespace hfi {

// The encoding of `data`: 4 output characters for every 3 input bytes, the last group padded.
std::string Base64Encode(std::string_view data);

// Length of Base64Encode(data) for data of `size` bytes, without encoding it.
constexpr std::size_t Base64EncodedSize(std::size_t size) {
  return (size + 2) / 3 * 4;
}

}  // namespace hfi

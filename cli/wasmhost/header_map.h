// An HTTP header map as Envoy's filters see it: keys lower-cased, repeated keys kept, insertion
// order kept except that pseudo-headers (":path") stay in front (facts/proxy-wasm-abi.md §3.6,
// §3.9).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "wasmhost/pairs.h"

namespace hfi::wasmhost {

class HeaderMap {
 public:
  HeaderMap() = default;
  explicit HeaderMap(const HeaderList& headers);

  // The first value of `key` (case-insensitive), as Envoy returns for a repeated header.
  std::optional<std::string_view> Get(std::string_view key) const;
  void Add(std::string_view key, std::string_view value);      // appends another value
  void Replace(std::string_view key, std::string_view value);  // sets one value, adding if absent
  void Remove(std::string_view key);                           // every value of `key`
  void Clear() { entries_.clear(); }

  std::size_t size() const { return entries_.size(); }
  bool empty() const { return entries_.empty(); }
  // Envoy's HeaderMap::byteSize(): the sum of every key and value length (§3.9).
  std::size_t ByteSize() const;
  const HeaderList& entries() const { return entries_; }

 private:
  HeaderList entries_;
};

std::string LowerCase(std::string_view text);

}  // namespace hfi::wasmhost

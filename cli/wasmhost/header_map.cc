#include "wasmhost/header_map.h"

#include <algorithm>

namespace hfi::wasmhost {
namespace {

bool IsPseudo(std::string_view key) {
  return !key.empty() && key.front() == ':';
}

}  // namespace

std::string LowerCase(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

HeaderMap::HeaderMap(const HeaderList& headers) {
  for (const auto& [key, value] : headers)
    Add(key, value);
}

std::optional<std::string_view> HeaderMap::Get(std::string_view key) const {
  const std::string lower = LowerCase(key);
  for (const auto& [k, v] : entries_) {
    if (k == lower)
      return std::string_view(v);
  }
  return std::nullopt;
}

void HeaderMap::Add(std::string_view key, std::string_view value) {
  std::string lower = LowerCase(key);
  auto at = entries_.end();
  if (IsPseudo(lower)) {
    at = std::find_if(entries_.begin(), entries_.end(),
                      [](const auto& entry) { return !IsPseudo(entry.first); });
  }
  entries_.emplace(at, std::move(lower), std::string(value));
}

void HeaderMap::Replace(std::string_view key, std::string_view value) {
  const std::string lower = LowerCase(key);
  auto first = std::find_if(entries_.begin(), entries_.end(),
                            [&](const auto& entry) { return entry.first == lower; });
  if (first == entries_.end()) {
    Add(lower, value);
    return;
  }
  first->second.assign(value);
  entries_.erase(std::remove_if(std::next(first), entries_.end(),
                                [&](const auto& entry) { return entry.first == lower; }),
                 entries_.end());
}

void HeaderMap::Remove(std::string_view key) {
  const std::string lower = LowerCase(key);
  entries_.erase(std::remove_if(entries_.begin(), entries_.end(),
                                [&](const auto& entry) { return entry.first == lower; }),
                 entries_.end());
}

std::size_t HeaderMap::ByteSize() const {
  std::size_t size = 0;
  for (const auto& [key, value] : entries_)
    size += key.size() + value.size();
  return size;
}

}  // namespace hfi::wasmhost

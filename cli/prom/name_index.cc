#include "prom/name_index.h"

#include <algorithm>
#include <bit>
#include <functional>

namespace hfi::prom {

NameIndex::NameIndex(std::size_t expected) {
  // At most half full: probe sequences stay a slot or two long.
  const std::size_t capacity = std::bit_ceil(std::max<std::size_t>(16, expected * 2));
  slots_.resize(capacity);
  mask_ = capacity - 1;
}

std::uint64_t NameIndex::Hash(std::string_view name) {
  return std::hash<std::string_view>{}(name);
}

std::size_t NameIndex::Probe(std::string_view name, std::uint64_t hash,
                             std::span<const std::string_view> names) const {
  std::size_t i = static_cast<std::size_t>(hash) & mask_;
  for (;;) {
    const Slot& slot = slots_[i];
    if (slot.index == kNone || (slot.hash == hash && names[slot.index] == name))
      return i;
    i = (i + 1) & mask_;
  }
}

std::size_t NameIndex::Find(std::string_view name, std::span<const std::string_view> names) const {
  return slots_[Probe(name, Hash(name), names)].index;
}

std::size_t NameIndex::FindOrAdd(std::string_view name, std::size_t next,
                                 std::span<const std::string_view> names, bool* inserted) {
  const std::uint64_t hash = Hash(name);
  std::size_t i = Probe(name, hash, names);
  if (slots_[i].index != kNone) {
    *inserted = false;
    return slots_[i].index;
  }
  *inserted = true;
  if ((size_ + 1) * 2 > slots_.size()) {
    Grow();
    i = Probe(name, hash, names);
  }
  slots_[i] = Slot{hash, next};
  ++size_;
  return next;
}

void NameIndex::Grow() {
  std::vector<Slot> old = std::move(slots_);
  slots_.assign(old.size() * 2, Slot{});
  mask_ = slots_.size() - 1;
  for (const Slot& slot : old) {
    if (slot.index == kNone)
      continue;
    std::size_t i = static_cast<std::size_t>(slot.hash) & mask_;
    while (slots_[i].index != kNone)
      i = (i + 1) & mask_;
    slots_[i] = slot;
  }
}

}  // namespace hfi::prom

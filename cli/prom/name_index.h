// Family names to family indexes for the scanner: open addressing over a power-of-two table of
// (hash, index) slots. The names stay where the caller keeps them (views into the input), so a
// slot is 16 bytes and looking up a name that is not there, as every new family of Envoy's output
// does, reads one slot instead of a chain of nodes. Internal to cli/prom.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace hfi::prom {

class NameIndex {
 public:
  static constexpr std::size_t kNone = SIZE_MAX;

  explicit NameIndex(std::size_t expected = 0);

  // The index added for `name`, or kNone. names[i] must be the name added as index i.
  std::size_t Find(std::string_view name, std::span<const std::string_view> names) const;

  // The index of `name`; when absent, adds it as `next` (which names[next] must then hold).
  std::size_t FindOrAdd(std::string_view name, std::size_t next,
                        std::span<const std::string_view> names, bool* inserted);

 private:
  struct Slot {
    std::uint64_t hash = 0;
    std::size_t index = kNone;
  };

  static std::uint64_t Hash(std::string_view name);
  // The slot holding `name`, or the empty slot where it would go.
  std::size_t Probe(std::string_view name, std::uint64_t hash,
                    std::span<const std::string_view> names) const;
  void Grow();

  std::vector<Slot> slots_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

}  // namespace hfi::prom

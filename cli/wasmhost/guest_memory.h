// Bounds-checked access to the plugin's linear memory. Every access re-reads the memory's base and
// size: a call into the plugin (its malloc) may grow the memory and move it (facts §5 item 5).
// Internal to wasmhost (includes WABT's interpreter headers).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "wabt/interp/interp.h"

namespace hfi::wasmhost {

class GuestMemory {
 public:
  GuestMemory() = default;  // a module without memory: every non-empty access fails
  explicit GuestMemory(wabt::interp::Memory::Ptr memory) : memory_(std::move(memory)) {}

  std::uint64_t size() const { return memory_ ? memory_->ByteSize() : 0; }
  bool InBounds(std::uint64_t ptr, std::uint64_t size) const;

  // Copies [ptr, ptr+size); nullopt when out of bounds. (0, 0) is the empty string.
  std::optional<std::string> Read(std::uint32_t ptr, std::uint32_t size) const;
  bool Write(std::uint32_t ptr, std::string_view bytes);
  // Little-endian stores with no alignment requirement, as cpp-host's setWord/setDatatype (§1).
  bool WriteU32(std::uint32_t ptr, std::uint32_t value);
  bool WriteU64(std::uint32_t ptr, std::uint64_t value);

 private:
  wabt::interp::Memory::Ptr memory_;
};

}  // namespace hfi::wasmhost

#include "wasmhost/guest_memory.h"

#include <cstring>

namespace hfi::wasmhost {

bool GuestMemory::InBounds(std::uint64_t ptr, std::uint64_t size) const {
  // Both operands are at most 2^32, so the sum cannot overflow.
  return ptr + size <= this->size();
}

std::optional<std::string> GuestMemory::Read(std::uint32_t ptr, std::uint32_t size) const {
  if (size == 0)
    return std::string();
  if (!InBounds(ptr, size))
    return std::nullopt;
  return std::string(reinterpret_cast<const char*>(memory_->UnsafeData()) + ptr, size);
}

bool GuestMemory::Write(std::uint32_t ptr, std::string_view bytes) {
  if (bytes.empty())
    return true;
  if (!InBounds(ptr, bytes.size()))
    return false;
  std::memcpy(memory_->UnsafeData() + ptr, bytes.data(), bytes.size());
  return true;
}

bool GuestMemory::WriteU32(std::uint32_t ptr, std::uint32_t value) {
  char bytes[4];
  for (int i = 0; i < 4; ++i)
    bytes[i] = static_cast<char>((value >> (8 * i)) & 0xff);
  return Write(ptr, std::string_view(bytes, sizeof bytes));
}

bool GuestMemory::WriteU64(std::uint32_t ptr, std::uint64_t value) {
  char bytes[8];
  for (int i = 0; i < 8; ++i)
    bytes[i] = static_cast<char>((value >> (8 * i)) & 0xff);
  return Write(ptr, std::string_view(bytes, sizeof bytes));
}

}  // namespace hfi::wasmhost

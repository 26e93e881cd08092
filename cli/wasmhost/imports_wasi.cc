// The WASI calls an Emscripten 3.1.6 standalone build imports, answered as cpp-host answers them
// (facts/proxy-wasm-abi.md §6.2): stdout and stderr become log lines, no files, no environment, no
// arguments, clocks from the host's Clock. Results are WASI errno values, not WasmResult.
#include "wasmhost/hostcall.h"

namespace hfi::wasmhost {
namespace {

constexpr std::uint32_t kRandomGetMax = 64 * 1024;  // cpp-host's WASI random_get limit
// No log line is longer: iovecs may repeat one range many times, and the host must not allocate
// whatever a hostile plugin asks for. Emscripten's stdio writes a buffered line at a time.
constexpr std::size_t kFdWriteMax = std::size_t{1} << 20;
constexpr std::uint32_t kIovecSize = 8;  // {u32 buf, u32 buf_len}
constexpr std::uint32_t kFdstatSize = 24;
constexpr char kCharacterDevice = 2;  // __WASI_FILETYPE_CHARACTER_DEVICE

std::uint32_t Load32(const std::string& bytes, std::size_t at) {
  std::uint32_t v = 0;
  for (int i = 0; i < 4; ++i)
    v |= static_cast<std::uint32_t>(static_cast<unsigned char>(bytes[at + i])) << (8 * i);
  return v;
}

// fd 1 logs at info, fd 2 at error, one trailing newline dropped; other fds are EBADF. Over
// kFdWriteMax in one call is EINVAL.
std::uint32_t FdWrite(HostCall& call) {
  const std::uint32_t fd = call.U32(0);
  const std::uint32_t iovs = call.U32(1);
  const std::uint32_t iovs_len = call.U32(2);
  if (fd != 1 && fd != 2)
    return wasi::kBadf;
  if (static_cast<std::uint64_t>(iovs_len) * kIovecSize > call.vm.memory().size())
    return wasi::kFault;
  std::optional<std::string> vector = call.Read(iovs, iovs_len * kIovecSize);
  if (!vector)
    return wasi::kFault;
  std::string text;
  for (std::uint32_t i = 0; i < iovs_len; ++i) {
    std::optional<std::string> piece =
        call.Read(Load32(*vector, i * kIovecSize), Load32(*vector, i * kIovecSize + 4));
    if (!piece)
      return wasi::kFault;
    if (text.size() + piece->size() > kFdWriteMax)
      return wasi::kInval;
    text += *piece;
  }
  const auto written = static_cast<std::uint32_t>(text.size());
  if (!text.empty() && text.back() == '\n')
    text.pop_back();
  call.host.Log(fd == 1 ? LogLevel::kInfo : LogLevel::kError, LogSource::kPlugin, std::move(text));
  if (!call.vm.memory().WriteU32(call.U32(3), written))
    return wasi::kFault;
  return wasi::kSuccess;
}

std::uint32_t FdRead(HostCall&) {
  return wasi::kNosys;
}

// cpp-host logs an error for these and reports success (§6.2).
std::uint32_t FdClose(HostCall& call) {
  call.host.Log(LogLevel::kError, LogSource::kHost, "wasi fd_close: no files in a proxy-wasm VM");
  return wasi::kSuccess;
}

std::uint32_t FdSeek(HostCall& call) {
  call.host.Log(LogLevel::kError, LogSource::kHost, "wasi fd_seek: no files in a proxy-wasm VM");
  return wasi::kSuccess;
}

// Only stdout and stderr exist: character devices with no rights.
std::uint32_t FdFdstatGet(HostCall& call) {
  const std::uint32_t fd = call.U32(0);
  if (fd != 1 && fd != 2)
    return wasi::kBadf;
  std::string stat(kFdstatSize, '\0');
  stat[0] = kCharacterDevice;
  if (!call.vm.memory().Write(call.U32(1), stat))
    return wasi::kFault;
  return wasi::kSuccess;
}

// environ_sizes_get / args_sizes_get: zero entries, zero bytes.
std::uint32_t ZeroSizes(HostCall& call) {
  GuestMemory& memory = call.vm.memory();
  if (!memory.WriteU32(call.U32(0), 0) || !memory.WriteU32(call.U32(1), 0))
    return wasi::kFault;
  return wasi::kSuccess;
}

// environ_get / args_get with zero entries: nothing to write.
std::uint32_t NoEntries(HostCall&) {
  return wasi::kSuccess;
}

std::uint32_t ClockTimeGet(HostCall& call) {
  std::int64_t now = 0;
  switch (call.U32(0)) {
    case 0:  // CLOCK_REALTIME
      now = call.host.clock.RealtimeNanos();
      break;
    case 1:  // CLOCK_MONOTONIC
      now = call.host.clock.MonotonicNanos();
      break;
    default:
      return wasi::kNotsup;
  }
  if (!call.vm.memory().WriteU64(call.U32(2), static_cast<std::uint64_t>(now)))
    return wasi::kFault;
  return wasi::kSuccess;
}

std::uint32_t RandomGet(HostCall& call) {
  const std::uint32_t buf = call.U32(0);
  const std::uint32_t len = call.U32(1);
  if (len > kRandomGetMax)
    return wasi::kInval;
  if (!call.vm.memory().InBounds(buf, len))
    return wasi::kFault;
  std::string bytes(len, '\0');
  for (char& c : bytes)
    c = static_cast<char>(call.host.random() & 0xff);
  call.vm.memory().Write(buf, bytes);
  return wasi::kSuccess;
}

// cpp-host only logs and returns, and Emscripten follows the call with `unreachable`; trapping
// here ends the call the same way without relying on that.
std::uint32_t ProcExit(HostCall& call) {
  call.Trap("proc_exit(" + std::to_string(call.U32(0)) + ") called: the plugin exited");
  return 0;
}

std::uint32_t SchedYield(HostCall&) {
  return wasi::kSuccess;
}

}  // namespace

void AddWasiImports(std::vector<ImportSpec>* out) {
  const std::string_view w = kWasiModule;
  // Allowed at start-up: output, environment, arguments, clocks, randomness and the no-op file
  // calls (§4.2 step 3); inside the host's malloc only fd_write and clock_time_get (§5 item 4).
  out->insert(out->end(), {
                              {w, "fd_write", "iiii", "i", FdWrite, true, true},
                              {w, "fd_read", "iiii", "i", FdRead, true, false},
                              {w, "fd_close", "i", "i", FdClose, true, false},
                              {w, "fd_seek", "iIii", "i", FdSeek, true, false},
                              {w, "fd_fdstat_get", "ii", "i", FdFdstatGet, true, false},
                              {w, "environ_sizes_get", "ii", "i", ZeroSizes, true, false},
                              {w, "environ_get", "ii", "i", NoEntries, true, false},
                              {w, "args_sizes_get", "ii", "i", ZeroSizes, true, false},
                              {w, "args_get", "ii", "i", NoEntries, true, false},
                              {w, "clock_time_get", "iIi", "i", ClockTimeGet, true, true},
                              {w, "random_get", "ii", "i", RandomGet, true, false},
                              {w, "proc_exit", "i", "", ProcExit, true, false},
                              {w, "sched_yield", "", "i", SchedYield, false, false},
                          });
}

}  // namespace hfi::wasmhost

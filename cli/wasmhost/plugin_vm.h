// The WABT side of the host: reads and checks a plugin .wasm as Envoy would, links one host
// function per import, and calls exports under an instruction budget. Internal to wasmhost
// (includes WABT's interpreter headers); PluginHost is the public face.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "wabt/interp/interp.h"
#include "wasmhost/abi.h"
#include "wasmhost/guest_memory.h"

namespace hfi::wasmhost {

class HostState;
struct ImportSpec;

enum class AbiVersion { k0_2_0, k0_2_1 };

// Which host functions the plugin may call (facts §4.2 step 3, §5 item 4).
enum class CallPhase {
  kStartup,   // start function, _initialize, main: logging, WASI and clocks only
  kMalloc,    // the host's own call to malloc: proxy_log, fd_write, clock_time_get only
  kCallback,  // proxy_on_*: everything
};

struct CallFrame {
  std::uint32_t context_id = 0;            // whose callback this is (0: the VM context)
  std::uint32_t effective_context_id = 0;  // set by proxy_set_effective_context, reset per call
  CallPhase phase = CallPhase::kCallback;
};

class PluginVm {
 public:
  // Throws InputError naming the first problem (invalid module, missing or mismatched import,
  // missing ABI marker or malloc, wrong export signature, trapping start function).
  // `source_name` names the module in those errors (its path, usually).
  PluginVm(std::string_view wasm, std::string_view source_name, HostState& host);
  ~PluginVm();
  PluginVm(const PluginVm&) = delete;
  PluginVm& operator=(const PluginVm&) = delete;

  AbiVersion abi_version() const { return abi_; }
  bool HasExport(std::string_view name) const;

  struct CallResult {
    bool ok = true;
    std::optional<std::uint32_t> value;  // the i32 result, for exports that return one
    std::string error;                   // !ok: the trap, or the budget running out
  };
  // Calls an export with i32 arguments on `context_id`, with the effective context reset to 0
  // for the call and restored after it (§3.17). Never throws; a trap comes back as !ok.
  CallResult Call(std::string_view name, const std::vector<std::uint32_t>& args,
                  std::uint32_t context_id, CallPhase phase);

  // For hostcalls.
  GuestMemory& memory() { return memory_; }
  CallFrame& frame() { return frames_.back(); }
  // Hands `bytes` to the plugin (§5): allocates with its malloc, copies, and writes the pointer
  // and size as u32 LE to ptr_ptr and size_ptr; (0, 0) without allocating for empty bytes.
  // Returns InvalidMemoryAccess for bad out-pointers, a null or out-of-bounds allocation. When
  // malloc itself traps, returns nullopt with *trap set: the hostcall must trap too.
  std::optional<WasmResult> CopyOut(std::string_view bytes, std::uint32_t ptr_ptr,
                                    std::uint32_t size_ptr, std::string* trap);

 private:
  // One host function per import, in import_types() order (facts §10 item 9).
  void Link(wabt::interp::RefVec* imports);
  wabt::Result Dispatch(const ImportSpec& spec, const wabt::interp::Values& params,
                        wabt::interp::Values& results, wabt::interp::Trap::Ptr* trap);
  CallResult CallFunc(const wabt::interp::Func::Ptr& func, const std::vector<std::uint32_t>& args,
                      std::uint32_t context_id, CallPhase phase);

  HostState& host_;
  wabt::interp::Store store_;
  wabt::interp::Module::Ptr module_;
  wabt::interp::Instance::Ptr instance_;
  std::vector<wabt::interp::HostFunc::Ptr> host_funcs_;
  GuestMemory memory_;
  std::map<std::string, wabt::interp::Func::Ptr, std::less<>> exports_;
  wabt::interp::Func::Ptr malloc_;
  AbiVersion abi_ = AbiVersion::k0_2_1;
  std::vector<CallFrame> frames_;
  std::uint64_t budget_ = 0;  // instructions left for the outermost call in progress
};

}  // namespace hfi::wasmhost

#include "wasmhost/plugin_vm.h"

#include <cstdio>
#include <exception>
#include <limits>
#include <new>
#include <utility>

#include "util/errors.h"
#include "wabt/binary-reader.h"
#include "wabt/cast.h"
#include "wabt/interp/binary-reader-interp.h"
#include "wasmhost/bounded_call.h"
#include "wasmhost/host_state.h"
#include "wasmhost/hostcall.h"

namespace hfi::wasmhost {
namespace {

using wabt::interp::ExternKind;
using wabt::interp::Func;
using wabt::interp::FuncType;
using wabt::interp::Value;
using wabt::interp::Values;

constexpr const char* kRefuses = "Envoy would refuse to load the module: ";
constexpr std::uint64_t kMaxMemoryPages = 16384;

// The exports Envoy looks up, with the signatures it requires (facts §4.1); a module exporting
// one of these names with another signature fails to load ("Bad function signature").
struct ExportSignature {
  std::string_view name, params, results;
};
constexpr ExportSignature kKnownExports[] = {
    {"_initialize", "", ""},
    {"_start", "", ""},
    {"main", "ii", "i"},
    {"malloc", "i", "i"},
    {"proxy_on_memory_allocate", "i", "i"},
    {"proxy_on_context_create", "ii", ""},
    {"proxy_on_vm_start", "ii", "i"},
    {"proxy_validate_configuration", "ii", "i"},
    {"proxy_on_configure", "ii", "i"},
    {"proxy_on_tick", "i", ""},
    {"proxy_on_request_headers", "iii", "i"},
    {"proxy_on_request_body", "iii", "i"},
    {"proxy_on_request_trailers", "ii", "i"},
    {"proxy_on_request_metadata", "ii", "i"},
    {"proxy_on_response_headers", "iii", "i"},
    {"proxy_on_response_body", "iii", "i"},
    {"proxy_on_response_trailers", "ii", "i"},
    {"proxy_on_response_metadata", "ii", "i"},
    {"proxy_on_http_call_response", "iiiii", ""},
    {"proxy_on_done", "i", "i"},
    {"proxy_on_log", "i", ""},
    {"proxy_on_delete", "i", ""},
    {"proxy_on_queue_ready", "ii", ""},
    {"proxy_on_foreign_function", "iii", ""},
    {"proxy_on_grpc_receive_initial_metadata", "iii", ""},
    {"proxy_on_grpc_receive_trailing_metadata", "iii", ""},
    {"proxy_on_grpc_receive", "iii", ""},
    {"proxy_on_grpc_close", "iii", ""},
};

bool SameType(const FuncType& a, const FuncType& b) {
  return a.params == b.params && a.results == b.results;
}

std::string ImportName(const wabt::interp::ImportType& import) {
  return import.module + "." + import.name;
}

std::string QualifiedName(const ImportSpec& spec) {
  const std::string_view module = spec.module == kWasiModule ? "wasi_snapshot_preview1" : "env";
  return std::string(module) + "." + std::string(spec.name);
}

std::string FirstError(const wabt::Errors& errors) {
  if (errors.empty())
    return "unreadable";
  const wabt::Error& error = errors.front();
  char offset[32];
  std::snprintf(offset, sizeof offset, "at byte 0x%zx: ", error.loc.offset);
  return offset + error.message;
}

// The ABI marker decides the ABI; the first one found wins, as in cpp-host getAbiVersion (§2.9).
std::optional<std::string_view> FindAbiMarker(const wabt::interp::Module& module) {
  for (const auto& type : module.export_types()) {
    if (type.type->kind != ExternKind::Func)
      continue;
    for (std::string_view marker :
         {"proxy_abi_version_0_1_0", "proxy_abi_version_0_2_0", "proxy_abi_version_0_2_1"}) {
      if (type.name == marker)
        return marker;
    }
  }
  return std::nullopt;
}

}  // namespace

// A function-try-block: an allocation WABT cannot make for a module (a huge table, say) is that
// module's fault, reported like any other reason not to load it.
PluginVm::PluginVm(std::string_view wasm, std::string_view source_name, HostState& host) try
    : host_(host) {
  const std::string source(source_name);
  frames_.reserve(4);  // the deepest nesting is a callback plus the malloc one of its hostcalls

  wabt::Errors errors;
  wabt::interp::ModuleDesc desc;
  // Custom sections do not matter to Envoy, which strips them (§4.2 step 1).
  const wabt::ReadBinaryOptions options(store_.features(), nullptr, /*read_debug_names=*/false,
                                        /*stop_on_first_error=*/true,
                                        /*fail_on_custom_section_error=*/false);
  if (wabt::Failed(wabt::interp::ReadBinaryInterp(source, wasm.data(), wasm.size(), options,
                                                  &errors, &desc))) {
    throw InputError(source, "not a valid WebAssembly module: " + FirstError(errors),
                     "pass the .wasm that `hfi-metrics build` wrote");
  }
  // WABT would run a start function inside Instantiate with no instruction limit; it runs
  // below instead, bounded like every other call.
  std::optional<wabt::interp::Index> start_func;
  if (!desc.starts.empty())
    start_func = desc.starts.front().func_index;
  desc.starts.clear();
  // Envoy's V8 caps linear memory at 16384 pages, 1 GiB (--wasm_max_mem_pages, facts §7.2 item
  // 6): more at start fails to load, and growth stops there. The cap also keeps a module from
  // making the host allocate 4 GiB.
  for (wabt::interp::MemoryDesc& memory : desc.memories) {
    wabt::Limits& limits = memory.type.limits;
    if (limits.initial > kMaxMemoryPages) {
      throw InputError(source,
                       "declares " + std::to_string(limits.initial) +
                           " pages of initial memory; Envoy allows at most 16384 (1 GiB)",
                       "build it with a smaller -sINITIAL_MEMORY");
    }
    if (!limits.has_max || limits.max > kMaxMemoryPages) {
      limits.max = kMaxMemoryPages;
      limits.has_max = true;
    }
  }
  module_ = wabt::interp::Module::New(store_, std::move(desc));

  const std::optional<std::string_view> marker = FindAbiMarker(*module_);
  if (!marker) {
    throw InputError(source, "exports no proxy_abi_version_0_2_1 function",
                     std::string(kRefuses) + "Missing or unknown Proxy-Wasm ABI version");
  }
  if (*marker == "proxy_abi_version_0_1_0") {
    throw InputError(source, "is built for proxy-wasm ABI 0.1.0, which this host does not emulate",
                     "rebuild it for ABI 0.2.1 (export proxy_abi_version_0_2_1)");
  }
  abi_ = *marker == "proxy_abi_version_0_2_0" ? AbiVersion::k0_2_0 : AbiVersion::k0_2_1;

  for (const auto& type : module_->export_types()) {
    if (type.type->kind != ExternKind::Func)
      continue;
    const auto& actual = *wabt::cast<FuncType>(type.type.get());
    for (const ExportSignature& known : kKnownExports) {
      if (type.name != known.name)
        continue;
      const FuncType expected = MakeFuncType(known.params, known.results);
      if (!SameType(actual, expected)) {
        throw InputError(type.name,
                         "exported as " + DescribeFuncType(actual) + " but Envoy calls it as " +
                             DescribeFuncType(expected),
                         std::string(kRefuses) + "Bad function signature");
      }
    }
  }

  wabt::interp::RefVec imports;
  Link(&imports);
  wabt::interp::Trap::Ptr trap;
  instance_ = wabt::interp::Instance::Instantiate(store_, module_.ref(), imports, &trap);
  if (!instance_) {
    throw InputError(source,
                     "cannot be instantiated: " + (trap ? trap->message() : std::string("?")),
                     "check its data and element segments against its memory and table sizes");
  }

  for (std::size_t i = 0; i < module_->export_types().size(); ++i) {
    const auto& type = module_->export_types()[i];
    const wabt::interp::Ref ref = instance_->exports()[i];
    if (type.type->kind == ExternKind::Func)
      exports_.emplace(type.name, store_.UnsafeGet<Func>(ref));
    else if (type.type->kind == ExternKind::Memory && type.name == "memory")
      memory_ = GuestMemory(store_.UnsafeGet<wabt::interp::Memory>(ref));
  }
  // cpp-host prefers malloc and falls back to proxy_on_memory_allocate (§4.1).
  for (std::string_view name : {"malloc", "proxy_on_memory_allocate"}) {
    if (auto it = exports_.find(name); it != exports_.end() && !malloc_)
      malloc_ = it->second;
  }
  if (!malloc_) {
    throw InputError(source, "exports neither malloc nor proxy_on_memory_allocate",
                     std::string(kRefuses) +
                         "Wasm module is missing malloc function; link with "
                         "-sEXPORTED_FUNCTIONS=_malloc");
  }

  if (start_func) {
    CallResult result = CallFunc(store_.UnsafeGet<Func>(instance_->funcs()[*start_func]), {}, 0,
                                 CallPhase::kStartup);
    if (!result.ok)
      throw InputError(source, "its start function failed: " + result.error);
  }
} catch (const std::bad_alloc&) {
  throw InputError(std::string(source_name), "needs more memory to load than the host can give",
                   "check the sizes of its memory and tables");
}

PluginVm::~PluginVm() = default;

void PluginVm::Link(wabt::interp::RefVec* imports) {
  std::vector<std::string> missing;
  for (const wabt::interp::ImportType& import : module_->import_types()) {
    if (import.type->kind != ExternKind::Func) {
      throw InputError(ImportName(import),
                       std::string("imports a ") + wabt::interp::GetName(import.type->kind) +
                           "; this host provides functions only",
                       std::string(kRefuses) + "missing import");
    }
    const ImportSpec* spec = FindImport(import.module, import.name);
    // proxy_get_log_level exists for ABI 0.2.1 only (§2.9).
    if (spec == nullptr || (spec->abi_0_2_1_only && abi_ != AbiVersion::k0_2_1)) {
      missing.push_back(ImportName(import));
      continue;
    }
    const auto& actual = *wabt::cast<FuncType>(import.type.get());
    const FuncType expected = MakeFuncType(spec->params, spec->results);
    if (!SameType(actual, expected)) {
      throw InputError(ImportName(import),
                       "imported as " + DescribeFuncType(actual) + " but the host provides " +
                           DescribeFuncType(expected),
                       std::string(kRefuses) + "import type mismatch");
    }
    auto func =
        wabt::interp::HostFunc::New(store_, expected,
                                    [this, spec](wabt::interp::Thread&, const Values& params,
                                                 Values& results, wabt::interp::Trap::Ptr* trap) {
                                      return Dispatch(*spec, params, results, trap);
                                    });
    imports->push_back(func.ref());
    host_funcs_.push_back(std::move(func));
  }
  if (missing.empty())
    return;
  std::string why = "not provided by this host";
  const std::size_t dot = missing.front().find('.');
  if (IsEnvoyOnlyImport(missing.front().substr(0, dot), missing.front().substr(dot + 1)))
    why += " (Envoy has it; this host emulates what an HTTP filter without upstream calls uses)";
  if (missing.size() > 1) {
    why += "; also missing:";
    for (std::size_t i = 1; i < missing.size(); ++i)
      why += (i > 1 ? ", " : " ") + missing[i];
  }
  throw InputError(missing.front(), why, std::string(kRefuses) + "missing import");
}

bool PluginVm::HasExport(std::string_view name) const {
  return exports_.find(name) != exports_.end();
}

wabt::Result PluginVm::Dispatch(const ImportSpec& spec, const Values& params, Values& results,
                                wabt::interp::Trap::Ptr* trap) {
  const CallPhase phase = frames_.empty() ? CallPhase::kStartup : frames_.back().phase;
  if (phase == CallPhase::kStartup && !spec.in_startup) {
    *trap = wabt::interp::Trap::New(
        store_, "restricted_callback: " + QualifiedName(spec) +
                    " called while the module starts (start function, _initialize, main), "
                    "where Envoy allows only logging, WASI and clocks");
    return wabt::Result::Error;
  }
  if (phase == CallPhase::kMalloc && !spec.in_malloc) {
    *trap = wabt::interp::Trap::New(
        store_, "restricted_callback: " + QualifiedName(spec) +
                    " called inside malloc while the host hands data over, where Envoy allows "
                    "only proxy_log, fd_write and clock_time_get");
    return wabt::Result::Error;
  }
  HostCall call(*this, host_, params);
  std::uint32_t value = 0;
  try {
    value = spec.fn(call);
  } catch (const std::exception& error) {
    // Nothing may unwind through the interpreter: the plugin's call fails instead of the host.
    call.Trap("host error in " + QualifiedName(spec) + ": " + error.what());
  }
  if (call.trap()) {
    *trap = wabt::interp::Trap::New(store_, *call.trap());
    return wabt::Result::Error;
  }
  if (!spec.results.empty()) {
    results.resize(1);
    results[0] = Value::Make(value);
  }
  return wabt::Result::Ok;
}

PluginVm::CallResult PluginVm::Call(std::string_view name, const std::vector<std::uint32_t>& args,
                                    std::uint32_t context_id, CallPhase phase) {
  auto it = exports_.find(name);
  if (it == exports_.end())
    return CallResult{false, std::nullopt, "the module does not export " + std::string(name)};
  return CallFunc(it->second, args, context_id, phase);
}

PluginVm::CallResult PluginVm::CallFunc(const Func::Ptr& func,
                                        const std::vector<std::uint32_t>& args,
                                        std::uint32_t context_id, CallPhase phase) {
  if (frames_.empty())
    budget_ = host_.options.max_instructions_per_call;
  Values params;
  for (std::uint32_t arg : args)
    params.push_back(Value::Make(arg));
  // A fresh frame has effective context 0: it never leaks from one call into the next (§3.17).
  frames_.push_back(CallFrame{context_id, 0, phase});
  BoundedCallResult run = BoundedCall(store_, func, params, &budget_);
  frames_.pop_back();

  CallResult out;
  switch (run.kind) {
    case BoundedCallResult::Kind::kOk:
      if (!run.results.empty() && func->type().results.front() == wabt::Type::I32)
        out.value = run.results.front().Get<wabt::interp::u32>();
      break;
    case BoundedCallResult::Kind::kTrap:
      out.ok = false;
      out.error = "trap: " + run.trap_message;
      break;
    case BoundedCallResult::Kind::kBudgetExhausted:
      out.ok = false;
      out.error = "ran past the limit of " +
                  std::to_string(host_.options.max_instructions_per_call) +
                  " instructions per call (an endless loop?)";
      break;
  }
  return out;
}

std::optional<WasmResult> PluginVm::CopyOut(std::string_view bytes, std::uint32_t ptr_ptr,
                                            std::uint32_t size_ptr, std::string* trap) {
  if (!memory_.InBounds(ptr_ptr, 4) || !memory_.InBounds(size_ptr, 4))
    return WasmResult::kInvalidMemoryAccess;
  if (bytes.empty()) {
    memory_.WriteU32(ptr_ptr, 0);
    memory_.WriteU32(size_ptr, 0);
    return WasmResult::kOk;
  }
  if (bytes.size() > std::numeric_limits<std::uint32_t>::max())
    return WasmResult::kInvalidMemoryAccess;
  const auto size = static_cast<std::uint32_t>(bytes.size());
  // On the VM context, as cpp-host's allocMemory does.
  CallResult allocated = CallFunc(malloc_, {size}, 0, CallPhase::kMalloc);
  if (!allocated.ok) {
    *trap = "malloc(" + std::to_string(size) +
            "), called by the host to hand data over, failed: " + allocated.error;
    return std::nullopt;
  }
  const std::uint32_t ptr = allocated.value.value_or(0);
  // The memory may have grown inside malloc; GuestMemory re-reads its base on every access.
  if (ptr == 0 || !memory_.Write(ptr, bytes))
    return WasmResult::kInvalidMemoryAccess;
  memory_.WriteU32(ptr_ptr, ptr);
  memory_.WriteU32(size_ptr, size);
  return WasmResult::kOk;
}

}  // namespace hfi::wasmhost

// The metric hostcalls (facts/proxy-wasm-abi.md §3.13-3.16); their semantics are MetricTable's.
#include "wasmhost/hostcall.h"

namespace hfi::wasmhost {
namespace {

constexpr std::uint32_t kMaxMetricType = 2;

std::uint32_t DefineMetric(HostCall& call) {
  const std::uint32_t type = call.U32(0);
  if (type > kMaxMetricType)
    return Word(WasmResult::kBadArgument);
  std::optional<std::string> name = call.Read(call.U32(1), call.U32(2));
  if (!name)
    return Word(WasmResult::kInvalidMemoryAccess);
  std::uint32_t id = 0;
  const WasmResult result = call.host.metrics.Define(type, *name, &id);
  if (result != WasmResult::kOk)
    return Word(result);
  if (!call.vm.memory().WriteU32(call.U32(3), id))
    return Word(WasmResult::kInvalidMemoryAccess);
  return Word(WasmResult::kOk);
}

std::uint32_t IncrementMetric(HostCall& call) {
  // The delta is signed (int64_t offset, §3.14).
  return Word(call.host.metrics.Increment(call.U32(0), static_cast<std::int64_t>(call.U64(1))));
}

std::uint32_t RecordMetric(HostCall& call) {
  return Word(call.host.metrics.Record(call.U32(0), call.U64(1)));
}

std::uint32_t GetMetric(HostCall& call) {
  std::uint64_t value = 0;
  const WasmResult result = call.host.metrics.Get(call.U32(0), &value);
  if (result != WasmResult::kOk)
    return Word(result);
  if (!call.vm.memory().WriteU64(call.U32(1), value))
    return Word(WasmResult::kInvalidMemoryAccess);
  return Word(WasmResult::kOk);
}

}  // namespace

void AddMetricImports(std::vector<ImportSpec>* out) {
  out->insert(out->end(),
              {
                  {"env", "proxy_define_metric", "iiii", "i", DefineMetric, false, false},
                  {"env", "proxy_increment_metric", "iI", "i", IncrementMetric, false, false},
                  {"env", "proxy_record_metric", "iI", "i", RecordMetric, false, false},
                  {"env", "proxy_get_metric", "ii", "i", GetMetric, false, false},
              });
}

}  // namespace hfi::wasmhost

#include "wasm/inspect.h"

#include <algorithm>
#include <map>
#include <optional>
#include <string>
#include <utility>

#include "util/sha256.h"
#include "wasm/module_reader.h"

namespace hfi::wasm {
namespace {

constexpr std::string_view kWasmcustom = "wasmcustom.";
constexpr std::size_t kMaxListedNames = 8;

bool StartsWith(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

std::string ListNames(const std::vector<std::string>& names) {
  std::string out;
  for (std::size_t i = 0; i < names.size() && i < kMaxListedNames; ++i) {
    if (i > 0)
      out += ", ";
    out += names[i];
  }
  if (names.size() > kMaxListedNames)
    out += " and " + std::to_string(names.size() - kMaxListedNames) + " more";
  return out;
}

class Inspector {
 public:
  Inspector(const RawModule& module, InspectReport& report) : module_(module), report_(report) {}

  void Run() {
    CheckAbiMarkers();
    CheckCallbacks();
    CheckImports();
    CheckMemory();
    CheckMetricNames();
  }

 private:
  void Add(CheckId id, std::string subject, std::string message, std::string fix) {
    report_.findings.push_back(
        {id, Info(id).severity, std::move(subject), std::move(message), std::move(fix)});
  }

  const RawModule::Export* FindExport(std::string_view name) const {
    for (const RawModule::Export& e : module_.exports) {
      if (e.name == name)
        return &e;
    }
    return nullptr;
  }

  std::string ExportSignature(const RawModule::Export& e) const {
    if (e.kind != wabt::ExternalKind::Func)
      return KindName(e.kind) + " export";
    return module_.FuncSignature(e.index);
  }

  Abi abi() const { return report_.abi.value_or(Abi::k0_2_1); }

  // facts/proxy-wasm-abi.md §2.9: Envoy scans the exports for a known marker; the first wins,
  // and none is fatal ("Missing or unknown Proxy-Wasm ABI version").
  void CheckAbiMarkers() {
    std::vector<std::string> known, unknown;
    for (const RawModule::Export& e : module_.exports) {
      if (!StartsWith(e.name, kAbiMarkerPrefix))
        continue;
      report_.abi_markers.push_back(e.name);
      if (e.kind != wabt::ExternalKind::Func) {
        Add(CheckId::kMarkerNotFunction, e.name,
            e.name + " is a " + KindName(e.kind) + " export; Envoy recognises a function only",
            "export an empty function: extern \"C\" __attribute__((used)) void " + e.name +
                "() {}");
        continue;
      }
      if (const AbiMarker* marker = FindAbiMarker(e.name)) {
        known.push_back(e.name);
        if (!report_.abi)
          report_.abi = marker->abi;
      } else {
        unknown.push_back(e.name);
      }
    }
    if (known.empty()) {
      std::string message =
          "no proxy_abi_version_0_2_1 (or 0_1_0, 0_2_0) function export: Envoy "
          "refuses the module (\"Missing or unknown Proxy-Wasm ABI version\")";
      if (!unknown.empty())
        message += "; " + ListNames(unknown) + " is not a version Envoy knows";
      Add(CheckId::kNoAbiMarker, "exports", std::move(message),
          "export extern \"C\" __attribute__((used)) void proxy_abi_version_0_2_1() {}");
    } else if (known.size() > 1) {
      Add(CheckId::kSeveralAbiMarkers, "exports",
          "exports " + ListNames(known) + ": Envoy uses the first (" + known.front() +
              ") and registers only that ABI's hostcalls",
          "export proxy_abi_version_0_2_1 only");
    }
    if (report_.abi && *report_.abi != Abi::k0_2_1) {
      Add(CheckId::kOlderAbi, known.front(),
          "declares ABI " + std::string(AbiName(*report_.abi)) +
              ": Envoy then withholds the 0.2.1 hostcalls (proxy_get_log_level, and with 0.1.0 "
              "proxy_continue_stream); HFI is written for 0.2.1",
          "export proxy_abi_version_0_2_1 instead");
    }
  }

  void CheckCallbacks() {
    for (const Callback& callback : Callbacks()) {
      const RawModule::Export* e = FindExport(callback.name);
      if (e == nullptr && !callback.required_for_hfi)
        continue;
      CallbackCheck check;
      check.name = std::string(callback.name);
      check.required = callback.required_for_hfi;
      check.present = e != nullptr;
      check.expected = std::string(ExpectedSignature(callback, abi()));
      if (e != nullptr)
        check.actual = ExportSignature(*e);
      if (!check.present) {
        Add(CheckId::kMissingCallback, check.name,
            check.name +
                " is not exported, and an HTTP fault filter needs it: " + std::string(callback.why),
            "define it as extern \"C\" __attribute__((used)) with signature " + check.expected +
                " (only `used` makes em++ export a function, facts/proxy-wasm-abi.md §7.2)");
      } else if (check.actual != check.expected) {
        Add(CheckId::kBadCallbackSignature, check.name,
            check.name + " has signature " + check.actual + " where Envoy expects " +
                check.expected +
                ": the load fails with \"Bad function signature for: " + check.name + "\"",
            "declare it with exactly that signature: every parameter and result a 32-bit "
            "word (facts/proxy-wasm-abi.md §4.1)");
      }
      report_.callbacks.push_back(std::move(check));
    }
    // facts §4.1: Envoy looks for malloc first, then proxy_on_memory_allocate.
    for (std::string_view name : {"malloc", "proxy_on_memory_allocate"}) {
      const RawModule::Export* e = FindExport(name);
      if (e != nullptr && e->kind == wabt::ExternalKind::Func) {
        report_.allocator = std::string(name);
        break;
      }
    }
    if (report_.allocator.empty()) {
      Add(CheckId::kNoAllocator, "malloc",
          "neither malloc nor proxy_on_memory_allocate is exported: Envoy fails the load (\"Wasm "
          "module is missing malloc function.\") because it hands every buffer over through it",
          "link with -sEXPORTED_FUNCTIONS=_malloc,_free (facts/proxy-wasm-abi.md §7.2 item 4)");
    }
    if (FindExport("_start") != nullptr && FindExport("_initialize") == nullptr) {
      Add(CheckId::kWasiCommand, "_start",
          "exports _start and no _initialize: a WASI command, whose _start Envoy runs at VM start; "
          "it ends in proc_exit and traps",
          "link with --no-entry and define no main() (facts/proxy-wasm-abi.md §7.2 item 5)");
    }
  }

  void CheckImports() {
    std::map<std::string, std::vector<std::string>> unknown_modules;
    std::vector<std::string> exception_imports, runtime_imports;
    for (const RawModule::Import& import : module_.imports) {
      ImportEntry entry;
      entry.module = import.module;
      entry.name = import.name;
      entry.kind = KindName(import.kind);
      if (import.kind == wabt::ExternalKind::Func)
        entry.signature = module_.TypeSignature(import.sig);
      std::string full = entry.module + "." + entry.name;
      if (entry.module == "env") {
        CheckEnvImport(entry, full, exception_imports, runtime_imports);
      } else if (IsWasiModule(entry.module)) {
        CheckWasiImport(entry, full);
      } else {
        unknown_modules[entry.module].push_back(entry.name);
      }
      report_.imports.push_back(std::move(entry));
    }
    for (const auto& [module, names] : unknown_modules) {
      Add(CheckId::kUnknownImportModule, module,
          "imports " + ListNames(names) + " from module \"" + module +
              "\": Envoy registers functions only under env and wasi_snapshot_preview1, so the "
              "link fails (\"missing import\")",
          "import proxy-wasm hostcalls from \"env\" (import_module(\"env\")) and drop the "
          "dependency that needs \"" +
              module + "\"");
    }
    if (!exception_imports.empty()) {
      Add(CheckId::kJsOnlyImport, "env",
          "imports " + ListNames(exception_imports) +
              ": Emscripten's JavaScript exception (or setjmp) support, which no proxy-wasm host "
              "provides, so the link fails; the module was built with -fexceptions",
          "build with -fno-exceptions and without setjmp/longjmp (facts/proxy-wasm-abi.md §7.2 "
          "item 7)");
    }
    if (!runtime_imports.empty()) {
      Add(CheckId::kJsOnlyImport, "env",
          "imports " + ListNames(runtime_imports) +
              ": functions of Emscripten's JavaScript runtime, which no proxy-wasm host provides",
          "build with -sSTANDALONE_WASM --no-entry (facts/proxy-wasm-abi.md §7.3)");
    }
  }

  void CheckEnvImport(ImportEntry& entry, const std::string& full,
                      std::vector<std::string>& exception_imports,
                      std::vector<std::string>& runtime_imports) {
    if (entry.kind != "func") {
      std::string fix = entry.kind == "memory"
                            ? "let the module define and export its memory (no -sIMPORTED_MEMORY)"
                            : "build a standalone module: -sSTANDALONE_WASM, no -sSIDE_MODULE or "
                              "-sMAIN_MODULE";
      Add(CheckId::kUnknownEnvImport, full,
          full + " is a " + entry.kind + " import; Envoy provides only functions under env",
          std::move(fix));
      return;
    }
    if (const EnvFunction* function = FindEnvFunction(entry.name)) {
      if (!RegisteredFor(*function, abi())) {
        std::string fix = "use the ABI " + std::string(AbiName(abi())) + " equivalent";
        if (entry.name == "proxy_continue_request" || entry.name == "proxy_continue_response")
          fix = "call proxy_continue_stream(0) (request) or (1) (response) instead";
        else if (function->abis == AbiSet::kOnly0_2_1 || function->abis == AbiSet::kSince0_2_0)
          fix = "export proxy_abi_version_0_2_1 as the ABI marker";
        Add(CheckId::kHostcallOfOtherAbi, full,
            entry.name + " is registered for " + std::string(AbiSetName(function->abis)) +
                ", and this module declares ABI " + std::string(AbiName(abi())) +
                ": the link fails (\"missing import\")",
            std::move(fix));
      } else if (entry.signature != function->signature) {
        Add(CheckId::kBadImportSignature, full,
            full + " is declared " + entry.signature + " where Envoy registers " +
                std::string(function->signature) + ": the link fails (\"import type mismatch\")",
            "fix the declaration: metric values are int64_t/uint64_t (i64), everything else a "
            "32-bit word (facts/proxy-wasm-abi.md §3.21)");
      } else {
        entry.classification = ImportClass::kHostcall;
      }
      return;
    }
    switch (ClassifyJsOnlyImport(entry.name)) {
      case JsImportKind::kExceptions:
        exception_imports.push_back(entry.name);
        return;
      case JsImportKind::kJsRuntime:
        runtime_imports.push_back(entry.name);
        return;
      case JsImportKind::kNone:
        break;
    }
    Add(CheckId::kUnknownEnvImport, full,
        full + " is not a function Envoy registers: the link fails (\"missing import\")",
        StartsWith(entry.name, "proxy_")
            ? "no proxy-wasm hostcall has this name: check the spelling against "
              "facts/proxy-wasm-abi.md §3"
            : "implement it inside the module or drop the code that needs it");
  }

  void CheckWasiImport(ImportEntry& entry, const std::string& full) {
    const WasiFunction* function = entry.kind == "func" ? FindWasiFunction(entry.name) : nullptr;
    if (function == nullptr) {
      Add(CheckId::kUnknownWasiImport, full,
          full + " is not a WASI function any proxy-wasm host registers: the link fails",
          "drop the code that needs it (facts/proxy-wasm-abi.md §6.2 lists what Envoy provides)");
      return;
    }
    if (function->tier == WasiTier::kNewer) {
      entry.classification = ImportClass::kWasi;
      Add(CheckId::kNewerWasiImport, full,
          full + " is registered only by Envoys whose proxy-wasm host dates from " +
              std::string(function->since) + " or later; older ones fail the link",
          "avoid the libc call that pulls it in, or require a recent Envoy");
      return;
    }
    if (entry.signature != function->signature) {
      Add(CheckId::kBadImportSignature, full,
          full + " is declared " + entry.signature + " where Envoy registers " +
              std::string(function->signature) + ": the link fails (\"import type mismatch\")",
          "let the C library declare WASI functions; do not declare them by hand");
      return;
    }
    entry.classification = ImportClass::kWasi;
  }

  void CheckMemory() {
    MemoryInfo& memory = report_.memory;
    if (module_.memories.empty()) {
      Add(CheckId::kNoExportedMemory, "memory",
          "the module has no linear memory: Envoy passes every header, body and configuration "
          "through it",
          "build with em++ -sSTANDALONE_WASM, which defines and exports \"memory\"");
      return;
    }
    const RawModule::Memory& first = module_.memories.front();
    memory.present = true;
    memory.imported = first.imported;
    memory.initial_pages = first.limits.initial;
    if (first.limits.has_max)
      memory.max_pages = first.limits.max;
    for (const RawModule::Export& e : module_.exports) {
      if (e.kind == wabt::ExternalKind::Memory && e.index == 0) {
        memory.exported = true;
        memory.export_name = e.name;
        break;
      }
    }
    if (!memory.exported) {
      Add(CheckId::kNoExportedMemory, "memory",
          "the memory is not exported: Envoy cannot read or write the plugin's buffers",
          "export it (em++ -sSTANDALONE_WASM exports it as \"memory\")");
    }
    if (memory.initial_pages > kEnvoyMaxMemoryPages) {
      Add(CheckId::kMemoryTooLarge, "memory",
          "initial memory is " + std::to_string(memory.initial_pages) +
              " pages; Envoy's V8 allows at most 16384 (1 GiB), so instantiation fails",
          "lower -sINITIAL_MEMORY (facts/proxy-wasm-abi.md §7.2 item 6)");
    }
    if (memory.can_grow()) {
      std::string limit = memory.max_pages
                              ? "maximum " + std::to_string(*memory.max_pages) + " pages"
                              : "no maximum";
      std::string message =
          "memory can grow (initial " + std::to_string(memory.initial_pages) + " pages, " + limit +
          "): growth inside a malloc that Envoy makes to hand the plugin data is a restricted "
          "callback there and traps the VM (facts/proxy-wasm-abi.md §5 item 4)";
      bool notifies = std::any_of(report_.imports.begin(), report_.imports.end(), [](auto& i) {
        return i.module == "env" && i.name == "emscripten_notify_memory_growth";
      });
      if (notifies) {
        message +=
            "; it also imports env.emscripten_notify_memory_growth, which Envoys before "
            "proxy-wasm host 73fe589 (2022-06) do not provide";
      }
      Add(CheckId::kMemoryCanGrow, "memory", std::move(message),
          "link with -sALLOW_MEMORY_GROWTH=0 and an -sINITIAL_MEMORY large enough for the "
          "plugin");
    }
  }

  // Whether `name` occurs in `data` other than as the tail of a longer wasmcustom spelling.
  static bool ContainsBare(std::string_view data, std::string_view name) {
    for (std::size_t pos = data.find(name); pos != std::string_view::npos;
         pos = data.find(name, pos + 1)) {
      if (pos < kWasmcustom.size())
        return true;
      std::string_view before = data.substr(pos - kWasmcustom.size(), kWasmcustom.size() - 1);
      if (before != "wasmcustom")
        return true;
    }
    return false;
  }

  // The names reach proxy_define_metric from string constants, which em++ places in data
  // segments; a name built at run time cannot be seen here.
  void CheckMetricNames() {
    const std::vector<std::string_view>& segments = module_.data;
    auto contains = [&](std::string_view name, bool bare) {
      return std::any_of(segments.begin(), segments.end(), [&](std::string_view data) {
        return bare ? ContainsBare(data, name) : data.find(name) != std::string_view::npos;
      });
    };
    for (const metrics::MetricName& metric : metrics::kAll) {
      MetricPresence presence{&metric};
      std::string_view defined = metric.defined;
      std::string_view bare = defined.substr(kWasmcustom.size());  // hfi_faults_aborts_total
      std::string legacy =
          std::string(metrics::kLegacyPrefix) + std::string(bare.substr(bare.find("faults_") + 7));
      if (contains(defined, false)) {
        presence.form = NameForm::kDefined;
        presence.found = std::string(defined);
      } else if (contains(bare, true)) {
        presence.form = NameForm::kWithoutPrefix;
        presence.found = std::string(bare);
        Add(CheckId::kMetricWithoutPrefix, std::string(bare),
            "the module names " + std::string(bare) + ", not " + std::string(defined) +
                ": Envoy exports it as " + std::string(bare) + ", not the expected " +
                std::string(metric.prometheus) + " (facts/envoy-istio.md §1)",
            "define the metric as " + std::string(defined) + " (plugin/metric_names.h)");
      } else if (contains(legacy, false)) {
        presence.form = NameForm::kLegacy;
        presence.found = legacy;
        Add(CheckId::kLegacyMetricName, legacy,
            "the module names the original project's " + legacy + " instead of " +
                std::string(defined) + ": Envoy exports it as " + std::string(bare) +
                ", not the expected " + std::string(metric.prometheus),
            "rebuild from the current plugin sources (names in plugin/metric_names.h)");
      } else {
        Add(CheckId::kMetricNameMissing, std::string(defined),
            std::string(defined) +
                " appears in none of the module's data segments: the plugin does not define "
                "this metric (or builds its name at run time)",
            "define it in proxy_on_vm_start with proxy_define_metric, using the names of "
            "plugin/metric_names.h");
      }
      report_.metrics.push_back(std::move(presence));
    }
  }

  const RawModule& module_;
  InspectReport& report_;
};

}  // namespace

const CheckInfo& Info(CheckId id) {
  return kChecks[static_cast<std::size_t>(id)];
}

std::string_view NameFormName(NameForm form) {
  switch (form) {
    case NameForm::kDefined:
      return "defined";
    case NameForm::kWithoutPrefix:
      return "without-prefix";
    case NameForm::kLegacy:
      return "legacy";
    case NameForm::kAbsent:
      return "absent";
  }
  return "";
}

std::string_view AbiName(Abi abi) {
  switch (abi) {
    case Abi::k0_1_0:
      return "0.1.0";
    case Abi::k0_2_0:
      return "0.2.0";
    case Abi::k0_2_1:
      return "0.2.1";
  }
  return "";
}

std::size_t InspectReport::Count(Severity severity) const {
  return static_cast<std::size_t>(std::count_if(
      findings.begin(), findings.end(), [&](const Finding& f) { return f.severity == severity; }));
}

InspectReport Inspect(std::string_view bytes) {
  InspectReport report;
  report.size = bytes.size();
  report.sha256 = Sha256Hex(bytes);
  RawModule module;
  if (std::optional<Finding> problem = ReadModule(bytes, &module, &report.version)) {
    report.findings.push_back(std::move(*problem));
    return report;
  }
  report.parsed = true;
  Inspector(module, report).Run();
  return report;
}

}  // namespace hfi::wasm

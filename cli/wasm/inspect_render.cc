#include "wasm/inspect_render.h"

#include <algorithm>
#include <cstdio>

namespace hfi::wasm {
namespace {

std::string Plural(std::size_t n, std::string_view word) {
  return std::to_string(n) + " " + std::string(word) + (n == 1 ? "" : "s");
}

std::string Pad(std::string text, std::size_t width) {
  if (text.size() < width)
    text.append(width - text.size(), ' ');
  return text;
}

std::string MemoryText(const MemoryInfo& memory) {
  if (!memory.present)
    return "none";
  std::uint64_t kib = memory.initial_pages * 64;
  std::string size =
      kib % 1024 == 0 ? std::to_string(kib / 1024) + " MiB" : std::to_string(kib) + " KiB";
  std::string text = std::to_string(memory.initial_pages) + " pages initial (" + size + "), ";
  text += memory.max_pages ? std::to_string(*memory.max_pages) + " maximum" : "no maximum";
  text += memory.can_grow() ? ": can grow" : ": fixed";
  if (memory.imported)
    text += ", imported";
  else if (memory.exported)
    text += ", exported as \"" + Printable(memory.export_name) + "\"";
  else
    text += ", not exported";
  return text;
}

std::string ImportsText(const InspectReport& report) {
  std::size_t hostcalls = 0, wasi = 0, other = 0;
  for (const ImportEntry& entry : report.imports) {
    switch (entry.classification) {
      case ImportClass::kHostcall:
        ++hostcalls;
        break;
      case ImportClass::kWasi:
        ++wasi;
        break;
      case ImportClass::kUnknown:
        ++other;
        break;
    }
  }
  return std::to_string(hostcalls) + " from env (Envoy hostcalls), " + std::to_string(wasi) +
         " WASI, " + std::to_string(other) + " unavailable in Envoy";
}

std::string ImportStatus(ImportClass classification) {
  switch (classification) {
    case ImportClass::kHostcall:
      return "hostcall";
    case ImportClass::kWasi:
      return "wasi";
    case ImportClass::kUnknown:
      return "unavailable";
  }
  return "";
}

std::string CallbackResult(const CallbackCheck& check) {
  if (!check.present)
    return check.required ? "MISSING" : "absent";
  return check.ok() ? "ok" : "WRONG SIGNATURE";
}

}  // namespace

std::string Printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    auto u = static_cast<unsigned char>(c);
    if (u < 0x20 || u == 0x7f) {
      char buf[5];
      std::snprintf(buf, sizeof buf, "\\x%02x", u);
      out += buf;
    } else {
      out += c;
    }
  }
  return out;
}

std::string VerdictLine(const InspectReport& report) {
  std::size_t errors = report.Count(Severity::kError);
  std::size_t warnings = report.Count(Severity::kWarning);
  if (errors > 0)
    return "invalid wasm: " + Plural(errors, "error") + ", " + Plural(warnings, "warning");
  if (warnings > 0)
    return "ok with " + Plural(warnings, "warning");
  return "ok: every check passed";
}

std::string RenderFindingsText(const InspectReport& report) {
  std::string out;
  for (const Finding& finding : report.findings) {
    out += Pad(std::string(SeverityName(finding.severity)), 8) +
           std::string(Info(finding.id).code) + "  " + Printable(finding.subject) + ": " +
           Printable(finding.message) + "\n";
    if (!finding.fix.empty())
      out += "                fix: " + Printable(finding.fix) + "\n";
  }
  return out + VerdictLine(report) + "\n";
}

std::string RenderInspectText(const InspectReport& report, std::string_view file) {
  std::string out;
  auto row = [&out](std::string_view key, const std::string& value) {
    out += Pad(std::string(key), 11) + value + "\n";
  };
  row("file", Printable(file));
  row("size", std::to_string(report.size) + " bytes");
  row("sha256", report.sha256);
  if (report.parsed) {
    std::string abi = report.abi ? "proxy-wasm ABI " + std::string(AbiName(*report.abi))
                                 : "no proxy-wasm ABI marker";
    row("module", "WebAssembly version " + std::to_string(report.version) + ", " + abi);
    row("memory", MemoryText(report.memory));
    row("allocator", report.allocator.empty() ? "none" : report.allocator);
    row("imports", ImportsText(report));

    std::size_t width = 26;
    for (const CallbackCheck& check : report.callbacks)
      width = std::max(width, check.name.size() + 2);
    out += "\n" + Pad("callback", width) + Pad("signature", 26) + "result\n";
    for (const CallbackCheck& check : report.callbacks) {
      out += Pad(Printable(check.name), width) + Pad(check.present ? check.actual : "-", 26) +
             CallbackResult(check) + "\n";
    }
    out += "\n" + Pad("metric name", 52) + "found\n";
    for (const MetricPresence& metric : report.metrics) {
      std::string found(NameFormName(metric.form));
      if (metric.form != NameForm::kDefined && metric.form != NameForm::kAbsent)
        found += " (" + metric.found + ")";
      out += Pad(std::string(metric.metric->defined), 52) + found + "\n";
    }
  }
  out += "\n";
  return out + RenderFindingsText(report);
}

nlohmann::ordered_json InspectJson(const InspectReport& report, std::string_view file) {
  using json = nlohmann::ordered_json;
  json out;
  out["schemaVersion"] = kInspectSchemaVersion;
  out["file"] = file;
  out["size"] = report.size;
  out["sha256"] = report.sha256;
  out["parsed"] = report.parsed;
  out["valid"] = report.ok();
  out["exitCode"] = report.ok() ? 0 : 3;
  out["wasmVersion"] = report.parsed ? json(report.version) : json(nullptr);

  json abi;
  abi["version"] = report.abi ? json(AbiName(*report.abi)) : json(nullptr);
  abi["markers"] = report.abi_markers;
  out["abi"] = abi;

  json callbacks = json::array();
  for (const CallbackCheck& check : report.callbacks) {
    callbacks.push_back({{"name", check.name},
                         {"required", check.required},
                         {"present", check.present},
                         {"expectedSignature", check.expected},
                         {"signature", check.present ? json(check.actual) : json(nullptr)},
                         {"ok", check.ok()}});
  }
  out["callbacks"] = callbacks;
  out["allocator"] = report.allocator.empty() ? json(nullptr) : json(report.allocator);

  json imports = json::array();
  for (const ImportEntry& entry : report.imports) {
    imports.push_back(
        {{"module", entry.module},
         {"name", entry.name},
         {"kind", entry.kind},
         {"signature", entry.signature.empty() ? json(nullptr) : json(entry.signature)},
         {"status", ImportStatus(entry.classification)}});
  }
  out["imports"] = imports;

  const MemoryInfo& memory = report.memory;
  out["memory"] = {{"present", memory.present},
                   {"imported", memory.imported},
                   {"exported", memory.exported},
                   {"initialPages", memory.initial_pages},
                   {"maxPages", memory.max_pages ? json(*memory.max_pages) : json(nullptr)},
                   {"canGrow", memory.can_grow()}};

  json metrics = json::array();
  for (const MetricPresence& metric : report.metrics) {
    metrics.push_back({{"key", metric.metric->key},
                       {"name", metric.metric->defined},
                       {"prometheus", metric.metric->prometheus},
                       {"found", NameFormName(metric.form)},
                       {"spelling", metric.found.empty() ? json(nullptr) : json(metric.found)}});
  }
  out["metrics"] = metrics;

  json findings = json::array();
  for (const Finding& finding : report.findings) {
    const CheckInfo& info = Info(finding.id);
    findings.push_back({{"code", info.code},
                        {"severity", SeverityName(finding.severity)},
                        {"title", info.title},
                        {"subject", finding.subject},
                        {"message", finding.message},
                        {"fix", finding.fix}});
  }
  out["findings"] = findings;
  out["summary"] = {{"errors", report.Count(Severity::kError)},
                    {"warnings", report.Count(Severity::kWarning)}};
  return out;
}

}  // namespace hfi::wasm

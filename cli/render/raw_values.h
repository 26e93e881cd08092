// The values before checking: raw text from the values file and the flags, each with where it came
// from, so that a check can name the file, line:column and key, or the flag. Shared by the reading
// (values.cc) and checking (values_check.cc) halves; not part of the library's interface.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "render/values.h"

namespace hfi::render::detail {

// Where a raw value came from: a key of the values file, or a flag.
struct Origin {
  std::string file;          // the values file as given; empty when there is none
  std::string key;           // "plugin.delivery.kind"
  std::string flag;          // "--delivery" when the value came from the command line
  int line = 0, column = 0;  // 1-based; 0 when unknown
};

// A UsageError naming the flag, or an InputError naming file:line:column: key.
[[noreturn]] void Reject(const Origin& at, const std::string& why, const std::string& hint);

struct Raw {
  std::string text;
  Origin at;
  bool set = false;
};

struct RawLabel {
  Raw key, value;
};

// Everything read from the file and the flags, before checking.
struct RawValues {
  std::string file;      // empty: no values file
  std::string base_dir;  // anchors the file's relative paths
  Raw namespace_name, name, policy, plugin_file, plugin_name, phase, fail_strategy, delivery, url,
      istio_version, bootstrap_xds_agent, exposure;
  std::vector<RawLabel> selector;
  Origin selector_at;
  bool selector_set = false;
  std::vector<Raw> workloads;
};

std::string Lower(std::string_view text);
std::string Upper(std::string_view text);

// Checks every raw value and the rules between them; throws at the first problem.
Values CheckValues(const RawValues& raw);

}  // namespace hfi::render::detail

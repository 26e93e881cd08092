// Compiling the plugin: wasm_build.txt → em++ command line → a checked .wasm, installed by rename
// only when em++ succeeded and the inspector found no error. `hfi-metrics build` (and so CMake)
// runs this; it prints nothing itself.
#pragma once

#include <chrono>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "util/subprocess.h"
#include "wasm/build_spec.h"
#include "wasm/inspect.h"

namespace hfi::wasm {

inline constexpr std::string_view kBuildSpecFile = "wasm_build.txt";

struct BuildOptions {
  std::string source_dir;  // holds wasm_build.txt; paths in it are relative to this directory
  std::string output;      // the .wasm to write
  bool debug = false;      // 'debug' lines instead of 'release' lines
  std::string emxx;        // path of em++ (see ResolveEmxx)
  std::chrono::milliseconds timeout{std::chrono::minutes(10)};
  // Called with the em++ command line just before it runs (for -v).
  std::function<void(const std::vector<std::string>&)> on_start;
};

enum class BuildOutcome {
  kBuilt,           // written to the output path
  kCompileFailed,   // em++ exited non-zero: its output says why
  kCompilerKilled,  // em++ died of a signal (out of memory?)
  kChecksFailed,    // compiled, but the module fails inspection: not written
};

struct BuildResult {
  BuildOutcome outcome = BuildOutcome::kCompileFailed;
  std::string spec_path;
  std::vector<std::string> command;  // the em++ command line
  ProcessResult compiler;
  InspectReport report;  // filled once em++ succeeded
};

// The em++ to run: `flag` (--emxx), else `env_value` (HFI_EMXX), else em++ on PATH. Throws
// EnvironmentError naming the Debian package when there is none.
std::string ResolveEmxx(std::string_view flag, const char* env_value);

// Reads and parses <source_dir>/wasm_build.txt. Throws InputError naming the file and line.
BuildSpec LoadBuildSpec(const std::string& source_dir, std::string* spec_path);

// The em++ argv for `spec`: flags, mode flags, -I, --js-library, sources, -o output. Paths are
// made absolute against source_dir; a missing one is an InputError naming its spec line.
std::vector<std::string> EmxxCommand(const BuildSpec& spec, const std::string& spec_path,
                                     const std::string& source_dir, const std::string& emxx,
                                     bool debug, const std::string& output);

// The whole build. Throws hfi::Error for bad input (spec, --output) and for environment
// problems (timeout, interruption, unwritable output); compile and check failures are outcomes.
// em++ writes into a private directory beside the output, so concurrent builds never share files.
BuildResult BuildPlugin(const BuildOptions& options);

}  // namespace hfi::wasm

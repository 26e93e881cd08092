#include "wasm/plugin_build.h"

#include <stdlib.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <system_error>

#include "util/errors.h"
#include "util/file.h"

namespace hfi::wasm {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kMaxSpecBytes = std::size_t{1} << 20;
constexpr const char* kEmxxHint =
    "install the Debian package 'emscripten' (scripts/setup.sh does), or pass --emxx PATH";

// A directory made for one build and removed, with everything in it, on every path out.
class PrivateDir {
 public:
  explicit PrivateDir(const fs::path& beside) {
    std::string pattern =
        (beside.parent_path() / ("." + beside.filename().string() + ".build-XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr) {
      int err = errno;
      throw EnvironmentError(beside.string(),
                             "cannot create a build directory in " + beside.parent_path().string() +
                                 ": " + std::strerror(err),
                             "check that the output directory is writable");
    }
    path_ = pattern;
  }
  ~PrivateDir() {
    std::error_code ignored;
    fs::remove_all(path_, ignored);
  }
  PrivateDir(const PrivateDir&) = delete;
  PrivateDir& operator=(const PrivateDir&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

fs::path Absolute(const fs::path& path) {
  std::error_code ec;
  fs::path absolute = fs::absolute(path, ec);
  return (ec ? path : absolute).lexically_normal();
}

std::string Seconds(std::chrono::milliseconds ms) {
  char buf[32];
  double seconds = static_cast<double>(ms.count()) / 1000.0;
  std::snprintf(buf, sizeof buf, seconds < 10 ? "%.1f s" : "%.0f s", seconds);
  return buf;
}

// The output must land in an existing directory and must not be one.
fs::path CheckOutput(const std::string& output) {
  if (output.empty())
    throw UsageError("--output", "is empty", "name the .wasm file to write");
  fs::path path = Absolute(output);
  std::error_code ec;
  if (fs::is_directory(path, ec))
    throw UsageError("--output", output + " is a directory", "name the .wasm file to write");
  fs::path dir = path.parent_path();
  if (!fs::is_directory(dir, ec)) {
    throw EnvironmentError(output, "directory " + dir.string() + " does not exist",
                           "create it first: mkdir -p " + dir.string());
  }
  return path;
}

}  // namespace

std::string ResolveEmxx(std::string_view flag, const char* env_value) {
  std::string wanted = !flag.empty()                             ? std::string(flag)
                       : env_value != nullptr && *env_value != 0 ? std::string(env_value)
                                                                 : std::string("em++");
  std::string found = FindExecutable(wanted);
  if (!found.empty())
    return Absolute(found).string();  // em++ runs in the source directory
  std::string why = wanted.find('/') == std::string::npos
                        ? "not found on PATH"
                        : wanted + " does not exist or is not executable";
  throw EnvironmentError("em++", why, kEmxxHint);
}

BuildSpec LoadBuildSpec(const std::string& source_dir, std::string* spec_path) {
  *spec_path = (fs::path(source_dir) / kBuildSpecFile).string();
  std::error_code ec;
  if (!fs::is_directory(source_dir, ec)) {
    throw InputError(source_dir, "is not a directory",
                     "pass --source DIR, the directory that holds wasm_build.txt");
  }
  if (!fs::exists(*spec_path, ec)) {
    throw InputError(*spec_path, "does not exist",
                     "pass --source DIR, the directory that holds wasm_build.txt");
  }
  std::string text = ReadFileOrStdin(*spec_path, kMaxSpecBytes);
  BuildSpec spec;
  SpecError error;
  if (!ParseBuildSpec(text, &spec, &error)) {
    std::string where = *spec_path;
    if (error.line > 0)
      where += ":" + std::to_string(error.line);
    throw InputError(where, error.message,
                     "one '<kind> <value>' per line; see the comment at the top of "
                     "plugin/wasm_build.txt");
  }
  return spec;
}

std::vector<std::string> EmxxCommand(const BuildSpec& spec, const std::string& spec_path,
                                     const std::string& source_dir, const std::string& emxx,
                                     bool debug, const std::string& output) {
  fs::path base = Absolute(source_dir);
  auto resolve = [&](const SpecEntry& entry, bool directory) {
    fs::path path = (base / entry.value).lexically_normal();
    std::error_code ec;
    bool ok = directory ? fs::is_directory(path, ec) : fs::is_regular_file(path, ec);
    if (!ok) {
      throw InputError(
          spec_path + ":" + std::to_string(entry.line),
          std::string(SpecKindName(entry.kind)) + " '" + entry.value + "' " +
              (fs::exists(path, ec) ? (directory ? "is not a directory" : "is not a regular file")
                                    : "does not exist"),
          "paths are relative to " + base.string());
    }
    return path.string();
  };

  std::vector<std::string> argv{emxx};
  for (const SpecEntry* entry : spec.Of(SpecKind::kFlag))
    argv.push_back(entry->value);
  for (const SpecEntry* entry : spec.Of(debug ? SpecKind::kDebug : SpecKind::kRelease))
    argv.push_back(entry->value);
  for (const SpecEntry* entry : spec.Of(SpecKind::kInclude))
    argv.push_back("-I" + resolve(*entry, true));
  for (const SpecEntry* entry : spec.Of(SpecKind::kJsLib)) {
    argv.push_back("--js-library");
    argv.push_back(resolve(*entry, false));
  }
  for (const SpecEntry* entry : spec.Of(SpecKind::kSource))
    argv.push_back(resolve(*entry, false));
  argv.push_back("-o");
  argv.push_back(output);
  return argv;
}

BuildResult BuildPlugin(const BuildOptions& options) {
  // Everything that can be wrong with the input is found before a minute of compiling.
  fs::path output = CheckOutput(options.output);
  BuildResult result;
  BuildSpec spec = LoadBuildSpec(options.source_dir, &result.spec_path);
  PrivateDir scratch(output);
  fs::path built = scratch.path() / "plugin.wasm";
  result.command = EmxxCommand(spec, result.spec_path, options.source_dir, options.emxx,
                               options.debug, built.string());

  // em++ puts its temporary files under EMCC_TEMP_DIR (emscripten 3.1.6 tools/shared.py), so
  // two builds at once (CMake and a user) never meet. EM_CACHE stays untouched: Debian's cache
  // is frozen (facts/proxy-wasm-abi.md §7.2 item 2).
  ProcessSpec process;
  process.argv = result.command;
  process.cwd = Absolute(options.source_dir).string();
  process.env = {{"EMCC_TEMP_DIR", scratch.path().string()}, {"TMPDIR", scratch.path().string()}};
  process.timeout = options.timeout;
  if (options.on_start)
    options.on_start(result.command);
  result.compiler = RunProcess(process);

  switch (result.compiler.end) {
    case ProcessResult::End::kTimedOut:
      throw EnvironmentError(
          "em++",
          "still running after " + Seconds(options.timeout) + ": stopped it; nothing was written",
          "raise --timeout, or check what else loads the machine");
    case ProcessResult::End::kInterrupted:
      throw EnvironmentError("em++", "interrupted by signal " +
                                         std::to_string(result.compiler.signal) +
                                         ": stopped it; nothing was written");
    case ProcessResult::End::kSignaled:
      result.outcome = BuildOutcome::kCompilerKilled;
      return result;
    case ProcessResult::End::kExited:
      break;
  }
  if (result.compiler.exit_code != 0) {
    result.outcome = BuildOutcome::kCompileFailed;
    return result;
  }
  std::error_code ec;
  if (!fs::is_regular_file(built, ec)) {
    throw EnvironmentError("em++", "reported success but wrote no module",
                           "run it by hand with -v to see the command line");
  }

  result.report = Inspect(ReadFileOrStdin(built.string()));
  if (!result.report.ok()) {
    result.outcome = BuildOutcome::kChecksFailed;
    return result;
  }
  if (::rename(built.c_str(), output.c_str()) != 0) {
    int err = errno;
    throw EnvironmentError(options.output, std::string("cannot write: ") + std::strerror(err),
                           "check that the output directory is writable");
  }
  result.outcome = BuildOutcome::kBuilt;
  return result;
}

}  // namespace hfi::wasm

#include "commands/plugin_compile.h"

#include <cstdio>

#include "util/errors.h"

namespace hfi {

std::string ShellQuote(const std::string& arg) {
  if (!arg.empty() && arg.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
                                            "0123456789-_=+,./:@%") == std::string::npos) {
    return arg;
  }
  std::string quoted = "'";
  for (char c : arg)
    quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

std::function<void(const std::vector<std::string>&)> AnnounceCompile(const GlobalOptions& global,
                                                                     const std::string& source,
                                                                     const std::string& emxx,
                                                                     bool debug) {
  return [quiet = global.quiet, verbose = global.verbose, source, emxx,
          debug](const std::vector<std::string>& command) {
    if (!quiet) {
      std::fprintf(stderr, "hfi-metrics: compiling %s with %s (%s)\n", source.c_str(), emxx.c_str(),
                   debug ? "debug" : "release");
    }
    if (verbose > 0) {
      std::string line = "+";
      for (const std::string& arg : command)
        line += " " + ShellQuote(arg);
      std::fprintf(stderr, "%s\n", line.c_str());
    }
  };
}

void PrintCompilerOutput(const ProcessResult& compiler) {
  std::fputs(compiler.output.c_str(), stderr);
  if (!compiler.output.empty() && compiler.output.back() != '\n')
    std::fputc('\n', stderr);
  if (compiler.dropped_bytes > 0)
    std::fprintf(stderr, "[%zu more bytes of em++ output not shown]\n", compiler.dropped_bytes);
}

void ThrowIfBuildFailed(const wasm::BuildResult& result, const std::string& output,
                        std::string_view consequence, const std::function<void()>& print_findings) {
  const std::string tail = "; " + std::string(consequence);
  switch (result.outcome) {
    case wasm::BuildOutcome::kBuilt:
      return;
    case wasm::BuildOutcome::kCompileFailed:
      PrintCompilerOutput(result.compiler);
      throw InputError("em++",
                       "compiling the plugin failed (exit status " +
                           std::to_string(result.compiler.exit_code) + ")" + tail,
                       "fix the errors above; run with -v to see the command line");
    case wasm::BuildOutcome::kCompilerKilled:
      PrintCompilerOutput(result.compiler);
      throw EnvironmentError("em++",
                             "killed by signal " + std::to_string(result.compiler.signal) + tail,
                             "out of memory? run it again with fewer parallel jobs");
    case wasm::BuildOutcome::kChecksFailed:
      print_findings();
      std::fflush(stdout);
      throw InputError(output,
                       "the compiled module fails " +
                           std::to_string(result.report.Count(wasm::Severity::kError)) +
                           " check(s)" + tail,
                       "see the findings above");
  }
  throw InputError(output, "unknown build outcome" + tail, "report this as a bug");
}

}  // namespace hfi

// Fuzz target for the values loader (cli/render/values.h) and the manifests built from what it
// accepts: any bytes as a values file must end in checked Values or one InputError naming the
// file (no yaml-cpp exception escapes, no other error kind, no multi-line message), and accepted
// values must render to YAML and JSON without a crash.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>

#include "render/manifests.h"
#include "render/values.h"
#include "util/errors.h"

namespace {

[[noreturn]] void Violation(const char* what, const std::string& detail) {
  std::fprintf(stderr, "values_fuzz: %s: %s\n", what, detail.c_str());
  std::abort();
}

constexpr const char* kDisplayPath = "fuzz.values.yaml";

// Stand-ins for the files a values file names: the loader never reads them, the renderer needs
// their bytes. A policy that parses keeps the fuzzer inside the manifest code.
constexpr std::string_view kWasm("\0asm\x01\0\0\0", 8);
constexpr std::string_view kPolicy =
    R"({"policies":[{"metadata":{"name":"p"},"spec":{"rules":[{"match":{"path":"/"},)"
    R"("fault":{"percentage":50,"abort":{"httpStatus":503}}}]}}]})";

void CheckError(const hfi::Error& e) {
  if (e.code() != hfi::ExitCode::kInvalidInput)
    Violation("error kind", hfi::FormatError(e));
  const std::string line = hfi::FormatError(e);
  if (line.find('\n') != std::string::npos)
    Violation("multi-line error", line);
  if (e.subject().rfind(kDisplayPath, 0) != 0)
    Violation("error does not name the file", line);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace hfi::render;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  Values values;
  try {
    values = ParseValues(text, kDisplayPath, "/nonexistent-fuzz-dir", ValueOverrides{});
  } catch (const hfi::Error& e) {
    CheckError(e);
    return 0;
  } catch (const std::exception& e) {
    Violation("foreign exception", e.what());
  }
  if (values.namespace_name.empty() || values.selector.empty())
    Violation("accepted without the required keys", std::string(text.substr(0, 80)));

  PluginInputs inputs;
  if (!values.plugin_file.empty())
    inputs.wasm = std::string(kWasm);
  if (!values.policy_file.empty())
    inputs.policy_text = std::string(kPolicy);
  try {
    Manifests manifests = RenderManifests(values, inputs);
    if (manifests.objects.empty())
      Violation("no objects", std::string(text.substr(0, 80)));
    if (ToYaml(manifests.objects).empty() || ToJsonList(manifests.objects).empty())
      Violation("empty rendering", std::string(text.substr(0, 80)));
  } catch (const hfi::Error& e) {
    // Only the inputs can be wrong at this point, and they are fixed and valid.
    Violation("render rejected accepted values", hfi::FormatError(e));
  } catch (const std::exception& e) {
    Violation("foreign exception in render", e.what());
  }
  return 0;
}

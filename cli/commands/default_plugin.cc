#include "commands/default_plugin.h"

#include <filesystem>
#include <system_error>

#include "build_info.h"

namespace hfi {

std::string DefaultPluginPath() {
  namespace fs = std::filesystem;
  std::error_code error;
  // /proc/self/exe names the binary even when it was run through a symlink or relative path.
  const fs::path exe = fs::read_symlink("/proc/self/exe", error);
  if (!error) {
    const fs::path installed = (exe.parent_path() / ".." / "share" / "hfi-metrics" /
                                fs::path(build_info::kPluginWasm).filename())
                                   .lexically_normal();
    if (fs::is_regular_file(installed, error))
      return installed.string();
  }
  return build_info::kPluginWasm;
}

}  // namespace hfi

// Where the default plugin .wasm is, for the commands that run a plugin without --plugin and
// for `version`.
#pragma once

#include <string>

namespace hfi {

// The plugin installed beside this binary (<prefix>/share/hfi-metrics/, where cmake --install
// puts it next to <prefix>/bin/hfi-metrics) when it is there, else the one this build tree
// produced (which may not exist: callers say so).
std::string DefaultPluginPath();

}  // namespace hfi

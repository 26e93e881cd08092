// The command tree as the completion scripts and the man page present it (cli/cmdtree).
#pragma once

#include "cmdtree/model.h"

namespace CLI {
class App;
}

namespace hfi {

// What cmdtree::Walk reads from the parser, with -o narrowed to the forms each command has (-o
// lists every form, while app.cc refuses yaml outside render and RequireTextOrJson refuses junit
// in the commands without a JUnit report), and this build's directories in help texts written
// as <source tree> and <build tree>.
cmdtree::Command DocTree(const CLI::App& root);

}  // namespace hfi

// The generated documents: completion scripts for bash, zsh and fish, and the man page
// (man.h). Each writer is a pure function of the command tree, so its output is stable and the
// checked-in copies can be compared with what the binary prints.
#pragma once

#include <string>
#include <string_view>

#include "cmdtree/model.h"

namespace hfi::cmdtree {

// Each script completes commands, options and fixed values itself and asks
// `<program> __complete -- WORDS...` only for namespaces, pods and contexts.
std::string WriteBash(const Command& root);
std::string WriteZsh(const Command& root);
std::string WriteFish(const Command& root);

// 'text' for sh/bash/zsh, safe for any content.
std::string ShellQuote(std::string_view text);

// The identifier form of the program name: "hfi-metrics" → "hfi_metrics".
std::string Identifier(std::string_view name);

// The first line of a description, for the one-line listings of shells.
std::string FirstLine(std::string_view text);

}  // namespace hfi::cmdtree

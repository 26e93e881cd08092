// Reads the CLI11 app into the command tree (model.h). The one file of this library that knows
// CLI11: the walk is what keeps completions and the man page from drifting from the parser.
#pragma once

#include "cmdtree/model.h"

namespace CLI {
class App;
class Option;
}  // namespace CLI

namespace hfi::cmdtree {

// The visible commands and options of `app` (hidden ones, in CLI11's empty group, are left out).
// A subcommand that falls through to its parent also lists the parent's options as inherited;
// a footer it only inherited from its parent is left out.
Command Walk(const CLI::App& app);

// How the value of one option is completed, from what the parser knows of it:
//   a flag                                          → kNone
//   an IsMember check, or option_text "a|b|c"        → kChoice (choices filled)
//   option_text NS / NAMESPACE, or --namespace       → kNamespace
//   option_text or positional name with POD          → kPod
//   option_text with DIR                             → kDirectory
//   option_text with FILE or PATH                    → kFile
//   --context                                        → kContext
//   anything else                                    → kText
ValueKind InferKind(const CLI::Option& option, std::vector<std::string>* choices);

}  // namespace hfi::cmdtree

// The man page (man(7) macros) from the command tree plus what the tree does not hold: exit
// codes, environment, files, the hint catalogue and examples, passed in as data.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cmdtree/model.h"

namespace hfi::cmdtree {

struct ManEntry {
  std::string term;  // "0", "HFI_KUBECTL", a file's path
  std::string text;  // running text; `code` spans are set in bold
};

struct ManHint {
  std::string code;    // "HFI101"
  std::string title;   // one line
  std::string detail;  // severity, exit status, where it is detected
  std::string cause;   // may be empty (the message printed with the finding says it)
  std::string fix;
};

struct ManHintGroup {
  std::string heading;  // "1xx: names and presence"
  std::vector<ManHint> hints;
};

struct ManExample {
  std::string text;                   // what it does
  std::vector<std::string> commands;  // shown literally
};

struct ManPage {
  std::string version;                   // in the page's footer line
  std::string summary;                   // the NAME line, after the program's name
  std::vector<std::string> description;  // paragraphs
  std::vector<ManEntry> exit_codes;
  std::vector<ManEntry> environment;
  std::vector<ManEntry> files;
  std::string hints_intro;
  std::vector<ManHintGroup> hints;
  std::vector<ManExample> examples;
  std::vector<std::string> see_also;  // "kubectl(1)"
};

// The page: NAME, SYNOPSIS (every visible command), DESCRIPTION, COMMANDS (each command with
// its options and its help footer), GLOBAL OPTIONS (the root's), EXIT STATUS, ENVIRONMENT,
// FILES, HINT CODES, EXAMPLES, SEE ALSO.
std::string WriteMan(const Command& root, const ManPage& page);

// The "  N   meaning" lines of a help footer, in order: how --help lists the exit codes.
std::vector<ManEntry> ExitCodesFromFooter(std::string_view footer);

}  // namespace hfi::cmdtree

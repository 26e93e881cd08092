// The completion engine behind `hfi-metrics __complete WORDS...`: given the words typed after
// the program name (the last one being completed, possibly empty) it names the candidates, from
// the command tree and, for namespaces, pods and contexts, from a DynamicSource (kubectl).
#pragma once

#include <string>
#include <vector>

#include "cmdtree/model.h"

namespace hfi::cmdtree {

// The cluster settings found on the line being completed, passed on to kubectl so it lists what
// the command would act on.
struct KubeSettings {
  std::string kubectl;         // --kubectl
  std::string kubeconfig;      // --kubeconfig
  std::string context;         // --context
  std::string namespace_name;  // -n/--namespace (an option of kind kNamespace)
};

// Lists cluster objects. Implementations fail silently: no candidates rather than an error,
// since a completion must never print to the terminal or hang.
class DynamicSource {
 public:
  virtual ~DynamicSource() = default;
  virtual std::vector<std::string> Namespaces(const KubeSettings& settings) = 0;
  virtual std::vector<std::string> Pods(const KubeSettings& settings) = 0;
  virtual std::vector<std::string> Contexts(const KubeSettings& settings) = 0;
};

struct Completion {
  enum class Directive {
    kWords,  // exactly the candidates
    kFiles,  // let the shell complete file names
    kDirs,   // let the shell complete directory names
  };
  std::vector<std::string> candidates;  // those starting with the word being completed, in order
  Directive directive = Directive::kWords;
};

// `words` are the arguments after the program name; the last is the one being completed (an
// empty string right after a space). A word `--opt=VALUE` being completed gives candidates of
// the same form.
Completion Complete(const Command& root, const std::vector<std::string>& words,
                    DynamicSource& source);

// The text `__complete` prints: one candidate per line, then ":files" or ":dirs" for those
// directives.
std::string FormatCompletion(const Completion& completion);

}  // namespace hfi::cmdtree

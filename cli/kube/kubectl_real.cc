#include "kube/kubectl.h"
#include "util/errors.h"

// Placeholder until the kubectl runner lands.
namespace hfi::kube {
std::unique_ptr<Kubectl> MakeRealKubectl(const KubectlConfig&) {
  throw EnvironmentError("kubectl", "not available in this build");
}
}  // namespace hfi::kube

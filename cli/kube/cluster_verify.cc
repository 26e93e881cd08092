#include "kube/cluster_verify.h"

#include "util/errors.h"

// Placeholder until the pool lands.
namespace hfi::kube {
ClusterVerifyResult VerifyPods(Kubectl&, net::HttpClient&, const std::vector<Pod>&,
                               const ClusterVerifyOptions&, const std::vector<PodScrape>*) {
  throw EnvironmentError("verify", "not available in this build");
}
}  // namespace hfi::kube

#include "kube/istio_detect.h"

#include <gtest/gtest.h>

#include "kube/fake_kubectl.h"
#include "util/errors.h"

namespace hfi::kube {
namespace {

using std::chrono::milliseconds;
using testing::Failed;
using testing::FakeKubectl;
using testing::Ok;

constexpr milliseconds kTimeout{5000};

Pod SidecarPod(const std::string& name, const std::string& version) {
  Pod pod;
  pod.namespace_name = "demo";
  pod.name = name;
  pod.phase = "Running";
  pod.has_sidecar = true;
  pod.sidecar_image = "docker.io/istio/proxyv2:" + version;
  pod.istio_version = IstioVersionFromImage(pod.sidecar_image);
  return pod;
}

std::string IstiodJson(const std::string& image) {
  return R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"istiod",)"
         R"("namespace":"istio-system"},"spec":{"template":{"spec":{"containers":[)"
         R"({"name":"discovery","image":")" +
         image + R"("}]}}}})";
}

TEST(IstioDetect, TakesTheSidecarImageOfThePods) {
  FakeKubectl kubectl;
  const DetectedIstio found =
      DetectIstioVersion(kubectl, {SidecarPod("a", "1.24.2"), SidecarPod("b", "1.24.2-distroless")},
                         "app=frontend in demo", kTimeout);
  EXPECT_EQ(found.version.text, "1.24.2");
  EXPECT_EQ(found.origin, "pods");
  EXPECT_EQ(found.detail, "the istio-proxy image of 2 pods in demo");
  EXPECT_TRUE(found.warnings.empty());
  EXPECT_TRUE(kubectl.calls().empty()) << "istiod is not asked when the pods tell";
}

TEST(IstioDetect, SeveralVersionsTakeTheLowestAndWarn) {
  const std::optional<DetectedIstio> found = IstioVersionFromPods(
      {SidecarPod("a", "1.24.2"), SidecarPod("b", "1.22.3"), SidecarPod("c", "1.24.2")});
  ASSERT_TRUE(found);
  EXPECT_EQ(found->version.text, "1.22.3");
  ASSERT_EQ(found->warnings.size(), 1u);
  EXPECT_EQ(found->warnings[0],
            "the selected pods run several Istio versions (1.22.3, 1.24.2): rendering for the "
            "lowest, 1.22.3; finish the upgrade or pass --istio-version");
}

TEST(IstioDetect, PodsWithoutVersionedSidecarsFallBackToIstiod) {
  Pod no_sidecar = SidecarPod("a", "1.24.2");
  no_sidecar.has_sidecar = false;
  Pod digest = SidecarPod("b", "1.24.2");
  digest.sidecar_image = "gcr.io/istio-release/proxyv2@sha256:0123";
  digest.istio_version.reset();

  FakeKubectl kubectl;
  kubectl.OnRun({"get", "deployment", "istiod", "-n", "istio-system", "-o", "json"},
                Ok(IstiodJson("docker.io/istio/pilot:1.22.3")));
  const DetectedIstio found =
      DetectIstioVersion(kubectl, {no_sidecar, digest}, "app=frontend in demo", kTimeout);
  EXPECT_EQ(found.version.text, "1.22.3");
  EXPECT_EQ(found.origin, "istiod");
  EXPECT_EQ(found.detail, "istiod's image in istio-system");
  ASSERT_EQ(kubectl.calls().size(), 1u);
}

TEST(IstioDetect, NeitherPodsNorIstiodIsAnEnvironmentErrorAskingForTheFlag) {
  FakeKubectl kubectl;
  kubectl.OnRun({"get", "deployment", "istiod"},
                Failed("Error from server (NotFound): deployments.apps \"istiod\" not found"));
  try {
    DetectIstioVersion(kubectl, {}, "app=frontend in demo", kTimeout);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::kEnvironment);
    EXPECT_EQ(FormatError(e),
              "hfi-metrics: Istio version: cannot detect it: no pod matches app=frontend in demo, "
              "and there is no deployment istiod in istio-system (pass --istio-version X.Y.Z (or "
              "istio.version in the values file))");
  }
}

TEST(IstioDetect, ForbiddenIstiodAndUntaggedImagesAreSaid) {
  FakeKubectl kubectl;
  kubectl.OnRun({"get", "deployment", "istiod"},
                Failed("Error from server (Forbidden): deployments.apps \"istiod\" is forbidden: "
                       "User \"alice\" cannot get resource \"deployments\" in API group \"apps\" "
                       "in the namespace \"istio-system\""));
  Pod digest = SidecarPod("b", "1.24.2");
  digest.istio_version.reset();
  try {
    DetectIstioVersion(kubectl, {digest}, "app=frontend in demo", kTimeout);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::kEnvironment);
    EXPECT_NE(e.reason().find("the istio-proxy images of the pods matching app=frontend in demo "
                              "have no version tag, and reading deployment istiod in "
                              "istio-system is forbidden"),
              std::string::npos)
        << e.reason();
  }

  FakeKubectl untagged;
  untagged.OnRun({"get", "deployment", "istiod"}, Ok(IstiodJson("registry.local/pilot:latest")));
  std::string why;
  EXPECT_FALSE(IstioVersionFromIstiod(untagged, kTimeout, &why));
  EXPECT_EQ(why, "istiod's image registry.local/pilot:latest has no version tag");
}

}  // namespace
}  // namespace hfi::kube

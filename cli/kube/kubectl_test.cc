#include "kube/kubectl.h"

#include <gtest/gtest.h>

#include <string>

namespace hfi::kube {
namespace {

using Kind = KubectlFailure::Kind;

KubectlResult Failed(const std::string& err, int exit_code = 1) {
  KubectlResult result;
  result.exit_code = exit_code;
  result.err = err;
  return result;
}

KubectlFailure Classify(const std::string& err) {
  return ClassifyFailure(Failed(err));
}

TEST(ClassifyFailureTest, PortForwardDenied) {
  KubectlFailure f = Classify(
      "error: error upgrading connection: pods \"frontend-7d9c8b7f5-x2x8k\" is forbidden: User "
      "\"alice\" cannot create resource \"pods/portforward\" in API group \"\" in the namespace "
      "\"demo\"\n");
  EXPECT_EQ(f.kind, Kind::kForbidden);
  EXPECT_EQ(f.verb, "create");
  EXPECT_EQ(f.resource, "pods/portforward");
  EXPECT_EQ(f.message,
            "error: error upgrading connection: pods \"frontend-7d9c8b7f5-x2x8k\" is forbidden: "
            "User \"alice\" cannot create resource \"pods/portforward\" in API group \"\" in the "
            "namespace \"demo\"");
}

TEST(ClassifyFailureTest, ListPodsDenied) {
  KubectlFailure f = Classify(
      "Error from server (Forbidden): pods is forbidden: User \"alice\" cannot list resource "
      "\"pods\" in API group \"\" in the namespace \"demo\"\n");
  EXPECT_EQ(f.kind, Kind::kForbidden);
  EXPECT_EQ(f.verb, "list");
  EXPECT_EQ(f.resource, "pods");
}

TEST(ClassifyFailureTest, ExecDenied) {
  KubectlFailure f = Classify(
      "Error from server (Forbidden): pods \"x\" is forbidden: User \"alice\" cannot create "
      "resource \"pods/exec\" in API group \"\" in the namespace \"demo\"");
  EXPECT_EQ(f.kind, Kind::kForbidden);
  EXPECT_EQ(f.verb, "create");
  EXPECT_EQ(f.resource, "pods/exec");
}

TEST(ClassifyFailureTest, SkipsTheDefaultedContainerNote) {
  KubectlFailure f = Classify(
      "Defaulted container \"app\" out of: app, istio-proxy, istio-init (init)\n"
      "error: Internal error occurred: error executing command in container: failed to exec in "
      "container: failed to start exec \"1f\": OCI runtime exec failed: exec failed: unable to "
      "start container process: exec: \"sh\": executable file not found in $PATH: unknown\n");
  EXPECT_EQ(f.message.rfind("error: Internal error occurred", 0), 0u) << f.message;
}

TEST(ClassifyFailureTest, ResourceOfANamedApiGroup) {
  KubectlFailure f = Classify(
      "Error from server (Forbidden): deployments.apps \"frontend\" is forbidden: User "
      "\"system:serviceaccount:ci:deployer\" cannot patch resource \"deployments\" in API group "
      "\"apps\" in the namespace \"demo\"");
  EXPECT_EQ(f.kind, Kind::kForbidden);
  EXPECT_EQ(f.verb, "patch");
  EXPECT_EQ(f.resource, "deployments.apps");

  f = Classify(
      "Error from server (Forbidden): wasmplugins.extensions.istio.io is forbidden: User "
      "\"alice\" cannot list resource \"wasmplugins\" in API group \"extensions.istio.io\" at the "
      "cluster scope");
  EXPECT_EQ(f.verb, "list");
  EXPECT_EQ(f.resource, "wasmplugins.extensions.istio.io");

  // A subresource keeps the form `kubectl auth can-i` takes: RESOURCE.GROUP/SUBRESOURCE.
  f = Classify(
      "Error from server (Forbidden): deployments.apps \"frontend\" is forbidden: User \"alice\" "
      "cannot update resource \"deployments/scale\" in API group \"apps\" in the namespace "
      "\"demo\"");
  EXPECT_EQ(f.resource, "deployments.apps/scale");
}

// Admission denials are Forbidden too, without an RBAC verb.
TEST(ClassifyFailureTest, ForbiddenWithoutRbacDetails) {
  KubectlFailure f = Classify(
      "Error from server (Forbidden): error when creating \"STDIN\": pods \"x\" is forbidden: "
      "violates PodSecurity \"restricted:latest\": allowPrivilegeEscalation != false");
  EXPECT_EQ(f.kind, Kind::kForbidden);
  EXPECT_EQ(f.verb, "");
  EXPECT_EQ(f.resource, "");
}

TEST(ClassifyFailureTest, NotFound) {
  KubectlFailure f = Classify("Error from server (NotFound): pods \"frontend-x\" not found\n");
  EXPECT_EQ(f.kind, Kind::kNotFound);
  EXPECT_EQ(f.message, "Error from server (NotFound): pods \"frontend-x\" not found");
  EXPECT_EQ(Classify("Error from server (NotFound): namespaces \"nope\" not found").kind,
            Kind::kNotFound);
  EXPECT_EQ(Classify("error: error upgrading connection: unable to upgrade connection: pod does "
                     "not exist")
                .kind,
            Kind::kNotFound);
}

TEST(ClassifyFailureTest, Unreachable) {
  for (const char* err : {
           "The connection to the server 127.0.0.1:6443 was refused - did you specify the right "
           "host or port?",
           "Unable to connect to the server: dial tcp 10.0.0.1:6443: i/o timeout",
           "Unable to connect to the server: dial tcp: lookup api.example.invalid on "
           "127.0.0.53:53: no such host",
           "Unable to connect to the server: tls: failed to verify certificate: x509: certificate "
           "signed by unknown authority",
           "error: You must be logged in to the server (Unauthorized)",
           "Unable to connect to the server: net/http: TLS handshake timeout",
       }) {
    KubectlFailure f = Classify(err);
    EXPECT_EQ(f.kind, Kind::kUnreachable) << err;
    EXPECT_EQ(f.message, err);
  }
}

// client-go logs its retries before kubectl's own line; the message is kubectl's line.
TEST(ClassifyFailureTest, MessageSkipsClientGoLogAndWarnings) {
  KubectlFailure f = Classify(
      "E0114 09:12:03.123456   48213 memcache.go:265] couldn't get current server API group "
      "list: Get \"https://127.0.0.1:6443/api?timeout=32s\": dial tcp 127.0.0.1:6443: connect: "
      "connection refused\n"
      "E0114 09:12:03.124000   48213 memcache.go:265] couldn't get current server API group "
      "list: again\n"
      "The connection to the server 127.0.0.1:6443 was refused - did you specify the right host "
      "or port?\n");
  EXPECT_EQ(f.kind, Kind::kUnreachable);
  EXPECT_EQ(f.message,
            "The connection to the server 127.0.0.1:6443 was refused - did you specify the right "
            "host or port?");

  f = Classify(
      "Warning: extensions.istio.io/v1alpha1 WasmPlugin is deprecated\n\nError from server "
      "(NotFound): pods \"x\" not found\n");
  EXPECT_EQ(f.message, "Error from server (NotFound): pods \"x\" not found");

  // Nothing but log lines: the first one is the best there is.
  f = Classify("W0114 09:12:03.123456   48213 loader.go:222] Config not found: /x\n");
  EXPECT_EQ(f.message, "W0114 09:12:03.123456   48213 loader.go:222] Config not found: /x");
}

TEST(ClassifyFailureTest, ServerTimeouts) {
  EXPECT_EQ(Classify("Error from server (Timeout): the server was unable to return a response in "
                     "the time allotted, but may still be processing the request (get pods)")
                .kind,
            Kind::kTimeout);
  EXPECT_EQ(Classify("error: read tcp 10.0.0.2:51234->10.0.0.1:6443: i/o timeout").kind,
            Kind::kTimeout);
  EXPECT_EQ(Classify("error: timed out waiting for the condition").kind, Kind::kTimeout);
}

TEST(ClassifyFailureTest, NoSidecarContainer) {
  EXPECT_EQ(Classify("error: container istio-proxy is not valid for pod frontend-x").kind,
            Kind::kNoContainer);
  EXPECT_EQ(Classify("Error from server (BadRequest): container istio-proxy is not valid for pod "
                     "db-0")
                .kind,
            Kind::kNoContainer);
  EXPECT_EQ(Classify("error: container istio-proxy not found in pod db-0").kind,
            Kind::kNoContainer);
}

TEST(ClassifyFailureTest, NotRunning) {
  EXPECT_EQ(Classify("error: unable to forward port because pod is not running. Current "
                     "status=Pending")
                .kind,
            Kind::kNotRunning);
  EXPECT_EQ(
      Classify("error: unable to upgrade connection: container not found (\"istio-proxy\")").kind,
      Kind::kNotRunning);
  EXPECT_EQ(Classify("Error from server (BadRequest): container \"istio-proxy\" in pod \"x\" is "
                     "waiting to start: ContainerCreating")
                .kind,
            Kind::kNotRunning);
  EXPECT_EQ(Classify("error: cannot exec into a container in a completed pod; current phase is "
                     "Succeeded")
                .kind,
            Kind::kNotRunning);
}

TEST(ClassifyFailureTest, HowTheCallEnded) {
  KubectlResult result;
  result.end = KubectlResult::End::kTimedOut;
  result.elapsed = std::chrono::milliseconds(10000);
  KubectlFailure f = ClassifyFailure(result);
  EXPECT_EQ(f.kind, Kind::kTimeout);
  EXPECT_EQ(f.message, "no answer within 10s");

  result.end = KubectlResult::End::kInterrupted;
  EXPECT_EQ(ClassifyFailure(result).kind, Kind::kInterrupted);
  result.end = KubectlResult::End::kCrashed;
  EXPECT_EQ(ClassifyFailure(result).kind, Kind::kCrashed);
}

TEST(ClassifyFailureTest, Other) {
  KubectlFailure f = Classify("error: unknown flag: --frobnicate\nSee 'kubectl get --help'.\n");
  EXPECT_EQ(f.kind, Kind::kOther);
  EXPECT_EQ(f.message, "error: unknown flag: --frobnicate");
  f = ClassifyFailure(Failed("", 2));
  EXPECT_EQ(f.kind, Kind::kOther);
  EXPECT_EQ(f.message, "kubectl exited with code 2");
}

TEST(ClassifyFailureTest, LongMessagesAreCutOnACharacterBoundary) {
  std::string err = std::string(298, 'x') + "\xC3\xA9\xC3\xA9 more";  // "é" straddles byte 300
  KubectlFailure f = Classify(err);
  EXPECT_EQ(f.message, std::string(298, 'x'));
  f = Classify(std::string(1000, 'y'));
  EXPECT_EQ(f.message.size(), 300u);
}

TEST(DurationTextTest, Forms) {
  EXPECT_EQ(DurationText(std::chrono::milliseconds(10000)), "10s");
  EXPECT_EQ(DurationText(std::chrono::milliseconds(0)), "0s");
  EXPECT_EQ(DurationText(std::chrono::milliseconds(300)), "300ms");
  EXPECT_EQ(DurationText(std::chrono::milliseconds(1500)), "1.5s");
  EXPECT_EQ(DurationText(std::chrono::milliseconds(2049)), "2.0s");
  EXPECT_EQ(DurationText(std::chrono::milliseconds(2950)), "3.0s");
}

TEST(FailureKindNameTest, Names) {
  EXPECT_EQ(FailureKindName(Kind::kNotFound), "not-found");
  EXPECT_EQ(FailureKindName(Kind::kForbidden), "forbidden");
  EXPECT_EQ(FailureKindName(Kind::kUnreachable), "unreachable");
  EXPECT_EQ(FailureKindName(Kind::kTimeout), "timeout");
  EXPECT_EQ(FailureKindName(Kind::kNoContainer), "no-container");
  EXPECT_EQ(FailureKindName(Kind::kNotRunning), "not-running");
  EXPECT_EQ(FailureKindName(Kind::kInterrupted), "interrupted");
  EXPECT_EQ(FailureKindName(Kind::kCrashed), "crashed");
  EXPECT_EQ(FailureKindName(Kind::kOther), "other");
}

TEST(ParseForwardingLineTest, Ipv4AndIpv6) {
  EXPECT_EQ(ParseForwardingLine("Forwarding from 127.0.0.1:43127 -> 15000"), 43127);
  EXPECT_EQ(ParseForwardingLine("Forwarding from [::1]:43127 -> 15000"), 43127);
  EXPECT_EQ(ParseForwardingLine("Forwarding from 127.0.0.1:43127 -> 15000\r"), 43127);
  EXPECT_EQ(ParseForwardingLine("Forwarding from 0.0.0.0:1 -> 15090"), 1);
  EXPECT_EQ(ParseForwardingLine("Forwarding from 127.0.0.1:65535 -> 15020"), 65535);
}

TEST(ParseForwardingLineTest, RejectsEverythingElse) {
  for (const char* line : {
           "",
           "Handling connection for 43127",
           "Forwarding from 127.0.0.1:0 -> 15000",
           "Forwarding from 127.0.0.1:65536 -> 15000",
           "Forwarding from 127.0.0.1:99999999999999999999 -> 15000",
           "Forwarding from 127.0.0.1:-1 -> 15000",
           "Forwarding from 127.0.0.1: -> 15000",
           "Forwarding from 127.0.0.1:43127 -> 0",
           "Forwarding from 127.0.0.1:43127 -> ",
           "Forwarding from 127.0.0.1:43127",
           "Forwarding from 127.0.0.1:43127x -> 15000",
           "Forwarding from 127.0.0.256:43127 -> 15000",
           "Forwarding from 127.0.1:43127 -> 15000",
           "Forwarding from localhost:43127 -> 15000",
           "Forwarding from [::1:43127 -> 15000",
           "Forwarding from []:43127 -> 15000",
           "Forwarding from [zz::1]:43127 -> 15000",
           "Forwarding from ::1:43127 -> 15000",
           "forwarding from 127.0.0.1:43127 -> 15000",
           "error: Forwarding from 127.0.0.1:43127 -> 15000",
       }) {
    EXPECT_EQ(ParseForwardingLine(line), 0) << line;
  }
}

}  // namespace
}  // namespace hfi::kube

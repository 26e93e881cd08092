// Everything hfi-metrics asks of a cluster goes through kubectl: it carries the user's kubeconfig,
// contexts and auth plugins. The cluster logic (discovery, verify, apply) depends on the narrow
// Kubectl interface, so it is tested with an in-memory fake; RealKubectl runs the program.
#pragma once

#include <chrono>
#include <cstdio>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace hfi::kube {

using std::chrono::milliseconds;

struct KubectlResult {
  enum class End { kExited, kTimedOut, kInterrupted, kCrashed };
  End end = End::kExited;
  int exit_code = 0;
  std::string out;  // stdout
  std::string err;  // stderr
  milliseconds elapsed{0};

  bool ok() const { return end == End::kExited && exit_code == 0; }
};

// A running `kubectl port-forward`: the local port it listens on. Destroying it stops the kubectl
// process group and reaps it.
class PortForward {
 public:
  virtual ~PortForward() = default;
  virtual int local_port() const = 0;
  // Whether the forwarder is still running (kubectl exits when the pod goes away).
  virtual bool alive() = 0;
};

// Why a kubectl call failed, read from its stderr (the API server's error reasons as kubectl
// prints them: `Error from server (Forbidden): ...`, `Unable to connect to the server: ...`).
struct KubectlFailure {
  enum class Kind {
    kNotFound,     // pods "x" not found, namespaces "y" not found
    kForbidden,    // RBAC: verb and resource below
    kUnreachable,  // Unable to connect to the server, connection refused, no such host, TLS
    kTimeout,      // our deadline passed, or the server's (Timeout, i/o timeout)
    kNoContainer,  // container istio-proxy not found / is not valid for pod
    kNotRunning,   // pod is not running / container not found ("ContainerCreating"), Pending
    kInterrupted,  // Ctrl-C
    kCrashed,      // kubectl died of a signal
    kOther,
  };
  Kind kind = Kind::kOther;
  std::string verb;      // kForbidden: "create", "get", ...
  std::string resource;  // kForbidden: "pods/portforward", "pods", "deployments.apps", ...
  std::string message;   // the first meaningful stderr line, trimmed, at most 300 bytes
};

// Classifies a failed call from its result (End, exit code and stderr).
KubectlFailure ClassifyFailure(const KubectlResult& result);
std::string_view FailureKindName(KubectlFailure::Kind kind);  // "not-found", "forbidden", ...

// A timeout as messages show it: "10s", "1.5s", "300ms".
std::string DurationText(milliseconds duration);

// Parses a line kubectl port-forward prints once it listens:
//   "Forwarding from 127.0.0.1:43127 -> 15000"  (also "[::1]:43127 -> 15000")
// Returns the local port, or 0 when the line is not one of those.
int ParseForwardingLine(std::string_view line);

struct PodRef {
  std::string namespace_name;
  std::string name;
};

class Kubectl {
 public:
  virtual ~Kubectl() = default;
  // `kubectl [--kubeconfig K] [--context C] <args...>` to completion, with a deadline.
  // Never throws for a failed call (inspect the result); throws EnvironmentError only when kubectl
  // cannot be started at all.
  virtual KubectlResult Run(const std::vector<std::string>& args, milliseconds timeout) = 0;
  // Like Run, with `stdin_data` fed to kubectl's standard input (`apply -f -`).
  virtual KubectlResult RunWithInput(const std::vector<std::string>& args,
                                     const std::string& stdin_data, milliseconds timeout) = 0;
  // `kubectl port-forward pod/NAME -n NS :REMOTE_PORT`, waiting up to `timeout` for the
  // Forwarding line. On failure returns nullptr and fills *failure (kubectl's error classified;
  // kTimeout when it printed nothing in time). The process is reaped in every case.
  virtual std::unique_ptr<PortForward> StartPortForward(const PodRef& pod, int remote_port,
                                                        milliseconds timeout,
                                                        KubectlFailure* failure) = 0;
};

struct KubectlConfig {
  std::string path;          // the kubectl program; empty: HFI_KUBECTL, then `kubectl` on PATH
  std::string kubeconfig;    // --kubeconfig, passed through when set
  std::string context;       // --context, passed through when set
  std::FILE* log = nullptr;  // -v: each command line is printed here before it runs
};

// Resolves the program (--kubectl, then $HFI_KUBECTL, then PATH); throws EnvironmentError
// ("kubectl: not found on PATH (install kubectl or pass --kubectl PATH)") when there is none.
std::unique_ptr<Kubectl> MakeRealKubectl(const KubectlConfig& config);

}  // namespace hfi::kube

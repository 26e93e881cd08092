// `verify --traffic URL --traffic-from POD`: the requests sent from inside a pod of the mesh, for
// URLs only reachable there (a Service name, a port without an ingress). Through kubectl exec: a
// POSIX sh loop running curl in the pod's default container, each response's status line and
// headers printed for hfi-metrics to tally, so the pod needs nothing but sh and curl (Istio's
// samples/curl pod has both).
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "kube/kubectl.h"
#include "net/http_client.h"

namespace hfi::kube {

// One request's outcome as the loop printed it.
struct ExecResponse {
  std::optional<net::HttpResponse> response;  // status and headers (no body)
  std::string no_response;                    // why there was none (curl's exit code)
  int curl_exit = 0;
};

// The `kubectl exec` arguments for `requests` GETs of `url` from `pod`, each bounded by
// `request_timeout`. The URL travels as an argument of sh, never inside the script text.
std::vector<std::string> TrafficExecArgs(const PodRef& pod, const std::string& url,
                                         std::size_t requests,
                                         std::chrono::milliseconds request_timeout);

// Reads what the loop printed: one block per request, ended by a marker line with curl's exit
// status. Blocks without a marker (the exec cut short) are not returned.
std::vector<ExecResponse> ParseTrafficOutput(std::string_view output);

// curl's exit status as a reason: "timed out (curl exit 28)", "could not connect (curl exit 7)".
std::string CurlExitText(int code);

struct PodTrafficOptions {
  std::string url;
  std::size_t requests = 30;
  std::size_t concurrency = 8;  // execs at once, each sending its share of the requests in turn
  std::chrono::milliseconds request_timeout{30'000};
  // Called for every outcome, from several threads at once.
  std::function<void(const ExecResponse&)> on_response;
};

// Runs the execs. Throws EnvironmentError when the pod cannot run them (exec forbidden: the verb
// to grant; no sh or curl in the container; the pod missing or not running), InterruptedError on
// Ctrl-C (every kubectl stopped first).
void SendTrafficFromPod(Kubectl& kubectl, const PodRef& pod, const PodTrafficOptions& options);

}  // namespace hfi::kube

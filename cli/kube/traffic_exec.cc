#include "kube/traffic_exec.h"

#include <algorithm>

#include "util/errors.h"
#include "util/parallel.h"

namespace hfi::kube {
namespace {

using std::chrono::milliseconds;

// Printed after each request; nothing curl prints for headers can look like it.
constexpr std::string_view kMarker = "@@hfi-metrics request end ";

// $1 the URL, $2 how many requests, $3 the limit per request in seconds. curl -D - prints the
// status line and headers of the response (-o /dev/null drops the body); -sS keeps its own
// error message, which goes to stderr. The marker carries curl's exit status; 127 means there is
// no curl in the container.
constexpr const char* kScript =
    "i=0; while [ \"$i\" -lt \"$2\" ]; do i=$((i+1)); "
    "curl -sS -o /dev/null -D - --max-time \"$3\" \"$1\"; "
    "echo \"@@hfi-metrics request end $?\"; done";

std::string Trim(std::string_view text) {
  while (!text.empty() && (text.back() == '\r' || text.back() == ' ' || text.back() == '\t'))
    text.remove_suffix(1);
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t'))
    text.remove_prefix(1);
  return std::string(text);
}

std::string Lower(std::string text) {
  for (char& c : text) {
    if (c >= 'A' && c <= 'Z')
      c = static_cast<char>(c - 'A' + 'a');
  }
  return text;
}

// Status and headers of the last response in `block` (curl prints one block per response; an
// interim 100 Continue would come first).
std::optional<net::HttpResponse> ParseHeaders(std::string_view block) {
  std::optional<net::HttpResponse> response;
  std::size_t start = 0;
  while (start < block.size()) {
    std::size_t end = block.find('\n', start);
    if (end == std::string_view::npos)
      end = block.size();
    const std::string line = Trim(block.substr(start, end - start));
    start = end + 1;
    if (line.starts_with("HTTP/")) {
      const std::size_t space = line.find(' ');
      if (space == std::string::npos)
        continue;
      long status = 0;
      std::size_t k = space + 1;
      for (; k < line.size() && line[k] >= '0' && line[k] <= '9'; ++k)
        status = status * 10 + (line[k] - '0');
      if (status < 100 || status > 999)
        continue;
      response.emplace();
      response->status = status;
      continue;
    }
    const std::size_t colon = line.find(':');
    if (response && colon != std::string::npos && colon > 0)
      response->headers.emplace_back(Lower(line.substr(0, colon)), Trim(line.substr(colon + 1)));
  }
  return response;
}

int ParseExit(std::string_view text) {
  int code = 0;
  for (char c : text) {
    if (c < '0' || c > '9' || code > 1000)
      return -1;
    code = code * 10 + (c - '0');
  }
  return text.empty() ? -1 : code;
}

std::string PodName(const PodRef& pod) {
  return "pod/" + pod.name + (pod.namespace_name.empty() ? "" : " -n " + pod.namespace_name);
}

}  // namespace

std::vector<std::string> TrafficExecArgs(const PodRef& pod, const std::string& url,
                                         std::size_t requests, milliseconds request_timeout) {
  std::vector<std::string> args = {"exec", pod.name};
  if (!pod.namespace_name.empty()) {
    args.push_back("-n");
    args.push_back(pod.namespace_name);
  }
  const auto seconds = std::max<long long>(1, (request_timeout.count() + 999) / 1000);
  for (const std::string& arg :
       {std::string("--"), std::string("sh"), std::string("-c"), std::string(kScript),
        std::string("hfi-metrics-traffic"), url, std::to_string(requests), std::to_string(seconds)})
    args.push_back(arg);
  return args;
}

std::vector<ExecResponse> ParseTrafficOutput(std::string_view output) {
  std::vector<ExecResponse> outcomes;
  std::size_t block_start = 0;
  std::size_t start = 0;
  while (start < output.size()) {
    std::size_t end = output.find('\n', start);
    if (end == std::string_view::npos)
      break;  // a line without its end: the exec was cut short
    const std::string_view line = output.substr(start, end - start);
    if (line.starts_with(kMarker)) {
      ExecResponse outcome;
      outcome.curl_exit = ParseExit(Trim(line.substr(kMarker.size())));
      if (outcome.curl_exit == 0)
        outcome.response = ParseHeaders(output.substr(block_start, start - block_start));
      if (!outcome.response) {
        outcome.no_response = outcome.curl_exit == 0 ? "no HTTP status line in curl's output"
                                                     : CurlExitText(outcome.curl_exit);
      }
      outcomes.push_back(std::move(outcome));
      block_start = end + 1;
    }
    start = end + 1;
  }
  return outcomes;
}

std::string CurlExitText(int code) {
  const std::string exit = "(curl exit " + std::to_string(code) + ")";
  switch (code) {
    case 6:
      return "could not resolve the host " + exit;
    case 7:
      return "could not connect " + exit;
    case 28:
      return "timed out " + exit;
    case 35:
    case 60:
      return "TLS handshake or certificate failed " + exit;
    case 52:
      return "empty reply from the server " + exit;
    case 56:
      return "connection reset " + exit;
    case 127:
      return "no curl in the container " + exit;
    default:
      return "no response " + exit;
  }
}

void SendTrafficFromPod(Kubectl& kubectl, const PodRef& pod, const PodTrafficOptions& options) {
  const std::size_t execs = std::clamp<std::size_t>(options.concurrency, 1, options.requests);
  // Exec k sends its share of the requests in turn; shares differ by at most one request.
  auto run_share = [&](std::size_t k) {
    const std::size_t share = options.requests / execs + (k < options.requests % execs ? 1 : 0);
    const std::vector<std::string> args =
        TrafficExecArgs(pod, options.url, share, options.request_timeout);
    // Every request may take its whole limit; kubectl itself gets a little on top.
    const milliseconds limit =
        options.request_timeout * static_cast<long long>(share) + std::chrono::seconds(30);
    const KubectlResult result = kubectl.Run(args, limit);
    if (result.end == KubectlResult::End::kInterrupted)
      return;  // ForEachIndex throws InterruptedError once every exec is back
    const std::vector<ExecResponse> outcomes = ParseTrafficOutput(result.out);
    const bool no_curl = !outcomes.empty() && std::all_of(outcomes.begin(), outcomes.end(),
                                                          [](const ExecResponse& outcome) {
                                                            return outcome.curl_exit == 127;
                                                          });
    const std::string subject = "--traffic-from " + pod.name;
    const std::string use_curl_pod =
        "use a pod whose default container has sh and curl, e.g. Istio's samples/curl";
    if (no_curl)
      throw EnvironmentError(subject, "the pod's container has no curl", use_curl_pod);
    if (outcomes.empty()) {
      const KubectlFailure failure = ClassifyFailure(result);
      std::string hint = "check: kubectl exec " + PodName(pod) + " -- sh -c 'curl ...'";
      if (failure.kind == KubectlFailure::Kind::kForbidden) {
        hint = "grant '" + failure.verb + " " + failure.resource +
               "' (kubectl auth can-i create pods/exec" +
               (pod.namespace_name.empty() ? "" : " -n " + pod.namespace_name) + ")";
      } else if (failure.message.find("executable file not found") != std::string::npos) {
        hint = use_curl_pod;
      }
      throw EnvironmentError(
          subject, failure.message.empty() ? "kubectl exec sent no request" : failure.message,
          hint);
    }
    for (const ExecResponse& outcome : outcomes)
      options.on_response(outcome);
    // Requests the exec never reported (cut short) count as without response.
    for (std::size_t n = outcomes.size(); n < share; ++n) {
      ExecResponse lost;
      lost.no_response = result.ok() ? "not reported by the exec" : "the exec ended early";
      options.on_response(lost);
    }
  };
  ForEachIndex(execs, execs, run_share, "kubectl exec " + PodName(pod));
}

}  // namespace hfi::kube

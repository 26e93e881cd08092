// The requests `verify --local` sends and what their responses showed. The plan cycles through
// the three kinds of the local convention (builtin_policy.h); the tally reads only the responses,
// never the policy, so it counts what a client saw whatever plugin or policy ran.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <map>
#include <string>

#include "net/http_client.h"
#include "verify/report.h"

namespace hfi::local {

enum class RequestKind { kAbort, kDelay, kPass };

struct PlannedRequest {
  RequestKind kind;
  std::string path;  // "/hfi-local/abort", "/hfi-local/delay", "/hfi-local/pass"
  net::HeaderPairs headers;
};

// Request `index` of a run: abort, delay, pass, abort, ...
PlannedRequest PlanRequest(std::size_t index);

// What came back, request by request.
class TrafficTally {
 public:
  // A response: aborted or delayed by its `x-fault-injected` mark, else failed (5xx) or passed.
  void Add(const net::HttpResponse& response);
  // A request that got no response at all; `why` is kept for the first one.
  void AddNoResponse(const std::string& why);

  std::size_t sent() const { return sent_; }
  std::size_t no_response() const { return no_response_; }
  const std::string& first_no_response() const { return first_no_response_; }
  // Responses by status, for the verbose summary.
  const std::map<long, std::size_t>& statuses() const { return statuses_; }
  // Only requests that got a response are in it: the others have nothing to compare.
  verify::TrafficSummary Summary() const { return summary_; }

 private:
  std::size_t sent_ = 0, no_response_ = 0;
  std::string first_no_response_;
  std::map<long, std::size_t> statuses_;
  verify::TrafficSummary summary_;
};

struct TrafficOptions {
  std::string base_url;  // "http://127.0.0.1:PORT"
  std::size_t requests = 30;
  std::size_t concurrency = 8;
  // Far above the built-in delay: a request that takes this long has no response, not a delay.
  std::chrono::milliseconds request_timeout{30'000};
  // Called after each request, never from two threads at once: (finished, total).
  std::function<void(std::size_t, std::size_t)> progress;
};

// Sends the plan's first `requests` requests from `concurrency` threads sharing `client`.
// Requests without a response are tallied, not thrown; any other exception is rethrown after all
// threads have stopped.
TrafficTally SendTraffic(net::HttpClient& client, const TrafficOptions& options);

}  // namespace hfi::local

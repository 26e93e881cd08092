#include "local/traffic.h"

#include <algorithm>
#include <atomic>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>
#include <thread>
#include <vector>

#include "local/builtin_policy.h"
#include "util/errors.h"

namespace hfi::local {
namespace {

// The plugin's marks on the responses it changed (DESIGN §3.1).
constexpr std::string_view kFaultHeader = "x-fault-injected";

}  // namespace

PlannedRequest PlanRequest(std::size_t index) {
  switch (index % 3) {
    case 0:
      return {RequestKind::kAbort,
              "/hfi-local/abort",
              {{std::string(kLocalHeader), std::string(kAbortValue)}}};
    case 1:
      return {RequestKind::kDelay,
              "/hfi-local/delay",
              {{std::string(kLocalHeader), std::string(kDelayValue)}}};
    default:
      return {RequestKind::kPass, "/hfi-local/pass", {}};
  }
}

void TrafficTally::Add(const net::HttpResponse& response) {
  ++sent_;
  ++summary_.sent;
  ++statuses_[response.status];
  const std::string_view mark = response.Header(kFaultHeader);
  if (mark == "abort") {
    ++summary_.aborted;
  } else if (mark == "delay") {
    ++summary_.delayed;
  } else if (response.status >= 500) {
    // No mark: the proxy failed it (a failed plugin fails closed with 503), not a policy.
    ++summary_.failed;
  } else {
    ++summary_.passed;
  }
}

void TrafficTally::AddNoResponse(const std::string& why) {
  ++sent_;
  if (no_response_++ == 0)
    first_no_response_ = why;
}

TrafficTally SendTraffic(net::HttpClient& client, const TrafficOptions& options) {
  TrafficTally tally;
  std::mutex mutex;  // guards tally, finished, failure and the progress callback
  std::size_t finished = 0;
  std::exception_ptr failure;
  std::atomic<std::size_t> next{0};
  std::atomic<bool> stop{false};

  auto worker = [&] {
    for (;;) {
      const std::size_t index = next++;
      if (index >= options.requests || stop)
        return;
      const PlannedRequest planned = PlanRequest(index);
      net::HttpRequest request;
      request.url = options.base_url + planned.path;
      request.headers = planned.headers;
      request.timeout = options.request_timeout;
      std::optional<net::HttpResponse> response;
      std::string no_response;
      try {
        response = client.Fetch(request);
      } catch (const EnvironmentError& e) {
        no_response = e.reason();
      } catch (...) {
        std::lock_guard<std::mutex> lock(mutex);
        if (!failure)
          failure = std::current_exception();
        stop = true;
        return;
      }
      std::lock_guard<std::mutex> lock(mutex);
      if (response)
        tally.Add(*response);
      else
        tally.AddNoResponse(no_response);
      ++finished;
      if (options.progress)
        options.progress(finished, options.requests);
    }
  };

  if (options.requests == 0)
    return tally;
  const std::size_t threads = std::clamp<std::size_t>(options.concurrency, 1, options.requests);
  std::vector<std::thread> pool;
  pool.reserve(threads);
  try {
    for (std::size_t i = 0; i < threads; ++i)
      pool.emplace_back(worker);
  } catch (const std::system_error& e) {
    // Threads already started must be joined before the error leaves; with none the run is
    // impossible, with some it goes on with fewer.
    if (pool.empty())
      throw EnvironmentError("traffic", std::string("cannot start a thread: ") + e.what());
  }
  for (std::thread& thread : pool)
    thread.join();
  if (failure)
    std::rethrow_exception(failure);
  return tally;
}

}  // namespace hfi::local

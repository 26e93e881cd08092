// A net::HttpClient for the local-run tests: answers the traffic plan's requests as a sidecar
// running the built-in policy would (or as told), serves a given scrape body, and records every
// request. Safe from several threads.
#pragma once

#include <functional>
#include <mutex>
#include <string>
#include <vector>

#include "local/builtin_policy.h"
#include "net/http_client.h"
#include "util/errors.h"

namespace hfi::local::testing {

inline net::HttpResponse Response(long status, net::HeaderPairs headers = {},
                                  std::string body = "") {
  net::HttpResponse response;
  response.status = status;
  response.headers = std::move(headers);
  response.body = std::move(body);
  return response;
}

// How a sidecar with HFI and the built-in policy answers: the header decides.
inline net::HttpResponse BuiltinAnswer(const net::HttpRequest& request) {
  for (const auto& [name, value] : request.headers) {
    if (name != kLocalHeader)
      continue;
    if (value == kAbortValue)
      return Response(kBuiltinAbortStatus, {{"x-fault-injected", "abort"}}, "fault injected");
    if (value == kDelayValue)
      return Response(200, {{"x-fault-injected", "delay"}}, "upstream ok\n");
  }
  return Response(200, {}, "upstream ok\n");
}

class FakeHttpClient final : public net::HttpClient {
 public:
  using Answer = std::function<net::HttpResponse(const net::HttpRequest&)>;

  explicit FakeHttpClient(Answer traffic = BuiltinAnswer) : traffic_(std::move(traffic)) {}

  // What GET .../stats/prometheus returns.
  net::HttpResponse scrape = Response(200);

  net::HttpResponse Fetch(const net::HttpRequest& request) override {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      requests_.push_back(request);
    }
    if (request.url.ends_with("/stats/prometheus"))
      return scrape;
    return traffic_(request);
  }

  std::vector<net::HttpRequest> requests() const {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }

 private:
  Answer traffic_;
  mutable std::mutex mutex_;
  std::vector<net::HttpRequest> requests_;
};

}  // namespace hfi::local::testing

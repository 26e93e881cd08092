// HTTP for the commands that talk to sidecars and servers (the local sidecar, port-forwarded pods,
// Prometheus): one request in, the whole response out, always with a deadline. Callers depend on
// the HttpClient interface so the logic above it is tested without sockets.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace hfi::net {

using HeaderPairs = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method = "GET";
  std::string url;  // http://HOST:PORT/path?query
  HeaderPairs headers;
  std::string body;
  // The whole exchange, connection included; past it the request fails as a timeout.
  std::chrono::milliseconds timeout{10'000};
  std::chrono::milliseconds connect_timeout{5'000};
  // A larger body fails the request rather than filling memory (a misdirected URL serving a
  // stream, a 2 GB response).
  std::size_t max_body_bytes = std::size_t{1} << 30;
  // https only: a PEM bundle to trust instead of the system's CAs, or no certificate check at all
  // (the server's certificate and name are then not verified).
  std::string ca_file;
  bool insecure_skip_tls_verify = false;
};

struct HttpResponse {
  long status = 0;
  HeaderPairs headers;  // names lower-cased, in the order received
  std::string body;
  std::chrono::nanoseconds elapsed{0};  // from sending the request to the last body byte

  // The first value of a header (name compared case-insensitively), or "" when absent.
  std::string_view Header(std::string_view name) const;
};

class HttpClient {
 public:
  virtual ~HttpClient() = default;
  // Any HTTP status is a response, not an error. Throws EnvironmentError (exit 2) naming the URL
  // when there is no response: refused, unresolvable, reset, timed out, body over the limit.
  virtual HttpResponse Fetch(const HttpRequest& request) = 0;
};

// libcurl: no compression asked for, no proxy from the environment for loopback addresses, no
// signals (safe from many threads: one easy handle per call).
class CurlHttpClient final : public HttpClient {
 public:
  HttpResponse Fetch(const HttpRequest& request) override;
};

}  // namespace hfi::net

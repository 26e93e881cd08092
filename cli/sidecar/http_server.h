// A small HTTP/1.1 server on loopback over civetweb: one callback per request, the request body
// read in full before it runs, the response written after it returns. The only file that knows
// civetweb; the sidecar's admin and traffic listeners are two of these.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

struct mg_context;
struct mg_connection;

namespace hfi::sidecar {

// Where to listen: an IP literal (IPv4, or IPv6 in brackets) and a port, 0 for any free one.
struct ListenAddress {
  std::string host;  // "127.0.0.1", "::1" (no brackets)
  std::uint16_t port = 0;
  bool ipv6 = false;
};

// Parses "HOST:PORT": "127.0.0.1:15000", "[::1]:0", "localhost:15000" (taken as 127.0.0.1).
// Returns false and sets *error to what is wrong.
bool ParseListenAddress(std::string_view text, ListenAddress* out, std::string* error);
// "127.0.0.1:15000", "[::1]:15000".
std::string FormatAddress(const ListenAddress& address);

struct HttpRequest {
  std::string method;
  std::string path;                                          // as sent, query string included
  std::vector<std::pair<std::string, std::string>> headers;  // names as the client spelled them
  std::string body;
  // True once the client has closed its side of the connection; for a handler that holds a
  // request a long time. Cheap (a poll with no wait); callable only while the handler runs.
  std::function<bool()> client_gone;
};

struct HttpResponse {
  int status = 200;
  // content-length is computed from `body`; connection-level headers here are ignored.
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  bool reset = false;  // close the connection without an answer
};

class HttpServer {
 public:
  using Handler = std::function<HttpResponse(const HttpRequest&)>;
  using Logger = std::function<void(const std::string&)>;

  // Largest request body read; a larger one is answered 413 without calling the handler.
  static constexpr std::size_t kMaxRequestBody = std::size_t{1} << 20;

  // Binds `address` and starts `threads` workers (each request holds one while its handler
  // runs). Throws EnvironmentError naming the address when it cannot be bound. `handler` runs on
  // the worker threads, concurrently; `log` receives civetweb's own complaints.
  HttpServer(const ListenAddress& address, int threads, Handler handler, Logger log);
  ~HttpServer();
  HttpServer(const HttpServer&) = delete;
  HttpServer& operator=(const HttpServer&) = delete;

  // Lets the handlers still running finish their answers (up to 2 s), then stops accepting and
  // waits for every worker, so those handlers must be able to return. Idempotent.
  void Stop();

  // As bound: the port is the real one even when 0 was asked for.
  const ListenAddress& address() const { return bound_; }

 private:
  static int OnRequest(mg_connection* conn);
  static int OnLog(const mg_connection* conn, const char* message);
  int Serve(mg_connection* conn);
  int Answer(mg_connection* conn);

  Handler handler_;
  Logger log_;
  ListenAddress bound_;
  mg_context* ctx_ = nullptr;
  std::mutex active_mu_;
  std::condition_variable idle_cv_;
  int active_ = 0;  // requests between read and written
};

}  // namespace hfi::sidecar

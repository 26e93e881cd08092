// Why /healthz goes through civetweb's begin_request callback: prometheus::Exposer owns its
// CivetServer privately and only registers collectables, so a second URI could serve metrics
// text but never a 503. A second server (the sidecar's HttpServer) would mean a second port for
// Kubernetes probes and Prometheus to tell apart. The Exposer does accept CivetCallbacks, and
// begin_request sees every request before the exposer's handlers: it answers /healthz itself and
// leaves everything else to them. The callback is a plain function pointer without a context of
// ours, so it finds the health state through the port the request came in on.
#include "serve/endpoint.h"

#include <CivetServer.h>
#include <civetweb.h>
#include <prometheus/exposer.h>

#include <chrono>
#include <cstring>
#include <exception>
#include <map>
#include <mutex>
#include <string_view>
#include <utility>
#include <vector>

#include "util/errors.h"

namespace hfi::serve {
namespace {

struct Listeners {
  std::mutex mutex;
  std::map<int, std::shared_ptr<const Health>> by_port;
};

Listeners& AllListeners() {
  static Listeners listeners;
  return listeners;
}

std::shared_ptr<const Health> HealthOnPort(int port) {
  Listeners& listeners = AllListeners();
  std::lock_guard<std::mutex> lock(listeners.mutex);
  auto it = listeners.by_port.find(port);
  return it == listeners.by_port.end() ? nullptr : it->second;
}

void Reply(mg_connection* conn, int status, const char* status_text, const char* extra_headers,
           const std::string& body, bool head) {
  mg_printf(conn,
            "HTTP/1.1 %d %s\r\nContent-Type: text/plain; charset=utf-8\r\n"
            "Cache-Control: no-store\r\n%sContent-Length: %zu\r\nConnection: close\r\n\r\n",
            status, status_text, extra_headers, body.size());
  if (!head)
    mg_write(conn, body.data(), body.size());
}

// Returning non-zero tells civetweb the request was answered (the value is the logged status).
int OnBeginRequest(mg_connection* conn) {
  const mg_request_info* info = mg_get_request_info(conn);
  if (info == nullptr || info->local_uri == nullptr ||
      std::strcmp(info->local_uri, "/healthz") != 0)
    return 0;
  const std::string_view method = info->request_method != nullptr ? info->request_method : "";
  const bool head = method == "HEAD";
  if (method != "GET" && !head) {
    Reply(conn, 405, "Method Not Allowed", "Allow: GET, HEAD\r\n", "use GET\n", false);
    return 405;
  }
  const std::shared_ptr<const Health> health = HealthOnPort(info->server_port);
  const HealthStatus status = health != nullptr ? health->Evaluate(std::chrono::steady_clock::now())
                                                : HealthStatus{false, "starting or stopping"};
  const int code = status.healthy ? 200 : 503;
  Reply(conn, code, status.healthy ? "OK" : "Service Unavailable", "", status.reason + "\n", head);
  return code;
}

// civetweb's own messages would add lines to stderr beside the one-line error that says the same.
int OnLog(const mg_connection*, const char*) {
  return 1;
}

std::string Why(const std::exception& e) {
  // CivetException: "null context when constructing CivetServer. Possible problem binding to
  // port. Error: <civetweb's reason>": the reason is what a user needs.
  const std::string text = e.what();
  const auto at = text.rfind("Error: ");
  return at == std::string::npos || at + 7 >= text.size() ? text : text.substr(at + 7);
}

}  // namespace

Endpoint::Endpoint(const std::string& bind, std::shared_ptr<prometheus::Collectable> metrics,
                   std::shared_ptr<const Health> health, std::chrono::milliseconds request_timeout)
    : metrics_(std::move(metrics)) {
  static const CivetCallbacks callbacks = [] {
    CivetCallbacks c;
    c.begin_request = OnBeginRequest;
    c.log_message = OnLog;
    return c;
  }();
  try {
    // Each connection holds a worker until its request is read: a few idle or stalled clients
    // must not starve the kubelet's probe of /healthz (1 s timeout by default), so there are
    // workers to spare and a silent connection is dropped soon (2 s), not after civetweb's 30 s.
    exposer_ = std::make_unique<prometheus::Exposer>(
        std::vector<std::string>{"listening_ports", bind, "num_threads", "8", "request_timeout_ms",
                                 std::to_string(request_timeout.count())},
        &callbacks);
  } catch (const std::exception& e) {
    throw EnvironmentError(bind, "cannot listen: " + Why(e),
                           "pass --listen with a free port of this host, or port 0 for any");
  }
  const std::vector<int> ports = exposer_->GetListeningPorts();
  port_ = ports.empty() ? 0 : ports.front();
  {
    Listeners& listeners = AllListeners();
    std::lock_guard<std::mutex> lock(listeners.mutex);
    listeners.by_port[port_] = std::move(health);
  }
  exposer_->RegisterCollectable(metrics_);
}

Endpoint::~Endpoint() {
  {
    Listeners& listeners = AllListeners();
    std::lock_guard<std::mutex> lock(listeners.mutex);
    listeners.by_port.erase(port_);
  }
  exposer_.reset();
}

}  // namespace hfi::serve

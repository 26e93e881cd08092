// serve's HTTP side on one port: /metrics through prometheus-cpp's exposer, /healthz beside it.
#pragma once

#include <prometheus/collectable.h>

#include <chrono>
#include <memory>
#include <string>

#include "serve/health.h"

namespace prometheus {
class Exposer;
}

namespace hfi::serve {

class Endpoint {
 public:
  // `bind`: "HOST:PORT" as civetweb takes it ("127.0.0.1:9464", "[::1]:0"; port 0 for a free
  // one). Throws EnvironmentError naming `bind` when it cannot listen there. A connection that
  // sends no complete request within `request_timeout` is dropped.
  Endpoint(const std::string& bind, std::shared_ptr<prometheus::Collectable> metrics,
           std::shared_ptr<const Health> health,
           std::chrono::milliseconds request_timeout = std::chrono::seconds(2));
  // Stops accepting and waits for the requests being answered. With Debian 12's civetweb 1.15
  // this takes up to 2 s: its threads notice the stop only when their poll() times out
  // (civetweb issue #1163, fixed in 1.16 by a shutdown socket pair).
  ~Endpoint();
  Endpoint(const Endpoint&) = delete;
  Endpoint& operator=(const Endpoint&) = delete;

  int port() const { return port_; }  // as bound: the real one when 0 was asked for

 private:
  std::shared_ptr<prometheus::Collectable> metrics_;
  std::unique_ptr<prometheus::Exposer> exposer_;
  int port_ = 0;
};

}  // namespace hfi::serve

#include "sidecar/http_server.h"

#include <arpa/inet.h>
#include <civetweb.h>
#include <dirent.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <charconv>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <exception>
#include <string>
#include <thread>

#include "util/errors.h"

namespace hfi::sidecar {
namespace {

bool IsConnectionHeader(std::string_view name) {
  static constexpr std::string_view kNames[] = {"content-length", "transfer-encoding", "connection",
                                                "keep-alive", "date"};
  for (std::string_view n : kNames) {
    if (name.size() == n.size() && mg_strncasecmp(name.data(), n.data(), n.size()) == 0)
      return true;
  }
  return false;
}

// Why `address` cannot be bound, asked of the kernel directly: civetweb's own message varies by
// version, the errno does not.
std::string BindFailure(const ListenAddress& address) {
  int fd = ::socket(address.ipv6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return std::strerror(errno);
  int one = 1;
  ::setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
  int rc;
  if (address.ipv6) {
    sockaddr_in6 sa{};
    sa.sin6_family = AF_INET6;
    sa.sin6_port = htons(address.port);
    ::inet_pton(AF_INET6, address.host.c_str(), &sa.sin6_addr);
    rc = ::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
  } else {
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(address.port);
    ::inet_pton(AF_INET, address.host.c_str(), &sa.sin_addr);
    rc = ::bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
  }
  int err = rc == 0 ? 0 : errno;
  ::close(fd);
  switch (err) {
    case 0:
      return {};
    case EADDRINUSE:
      return "address in use";
    case EADDRNOTAVAIL:
      return "address not available on this host";
    case EACCES:
      return "permission denied (ports below 1024 need privileges)";
    default:
      return std::strerror(err);
  }
}

// Connects to `address` and hangs up at once.
void Poke(const ListenAddress& address) {
  int fd = ::socket(address.ipv6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return;
  if (address.ipv6) {
    sockaddr_in6 sa{};
    sa.sin6_family = AF_INET6;
    sa.sin6_port = htons(address.port);
    if (address.host == "::")
      sa.sin6_addr = in6addr_loopback;
    else
      ::inet_pton(AF_INET6, address.host.c_str(), &sa.sin6_addr);
    ::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
  } else {
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_port = htons(address.port);
    ::inet_pton(AF_INET, address.host == "0.0.0.0" ? "127.0.0.1" : address.host.c_str(),
                &sa.sin_addr);
    ::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa);
  }
  ::close(fd);
}

std::uint16_t PortOf(const sockaddr_storage& sa) {
  if (sa.ss_family == AF_INET)
    return ntohs(reinterpret_cast<const sockaddr_in&>(sa).sin_port);
  if (sa.ss_family == AF_INET6)
    return ntohs(reinterpret_cast<const sockaddr_in6&>(sa).sin6_port);
  return 0;
}

std::string HostOf(const sockaddr_storage& sa) {
  char buf[INET6_ADDRSTRLEN] = {};
  if (sa.ss_family == AF_INET)
    ::inet_ntop(AF_INET, &reinterpret_cast<const sockaddr_in&>(sa).sin_addr, buf, sizeof buf);
  else if (sa.ss_family == AF_INET6)
    ::inet_ntop(AF_INET6, &reinterpret_cast<const sockaddr_in6&>(sa).sin6_addr, buf, sizeof buf);
  return buf;
}

// The socket of the request's connection, or -1. civetweb keeps it to itself, so it is found by
// its two ends among this process's descriptors; it cannot close while its handler runs, so the
// number stays valid for that long.
int FindClientSocket(const mg_request_info* info) {
  DIR* dir = ::opendir("/proc/self/fd");
  if (dir == nullptr)
    return -1;
  int found = -1;
  while (const dirent* entry = ::readdir(dir)) {
    const int fd = std::atoi(entry->d_name);
    struct stat st {};
    if (entry->d_name[0] == '.' || ::fstat(fd, &st) != 0 || !S_ISSOCK(st.st_mode))
      continue;
    sockaddr_storage peer{}, local{};
    socklen_t peer_len = sizeof peer, local_len = sizeof local;
    if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &peer_len) != 0 ||
        ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_len) != 0)
      continue;
    if (PortOf(peer) == info->remote_port && PortOf(local) == info->server_port &&
        HostOf(peer) == info->remote_addr) {
      found = fd;
      break;
    }
  }
  ::closedir(dir);
  return found;
}

}  // namespace

bool ParseListenAddress(std::string_view text, ListenAddress* out, std::string* error) {
  ListenAddress result;
  std::string_view host, port;
  if (!text.empty() && text.front() == '[') {
    auto close = text.find(']');
    if (close == std::string_view::npos || close + 1 >= text.size() || text[close + 1] != ':') {
      *error = "'" + std::string(text) + "': expected [IPv6]:PORT";
      return false;
    }
    host = text.substr(1, close - 1);
    port = text.substr(close + 2);
    result.ipv6 = true;
  } else {
    auto colon = text.rfind(':');
    if (colon == std::string_view::npos) {
      *error = "'" + std::string(text) + "': expected HOST:PORT, e.g. 127.0.0.1:15000";
      return false;
    }
    host = text.substr(0, colon);
    port = text.substr(colon + 1);
    if (host.find(':') != std::string_view::npos) {
      *error = "'" + std::string(text) + "': put an IPv6 address in brackets, e.g. [::1]:15000";
      return false;
    }
  }
  unsigned value = 0;
  auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), value);
  if (port.empty() || ec != std::errc() || end != port.data() + port.size() || value > 65535) {
    *error = "'" + std::string(text) + "': the port must be a number from 0 to 65535";
    return false;
  }
  result.port = static_cast<std::uint16_t>(value);
  result.host = host == "localhost" ? "127.0.0.1" : std::string(host);
  unsigned char buf[sizeof(in6_addr)];
  if (::inet_pton(result.ipv6 ? AF_INET6 : AF_INET, result.host.c_str(), buf) != 1) {
    *error = "'" + std::string(text) + "': the host must be an IP address or localhost";
    return false;
  }
  *out = std::move(result);
  return true;
}

std::string FormatAddress(const ListenAddress& address) {
  std::string host = address.ipv6 ? "[" + address.host + "]" : address.host;
  return host + ":" + std::to_string(address.port);
}

HttpServer::HttpServer(const ListenAddress& address, int threads, Handler handler, Logger log)
    : handler_(std::move(handler)), log_(std::move(log)), bound_(address) {
  const std::string ports = FormatAddress(address);
  const std::string thread_count = std::to_string(threads);
  // Keep-alive lets a client reuse one connection for many requests; the timeouts bound how long
  // an idle or slow client can hold a worker (and so how long Stop() waits for it). The path
  // reaches the handler as sent: the plugin sees Envoy's :path, which is not decoded.
  const char* options[] = {"listening_ports",
                           ports.c_str(),
                           "num_threads",
                           thread_count.c_str(),
                           "enable_keep_alive",
                           "yes",
                           "keep_alive_timeout_ms",
                           "2000",
                           "decode_url",
                           "no",
                           "request_timeout_ms",
                           "10000",
                           nullptr};
  mg_callbacks callbacks{};
  callbacks.begin_request = &HttpServer::OnRequest;
  callbacks.log_message = &HttpServer::OnLog;
  mg_init_data init{};
  init.callbacks = &callbacks;
  init.user_data = this;
  init.configuration_options = options;
  char text[256] = {};
  unsigned code = 0;
  mg_error_data error{};
  error.code = &code;
  error.text = text;
  error.text_buffer_size = sizeof text;
  ctx_ = mg_start2(&init, &error);
  if (ctx_ == nullptr) {
    std::string why = BindFailure(address);
    if (why.empty())
      why = text[0] != '\0' ? text : "cannot listen";
    throw EnvironmentError(ports, why, "choose another address, or port 0 for any free one");
  }
  mg_server_port bound[4] = {};
  if (mg_get_server_ports(ctx_, 4, bound) > 0)
    bound_.port = static_cast<std::uint16_t>(bound[0].port);
}

HttpServer::~HttpServer() {
  Stop();
}

void HttpServer::Stop() {
  if (ctx_ == nullptr)
    return;
  // civetweb drops what a handler writes once stopping has begun, so answers being made now
  // (a held request told to give up) go out first.
  {
    std::unique_lock<std::mutex> lock(active_mu_);
    idle_cv_.wait_for(lock, std::chrono::seconds(2), [this] { return active_ == 0; });
  }
  // civetweb's accept loop looks at its stop flag only between polls of up to 2 s; connecting
  // wakes it at once.
  std::atomic<bool> done{false};
  std::thread stopper([this, &done] {
    mg_stop(ctx_);
    done = true;
  });
  while (!done) {
    Poke(bound_);
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  stopper.join();
  ctx_ = nullptr;
}

int HttpServer::OnRequest(mg_connection* conn) {
  auto* self = static_cast<HttpServer*>(mg_get_request_info(conn)->user_data);
  return self->Serve(conn);
}

int HttpServer::OnLog(const mg_connection* conn, const char* message) {
  const mg_request_info* info = conn != nullptr ? mg_get_request_info(conn) : nullptr;
  auto* self = info != nullptr ? static_cast<HttpServer*>(info->user_data) : nullptr;
  if (self != nullptr && self->log_)
    self->log_(message);
  return 1;  // never civetweb's own error log
}

int HttpServer::Serve(mg_connection* conn) {
  {
    std::lock_guard<std::mutex> lock(active_mu_);
    ++active_;
  }
  int status = Answer(conn);
  {
    std::lock_guard<std::mutex> lock(active_mu_);
    --active_;
  }
  idle_cv_.notify_all();
  return status;
}

int HttpServer::Answer(mg_connection* conn) {
  const mg_request_info* info = mg_get_request_info(conn);
  HttpRequest request;
  request.method = info->request_method != nullptr ? info->request_method : "GET";
  request.path = info->request_uri != nullptr ? info->request_uri : "/";
  if (info->query_string != nullptr)
    request.path += std::string("?") + info->query_string;
  for (int i = 0; i < info->num_headers; ++i)
    request.headers.emplace_back(info->http_headers[i].name, info->http_headers[i].value);
  int client_fd = -2;  // not looked up yet
  request.client_gone = [info, &client_fd] {
    if (client_fd == -2)
      client_fd = FindClientSocket(info);
    if (client_fd < 0)
      return false;
    pollfd pfd{client_fd, POLLRDHUP, 0};
    return ::poll(&pfd, 1, 0) > 0 && (pfd.revents & (POLLRDHUP | POLLHUP | POLLERR)) != 0;
  };

  HttpResponse response;
  bool too_large = false;
  char buf[16384];
  for (;;) {
    int n = mg_read(conn, buf, sizeof buf);
    if (n <= 0)
      break;
    if (request.body.size() + static_cast<std::size_t>(n) > kMaxRequestBody) {
      too_large = true;
      break;
    }
    request.body.append(buf, static_cast<std::size_t>(n));
  }
  if (too_large) {
    response.status = 413;
    response.headers = {{"content-type", "text/plain"}};
    response.body = "request body larger than 1 MiB\n";
    mg_disable_connection_keep_alive(conn);  // the rest of the body is still unread
  } else {
    try {
      response = handler_(request);
    } catch (const std::exception& e) {
      if (log_)
        log_(std::string("request handler failed: ") + e.what());
      response = HttpResponse{500, {{"content-type", "text/plain"}}, "internal error\n"};
    }
  }

  if (response.reset) {
    // Nothing written and the connection closed: the client sees the stream reset.
    mg_disable_connection_keep_alive(conn);
    return 499;
  }
  mg_response_header_start(conn, response.status);
  for (const auto& [name, value] : response.headers) {
    if (!IsConnectionHeader(name))
      mg_response_header_add(conn, name.c_str(), value.c_str(), static_cast<int>(value.size()));
  }
  const std::string length = std::to_string(response.body.size());
  mg_response_header_add(conn, "content-length", length.c_str(), static_cast<int>(length.size()));
  mg_response_header_send(conn);
  if (request.method != "HEAD" && !response.body.empty())
    mg_write(conn, response.body.data(), response.body.size());
  return response.status;
}

}  // namespace hfi::sidecar

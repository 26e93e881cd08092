// CurlHttpClient against a loopback server written with plain sockets, so the test sees exactly
// what went over the wire: status, headers and body both ways, a server that accepts and never
// answers (short timeout), a refused port, and a body over the limit.
#include "net/http_client.h"

#include <arpa/inet.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <csignal>
#include <functional>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "util/errors.h"
#include "util/interrupt.h"

namespace hfi::net {
namespace {

using ::testing::HasSubstr;

// Binds 127.0.0.1 on a free port; `listen` is optional so that a bound but closed port can be
// offered to the client (a connection there is refused).
class Socket {
 public:
  explicit Socket(bool listen) {
    fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd_ < 0 || ::bind(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0)
      throw std::runtime_error("cannot bind a loopback socket");
    if (listen && ::listen(fd_, 64) != 0)
      throw std::runtime_error("cannot listen");
    socklen_t len = sizeof sa;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&sa), &len);
    port_ = ntohs(sa.sin_port);
  }
  ~Socket() { Close(); }
  void Close() {
    if (fd_ >= 0) {
      ::shutdown(fd_, SHUT_RDWR);
      ::close(fd_);
    }
    fd_ = -1;
  }
  int fd() const { return fd_; }
  std::string Url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
  }

 private:
  int fd_ = -1;
  int port_ = 0;
};

struct Received {
  std::string head;  // request line and headers
  std::string body;
};

// Reads one request (head, then Content-Length bytes of body).
Received ReadRequest(int fd) {
  std::string raw;
  char buf[4096];
  std::size_t head_end = std::string::npos;
  while ((head_end = raw.find("\r\n\r\n")) == std::string::npos) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0)
      return {raw, ""};
    raw.append(buf, static_cast<std::size_t>(n));
  }
  Received got{raw.substr(0, head_end), raw.substr(head_end + 4)};
  std::size_t length = 0;
  if (auto at = got.head.find("Content-Length: "); at != std::string::npos)
    length = std::stoul(got.head.substr(at + 16));
  while (got.body.size() < length) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0)
      break;
    got.body.append(buf, static_cast<std::size_t>(n));
  }
  return got;
}

void SendAll(int fd, const std::string& data) {
  std::string_view pending = data;
  while (!pending.empty()) {
    ssize_t n = ::send(fd, pending.data(), pending.size(), MSG_NOSIGNAL);
    if (n <= 0)
      return;
    pending.remove_prefix(static_cast<std::size_t>(n));
  }
}

// Accepts connections on its own thread and hands each to `handle`, one after the other, until
// destroyed. What the handler saw is kept for the test to assert on.
class LoopbackServer {
 public:
  using Handler = std::function<void(int fd, const Received& request)>;

  explicit LoopbackServer(Handler handle) : handle_(std::move(handle)) {
    thread_ = std::thread([this] { Serve(); });
  }
  ~LoopbackServer() {
    stopping_ = true;
    socket_.Close();  // wakes accept()
    thread_.join();
  }
  std::string Url(const std::string& path) const { return socket_.Url(path); }
  std::vector<Received> requests() {
    std::lock_guard<std::mutex> lock(mutex_);
    return requests_;
  }

 private:
  void Serve() {
    while (!stopping_) {
      int fd = ::accept(socket_.fd(), nullptr, nullptr);
      if (fd < 0)
        return;
      Received request = ReadRequest(fd);
      {
        std::lock_guard<std::mutex> lock(mutex_);
        requests_.push_back(request);
      }
      handle_(fd, request);
      ::close(fd);
    }
  }

  Socket socket_{true};
  Handler handle_;
  std::atomic<bool> stopping_{false};
  std::mutex mutex_;
  std::vector<Received> requests_;
  std::thread thread_;
};

void Reply(int fd, const std::string& status_line, const std::string& headers,
           const std::string& body) {
  SendAll(fd, status_line + "\r\n" + headers + "Content-Length: " + std::to_string(body.size()) +
                  "\r\nConnection: close\r\n\r\n" + body);
}

TEST(CurlHttpClient, ReturnsStatusHeadersAndBody) {
  LoopbackServer server([](int fd, const Received&) {
    Reply(fd, "HTTP/1.1 503 Service Unavailable",
          "X-Fault-Injected: abort\r\nX-Twice: one\r\nx-twice: two\r\n", "fault injected");
  });
  CurlHttpClient client;
  HttpRequest request;
  request.url = server.Url("/hfi-local/abort?x=1");
  request.headers = {{"x-hfi-local", "abort"}};
  HttpResponse response = client.Fetch(request);

  EXPECT_EQ(response.status, 503);  // any status is a response, not an error
  EXPECT_EQ(response.body, "fault injected");
  EXPECT_EQ(response.Header("x-fault-injected"), "abort");
  EXPECT_EQ(response.Header("X-FAULT-INJECTED"), "abort");
  EXPECT_EQ(response.Header("x-twice"), "one");
  EXPECT_EQ(response.Header("absent"), "");
  EXPECT_THAT(response.headers, ::testing::Contains(std::pair<std::string, std::string>(
                                    "x-fault-injected", "abort")));
  EXPECT_THAT(response.headers,
              ::testing::Contains(std::pair<std::string, std::string>("x-twice", "two")));

  std::vector<Received> seen = server.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_THAT(seen[0].head, ::testing::StartsWith("GET /hfi-local/abort?x=1 HTTP/1.1\r\n"));
  EXPECT_THAT(seen[0].head, HasSubstr("\r\nx-hfi-local: abort"));
  // No compression asked for: the bytes of a scrape are checked as they came.
  EXPECT_THAT(seen[0].head, ::testing::Not(HasSubstr("Accept-Encoding")));
}

TEST(CurlHttpClient, SendsMethodAndBody) {
  LoopbackServer server([](int fd, const Received&) { Reply(fd, "HTTP/1.1 201 Created", "", ""); });
  CurlHttpClient client;
  HttpRequest request;
  request.method = "POST";
  request.url = server.Url("/submit");
  request.body = std::string(3000, 'b');
  request.headers = {{"Content-Type", "text/plain"}, {"X-Empty", ""}};
  HttpResponse response = client.Fetch(request);
  EXPECT_EQ(response.status, 201);
  EXPECT_EQ(response.body, "");

  std::vector<Received> seen = server.requests();
  ASSERT_EQ(seen.size(), 1u);
  EXPECT_THAT(seen[0].head, ::testing::StartsWith("POST /submit HTTP/1.1\r\n"));
  EXPECT_THAT(seen[0].head, HasSubstr("\r\nContent-Type: text/plain"));
  EXPECT_THAT(seen[0].head, HasSubstr("\r\nX-Empty:"));
  EXPECT_THAT(seen[0].head, ::testing::Not(HasSubstr("Expect:")));
  EXPECT_EQ(seen[0].body, request.body);
}

TEST(CurlHttpClient, ReadsABodyWithoutContentLengthUntilClose) {
  LoopbackServer server([](int fd, const Received&) {
    SendAll(fd, "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\nline one\nline two\n");
  });
  CurlHttpClient client;
  HttpRequest request;
  request.url = server.Url("/stats/prometheus");
  HttpResponse response = client.Fetch(request);
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, "line one\nline two\n");
}

// A server that accepts and reads the request, then holds the connection open without a byte
// of response until it is destroyed (after the client gave up).
class SilentServer {
 public:
  SilentServer()
      : server_([this](int, const Received&) {
          while (!release_)
            std::this_thread::sleep_for(std::chrono::milliseconds(5));
        }) {}
  ~SilentServer() { release_ = true; }
  std::string Url(const std::string& path) const { return server_.Url(path); }

 private:
  std::atomic<bool> release_{false};
  LoopbackServer server_;  // last: its thread stops before release_ goes away
};

TEST(CurlHttpClient, TimesOutOnAServerThatNeverAnswers) {
  SilentServer server;
  CurlHttpClient client;
  HttpRequest request;
  request.url = server.Url("/stats/prometheus");
  request.timeout = std::chrono::milliseconds(200);
  try {
    client.Fetch(request);
    ADD_FAILURE() << "a silent server must time out";
  } catch (const EnvironmentError& e) {
    EXPECT_EQ(e.code(), ExitCode::kEnvironment);
    EXPECT_EQ(e.subject(), request.url);
    EXPECT_EQ(e.reason(), "no complete response within 200 ms");
  }
}

// Ctrl-C during a request to an endpoint that never answers ends it as an interruption, long
// before its timeout (which here is far beyond any test's patience).
TEST(CurlHttpClient, InterruptEndsAHangingRequest) {
  struct sigaction current {};
  ASSERT_EQ(::sigaction(SIGTERM, nullptr, &current), 0);
  if (current.sa_handler == SIG_IGN)
    GTEST_SKIP() << "SIGTERM is ignored in this environment; scopes leave it so";
  SilentServer server;
  CurlHttpClient client;
  HttpRequest request;
  request.url = server.Url("/stats/prometheus");
  request.timeout = std::chrono::minutes(10);
  ClearInterrupt();
  {
    InterruptScope scope;
    std::thread interrupter([] {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      ::kill(::getpid(), SIGTERM);
    });
    try {
      client.Fetch(request);
      ADD_FAILURE() << "an interrupted request must not return";
    } catch (const InterruptedError& e) {
      EXPECT_EQ(e.code(), ExitCode::kInterrupted);
      EXPECT_EQ(e.subject(), request.url);
    }
    interrupter.join();
  }
  EXPECT_EQ(InterruptSignal(), SIGTERM);
  ClearInterrupt();
}

TEST(CurlHttpClient, RefusedPortIsAnEnvironmentError) {
  Socket bound_not_listening(false);  // keeps the port from being reused during the test
  CurlHttpClient client;
  HttpRequest request;
  request.url = bound_not_listening.Url("/");
  try {
    client.Fetch(request);
    ADD_FAILURE() << "nothing listens there";
  } catch (const EnvironmentError& e) {
    EXPECT_EQ(e.subject(), request.url);
    EXPECT_THAT(e.reason(), ::testing::StartsWith("connection failed: "));
  }
}

TEST(CurlHttpClient, MalformedUrlIsAnEnvironmentErrorNamingIt) {
  CurlHttpClient client;
  HttpRequest request;
  request.url = "http://[not a host/";
  try {
    client.Fetch(request);
    ADD_FAILURE();
  } catch (const EnvironmentError& e) {
    EXPECT_EQ(e.subject(), request.url);
    EXPECT_FALSE(e.reason().empty());
  }
}

TEST(CurlHttpClient, BodyOverTheLimitFailsTheRequest) {
  const std::string big(100'000, 'x');
  LoopbackServer server([&big](int fd, const Received&) { Reply(fd, "HTTP/1.1 200 OK", "", big); });
  CurlHttpClient client;
  HttpRequest request;
  request.url = server.Url("/big");
  request.max_body_bytes = 1000;
  try {
    client.Fetch(request);
    ADD_FAILURE() << "the body is larger than the limit";
  } catch (const EnvironmentError& e) {
    EXPECT_EQ(e.reason(), "response body larger than the limit of 1000 bytes");
  }
  // Exactly the limit is fine.
  request.max_body_bytes = big.size();
  EXPECT_EQ(client.Fetch(request).body.size(), big.size());
}

TEST(CurlHttpClient, IsSafeFromManyThreads) {
  LoopbackServer server([](int fd, const Received& request) {
    // Echoes the request's x-n header in the body, so each caller can check it got its answer.
    std::string n;
    if (auto at = request.head.find("x-n: "); at != std::string::npos)
      n = request.head.substr(at + 5, request.head.find("\r\n", at) - at - 5);
    Reply(fd, "HTTP/1.1 200 OK", "", n);
  });
  CurlHttpClient client;
  std::atomic<int> mismatches{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 10; ++i) {
        std::string n = std::to_string(t * 100 + i);
        HttpRequest request;
        request.url = server.Url("/");
        request.headers = {{"x-n", n}};
        if (client.Fetch(request).body != n)
          ++mismatches;
      }
    });
  }
  for (std::thread& thread : threads)
    thread.join();
  EXPECT_EQ(mismatches, 0);
  EXPECT_EQ(server.requests().size(), 80u);
}

}  // namespace
}  // namespace hfi::net

// A tiny blocking HTTP/1.1 client over plain sockets for the sidecar's tests: one request per
// connection (Connection: close), the whole answer read until the server closes.
#pragma once

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cctype>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>

namespace hfi::sidecar::testing {

struct ClientResponse {
  bool answered = false;  // false: the server closed the connection without a status line
  int status = 0;
  std::map<std::string, std::string> headers;  // names lower-cased
  std::string body;
};

// Connects to "127.0.0.1:PORT", sends a GET for `path` and hangs up without waiting for the
// answer, as a client that gives up does. False when the connection could not be made.
inline bool SendAndHangUp(const std::string& address, const std::string& path) {
  auto colon = address.rfind(':');
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<std::uint16_t>(std::stoi(address.substr(colon + 1))));
  if (::inet_pton(AF_INET, address.substr(0, colon).c_str(), &sa.sin_addr) != 1)
    return false;
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return false;
  bool sent = ::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) == 0;
  const std::string request = "GET " + path + " HTTP/1.1\r\nHost: test.local\r\n\r\n";
  sent = sent && ::send(fd, request.data(), request.size(), MSG_NOSIGNAL) ==
                     static_cast<ssize_t>(request.size());
  ::close(fd);
  return sent;
}

// Sends `method path` to "127.0.0.1:PORT" and returns what came back; nullopt when the
// connection could not be made.
inline std::optional<ClientResponse> Fetch(const std::string& address, const std::string& path,
                                           const std::string& method = "GET",
                                           const std::string& extra_headers = "",
                                           const std::string& body = "") {
  auto colon = address.rfind(':');
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<std::uint16_t>(std::stoi(address.substr(colon + 1))));
  if (::inet_pton(AF_INET, address.substr(0, colon).c_str(), &sa.sin_addr) != 1)
    return std::nullopt;
  int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0)
    return std::nullopt;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa) != 0) {
    ::close(fd);
    return std::nullopt;
  }
  std::string request = method + " " + path + " HTTP/1.1\r\nHost: test.local\r\n" +
                        "Connection: close\r\n" + extra_headers;
  if (!body.empty() || method == "POST")
    request += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  request += "\r\n" + body;
  std::string_view pending = request;
  while (!pending.empty()) {
    ssize_t n = ::send(fd, pending.data(), pending.size(), MSG_NOSIGNAL);
    if (n <= 0)
      break;
    pending.remove_prefix(static_cast<std::size_t>(n));
  }
  std::string raw;
  char buf[8192];
  for (;;) {
    ssize_t n = ::recv(fd, buf, sizeof buf, 0);
    if (n <= 0)
      break;
    raw.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);

  ClientResponse response;
  auto head_end = raw.find("\r\n\r\n");
  if (raw.rfind("HTTP/1.", 0) != 0 || head_end == std::string::npos)
    return response;
  response.answered = true;
  response.status = std::stoi(raw.substr(9, 3));
  std::string_view head = std::string_view(raw).substr(0, head_end);
  head.remove_prefix(std::min(head.size(), head.find("\r\n") + 2));
  while (!head.empty()) {
    auto eol = head.find("\r\n");
    std::string_view line = head.substr(0, eol);
    head = eol == std::string_view::npos ? std::string_view() : head.substr(eol + 2);
    auto sep = line.find(':');
    if (sep == std::string_view::npos)
      continue;
    std::string name(line.substr(0, sep));
    for (char& c : name)
      c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string_view value = line.substr(sep + 1);
    while (!value.empty() && value.front() == ' ')
      value.remove_prefix(1);
    response.headers[name] = std::string(value);
  }
  response.body = raw.substr(head_end + 4);
  return response;
}

}  // namespace hfi::sidecar::testing

#include "sidecar/http_server.h"

#include <gtest/gtest.h>

#include <string>

#include "sidecar/test_http_client.h"
#include "util/errors.h"

namespace hfi::sidecar {
namespace {

using testing::Fetch;

TEST(SidecarListenAddressTest, AcceptsIpv4Ipv6AndLocalhost) {
  ListenAddress address;
  std::string error;
  ASSERT_TRUE(ParseListenAddress("127.0.0.1:15000", &address, &error)) << error;
  EXPECT_EQ(address.host, "127.0.0.1");
  EXPECT_EQ(address.port, 15000);
  EXPECT_FALSE(address.ipv6);
  ASSERT_TRUE(ParseListenAddress("[::1]:0", &address, &error)) << error;
  EXPECT_EQ(address.host, "::1");
  EXPECT_EQ(address.port, 0);
  EXPECT_TRUE(address.ipv6);
  EXPECT_EQ(FormatAddress(address), "[::1]:0");
  ASSERT_TRUE(ParseListenAddress("localhost:8080", &address, &error)) << error;
  EXPECT_EQ(FormatAddress(address), "127.0.0.1:8080");
}

TEST(SidecarListenAddressTest, RejectsWhatCannotBeBound) {
  ListenAddress address;
  std::string error;
  EXPECT_FALSE(ParseListenAddress("15000", &address, &error));
  EXPECT_EQ(error, "'15000': expected HOST:PORT, e.g. 127.0.0.1:15000");
  EXPECT_FALSE(ParseListenAddress("127.0.0.1:65536", &address, &error));
  EXPECT_EQ(error, "'127.0.0.1:65536': the port must be a number from 0 to 65535");
  EXPECT_FALSE(ParseListenAddress("127.0.0.1:", &address, &error));
  EXPECT_FALSE(ParseListenAddress("example.com:80", &address, &error));
  EXPECT_EQ(error, "'example.com:80': the host must be an IP address or localhost");
  EXPECT_FALSE(ParseListenAddress("::1:80", &address, &error));
  EXPECT_FALSE(ParseListenAddress("[::1]80", &address, &error));
}

ListenAddress AnyPort() {
  ListenAddress address;
  std::string error;
  ParseListenAddress("127.0.0.1:0", &address, &error);
  return address;
}

TEST(SidecarHttpServerTest, ServesOnTheBoundEphemeralPort) {
  HttpRequest seen;
  HttpServer server(
      AnyPort(), 2,
      [&](const HttpRequest& request) {
        seen = request;
        return HttpResponse{201, {{"content-type", "text/plain"}, {"x-test", "yes"}}, "made\n"};
      },
      nullptr);
  ASSERT_NE(server.address().port, 0);
  auto response = Fetch(FormatAddress(server.address()), "/a%20b/c?x=%2B1&y", "POST",
                        "X-Mixed-Case: Value\r\n", "payload");
  ASSERT_TRUE(response);
  ASSERT_TRUE(response->answered);
  EXPECT_EQ(response->status, 201);
  EXPECT_EQ(response->headers["x-test"], "yes");
  EXPECT_EQ(response->headers["content-length"], "5");
  EXPECT_EQ(response->body, "made\n");
  EXPECT_EQ(seen.method, "POST");
  // The path reaches the handler as the client sent it, not decoded.
  EXPECT_EQ(seen.path, "/a%20b/c?x=%2B1&y");
  EXPECT_EQ(seen.body, "payload");
  bool found = false;
  for (const auto& [name, value] : seen.headers)
    found = found || (name == "X-Mixed-Case" && value == "Value");
  EXPECT_TRUE(found);
}

TEST(SidecarHttpServerTest, ResetClosesWithoutAnAnswer) {
  HttpServer server(
      AnyPort(), 2,
      [](const HttpRequest&) {
        return HttpResponse{200, {}, "", true};
      },
      nullptr);
  auto response = Fetch(FormatAddress(server.address()), "/");
  ASSERT_TRUE(response);
  EXPECT_FALSE(response->answered);
}

TEST(SidecarHttpServerTest, AHandlerThatThrowsGives500) {
  HttpServer server(
      AnyPort(), 2, [](const HttpRequest&) -> HttpResponse { throw std::runtime_error("boom"); },
      nullptr);
  auto response = Fetch(FormatAddress(server.address()), "/");
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 500);
}

TEST(SidecarHttpServerTest, ABoundPortIsAnEnvironmentErrorNamingTheAddress) {
  HttpServer first(
      AnyPort(), 1, [](const HttpRequest&) { return HttpResponse{}; }, nullptr);
  const std::string taken = FormatAddress(first.address());
  try {
    HttpServer second(
        first.address(), 1, [](const HttpRequest&) { return HttpResponse{}; }, nullptr);
    FAIL() << "bound " << taken << " twice";
  } catch (const EnvironmentError& e) {
    EXPECT_EQ(e.subject(), taken);
    EXPECT_EQ(e.reason(), "address in use");
  }
}

TEST(SidecarHttpServerTest, StopIsIdempotentAndRefusesNewConnections) {
  HttpServer server(
      AnyPort(), 1, [](const HttpRequest&) { return HttpResponse{}; }, nullptr);
  const std::string address = FormatAddress(server.address());
  server.Stop();
  server.Stop();
  EXPECT_FALSE(Fetch(address, "/"));
}

}  // namespace
}  // namespace hfi::sidecar

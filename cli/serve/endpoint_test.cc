#include "serve/endpoint.h"

#include <gtest/gtest.h>

#include <cerrno>
#include <memory>
#include <string>
#include <vector>

#include "serve/exporter.h"
#include "serve/test_reports.h"
#include "sidecar/test_http_client.h"
#include "util/errors.h"

namespace hfi::serve {
namespace {

using sidecar::testing::Fetch;

struct EndpointTest : ::testing::Test {
  std::shared_ptr<Exporter> exporter = std::make_shared<Exporter>(60);
  std::shared_ptr<Health> health = std::make_shared<Health>(std::chrono::seconds(60));
  std::unique_ptr<Endpoint> endpoint = std::make_unique<Endpoint>("127.0.0.1:0", exporter, health);
  std::string address = "127.0.0.1:" + std::to_string(endpoint->port());
};

TEST_F(EndpointTest, ServesTheExportersMetrics) {
  ASSERT_GT(endpoint->port(), 0);
  verify::Report report;
  report.sources.push_back(testing::Source("demo/a", {testing::Passing("presence", "x_total")}));
  exporter->RecordReport(report, {1, 1});
  auto response = Fetch(address, "/metrics");
  ASSERT_TRUE(response && response->answered);
  EXPECT_EQ(response->status, 200);
  EXPECT_NE(response->body.find("hfi_metrics_runs_total{result=\"passed\"} 1"), std::string::npos);
  EXPECT_NE(response->body.find("hfi_metrics_check_status{check=\"presence\",kind=\"pod\","
                                "metric=\"x_total\",source=\"demo/a\"} 1"),
            std::string::npos)
      << response->body;
}

TEST_F(EndpointTest, HealthzIs503UntilAReportThen200) {
  auto before = Fetch(address, "/healthz");
  ASSERT_TRUE(before && before->answered);
  EXPECT_EQ(before->status, 503);
  EXPECT_EQ(before->body, "no report yet\n");
  EXPECT_EQ(before->headers["content-type"], "text/plain; charset=utf-8");

  health->RecordReport(std::chrono::steady_clock::now());
  auto after = Fetch(address, "/healthz");
  ASSERT_TRUE(after && after->answered);
  EXPECT_EQ(after->status, 200);
  EXPECT_EQ(after->body.rfind("ok: last report ", 0), 0u) << after->body;

  auto head = Fetch(address, "/healthz", "HEAD");
  ASSERT_TRUE(head && head->answered);
  EXPECT_EQ(head->status, 200);
  EXPECT_EQ(head->body, "");

  auto post = Fetch(address, "/healthz", "POST");
  ASSERT_TRUE(post && post->answered);
  EXPECT_EQ(post->status, 405);
}

TEST_F(EndpointTest, OtherPathsAreNotFound) {
  auto response = Fetch(address, "/nothing");
  ASSERT_TRUE(response && response->answered);
  EXPECT_EQ(response->status, 404);
}

TEST_F(EndpointTest, APortInUseIsAnEnvironmentError) {
  try {
    Endpoint second(address, exporter, health);
    FAIL() << "bound " << address << " twice";
  } catch (const EnvironmentError& e) {
    EXPECT_EQ(e.subject(), address);
    EXPECT_EQ(e.reason().rfind("cannot listen: ", 0), 0u) << e.reason();
  }
  // The first endpoint still answers for its own state.
  auto response = Fetch(address, "/healthz");
  ASSERT_TRUE(response && response->answered);
  EXPECT_EQ(response->status, 503);
}

// Clients that connect and send nothing each hold a worker until civetweb gives up on them. The
// probe must be answered while they are still connected, not once they have been dropped (here
// only after a minute, so that a slow machine cannot blur the two).
TEST_F(EndpointTest, IdleConnectionsDoNotStarveTheProbe) {
  endpoint.reset();
  endpoint = std::make_unique<Endpoint>("127.0.0.1:0", exporter, health, std::chrono::minutes(1));
  address = "127.0.0.1:" + std::to_string(endpoint->port());
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_port = htons(static_cast<std::uint16_t>(endpoint->port()));
  ASSERT_EQ(::inet_pton(AF_INET, "127.0.0.1", &sa.sin_addr), 1);
  std::vector<int> idle;
  for (int i = 0; i < 4; ++i) {
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    ASSERT_GE(fd, 0);
    ASSERT_EQ(::connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof sa), 0);
    idle.push_back(fd);
  }
  auto response = Fetch(address, "/healthz");
  ASSERT_TRUE(response && response->answered);
  EXPECT_EQ(response->status, 503);
  for (const int fd : idle) {
    char byte;
    const ssize_t got = ::recv(fd, &byte, 1, MSG_DONTWAIT | MSG_PEEK);
    const int error = errno;
    EXPECT_EQ(got, -1) << "the server had already closed an idle connection";
    EXPECT_TRUE(error == EAGAIN || error == EWOULDBLOCK) << error;
    ::close(fd);
  }
}

TEST_F(EndpointTest, StopsListeningWhenDestroyed) {
  endpoint.reset();
  EXPECT_FALSE(Fetch(address, "/metrics"));
}

}  // namespace
}  // namespace hfi::serve

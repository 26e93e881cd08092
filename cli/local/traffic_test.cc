// The traffic plan, the tally of responses, and SendTraffic over a fake HTTP client.
#include "local/traffic.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "local/fake_http_client.h"
#include "util/errors.h"

namespace hfi::local {
namespace {

using testing::BuiltinAnswer;
using ::testing::ElementsAre;
using testing::FakeHttpClient;
using ::testing::IsEmpty;
using ::testing::Pair;
using testing::Response;

TEST(TrafficPlan, CyclesAbortDelayPassWithTheLocalHeader) {
  PlannedRequest abort = PlanRequest(0), delay = PlanRequest(1), pass = PlanRequest(2);
  EXPECT_EQ(abort.kind, RequestKind::kAbort);
  EXPECT_EQ(abort.path, "/hfi-local/abort");
  EXPECT_THAT(abort.headers, ElementsAre(Pair("x-hfi-local", "abort")));
  EXPECT_EQ(delay.kind, RequestKind::kDelay);
  EXPECT_EQ(delay.path, "/hfi-local/delay");
  EXPECT_THAT(delay.headers, ElementsAre(Pair("x-hfi-local", "delay")));
  EXPECT_EQ(pass.kind, RequestKind::kPass);
  EXPECT_EQ(pass.path, "/hfi-local/pass");
  EXPECT_THAT(pass.headers, IsEmpty());
  EXPECT_EQ(PlanRequest(3).kind, RequestKind::kAbort);
  EXPECT_EQ(PlanRequest(100).kind, RequestKind::kDelay);  // 100 % 3 == 1
}

TEST(TrafficTally, ClassifiesByTheFaultMarkThenByStatus) {
  TrafficTally tally;
  tally.Add(Response(503, {{"x-fault-injected", "abort"}}));
  tally.Add(Response(418, {{"X-Fault-Injected", "abort"}}));  // any status: the mark decides
  tally.Add(Response(200, {{"x-fault-injected", "delay"}}));
  tally.Add(Response(503));  // no mark: the proxy failed it
  tally.Add(Response(500));
  tally.Add(Response(200));
  tally.Add(Response(404));  // a 4xx without a mark passed the plugin
  tally.Add(Response(200, {{"x-fault-injected", "something-else"}}));

  verify::TrafficSummary summary = tally.Summary();
  EXPECT_EQ(summary.sent, 8u);
  EXPECT_EQ(summary.aborted, 2u);
  EXPECT_EQ(summary.delayed, 1u);
  EXPECT_EQ(summary.failed, 2u);
  EXPECT_EQ(summary.passed, 3u);
  EXPECT_EQ(tally.sent(), 8u);
  EXPECT_EQ(tally.no_response(), 0u);
  EXPECT_EQ(tally.statuses(),
            (std::map<long, std::size_t>{{200, 3}, {404, 1}, {418, 1}, {500, 1}, {503, 2}}));
}

TEST(TrafficTally, NoResponseIsCountedApartKeepingTheFirstReason) {
  TrafficTally tally;
  tally.Add(Response(200));
  tally.AddNoResponse("connection failed: refused");
  tally.AddNoResponse("no complete response within 30000 ms");
  EXPECT_EQ(tally.sent(), 3u);
  EXPECT_EQ(tally.no_response(), 2u);
  EXPECT_EQ(tally.first_no_response(), "connection failed: refused");
  EXPECT_EQ(tally.Summary().sent, 1u);  // only answered requests can be compared with counters
}

TEST(SendTraffic, SendsThePlanAndTalliesEveryResponse) {
  FakeHttpClient client;
  TrafficOptions options;
  options.base_url = "http://127.0.0.1:4000";
  options.requests = 31;
  options.concurrency = 4;
  options.request_timeout = std::chrono::milliseconds(1234);
  TrafficTally tally = SendTraffic(client, options);

  verify::TrafficSummary summary = tally.Summary();
  EXPECT_EQ(summary.sent, 31u);
  EXPECT_EQ(summary.aborted, 11u);
  EXPECT_EQ(summary.delayed, 10u);
  EXPECT_EQ(summary.passed, 10u);
  EXPECT_EQ(summary.failed, 0u);

  std::map<std::string, int> paths;
  for (const net::HttpRequest& request : client.requests()) {
    EXPECT_EQ(request.method, "GET");
    EXPECT_EQ(request.timeout, std::chrono::milliseconds(1234));
    ++paths[request.url];
  }
  EXPECT_EQ(paths, (std::map<std::string, int>{{"http://127.0.0.1:4000/hfi-local/abort", 11},
                                               {"http://127.0.0.1:4000/hfi-local/delay", 10},
                                               {"http://127.0.0.1:4000/hfi-local/pass", 10}}));
}

TEST(SendTraffic, MoreThreadsThanRequestsAndOneThreadBothWork) {
  for (std::size_t concurrency : {1u, 64u}) {
    FakeHttpClient client;
    TrafficOptions options;
    options.base_url = "http://h";
    options.requests = 5;
    options.concurrency = concurrency;
    EXPECT_EQ(SendTraffic(client, options).Summary().sent, 5u) << concurrency;
    EXPECT_EQ(client.requests().size(), 5u);
  }
}

TEST(SendTraffic, ReportsProgressOncePerRequestInOrder) {
  FakeHttpClient client;
  TrafficOptions options;
  options.base_url = "http://h";
  options.requests = 20;
  options.concurrency = 8;
  std::vector<std::size_t> finished;
  options.progress = [&finished](std::size_t done, std::size_t total) {
    EXPECT_EQ(total, 20u);
    finished.push_back(done);
  };
  SendTraffic(client, options);
  ASSERT_EQ(finished.size(), 20u);
  for (std::size_t i = 0; i < finished.size(); ++i)
    EXPECT_EQ(finished[i], i + 1);
}

TEST(SendTraffic, RequestsWithoutResponseAreTalliedNotThrown) {
  std::atomic<int> n{0};
  FakeHttpClient client([&n](const net::HttpRequest& request) {
    if (n++ % 2 == 1)
      throw EnvironmentError(request.url, "connection failed: refused");
    return BuiltinAnswer(request);
  });
  TrafficOptions options;
  options.base_url = "http://h";
  options.requests = 6;
  options.concurrency = 1;
  TrafficTally tally = SendTraffic(client, options);
  EXPECT_EQ(tally.sent(), 6u);
  EXPECT_EQ(tally.no_response(), 3u);
  EXPECT_EQ(tally.first_no_response(), "connection failed: refused");
  EXPECT_EQ(tally.Summary().sent, 3u);
}

TEST(SendTraffic, OtherExceptionsStopTheRunAndAreRethrown) {
  FakeHttpClient client([](const net::HttpRequest&) -> net::HttpResponse {
    throw std::logic_error("bug in the client");
  });
  TrafficOptions options;
  options.base_url = "http://h";
  options.requests = 50;
  options.concurrency = 4;
  EXPECT_THROW(SendTraffic(client, options), std::logic_error);
  EXPECT_LT(client.requests().size(), 50u);  // the others stopped rather than run on
}

TEST(SendTraffic, NoRequestsSendsNothing) {
  FakeHttpClient client;
  TrafficOptions options;
  options.requests = 0;
  EXPECT_EQ(SendTraffic(client, options).sent(), 0u);
  EXPECT_THAT(client.requests(), IsEmpty());
}

}  // namespace
}  // namespace hfi::local

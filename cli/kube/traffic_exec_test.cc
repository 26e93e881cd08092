#include "kube/traffic_exec.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <mutex>
#include <string>
#include <vector>

#include "kube/fake_kubectl.h"
#include "util/errors.h"

namespace hfi::kube {
namespace {

using hfi::kube::testing::FakeKubectl;
using std::chrono::milliseconds;

// What the loop prints for one response (curl -D - lines end with CRLF).
std::string Block(const std::string& status_line, const std::string& headers, int curl_exit = 0) {
  return status_line + "\r\n" + headers + "\r\n@@hfi-metrics request end " +
         std::to_string(curl_exit) + "\n";
}

TEST(TrafficExecTest, ArgsCarryTheUrlOutsideTheScript) {
  const std::vector<std::string> args = TrafficExecArgs(
      {"demo", "curl-7c9"}, "http://frontend.demo:8080/api/?a=1&b='x'", 12, milliseconds(2500));
  ASSERT_GE(args.size(), 12u);
  EXPECT_EQ(std::vector<std::string>(args.begin(), args.begin() + 7),
            (std::vector<std::string>{"exec", "curl-7c9", "-n", "demo", "--", "sh", "-c"}));
  EXPECT_EQ(args[7].find("frontend"), std::string::npos);  // the script never holds the URL
  EXPECT_EQ(std::vector<std::string>(args.begin() + 8, args.end()),
            (std::vector<std::string>{"hfi-metrics-traffic",
                                      "http://frontend.demo:8080/api/?a=1&b='x'", "12", "3"}));
}

TEST(TrafficExecTest, ParsesStatusAndFaultMarks) {
  const std::string output =
      Block("HTTP/1.1 503 Service Unavailable",
            "x-fault-injected: abort\r\ncontent-length: 0\r\n") +
      Block("HTTP/2 200", "X-Fault-Injected: delay\r\n") +
      Block("HTTP/1.1 200 OK", "server: envoy\r\n") +
      "curl: (28) Operation timed out after 3001 milliseconds\n@@hfi-metrics request end 28\n" +
      "HTTP/1.1 100 Continue\r\n\r\n" + Block("HTTP/1.1 204 No Content", "");
  const std::vector<ExecResponse> outcomes = ParseTrafficOutput(output);
  ASSERT_EQ(outcomes.size(), 5u);
  ASSERT_TRUE(outcomes[0].response);
  EXPECT_EQ(outcomes[0].response->status, 503);
  EXPECT_EQ(outcomes[0].response->Header("x-fault-injected"), "abort");
  ASSERT_TRUE(outcomes[1].response);
  EXPECT_EQ(outcomes[1].response->status, 200);
  EXPECT_EQ(outcomes[1].response->Header("x-fault-injected"), "delay");
  ASSERT_TRUE(outcomes[2].response);
  EXPECT_EQ(outcomes[2].response->Header("x-fault-injected"), "");
  EXPECT_FALSE(outcomes[3].response);
  EXPECT_EQ(outcomes[3].curl_exit, 28);
  EXPECT_EQ(outcomes[3].no_response, "timed out (curl exit 28)");
  // An interim 100 before the final response: the last status line counts.
  ASSERT_TRUE(outcomes[4].response);
  EXPECT_EQ(outcomes[4].response->status, 204);
}

TEST(TrafficExecTest, IgnoresABlockCutShort) {
  const std::string output = Block("HTTP/1.1 200 OK", "") + "HTTP/1.1 503 Service Unavailable\r\n";
  EXPECT_EQ(ParseTrafficOutput(output).size(), 1u);
  EXPECT_TRUE(ParseTrafficOutput("").empty());
  EXPECT_TRUE(ParseTrafficOutput("@@hfi-metrics request end").empty());  // no line end
}

TEST(TrafficExecTest, SplitsTheRequestsOverExecs) {
  FakeKubectl kubectl;
  kubectl.OnRun({"exec", "curl-0"}, [](const std::vector<std::string>& args) {
    KubectlResult result;
    const int share = std::stoi(args[args.size() - 2]);
    for (int k = 0; k < share; ++k) {
      result.out += Block("HTTP/1.1 503 Service Unavailable",
                          k % 2 == 0 ? "x-fault-injected: abort\r\n" : "");
    }
    return result;
  });
  std::mutex mutex;
  std::size_t aborted = 0, total = 0;
  PodTrafficOptions options;
  options.url = "http://frontend:8080/";
  options.requests = 10;
  options.concurrency = 3;
  options.on_response = [&](const ExecResponse& outcome) {
    std::lock_guard<std::mutex> lock(mutex);
    ++total;
    if (outcome.response && outcome.response->Header("x-fault-injected") == "abort")
      ++aborted;
  };
  SendTrafficFromPod(kubectl, {"", "curl-0"}, options);
  EXPECT_EQ(total, 10u);
  // Shares of 4, 3 and 3: each marks its even-numbered requests.
  EXPECT_EQ(aborted, 2u + 2u + 2u);
  std::vector<std::string> shares;
  for (const auto& call : kubectl.calls())
    shares.push_back(call[call.size() - 2]);
  std::sort(shares.begin(), shares.end());
  EXPECT_EQ(shares, (std::vector<std::string>{"3", "3", "4"}));
}

TEST(TrafficExecTest, ExecForbiddenNamesTheVerb) {
  FakeKubectl kubectl;
  KubectlResult denied;
  denied.exit_code = 1;
  denied.err =
      "Error from server (Forbidden): pods \"curl-0\" is forbidden: User \"dev\" cannot create "
      "resource \"pods/exec\" in API group \"\" in the namespace \"demo\"\n";
  kubectl.OnRun({"exec"}, denied);
  PodTrafficOptions options;
  options.url = "http://frontend:8080/";
  options.requests = 4;
  options.on_response = [](const ExecResponse&) {};
  try {
    SendTrafficFromPod(kubectl, {"demo", "curl-0"}, options);
    FAIL() << "no error";
  } catch (const EnvironmentError& e) {
    EXPECT_EQ(e.subject(), "--traffic-from curl-0");
    EXPECT_NE(e.hint().find("create pods/exec"), std::string::npos) << e.hint();
  }
}

TEST(TrafficExecTest, NoCurlInTheContainer) {
  FakeKubectl kubectl;
  KubectlResult result;
  result.out = "@@hfi-metrics request end 127\n@@hfi-metrics request end 127\n";
  result.err = "sh: 1: curl: not found\nsh: 1: curl: not found\n";
  kubectl.OnRun({"exec"}, result);
  PodTrafficOptions options;
  options.url = "http://frontend:8080/";
  options.requests = 2;
  options.concurrency = 1;
  options.on_response = [](const ExecResponse&) { ADD_FAILURE() << "a response was tallied"; };
  try {
    SendTrafficFromPod(kubectl, {"demo", "app-0"}, options);
    FAIL() << "no error";
  } catch (const EnvironmentError& e) {
    EXPECT_EQ(e.reason(), "the pod's container has no curl");
  }
}

}  // namespace
}  // namespace hfi::kube

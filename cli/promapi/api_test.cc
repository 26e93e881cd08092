#include "promapi/api.h"

#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "promapi/fake_prometheus.h"
#include "util/errors.h"

namespace hfi::promapi {
namespace {

using testing::Answer;
using testing::FakePrometheus;
using testing::Fixture;

ApiOptions Options() {
  ApiOptions options;
  options.base_url = "http://prom.test:9090/";
  return options;
}

// The one-line message the command would print, for matching.
std::string MessageOf(const std::function<void()>& call) {
  try {
    call();
  } catch (const EnvironmentError& e) {
    return FormatError(e);
  }
  return "(no EnvironmentError)";
}

TEST(PromApi, BuildInfoReadsTheVersionAndSendsTheHeaders) {
  FakePrometheus fake;
  fake.paths["/api/v1/status/buildinfo"] = Answer(200, Fixture("buildinfo.json"));
  ApiOptions options = Options();
  options.headers = {{"Authorization", "Bearer abc"}};
  Client client(fake, options);
  BuildInfo info = client.GetBuildInfo();
  EXPECT_EQ(info.version, "2.42.0+ds");
  ASSERT_EQ(fake.requests.size(), 1u);
  const net::HttpRequest& request = fake.requests[0];
  EXPECT_EQ(request.method, "GET");
  EXPECT_EQ(request.url, "http://prom.test:9090/api/v1/status/buildinfo");  // no double slash
  EXPECT_EQ(request.timeout, std::chrono::milliseconds(10'000));
  bool auth = false;
  for (const auto& [name, value] : request.headers)
    auth = auth || (name == "Authorization" && value == "Bearer abc");
  EXPECT_TRUE(auth);
}

TEST(PromApi, TlsOptionsReachTheRequest) {
  FakePrometheus fake;
  fake.paths["/api/v1/status/buildinfo"] = Answer(200, Fixture("buildinfo.json"));
  ApiOptions options = Options();
  options.base_url = "https://prom.test";
  options.ca_file = "/etc/ca.pem";
  options.insecure_skip_tls_verify = true;
  options.timeout = std::chrono::milliseconds(2'500);
  Client client(fake, options);
  client.GetBuildInfo();
  EXPECT_EQ(fake.requests[0].ca_file, "/etc/ca.pem");
  EXPECT_TRUE(fake.requests[0].insecure_skip_tls_verify);
  EXPECT_EQ(fake.requests[0].timeout, std::chrono::milliseconds(2'500));
  EXPECT_EQ(fake.requests[0].connect_timeout, std::chrono::milliseconds(2'500));
}

TEST(PromApi, QueryPostsTheFormAndReadsTheVector) {
  FakePrometheus fake;
  fake.paths["/api/v1/query"] = Answer(200, Fixture("query_vector.json"));
  Client client(fake, Options());
  std::vector<Sample> samples = client.Query("up{job=\"kubernetes-pods\",pod=~\"a|b\"}");
  ASSERT_EQ(samples.size(), 2u);
  EXPECT_EQ(samples[0].labels.at("pod"), "frontend-7d9c8b7f5-x2x9k");
  EXPECT_EQ(samples[0].labels.at("__name__"), "up");
  EXPECT_EQ(samples[0].value, "1");
  EXPECT_EQ(samples[1].value, "0");
  EXPECT_DOUBLE_EQ(samples[0].timestamp, 1795952410.514);
  const net::HttpRequest& request = fake.requests[0];
  EXPECT_EQ(request.method, "POST");
  EXPECT_EQ(request.url, "http://prom.test:9090/api/v1/query");
  EXPECT_EQ(request.body, "query=up%7Bjob%3D%22kubernetes-pods%22%2Cpod%3D~%22a%7Cb%22%7D");
  EXPECT_EQ(request.body.find(' '), std::string::npos);
}

TEST(PromApi, AScalarIsNotAnInstantVector) {
  FakePrometheus fake;
  fake.paths["/api/v1/query"] = Answer(200, Fixture("query_scalar.json"));
  Client client(fake, Options());
  EXPECT_NE(MessageOf([&] { client.Query("1"); }).find("not an instant vector"), std::string::npos);
}

TEST(PromApi, ActiveTargetsReadHealthErrorsAndScrapeTimes) {
  FakePrometheus fake;
  fake.paths["/api/v1/targets"] = Answer(200, Fixture("targets.json"));
  Client client(fake, Options());
  std::vector<Target> targets = client.ActiveTargets();
  EXPECT_EQ(fake.requests[0].url, "http://prom.test:9090/api/v1/targets?state=active");
  ASSERT_EQ(targets.size(), 3u);
  EXPECT_EQ(targets[0].health, "up");
  EXPECT_EQ(targets[0].labels.at("pod"), "frontend-7d9c8b7f5-x2x9k");
  EXPECT_EQ(targets[0].discovered_labels.at("__meta_kubernetes_namespace"), "demo");
  EXPECT_EQ(targets[0].scrape_url, "http://10.1.0.7:15020/stats/prometheus");
  EXPECT_EQ(targets[0].scrape_pool, "kubernetes-pods");
  ASSERT_TRUE(targets[0].last_scrape.has_value());
  EXPECT_NEAR(*targets[0].last_scrape, 1795952405.123456789, 1e-3);
  EXPECT_NEAR(targets[0].last_scrape_duration, 0.012345678, 1e-9);
  EXPECT_EQ(targets[1].health, "down");
  EXPECT_NE(targets[1].last_error.find("connection refused"), std::string::npos);
  ASSERT_TRUE(targets[1].last_scrape.has_value());
  EXPECT_NEAR(*targets[1].last_scrape, 1795952401.5, 1e-6);  // +01:00 offset applied
  EXPECT_EQ(targets[2].health, "unknown");
  EXPECT_FALSE(targets[2].last_scrape.has_value());  // Go's zero time: never scraped
}

TEST(PromApi, MetadataAndSeries) {
  FakePrometheus fake;
  fake.paths["/api/v1/metadata"] = Answer(200, Fixture("metadata.json"));
  fake.paths["/api/v1/series"] = Answer(200, Fixture("series.json"));
  Client client(fake, Options());
  auto metadata = client.Metadata("wasmcustom_hfi_faults_delay_duration_milliseconds");
  EXPECT_EQ(fake.requests[0].url,
            "http://prom.test:9090/api/v1/metadata?"
            "metric=wasmcustom_hfi_faults_delay_duration_milliseconds");
  ASSERT_EQ(metadata.size(), 1u);
  EXPECT_EQ(metadata["wasmcustom_hfi_faults_delay_duration_milliseconds"].at(0).type, "histogram");

  std::vector<Labels> series =
      client.Series("{__name__=~\".*aborts_total.*\"}", std::chrono::seconds(600));
  ASSERT_EQ(series.size(), 1u);
  EXPECT_EQ(series[0].at("__name__"), "hfi_aborts_total");
  const std::string& body = fake.requests[1].body;
  EXPECT_EQ(body.rfind("match%5B%5D=%7B__name__%3D~%22.%2Aaborts_total.%2A%22%7D&start=", 0), 0u)
      << body;
  EXPECT_NE(body.find("&end="), std::string::npos);
  EXPECT_EQ(client.requests(), 2u);
}

TEST(PromApi, RefusedConnectionNamesTheServerAndAPortForward) {
  FakePrometheus fake;
  fake.other = [](const net::HttpRequest& request) -> net::HttpResponse {
    throw EnvironmentError(request.url, "connection failed: Connection refused");
  };
  fake.paths.clear();
  Client client(fake, Options());
  const std::string message = MessageOf([&] { client.GetBuildInfo(); });
  EXPECT_EQ(message.rfind("hfi-metrics: http://prom.test:9090: cannot reach the Prometheus "
                          "server: connection failed: Connection refused (",
                          0),
            0u)
      << message;
  EXPECT_NE(message.find("port-forward svc/prometheus 9090"), std::string::npos);
  EXPECT_EQ(message.find('\n'), std::string::npos);
}

TEST(PromApi, TimeoutSaysWhichFlagToRaise) {
  FakePrometheus fake;
  fake.other = [](const net::HttpRequest& request) -> net::HttpResponse {
    throw EnvironmentError(request.url, "no complete response within 10000 ms");
  };
  Client client(fake, Options());
  const std::string message = MessageOf([&] { client.ActiveTargets(); });
  EXPECT_NE(message.find("/api/v1/targets: no complete response within 10000 ms"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("--prometheus-timeout"), std::string::npos);
}

TEST(PromApi, HtmlPageIsNotAPrometheusServer) {
  FakePrometheus fake;
  fake.other = [](const net::HttpRequest&) {
    return Answer(200, Fixture("not_prometheus.html"), "text/html; charset=utf-8");
  };
  Client client(fake, Options());
  const std::string message = MessageOf([&] { client.GetBuildInfo(); });
  EXPECT_NE(message.find("does not answer as a Prometheus server (GET "
                         "/api/v1/status/buildinfo: HTTP 200, text/html)"),
            std::string::npos)
      << message;
}

TEST(PromApi, NotFoundEverywhereIsNotAPrometheusServer) {
  FakePrometheus fake;  // every path 404, text/plain
  Client client(fake, Options());
  const std::string message = MessageOf([&] { client.GetBuildInfo(); });
  EXPECT_NE(message.find("does not answer as a Prometheus server (GET /api/v1/status/buildinfo: "
                         "HTTP 404"),
            std::string::npos)
      << message;
  EXPECT_EQ(fake.requests.size(), 2u);  // buildinfo, then a query as the second chance
}

TEST(PromApi, ServerWithoutBuildInfoButWithQueriesIsAccepted) {
  FakePrometheus fake;
  fake.paths["/api/v1/query"] = Answer(200, Fixture("query_vector.json"));
  Client client(fake, Options());
  EXPECT_EQ(client.GetBuildInfo().version, "unknown");
}

TEST(PromApi, JsonWithoutStatusIsNotAPrometheusServer) {
  FakePrometheus fake;
  fake.paths["/api/v1/status/buildinfo"] = Answer(200, R"({"version":"1.0"})");
  Client client(fake, Options());
  EXPECT_NE(MessageOf([&] { client.GetBuildInfo(); }).find("does not answer as a Prometheus"),
            std::string::npos);
}

TEST(PromApi, UnauthorizedNamesTheAuthOptions) {
  FakePrometheus fake;
  fake.paths["/api/v1/status/buildinfo"] = Answer(401, "Unauthorized\n", "text/plain");
  ApiOptions options = Options();
  options.auth_description = "the bearer token in /run/token";
  Client client(fake, options);
  const std::string message = MessageOf([&] { client.GetBuildInfo(); });
  EXPECT_NE(message.find("HTTP 401 on /api/v1/status/buildinfo: the server refused the bearer "
                         "token in /run/token"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("--prometheus-token-file"), std::string::npos);

  FakePrometheus forbidden;
  forbidden.paths["/api/v1/status/buildinfo"] = Answer(403, "Forbidden", "text/plain");
  Client anonymous(forbidden, Options());
  EXPECT_NE(MessageOf([&] {
              anonymous.GetBuildInfo();
            }).find("HTTP 403 on /api/v1/status/buildinfo: the server wants credentials"),
            std::string::npos);
}

TEST(PromApi, ApiErrorQuotesTypeAndText) {
  FakePrometheus fake;
  fake.paths["/api/v1/query"] = Answer(400, Fixture("error_bad_data.json"));
  Client client(fake, Options());
  const std::string message = MessageOf([&] { client.Query("up{job=}"); });
  EXPECT_NE(message.find("Prometheus API /api/v1/query failed: bad_data: invalid parameter "
                         "\"query\": 1:4: parse error"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("--match"), std::string::npos);
}

TEST(PromApi, AServerNotReadyIsUnavailableNotForeign) {
  FakePrometheus fake;
  fake.paths["/api/v1/status/buildinfo"] = Answer(503, "Service Unavailable", "text/plain");
  Client client(fake, Options());
  const std::string message = MessageOf([&] { client.GetBuildInfo(); });
  EXPECT_NE(message.find("the server or a proxy in front of it is unavailable (GET "
                         "/api/v1/status/buildinfo: HTTP 503, text/plain: Service Unavailable)"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("retry in a moment"), std::string::npos) << message;
  EXPECT_EQ(message.find("not answer as a Prometheus server"), std::string::npos) << message;
}

TEST(PromApi, ServerErrorTextIsOneBoundedLine) {
  FakePrometheus fake;
  fake.paths["/api/v1/query"] =
      Answer(422, R"({"status":"error","errorType":"exec\nution","error":"first line\nsecond )" +
                      std::string(500, 'x') + R"("})");
  Client client(fake, Options());
  const std::string message = MessageOf([&] { client.Query("up"); });
  EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  EXPECT_NE(message.find("exec ution: first line second xxx"), std::string::npos) << message;
  EXPECT_LT(message.size(), 400u) << message;
}

TEST(PromApi, AnswersAreCappedBelowTheHttpClientsLimit) {
  FakePrometheus fake;
  fake.paths["/api/v1/query"] = Answer(200, Fixture("query_vector.json"));
  Client client(fake, Options());
  client.Query("up");
  ASSERT_EQ(fake.requests.size(), 1u);
  EXPECT_EQ(fake.requests[0].max_body_bytes, std::size_t{256} << 20);
}

TEST(PromApi, NativeHistogramSamplesAreLeftOutAndNamed) {
  FakePrometheus fake;
  fake.paths["/api/v1/query"] = Answer(200, R"({"status":"success","data":{"resultType":"vector",
      "result":[
        {"metric":{"__name__":"wasmcustom_hfi_faults_aborts_total","pod":"a"},
         "value":[1795952410.5,"3"]},
        {"metric":{"__name__":"wasmcustom_hfi_faults_delay_duration_milliseconds","pod":"a"},
         "histogram":[1795952410.5,{"count":"2","sum":"41.5","buckets":[[0,"25","50","2"]]}]}
      ]}})");
  Client client(fake, Options());
  const std::vector<Sample> samples = client.Query("{__name__=~\"wasmcustom_hfi.*\"}");
  ASSERT_EQ(samples.size(), 1u);
  EXPECT_EQ(samples[0].labels.at("__name__"), "wasmcustom_hfi_faults_aborts_total");
  EXPECT_EQ(client.native_histograms(),
            std::set<std::string>{"wasmcustom_hfi_faults_delay_duration_milliseconds"});
}

// Query frontends and remote storage answer queries but have no targets or metadata: the fleet
// is then checked from its series alone.
TEST(PromApi, TargetsAndMetadataMayBeMissing) {
  FakePrometheus fake;  // every other path 404
  std::vector<std::string> log;
  ApiOptions options = Options();
  options.log = [&log](const std::string& line) { log.push_back(line); };
  Client client(fake, options);
  EXPECT_TRUE(client.ActiveTargets().empty());
  EXPECT_TRUE(client.Metadata("wasmcustom_hfi_faults_aborts_total").empty());
  EXPECT_EQ(fake.requests.size(), 2u);
  bool said = false;
  for (const std::string& line : log)
    said = said || line == "/api/v1/targets: not served here (HTTP 404); going on without it";
  EXPECT_TRUE(said);

  FakePrometheus broken;
  broken.paths["/api/v1/targets"] = Answer(500, "boom", "text/plain");
  Client other(broken, Options());
  EXPECT_NE(MessageOf([&] { other.ActiveTargets(); }).find("unavailable"), std::string::npos);
}

TEST(PromApi, WarningsOfPartialAnswersAreKeptAndLogged) {
  FakePrometheus fake;
  fake.paths["/api/v1/query"] = Answer(200, R"({"status":"success","warnings":[
      "store 10.0.0.7:10901 unreachable\nretrying", "store 10.0.0.7:10901 unreachable\nretrying",
      7],"data":{"resultType":"vector","result":[]}})");
  std::vector<std::string> log;
  ApiOptions options = Options();
  options.log = [&log](const std::string& line) { log.push_back(line); };
  Client client(fake, options);
  EXPECT_TRUE(client.Query("up").empty());
  EXPECT_EQ(client.warnings(), std::set<std::string>{"store 10.0.0.7:10901 unreachable retrying"});
  bool logged = false;
  for (const std::string& line : log)
    logged = logged || line == "/api/v1/query: warning: store 10.0.0.7:10901 unreachable retrying";
  EXPECT_TRUE(logged);
}

TEST(PromApi, LogsEachCallWithStatusAndTime) {
  FakePrometheus fake;
  fake.paths["/api/v1/status/buildinfo"] = Answer(200, Fixture("buildinfo.json"));
  std::vector<std::string> lines;
  ApiOptions options = Options();
  options.log = [&lines](const std::string& line) { lines.push_back(line); };
  Client client(fake, options);
  client.GetBuildInfo();
  ASSERT_EQ(lines.size(), 1u);
  EXPECT_EQ(lines[0], "GET http://prom.test:9090/api/v1/status/buildinfo: HTTP 200, 0 ms");
}

TEST(PromQl, MatcherListSelectorAndLabelSets) {
  EXPECT_EQ(MatcherList("job=\"x\""), "job=\"x\"");
  EXPECT_EQ(MatcherList("  {job=\"x\",ns=~\"a|b\"} "), "job=\"x\",ns=~\"a|b\"");
  EXPECT_EQ(MatcherList("   "), "");
  EXPECT_EQ(MatcherList("{}"), "");
  EXPECT_EQ(Selector("", ""), "{}");
  EXPECT_EQ(Selector("__name__=\"up\"", ""), "{__name__=\"up\"}");
  EXPECT_EQ(Selector("", "job=\"x\""), "{job=\"x\"}");
  EXPECT_EQ(Selector("__name__=\"up\"", "job=\"x\""), "{__name__=\"up\",job=\"x\"}");
  EXPECT_EQ(LabelSetText({{"b", "say \"hi\""}, {"a", "c:\\d"}}),
            "{a=\"c:\\\\d\",b=\"say \\\"hi\\\"\"}");
  EXPECT_EQ(LabelSetText({}), "{}");
}

TEST(PromApi, Rfc3339) {
  EXPECT_DOUBLE_EQ(*ParseRfc3339("1970-01-01T00:00:00Z"), 0);
  EXPECT_DOUBLE_EQ(*ParseRfc3339("2000-03-01T00:00:00Z"), 951868800);
  EXPECT_DOUBLE_EQ(*ParseRfc3339("2000-03-01T01:30:00+01:30"), 951868800);
  EXPECT_DOUBLE_EQ(*ParseRfc3339("2000-02-29T23:00:00-01:00"), 951868800);
  EXPECT_NEAR(*ParseRfc3339("2026-11-29T11:40:05.25Z"), 1795952405.25, 1e-6);
  EXPECT_FALSE(ParseRfc3339("0001-01-01T00:00:00Z"));
  EXPECT_FALSE(ParseRfc3339(""));
  EXPECT_FALSE(ParseRfc3339("2026-11-29"));
  EXPECT_FALSE(ParseRfc3339("2026-11-29T11:40:05"));  // no zone
  EXPECT_FALSE(ParseRfc3339("2026-11-29T11:40:05.Z"));
  EXPECT_FALSE(ParseRfc3339("2026-13-29T11:40:05Z"));
  EXPECT_FALSE(ParseRfc3339("2026-11-29T11:40:05Zjunk"));
}

TEST(PromApi, Encoding) {
  EXPECT_EQ(UrlEncode("a-b_c.d~e"), "a-b_c.d~e");
  EXPECT_EQ(UrlEncode("{a=\"b c\"}&+"), "%7Ba%3D%22b%20c%22%7D%26%2B");
  EXPECT_EQ(PromQlString("a\"b\\c\nd"), "\"a\\\"b\\\\c\\nd\"");
}

}  // namespace
}  // namespace hfi::promapi

// The Prometheus HTTP API (v1) as verify needs it: instant queries, series, active targets,
// metric metadata and build information, over net::HttpClient, answers parsed into plain structs.
// Every failure is one EnvironmentError (exit 2) that names the server and says what to do:
// unreachable, too slow, not a Prometheus server at all, credentials refused, or an API error.
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "net/http_client.h"

namespace hfi::promapi {

using Labels = std::map<std::string, std::string>;

struct ApiOptions {
  std::string base_url;  // http(s)://HOST:PORT[/prefix], without a trailing slash
  // Sent with every request (Authorization for a bearer token or basic auth).
  net::HeaderPairs headers;
  std::chrono::milliseconds timeout{10'000};  // each request
  std::string ca_file;                        // https: PEM bundle to trust
  bool insecure_skip_tls_verify = false;
  // -v: one line per request: method, URL, status (or the failure), milliseconds.
  std::function<void(const std::string&)> log;
  // Which of --prometheus-token-file / --prometheus-user was given, for the 401/403 message.
  std::string auth_description;
};

// One element of an instant vector: the series' labels (with __name__) and its value at the
// evaluation time, as Prometheus formats it ("1", "0.5", "+Inf", "NaN").
struct Sample {
  Labels labels;
  double timestamp = 0;  // seconds since the epoch: the query's evaluation time
  std::string value;
};

struct Target {
  Labels labels;             // after relabelling: what the target's series carry
  Labels discovered_labels;  // before relabelling
  std::string scrape_pool;
  std::string scrape_url;
  std::string health;  // "up", "down", "unknown"
  std::string last_error;
  // Seconds since the epoch; nullopt when never scraped (Prometheus then writes year 1).
  std::optional<double> last_scrape;
  double last_scrape_duration = 0;  // seconds
};

struct MetricMetadata {
  std::string type;  // "counter", "gauge", "histogram", "summary", "unknown", ...
  std::string help;
  std::string unit;
};

struct BuildInfo {
  std::string version;
  std::string revision;
};

class Client {
 public:
  Client(net::HttpClient& http, ApiOptions options);

  // GET /api/v1/status/buildinfo. A server that answers it with anything but Prometheus' JSON
  // is not a Prometheus server (EnvironmentError). Some compatible servers lack this endpoint;
  // a 404 is then checked again against /api/v1/query before the server is refused.
  BuildInfo GetBuildInfo();

  // POST /api/v1/query (form body: long matchers for a thousand pods fit where a URL would not).
  // Throws EnvironmentError for a result that is not an instant vector. Native-histogram samples
  // are left out and their names kept in native_histograms().
  std::vector<Sample> Query(const std::string& promql);

  // Metric names that answers so far held as native histograms, which have no _bucket series.
  const std::set<std::string>& native_histograms() const { return native_histograms_; }

  // The "warnings" of successful answers so far (a partial answer says so there), up to five.
  const std::set<std::string>& warnings() const { return warnings_; }

  // POST /api/v1/series with one match[] and the window [now - lookback, now].
  std::vector<Labels> Series(const std::string& match, std::chrono::seconds lookback);

  // GET /api/v1/targets?state=active; none from a server without the endpoint (404: remote
  // storage and query frontends that serve queries only).
  std::vector<Target> ActiveTargets();

  // GET /api/v1/metadata?metric=NAME: the metadata per metric name (empty when unknown, or when
  // the server lacks the endpoint).
  std::map<std::string, std::vector<MetricMetadata>> Metadata(const std::string& metric);

  // How many requests this client sent.
  std::size_t requests() const { return requests_; }

 private:
  // Sends one request (the form as query string for GET, as body for POST) and returns the
  // "data" member of a successful answer.
  nlohmann::json Call(const std::string& method, const std::string& path, const std::string& form);
  // A GET of an endpoint some compatible servers lack: nullopt for a 404.
  std::optional<nlohmann::json> CallOptional(const std::string& path, const std::string& form);

  net::HttpClient& http_;
  ApiOptions options_;
  std::size_t requests_ = 0;
  std::set<std::string> native_histograms_;
  std::set<std::string> warnings_;
};

// Percent-encodes for a query string or a form body (RFC 3986 unreserved characters kept).
std::string UrlEncode(std::string_view text);

// A PromQL string literal: "..." with backslashes, quotes and newlines escaped.
std::string PromQlString(std::string_view text);

// --match as the inside of a selector: `job="x"` and `{job="x"}` both give `job="x"`.
std::string MatcherList(std::string_view match);

// `{NAME_MATCHER,REST}`, either part possibly empty: Selector("", "a=\"b\"") is `{a="b"}`.
std::string Selector(const std::string& name_matcher, const std::string& rest);

// A label set as PromQL writes it: {a="x",b="y"}, names sorted.
std::string LabelSetText(const Labels& labels);

// "2017-01-17T15:07:44.723715405+01:00" → seconds since the epoch; nullopt for text that is not
// RFC 3339 or for a year before 1970 (Go's zero time, "never").
std::optional<double> ParseRfc3339(std::string_view text);

}  // namespace hfi::promapi

#include "promapi/api.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdio>
#include <ctime>
#include <nlohmann/json.hpp>
#include <utility>

#include "util/errors.h"

namespace hfi::promapi {
namespace {

using Json = nlohmann::json;

constexpr const char* kReachHint =
    "check the URL and that the server runs; in a cluster: kubectl -n istio-system "
    "port-forward svc/prometheus 9090, then --prometheus http://localhost:9090";
// Far above a fleet's answer (10,000 targets take some 20 MB of /api/v1/targets).
constexpr std::size_t kMaxAnswerBytes = std::size_t{256} << 20;
constexpr std::size_t kMaxWarnings = 5;  // distinct ones kept
constexpr const char* kBaseUrlHint =
    "pass the server's base URL, the one whose /api/v1/query answers, e.g. "
    "http://prometheus.istio-system:9090 (no /graph)";

std::string Milliseconds(std::chrono::nanoseconds elapsed) {
  return std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count()) +
         " ms";
}

std::string ContentType(const net::HttpResponse& response) {
  std::string type(response.Header("content-type"));
  const auto semicolon = type.find(';');
  return semicolon == std::string::npos ? type : type.substr(0, semicolon);
}

// The start of a body for a message: one line, printable, at most `limit` bytes.
std::string Excerpt(std::string_view body, std::size_t limit = 80) {
  std::string out;
  for (char c : body) {
    if (out.size() >= limit) {
      out += "...";
      break;
    }
    out += std::isprint(static_cast<unsigned char>(c)) ? c : ' ';
  }
  return out;
}

Labels ToLabels(const Json& object, const std::string& what, const std::string& server) {
  if (!object.is_object())
    throw EnvironmentError(server, what + ": a label set is not a JSON object", kBaseUrlHint);
  Labels labels;
  for (const auto& [name, value] : object.items()) {
    if (!value.is_string())
      throw EnvironmentError(server, what + ": label " + name + " is not a string", kBaseUrlHint);
    labels.emplace(name, value.get<std::string>());
  }
  return labels;
}

std::string StringField(const Json& object, const char* name) {
  auto it = object.find(name);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

int Digits(std::string_view text, std::size_t pos, std::size_t n) {
  if (pos + n > text.size())
    return -1;
  int value = 0;
  for (std::size_t i = pos; i < pos + n; ++i) {
    if (!std::isdigit(static_cast<unsigned char>(text[i])))
      return -1;
    value = value * 10 + (text[i] - '0');
  }
  return value;
}

// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
long long DaysFromCivil(int y, int m, int d) {
  y -= m <= 2 ? 1 : 0;
  const int era = (y >= 0 ? y : y - 399) / 400;
  const int yoe = y - era * 400;
  const int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  const int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return static_cast<long long>(era) * 146097 + doe - 719468;
}

}  // namespace

std::string UrlEncode(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3 / 2);
  for (char c : text) {
    const auto u = static_cast<unsigned char>(c);
    if (std::isalnum(u) || c == '-' || c == '_' || c == '.' || c == '~') {
      out += c;
    } else {
      out += '%';
      out += kHex[u >> 4];
      out += kHex[u & 15];
    }
  }
  return out;
}

std::string PromQlString(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    if (c == '\\' || c == '"')
      out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

std::optional<double> ParseRfc3339(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)
  const int year = Digits(text, 0, 4), month = Digits(text, 5, 2), day = Digits(text, 8, 2);
  const int hour = Digits(text, 11, 2), minute = Digits(text, 14, 2), second = Digits(text, 17, 2);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23 ||
      minute < 0 || minute > 59 || second < 0 || second > 60 || text[4] != '-' || text[7] != '-' ||
      (text[10] != 'T' && text[10] != 't' && text[10] != ' ') || text[13] != ':' ||
      text[16] != ':') {
    return std::nullopt;
  }
  if (year < 1970)
    return std::nullopt;
  std::size_t pos = 19;
  double fraction = 0;
  if (pos < text.size() && text[pos] == '.') {
    double scale = 0.1;
    ++pos;
    const std::size_t start = pos;
    while (pos < text.size() && std::isdigit(static_cast<unsigned char>(text[pos]))) {
      fraction += (text[pos] - '0') * scale;
      scale /= 10;
      ++pos;
    }
    if (pos == start)
      return std::nullopt;
  }
  long long offset = 0;
  if (pos < text.size() && (text[pos] == 'Z' || text[pos] == 'z')) {
    ++pos;
  } else if (pos < text.size() && (text[pos] == '+' || text[pos] == '-')) {
    const int oh = Digits(text, pos + 1, 2), om = Digits(text, pos + 4, 2);
    if (oh < 0 || om < 0 || pos + 3 >= text.size() || text[pos + 3] != ':')
      return std::nullopt;
    offset = (oh * 60LL + om) * 60 * (text[pos] == '+' ? 1 : -1);
    pos += 6;
  } else {
    return std::nullopt;
  }
  if (pos != text.size())
    return std::nullopt;
  const long long seconds =
      DaysFromCivil(year, month, day) * 86400 + hour * 3600LL + minute * 60LL + second - offset;
  return static_cast<double>(seconds) + fraction;
}

Client::Client(net::HttpClient& http, ApiOptions options)
    : http_(http), options_(std::move(options)) {
  while (options_.base_url.ends_with('/'))
    options_.base_url.pop_back();
}

Json Client::Call(const std::string& method, const std::string& path, const std::string& form) {
  const std::string& server = options_.base_url;
  net::HttpRequest request;
  request.method = method;
  request.url = server + path;
  if (method == "GET" && !form.empty())
    request.url += "?" + form;
  request.headers = options_.headers;
  request.headers.emplace_back("Accept", "application/json");
  if (method == "POST") {
    request.headers.emplace_back("Content-Type", "application/x-www-form-urlencoded");
    request.body = form;
  }
  request.timeout = options_.timeout;
  request.connect_timeout = std::min(options_.timeout, std::chrono::milliseconds(5'000));
  request.ca_file = options_.ca_file;
  request.insecure_skip_tls_verify = options_.insecure_skip_tls_verify;
  // The whole answer is parsed into a JSON tree several times its size: a misdirected URL or a
  // runaway answer stops here, not at the HTTP client's 1 GiB.
  request.max_body_bytes = kMaxAnswerBytes;
  // The log shows the path and, for a GET, the query; a POST's body is the query and is long.
  const std::string shown =
      method + " " + server + path + (method == "GET" && !form.empty() ? "?" + form : "");

  ++requests_;
  net::HttpResponse response;
  try {
    response = http_.Fetch(request);
  } catch (const InterruptedError&) {
    throw;
  } catch (const EnvironmentError& e) {
    if (options_.log)
      options_.log(shown + ": " + e.reason());
    const bool timeout = e.reason().starts_with("no complete response");
    if (timeout) {
      throw EnvironmentError(server, "Prometheus API " + path + ": " + e.reason(),
                             "raise --prometheus-timeout, or narrow the pods");
    }
    if (e.reason().starts_with("response body larger")) {
      throw EnvironmentError(server, "Prometheus API " + path + ": answer larger than 256 MiB",
                             "narrow the pods with -l, -n or --match");
    }
    if (e.reason().starts_with("TLS")) {
      throw EnvironmentError(server, e.reason(),
                             "pass the server's CA with --prometheus-ca FILE, or "
                             "--insecure-skip-tls-verify");
    }
    throw EnvironmentError(server, "cannot reach the Prometheus server: " + e.reason(), kReachHint);
  }
  if (options_.log) {
    options_.log(shown + ": HTTP " + std::to_string(response.status) + ", " +
                 Milliseconds(response.elapsed));
  }

  if (response.status == 401 || response.status == 403) {
    const std::string why =
        "HTTP " + std::to_string(response.status) + " on " + path + ": " +
        (options_.auth_description.empty() ? "the server wants credentials"
                                           : "the server refused " + options_.auth_description);
    throw EnvironmentError(server, why,
                           "pass --prometheus-token-file FILE (a bearer token) or "
                           "--prometheus-user USER --prometheus-password-file FILE");
  }

  Json body = Json::parse(response.body, nullptr, /*allow_exceptions=*/false);
  if (body.is_discarded() || !body.is_object() || !body.contains("status") ||
      !body["status"].is_string()) {
    const std::string type = ContentType(response);
    std::string seen = "HTTP " + std::to_string(response.status);
    if (!type.empty())
      seen += ", " + type;
    if (!response.body.empty() && type != "text/html")
      seen += ": " + Excerpt(response.body);
    // Prometheus answers 503 in plain text while it starts (replaying its WAL) or stops, and a
    // proxy in front of it 502/504: a server that is there but not ready.
    if (response.status >= 500) {
      throw EnvironmentError(server,
                             "the server or a proxy in front of it is unavailable (" + method +
                                 " " + path + ": " + seen + ")",
                             "retry in a moment; Prometheus answers 503 while it starts or stops");
    }
    throw EnvironmentError(
        server,
        "does not answer as a Prometheus server (" + method + " " + path + ": " + seen + ")",
        kBaseUrlHint);
  }
  if (body["status"] != "success") {
    std::string why = "Prometheus API " + path + " failed";
    // Prometheus writes one line; a proxy or a compatible server may not.
    const std::string type = Excerpt(StringField(body, "errorType"), 40),
                      error = Excerpt(StringField(body, "error"), 200);
    if (!type.empty())
      why += ": " + type;
    if (!error.empty())
      why += ": " + error;
    throw EnvironmentError(server, why,
                           type == "bad_data" ? "check --match, --pod-label and --namespace-label"
                                              : "look at the server's log");
  }
  if (!body.contains("data"))
    throw EnvironmentError(server, "Prometheus API " + path + ": answer without data",
                           kBaseUrlHint);
  // A successful answer can still be partial (a Thanos store or a remote-read endpoint down):
  // what is missing from it is then no verdict on the pods.
  if (const auto warnings = body.find("warnings"); warnings != body.end() && warnings->is_array()) {
    for (const Json& warning : *warnings) {
      if (!warning.is_string())
        continue;
      const std::string text = Excerpt(warning.get<std::string>(), 200);
      if (options_.log)
        options_.log(path + ": warning: " + text);
      if (warnings_.size() < kMaxWarnings)
        warnings_.insert(text);
    }
  }
  return std::move(body["data"]);
}

BuildInfo Client::GetBuildInfo() {
  const std::string path = "/api/v1/status/buildinfo";
  Json data;
  try {
    data = Call("GET", path, "");
  } catch (const EnvironmentError& e) {
    // Only a server without the endpoint (404, not JSON) gets the second chance of a query.
    if (e.reason().find("does not answer as a Prometheus server (GET " + path + ": HTTP 404") ==
        std::string::npos) {
      throw;
    }
    try {
      Query("vector(1)");
    } catch (const EnvironmentError&) {
      throw e;
    }
    return BuildInfo{"unknown", ""};
  }
  if (!data.is_object() || !data.contains("version") || !data["version"].is_string()) {
    throw EnvironmentError(options_.base_url,
                           "does not answer as a Prometheus server (" + path + " has no version)",
                           kBaseUrlHint);
  }
  return BuildInfo{StringField(data, "version"), StringField(data, "revision")};
}

std::vector<Sample> Client::Query(const std::string& promql) {
  const std::string path = "/api/v1/query";
  Json data = Call("POST", path, "query=" + UrlEncode(promql));
  const std::string& server = options_.base_url;
  if (!data.is_object() || StringField(data, "resultType") != "vector" ||
      !data.contains("result") || !data["result"].is_array()) {
    throw EnvironmentError(
        server, "Prometheus API " + path + ": the answer is not an instant vector", kBaseUrlHint);
  }
  std::vector<Sample> samples;
  samples.reserve(data["result"].size());
  for (const Json& item : data["result"]) {
    if (item.is_object() && item.contains("histogram") && !item.contains("value")) {
      // A native histogram (Prometheus >= 2.40): no classic series to rebuild a scrape from.
      const auto metric = item.find("metric");
      if (metric != item.end() && metric->is_object())
        native_histograms_.insert(StringField(*metric, "__name__"));
      continue;
    }
    const auto metric = item.find("metric");
    const auto value = item.find("value");
    if (!item.is_object() || metric == item.end() || value == item.end() || !value->is_array() ||
        value->size() != 2 || !(*value)[0].is_number() || !(*value)[1].is_string()) {
      throw EnvironmentError(
          server, "Prometheus API " + path + ": a sample is not [time, \"value\"]", kBaseUrlHint);
    }
    Sample sample;
    sample.labels = ToLabels(*metric, "Prometheus API " + path, server);
    sample.timestamp = (*value)[0].get<double>();
    sample.value = (*value)[1].get<std::string>();
    samples.push_back(std::move(sample));
  }
  return samples;
}

std::vector<Labels> Client::Series(const std::string& match, std::chrono::seconds lookback) {
  const std::string path = "/api/v1/series";
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  std::string form = "match%5B%5D=" + UrlEncode(match) +
                     "&start=" + std::to_string(now - lookback.count()) +
                     "&end=" + std::to_string(now);
  Json data = Call("POST", path, form);
  if (!data.is_array()) {
    throw EnvironmentError(options_.base_url,
                           "Prometheus API " + path + ": the answer is not a list", kBaseUrlHint);
  }
  std::vector<Labels> series;
  for (const Json& item : data)
    series.push_back(ToLabels(item, "Prometheus API " + path, options_.base_url));
  return series;
}

std::optional<Json> Client::CallOptional(const std::string& path, const std::string& form) {
  try {
    return Call("GET", path, form);
  } catch (const EnvironmentError& e) {
    if (e.reason().find("(GET " + path + ": HTTP 404") == std::string::npos)
      throw;
    if (options_.log)
      options_.log(path + ": not served here (HTTP 404); going on without it");
    return std::nullopt;
  }
}

std::vector<Target> Client::ActiveTargets() {
  const std::string path = "/api/v1/targets";
  std::optional<Json> answer = CallOptional(path, "state=active");
  if (!answer)
    return {};
  Json& data = *answer;
  const std::string& server = options_.base_url;
  if (!data.is_object() || !data.contains("activeTargets") || !data["activeTargets"].is_array()) {
    throw EnvironmentError(server, "Prometheus API " + path + ": no activeTargets list",
                           kBaseUrlHint);
  }
  std::vector<Target> targets;
  targets.reserve(data["activeTargets"].size());
  for (const Json& item : data["activeTargets"]) {
    if (!item.is_object())
      throw EnvironmentError(server, "Prometheus API " + path + ": a target is not an object",
                             kBaseUrlHint);
    Target target;
    if (item.contains("labels"))
      target.labels = ToLabels(item["labels"], "Prometheus API " + path, server);
    if (item.contains("discoveredLabels"))
      target.discovered_labels =
          ToLabels(item["discoveredLabels"], "Prometheus API " + path, server);
    target.scrape_pool = StringField(item, "scrapePool");
    target.scrape_url = StringField(item, "scrapeUrl");
    target.health = StringField(item, "health");
    target.last_error = StringField(item, "lastError");
    target.last_scrape = ParseRfc3339(StringField(item, "lastScrape"));
    if (auto it = item.find("lastScrapeDuration"); it != item.end() && it->is_number())
      target.last_scrape_duration = it->get<double>();
    targets.push_back(std::move(target));
  }
  return targets;
}

std::map<std::string, std::vector<MetricMetadata>> Client::Metadata(const std::string& metric) {
  const std::string path = "/api/v1/metadata";
  std::optional<Json> answer = CallOptional(path, "metric=" + UrlEncode(metric));
  std::map<std::string, std::vector<MetricMetadata>> out;
  if (!answer || !answer->is_object())
    return out;
  const Json& data = *answer;
  for (const auto& [name, entries] : data.items()) {
    if (!entries.is_array())
      continue;
    for (const Json& entry : entries) {
      if (entry.is_object()) {
        out[name].push_back(MetricMetadata{StringField(entry, "type"), StringField(entry, "help"),
                                           StringField(entry, "unit")});
      }
    }
  }
  return out;
}

std::string MatcherList(std::string_view match) {
  const auto first = match.find_first_not_of(" \t");
  const auto last = match.find_last_not_of(" \t");
  match = first == std::string_view::npos ? "" : match.substr(first, last - first + 1);
  if (match.size() >= 2 && match.front() == '{' && match.back() == '}')
    match = match.substr(1, match.size() - 2);
  return std::string(match);
}

std::string Selector(const std::string& name_matcher, const std::string& rest) {
  std::string inside = name_matcher;
  if (!rest.empty())
    inside += (inside.empty() ? "" : ",") + rest;
  return "{" + inside + "}";
}

std::string LabelSetText(const Labels& labels) {
  std::string text;
  for (const auto& [name, value] : labels)
    text += (text.empty() ? "" : ",") + name + "=" + PromQlString(value);
  return "{" + text + "}";
}

}  // namespace hfi::promapi

// A net::HttpClient answering as a Prometheus server would, for the promapi tests: canned
// responses by API path (and, for /api/v1/query, by a piece of the PromQL), every request
// recorded. JSON builders give answers in the server's own shapes.
#pragma once

#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "net/http_client.h"
#include "promapi/api.h"

namespace hfi::promapi::testing {

inline std::string SourceDir() {
  const char* dir = std::getenv("HFI_SOURCE_DIR");
  return dir != nullptr ? dir : HFI_SOURCE_DIR_DEFAULT;
}

inline std::string Fixture(const std::string& name) {
  std::ifstream in(SourceDir() + "/tests/data/promapi/" + name);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

inline net::HttpResponse Answer(long status, std::string body,
                                std::string type = "application/json") {
  net::HttpResponse response;
  response.status = status;
  response.headers = {{"content-type", std::move(type)}};
  response.body = std::move(body);
  return response;
}

inline std::string PathOf(const std::string& url) {
  std::size_t start = url.find("://");
  start = url.find('/', start == std::string::npos ? 0 : start + 3);
  if (start == std::string::npos)
    return "/";
  return url.substr(start, url.find('?', start) - start);
}

// "a%3Db+c" -> "a=b c": for reading the form bodies the client sends.
inline std::string UrlDecode(const std::string& text) {
  std::string out;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '%' && i + 2 < text.size()) {
      out += static_cast<char>(std::stoi(text.substr(i + 1, 2), nullptr, 16));
      i += 2;
    } else {
      out += text[i] == '+' ? ' ' : text[i];
    }
  }
  return out;
}

class FakePrometheus final : public net::HttpClient {
 public:
  // By path ("/api/v1/targets"). A query is answered by the first entry of `queries` whose key
  // the decoded PromQL contains, else by paths["/api/v1/query"].
  std::map<std::string, net::HttpResponse> paths;
  std::vector<std::pair<std::string, net::HttpResponse>> queries;
  // Answers everything else (direct scrapes); nullptr: 404.
  std::function<net::HttpResponse(const net::HttpRequest&)> other;

  net::HttpResponse Fetch(const net::HttpRequest& request) override {
    requests.push_back(request);
    const std::string path = PathOf(request.url);
    if (path == "/api/v1/query") {
      const std::string promql = UrlDecode(request.body.substr(request.body.find('=') + 1));
      for (const auto& [piece, response] : queries) {
        if (promql.find(piece) != std::string::npos)
          return response;
      }
    }
    if (auto it = paths.find(path); it != paths.end())
      return it->second;
    if (other)
      return other(request);
    return Answer(404, "404 page not found\n", "text/plain; charset=utf-8");
  }

  std::vector<net::HttpRequest> requests;
};

using Json = nlohmann::json;

inline std::string Success(Json data) {
  return Json{{"status", "success"}, {"data", std::move(data)}}.dump();
}

// An instant vector: each sample as {"metric": labels, "value": [time, "value"]}.
inline std::string Vector(const std::vector<std::pair<Labels, std::string>>& samples, double time) {
  Json result = Json::array();
  for (const auto& [labels, value] : samples)
    result.push_back(Json{{"metric", labels}, {"value", Json::array({time, value})}});
  return Success(Json{{"resultType", "vector"}, {"result", result}});
}

}  // namespace hfi::promapi::testing

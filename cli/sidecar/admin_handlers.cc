#include "sidecar/admin_handlers.h"

#include <optional>
#include <string>

#include "envoystats/admin_render.h"
#include "plugin/regex.h"
#include "sidecar/config_dump.h"

namespace hfi::sidecar {
namespace {

AdminResponse Text(int status, std::string body) {
  return {status, std::string(kTextContentType), std::move(body)};
}

AdminResponse Json(std::string body) {
  return {200, std::string(kJsonContentType), std::move(body)};
}

int HexValue(char c) {
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

std::string PercentDecode(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    int hi = -1, lo = -1;
    if (text[i] == '%' && i + 2 < text.size()) {
      hi = HexValue(text[i + 1]);
      lo = HexValue(text[i + 2]);
    }
    if (hi >= 0 && lo >= 0) {
      out.push_back(static_cast<char>(hi * 16 + lo));
      i += 2;
    } else {
      out.push_back(text[i]);
    }
  }
  return out;
}

// The handlers this admin serves, in the order Envoy's help lists them (alphabetical), with
// Envoy's help texts.
struct HandlerHelp {
  std::string_view path;
  std::string_view help;
};
constexpr HandlerHelp kHandlers[] = {
    {"/config_dump", "dump current Envoy configs (experimental)"},
    {"/ready", "print server state, return 200 if LIVE, otherwise return 503"},
    {"/server_info", "print server version/status information"},
    {"/stats", "print server stats"},
    {"/stats/prometheus", "print server stats in prometheus format"},
};

std::string Help() {
  std::string help = "admin commands are:\n";
  for (const HandlerHelp& handler : kHandlers) {
    help += "  ";
    help += handler.path;
    help += ": ";
    help += handler.help;
    help += "\n";
  }
  return help;
}

// `usedonly` and `filter=` as Envoy's StatsParams reads them; nullopt after setting *error to
// Envoy's 400 answer when the filter does not compile.
struct StatsQuery {
  bool used_only = false;
  std::optional<re::Regex> filter;
};
std::optional<StatsQuery> ReadStatsQuery(const std::map<std::string, std::string>& params,
                                         AdminResponse* error) {
  StatsQuery query;
  query.used_only = params.count("usedonly") != 0;
  if (auto it = params.find("filter"); it != params.end()) {
    re::Regex regex;
    std::string why;
    if (!re::Regex::Compile(it->second, &regex, &why)) {
      *error = Text(400, "Invalid re2 regex");
      return std::nullopt;
    }
    query.filter = std::move(regex);
  }
  return query;
}

envoystats::RenderOptions Options(const StatsQuery& query) {
  envoystats::RenderOptions options;
  options.used_only = query.used_only;
  options.filter = query.filter ? &*query.filter : nullptr;
  return options;
}

AdminResponse Stats(const std::map<std::string, std::string>& params, const AdminContext& context,
                    bool prometheus_path) {
  AdminResponse error;
  std::optional<StatsQuery> query = ReadStatsQuery(params, &error);
  if (!query)
    return error;
  std::string format = prometheus_path ? "prometheus" : "text";
  if (auto it = params.find("format"); !prometheus_path && it != params.end())
    format = it->second;
  const envoystats::RenderOptions options = Options(*query);
  if (format == "prometheus")
    return Text(200, envoystats::RenderPrometheus(*context.stats, options));
  if (format == "json")
    return Json(envoystats::RenderStatsJson(*context.stats, options));
  if (format == "text")
    return Text(200, envoystats::RenderStatsText(*context.stats, options));
  return Text(400, "usage: /stats?format=(json|prometheus|text)\n\n");
}

}  // namespace

std::string_view ServerStateName(ServerState state) {
  switch (state) {
    case ServerState::kPreInitializing:
      return "PRE_INITIALIZING";
    case ServerState::kLive:
      return "LIVE";
    case ServerState::kDraining:
      return "DRAINING";
  }
  return "LIVE";
}

std::map<std::string, std::string> ParseQuery(std::string_view query) {
  std::map<std::string, std::string> params;
  while (!query.empty()) {
    std::size_t amp = query.find('&');
    std::string_view item = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (item.empty())
      continue;
    std::size_t eq = item.find('=');
    std::string key = PercentDecode(item.substr(0, eq));
    std::string value = eq == std::string_view::npos ? "" : PercentDecode(item.substr(eq + 1));
    params.emplace(std::move(key), std::move(value));
  }
  return params;
}

AdminResponse HandleAdmin(std::string_view path_and_query, const AdminContext& context) {
  std::size_t question = path_and_query.find('?');
  std::string_view path = path_and_query.substr(0, question);
  std::map<std::string, std::string> params =
      ParseQuery(question == std::string_view::npos ? std::string_view()
                                                    : path_and_query.substr(question + 1));
  if (path == "/ready") {
    // Envoy's handlerReady: the state name and a newline, 503 unless LIVE.
    return Text(context.state == ServerState::kLive ? 200 : 503,
                std::string(ServerStateName(context.state)) + "\n");
  }
  if (path == "/stats")
    return Stats(params, context, false);
  if (path == "/stats/prometheus")
    return Stats(params, context, true);
  if (path == "/server_info")
    return Json(RenderServerInfo(context));
  if (path == "/config_dump")
    return Json(RenderConfigDump(context));
  // Envoy's answer to an unknown path: "invalid path. " then the help.
  return Text(404, "invalid path. " + Help());
}

}  // namespace hfi::sidecar

#include "sidecar/sidecar.h"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <map>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>
#include <vector>

#include "envoystats/stat_store.h"
#include "sidecar/admin_handlers.h"
#include "sidecar/http_server.h"
#include "util/errors.h"
#include "wasmhost/clock.h"

namespace hfi::sidecar {
namespace {

using wasmhost::HttpMessage;
using wasmhost::LogLevel;
using wasmhost::LogRecord;
using wasmhost::LogSource;
using wasmhost::StreamId;
using wasmhost::StreamPhase;
using wasmhost::StreamState;
using wasmhost::StreamStatus;

// Each request waiting on the plugin (a delay) holds a traffic worker, so there are many; the
// admin listener has its own few, so a full traffic pool never blocks a scrape.
constexpr int kTrafficThreads = 64;
constexpr int kAdminThreads = 4;

constexpr std::string_view kUpstreamBody = "upstream ok\n";

// How often a held request looks whether its client is still there.
constexpr std::chrono::milliseconds kClientCheckInterval{100};

std::string Lower(std::string_view text) {
  std::string out(text);
  for (char& c : out)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Envoy's HTTP/1 codec drops connection-level headers and turns Host into :authority.
bool DroppedRequestHeader(std::string_view lower_name) {
  static constexpr std::string_view kNames[] = {
      "host", "connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade"};
  return std::find(std::begin(kNames), std::end(kNames), lower_name) != std::end(kNames);
}

HttpMessage ToMessage(const HttpRequest& request, const std::string& listen_address) {
  std::string authority = listen_address;
  for (const auto& [name, value] : request.headers) {
    if (Lower(name) == "host")
      authority = value;
  }
  HttpMessage message;
  message.headers = {{":method", request.method},
                     {":path", request.path},
                     {":authority", authority},
                     {":scheme", "http"}};
  for (const auto& [name, value] : request.headers) {
    std::string lower = Lower(name);
    if (!DroppedRequestHeader(lower))
      message.headers.emplace_back(std::move(lower), value);
  }
  message.body = request.body;
  return message;
}

// The built-in upstream: every request it gets is a success.
HttpMessage UpstreamResponse() {
  HttpMessage response;
  response.headers = {{":status", "200"},
                      {"content-type", "text/plain"},
                      {"content-length", std::to_string(kUpstreamBody.size())}};
  response.body = std::string(kUpstreamBody);
  return response;
}

HttpResponse ToResponse(const StreamStatus& status) {
  HttpResponse response;
  if (status.state == StreamState::kReset) {
    response.reset = true;
    return response;
  }
  response.status = 502;
  for (const auto& [name, value] : status.message.headers) {
    if (name == ":status") {
      int code = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), code);
      if (ec == std::errc() && end == value.data() + value.size() && code >= 100 && code <= 999)
        response.status = code;
    } else if (name.empty() || name.front() != ':') {
      response.headers.emplace_back(name, value);
    }
  }
  response.body = status.message.body;
  return response;
}

HttpResponse Plain(int status, std::string body) {
  return HttpResponse{status, {{"content-type", "text/plain"}}, std::move(body)};
}

}  // namespace

struct Sidecar::Impl {
  Impl(SidecarConfig c, wasmhost::LogSink& l)
      : config(std::move(c)), log(l), stats(config.stats_matcher) {}
  ~Impl() { Stop(); }

  void Start();
  void Stop();
  HttpResponse ServeTraffic(const HttpRequest& request);
  HttpResponse ServeAdmin(const HttpRequest& request);
  void TimerLoop();
  // The rest need `mu` held.
  void Deliver(std::vector<StreamStatus> statuses);
  void HostLog(LogLevel level, std::string message) {
    log.Log(LogRecord{level, LogSource::kHost, std::move(message)});
  }

  SidecarConfig config;
  wasmhost::LogSink& log;
  wasmhost::RealClock clock;

  // One lock for the plugin host, the stat store and everything below: the interpreter is
  // single-threaded and the stats matcher's compiled regexes are shared, not thread-safe.
  std::mutex mu;
  std::condition_variable stream_cv;  // a paused stream's status arrived, or stopping
  std::condition_variable timer_cv;   // the next tick may have moved, or stopping
  std::condition_variable flush_cv;   // a stats flush finished, or stopping
  envoystats::StatStore stats;
  std::unique_ptr<wasmhost::PluginHost> host;
  std::map<StreamId, StreamStatus> delivered;  // statuses the ticks reported, until collected
  bool live = false;  // the plugin has started (or failed to): traffic goes to it
  bool stopping = false;
  std::uint64_t flushes = 0;
  std::int64_t started_monotonic = 0;
  std::int64_t started_unix_ms = 0;
  std::string admin_address, listen_address;

  std::unique_ptr<HttpServer> traffic, admin;
  std::thread timer;
  std::mutex stop_mu;  // serialises Stop() calls
  bool stopped = false;
};

void Sidecar::Impl::Start() {
  started_monotonic = clock.MonotonicNanos();
  started_unix_ms = clock.RealtimeNanos() / 1'000'000;
  config.host.plugin_configuration = config.policy;

  // The listeners first, so an address that cannot be bound is reported before the plugin says
  // anything; until the plugin has started they answer as Envoy does before its init completes.
  auto parse = [](const std::string& text) {
    ListenAddress address;
    std::string why;
    if (!ParseListenAddress(text, &address, &why))
      throw EnvironmentError(text, why, "pass HOST:PORT, e.g. 127.0.0.1:0");
    return address;
  };
  const ListenAddress listen = parse(config.listen_address);
  const ListenAddress admin_at = parse(config.admin_address);
  auto logger = [this](const std::string& message) {
    std::lock_guard<std::mutex> lock(mu);
    HostLog(LogLevel::kDebug, "http: " + message);
  };
  traffic = std::make_unique<HttpServer>(
      listen, kTrafficThreads, [this](const HttpRequest& r) { return ServeTraffic(r); }, logger);
  {
    std::lock_guard<std::mutex> lock(mu);
    listen_address = FormatAddress(traffic->address());
  }
  admin = std::make_unique<HttpServer>(
      admin_at, kAdminThreads, [this](const HttpRequest& r) { return ServeAdmin(r); }, logger);
  {
    std::lock_guard<std::mutex> lock(mu);
    admin_address = FormatAddress(admin->address());
    host = std::make_unique<wasmhost::PluginHost>(config.plugin_wasm, config.plugin_path,
                                                  config.host, stats, clock, log);
    // A plugin that fails here is not an error: Envoy keeps serving, its requests following the
    // failure policy, and plugin_status() says why.
    host->Start();
    live = true;
  }
  timer = std::thread([this] { TimerLoop(); });
}

void Sidecar::Impl::Stop() {
  std::lock_guard<std::mutex> stop_lock(stop_mu);
  if (stopped)
    return;
  stopped = true;
  {
    std::lock_guard<std::mutex> lock(mu);
    stopping = true;
  }
  stream_cv.notify_all();
  timer_cv.notify_all();
  flush_cv.notify_all();
  // The traffic workers see `stopping`, answer what they hold with 503 and return.
  if (traffic)
    traffic->Stop();
  if (timer.joinable())
    timer.join();
  if (admin)
    admin->Stop();
  std::lock_guard<std::mutex> lock(mu);
  if (host) {
    try {
      host->Shutdown();
    } catch (const std::exception& e) {
      HostLog(LogLevel::kError, std::string("plugin shutdown failed: ") + e.what());
    }
  }
}

void Sidecar::Impl::Deliver(std::vector<StreamStatus> statuses) {
  if (statuses.empty())
    return;
  for (StreamStatus& status : statuses) {
    const StreamId id = status.id;
    delivered.insert_or_assign(id, std::move(status));
  }
  stream_cv.notify_all();
}

HttpResponse Sidecar::Impl::ServeTraffic(const HttpRequest& request) {
  HttpMessage message = ToMessage(request, listen_address);
  std::unique_lock<std::mutex> lock(mu);
  if (stopping)
    return Plain(503, "sidecar shutting down\n");
  if (!live)
    return Plain(503, "sidecar starting\n");
  std::optional<StreamId> id;
  HttpResponse response;
  try {
    StreamStatus status = host->StartStream(std::move(message));
    id = status.id;
    bool answered = false;
    for (;;) {
      // A host call may have set a new tick period or left statuses for other streams.
      timer_cv.notify_one();
      if (status.state == StreamState::kPaused) {
        const auto ready = [&] { return stopping || delivered.count(*id) != 0; };
        // Envoy resets a stream whose client left; look every so often while the plugin holds it.
        bool gone = false;
        while (!stream_cv.wait_for(lock, kClientCheckInterval, ready)) {
          if (request.client_gone && request.client_gone()) {
            gone = true;
            break;
          }
        }
        auto it = delivered.find(*id);
        if (gone || it == delivered.end()) {
          if (gone) {
            HostLog(LogLevel::kDebug,
                    "stream " + std::to_string(*id) + ": the client left while it was held");
            response.reset = true;
          } else {
            response = Plain(503, "sidecar shutting down\n");
          }
          answered = true;
          break;
        }
        status = std::move(it->second);
        delivered.erase(it);
        continue;
      }
      if (status.state == StreamState::kContinue && status.phase == StreamPhase::kRequest) {
        status = host->OnResponseHeaders(*id, UpstreamResponse());
        continue;
      }
      break;
    }
    if (!answered)
      response = ToResponse(status);
  } catch (const std::exception& e) {
    HostLog(LogLevel::kError, std::string("request failed in the host: ") + e.what());
    response = Plain(500, "internal error\n");
  }
  // Always, whatever happened to the client: the plugin's per-stream state ends here.
  if (id) {
    try {
      host->FinishStream(*id);
    } catch (const std::exception& e) {
      HostLog(LogLevel::kError, std::string("finishing a stream failed: ") + e.what());
    }
    delivered.erase(*id);
    timer_cv.notify_one();
  }
  return response;
}

HttpResponse Sidecar::Impl::ServeAdmin(const HttpRequest& request) {
  std::lock_guard<std::mutex> lock(mu);
  AdminContext context;
  context.stats = &stats;
  context.config = &config;
  context.state = stopping ? ServerState::kDraining
                  : live   ? ServerState::kLive
                           : ServerState::kPreInitializing;
  context.uptime_seconds = (clock.MonotonicNanos() - started_monotonic) / 1'000'000'000;
  context.started_unix_ms = started_unix_ms;
  context.admin_address = admin_address;
  context.listen_address = listen_address;
  AdminResponse answer = HandleAdmin(request.path, context);
  // Envoy's admin adds these to every answer (populateFallbackResponseHeaders).
  return HttpResponse{answer.status,
                      {{"content-type", answer.content_type},
                       {"cache-control", "no-cache, max-age=0"},
                       {"x-content-type-options", "nosniff"}},
                      std::move(answer.body)};
}

void Sidecar::Impl::TimerLoop() {
  const std::int64_t interval =
      std::max<std::int64_t>(1, std::chrono::nanoseconds(config.flush_interval).count());
  std::unique_lock<std::mutex> lock(mu);
  std::int64_t next_flush = clock.MonotonicNanos() + interval;
  while (!stopping) {
    const std::int64_t now = clock.MonotonicNanos();
    if (now >= next_flush) {
      stats.Flush();
      ++flushes;
      flush_cv.notify_all();
      next_flush = now + interval;
    }
    std::optional<std::int64_t> tick = host->NextTickDeadline();
    if (tick && *tick <= now) {
      try {
        std::vector<StreamStatus> due = host->RunDueTicks();
        const bool idle = due.empty();
        Deliver(std::move(due));
        std::optional<std::int64_t> again = host->NextTickDeadline();
        // Nothing ran and nothing moved: wait a little rather than spin.
        if (!(idle && again && *again <= now))
          continue;
        tick = now + 1'000'000;
      } catch (const std::exception& e) {
        HostLog(LogLevel::kError, std::string("plugin tick failed: ") + e.what());
        tick = now + 1'000'000;
      }
    }
    const std::int64_t wake = tick ? std::min(next_flush, *tick) : next_flush;
    timer_cv.wait_until(lock, std::chrono::steady_clock::time_point(
                                  std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                      std::chrono::nanoseconds(wake))));
  }
}

Sidecar::Sidecar(SidecarConfig config, wasmhost::LogSink& log)
    : impl_(std::make_unique<Impl>(std::move(config), log)) {
  impl_->Start();
}

Sidecar::~Sidecar() {
  Stop();
}

void Sidecar::Stop() {
  impl_->Stop();
}

std::string Sidecar::admin_address() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->admin_address;
}

std::string Sidecar::listen_address() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  return impl_->listen_address;
}

bool Sidecar::WaitForFlush(std::chrono::milliseconds timeout) {
  std::unique_lock<std::mutex> lock(impl_->mu);
  const std::uint64_t before = impl_->flushes;
  impl_->flush_cv.wait_for(lock, timeout,
                           [&] { return impl_->flushes > before || impl_->stopping; });
  return impl_->flushes > before;
}

PluginStatus Sidecar::plugin_status() const {
  std::lock_guard<std::mutex> lock(impl_->mu);
  PluginStatus status;
  if (impl_->host) {
    status.fail_state = impl_->host->fail_state();
    status.failure = impl_->host->failure();
  }
  return status;
}

}  // namespace hfi::sidecar

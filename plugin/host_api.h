// The plugin's only view of its host (Envoy, through the proxy-wasm ABI 0.2.1 imports). Everything
// above this interface is plain C++ that also builds natively and is tested with a fake host; only
// abi/wasm_host_api.cc knows the raw imports.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string_view>
#include <utility>

namespace hfi::plugin {

// proxy_status_t / WasmResult, as every hostcall returns it (facts/proxy-wasm-abi.md §2.1).
enum class WasmResult : std::uint32_t {
  kOk = 0,
  kNotFound = 1,
  kBadArgument = 2,
  kSerializationFailure = 3,
  kParseFailure = 4,
  kInvalidMemoryAccess = 6,
  kEmpty = 7,
  kInternalFailure = 10,
  kUnimplemented = 12,
};

// Envoy's log levels, numbered as proxy_log expects them (facts/proxy-wasm-abi.md §2.7).
enum class LogLevel : std::uint32_t {
  kTrace = 0,
  kDebug = 1,
  kInfo = 2,
  kWarn = 3,
  kError = 4,
  kCritical = 5
};

// What a header callback returns: 0 lets the request go on, 1 pauses it until
// proxy_continue_stream (facts/proxy-wasm-abi.md §2.6).
enum class HeadersStatus : std::uint32_t { kContinue = 0, kStopIteration = 1 };

// proxy_metric_type_t (facts/proxy-wasm-abi.md §2.2); same values as hfi::metrics::Kind.
enum class MetricType : std::uint32_t { kCounter = 0, kGauge = 1, kHistogram = 2 };

// Bytes handed over by the host. Under Wasm the host copied them into a block it obtained from our
// exported malloc, and ownership moved to us (facts/proxy-wasm-abi.md §5 items 1-2), so the block
// is freed here; a fake host lends bytes it keeps alive itself and passes owned = false.
class HostBytes {
 public:
  HostBytes() = default;
  HostBytes(const char* data, std::size_t size, bool owned)
      : data_(data), size_(size), owned_(owned) {}
  HostBytes(HostBytes&& other) noexcept
      : data_(std::exchange(other.data_, nullptr)),
        size_(std::exchange(other.size_, 0)),
        owned_(std::exchange(other.owned_, false)) {}
  HostBytes& operator=(HostBytes&& other) noexcept {
    if (this != &other) {
      Reset();
      data_ = std::exchange(other.data_, nullptr);
      size_ = std::exchange(other.size_, 0);
      owned_ = std::exchange(other.owned_, false);
    }
    return *this;
  }
  HostBytes(const HostBytes&) = delete;
  HostBytes& operator=(const HostBytes&) = delete;
  ~HostBytes() { Reset(); }

  std::string_view view() const { return {data_ == nullptr ? "" : data_, size_}; }
  void Reset() {
    if (owned_)
      std::free(const_cast<char*>(data_));
    data_ = nullptr;
    size_ = 0;
    owned_ = false;
  }

 private:
  const char* data_ = nullptr;
  std::size_t size_ = 0;
  bool owned_ = false;
};

struct HeaderPair {
  std::string_view name;
  std::string_view value;
};

// One plugin instance's host. Calls are valid only inside a callback from the host; which context
// they act on is the one of that callback, or the one chosen with SetEffectiveContext.
class HostApi {
 public:
  virtual ~HostApi() = default;

  // Logging. Callers that format a message check LogEnabled first, so a message that Envoy would
  // drop costs no formatting.
  virtual bool LogEnabled(LogLevel level) = 0;
  virtual void Log(LogLevel level, std::string_view message) = 0;

  // A request header by lower-case name (pseudo-headers such as ":path" too). Readable only during
  // the request-headers callback. NotFound when the request has no such header.
  virtual WasmResult GetRequestHeader(std::string_view name, HostBytes* value) = 0;
  // Appends a response header. Valid during the response-headers callback.
  virtual WasmResult AddResponseHeader(std::string_view name, std::string_view value) = 0;
  // Replies to the client instead of the upstream; the current callback's return value is then
  // overridden by the host. Works on a paused stream through SetEffectiveContext.
  virtual WasmResult SendLocalResponse(std::uint32_t status, std::string_view details,
                                       std::string_view body, const HeaderPair* headers,
                                       std::size_t header_count) = 0;
  // Resumes a request paused by returning HeadersStatus::kStopIteration.
  virtual WasmResult ContinueRequest() = 0;

  // The root context's timer: OnTick every period_ms (0 stops it). Envoy re-arms it after each tick
  // and restarts it from now on every call (facts/proxy-wasm-abi.md §3.3).
  virtual WasmResult SetTickPeriodMs(std::uint32_t period_ms) = 0;
  // Monotonic time, for deadlines (facts/proxy-wasm-abi.md §3.4).
  virtual std::int64_t MonotonicNowNs() = 0;
  // A value to seed the fault percentage draws with; different for each VM instance.
  virtual std::uint64_t RandomSeed() = 0;

  // Metrics (facts/proxy-wasm-abi.md §8): define once, keep the id.
  virtual WasmResult DefineMetric(MetricType type, std::string_view name, std::uint32_t* id) = 0;
  virtual WasmResult IncrementMetric(std::uint32_t id, std::int64_t delta) = 0;
  virtual WasmResult RecordMetric(std::uint32_t id, std::uint64_t value) = 0;

  // A property such as node metadata; `path` is tokens each followed by '\0'
  // ("node\0metadata\0NAMESPACE\0").
  virtual WasmResult GetProperty(std::string_view path, HostBytes* value) = 0;
  // The plugin configuration; readable only inside the configure callback.
  virtual WasmResult GetPluginConfiguration(std::size_t size, HostBytes* bytes) = 0;
  // Makes later calls in this callback act on another context (a paused stream, from OnTick).
  // BadArgument when the host no longer knows that context.
  virtual WasmResult SetEffectiveContext(std::uint32_t context_id) = 0;
};

}  // namespace hfi::plugin

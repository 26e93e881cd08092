#include "plugin/root_context.h"

#include <algorithm>
#include <string_view>
#include <utility>

#include "plugin/log.h"
#include "plugin/metric_names.h"
#include "plugin/policy.h"
#include "plugin/stream_context.h"

namespace hfi::plugin {
namespace {

// Property paths: tokens each ended by '\0' (facts/proxy-wasm-abi.md §3.12); sizeof keeps the
// last terminator, which Envoy accepts.
constexpr char kWorkloadNamePath[] = "node\0metadata\0WORKLOAD_NAME";
constexpr char kNamespacePath[] = "node\0metadata\0NAMESPACE";

std::optional<std::string> ReadProperty(HostApi& host, std::string_view path) {
  HostBytes value;
  if (host.GetProperty(path, &value) != WasmResult::kOk || value.view().empty()) {
    return std::nullopt;
  }
  return std::string(value.view());
}

}  // namespace

RootContext::RootContext(HostApi& host, std::uint32_t id, std::unique_ptr<RandomSource> random)
    : host_(host), id_(id), random_(std::move(random)) {
  if (!random_)
    random_ = std::make_unique<XorShiftRandom>(host_.RandomSeed());
}

bool RootContext::OnVmStart() {
  if (!metrics_defined_) {
    // Defined here, not in a constructor: hostcalls other than logging trap while _initialize runs
    // (facts/proxy-wasm-abi.md §4.2), and here all three exist, at 0, before the first request.
    metrics_defined_ = true;
    struct Definition {
      const metrics::MetricName& name;
      std::optional<std::uint32_t>* id;
    };
    const Definition definitions[] = {{metrics::kAborts, &metrics_.aborts},
                                      {metrics::kDelays, &metrics_.delays},
                                      {metrics::kDelayDuration, &metrics_.delay_duration}};
    for (const Definition& definition : definitions) {
      std::uint32_t metric_id = 0;
      const WasmResult result = host_.DefineMetric(static_cast<MetricType>(definition.name.kind),
                                                   definition.name.defined, &metric_id);
      if (result == WasmResult::kOk) {
        *definition.id = metric_id;
      } else {
        Logf(host_, LogLevel::kError, "could not define metric %.*s (status %u); it will not count",
             static_cast<int>(definition.name.defined.size()), definition.name.defined.data(),
             static_cast<unsigned>(result));
      }
    }
  }
  ReadIdentity();
  return true;
}

void RootContext::ReadIdentity() {
  Identity identity;
  identity.workload = ReadProperty(host_, {kWorkloadNamePath, sizeof kWorkloadNamePath});
  identity.namespace_name = ReadProperty(host_, {kNamespacePath, sizeof kNamespacePath});
  identity_read_ = identity.workload && identity.namespace_name;
  if (!identity_read_) {
    Logf(host_, LogLevel::kInfo,
         "node metadata has no %s: only policies whose selector is a wildcard there apply",
         identity.workload         ? "NAMESPACE"
         : identity.namespace_name ? "WORKLOAD_NAME"
                                   : "WORKLOAD_NAME or NAMESPACE");
  }
  decider_.SetIdentity(std::move(identity));
}

bool RootContext::OnConfigure(std::size_t configuration_size) {
  // Node metadata normally answers at VM start; ask again in case it did not then.
  if (!identity_read_)
    ReadIdentity();

  Policy policy;
  std::string error;
  if (configuration_size > kMaxConfigurationBytes) {
    error = "the plugin configuration is " + std::to_string(configuration_size) +
            " bytes, more than the " + std::to_string(kMaxConfigurationBytes) + " allowed";
  } else {
    HostBytes bytes;
    const WasmResult result = configuration_size == 0
                                  ? WasmResult::kOk
                                  : host_.GetPluginConfiguration(configuration_size, &bytes);
    if (result != WasmResult::kOk) {
      error = "could not read the plugin configuration (status " +
              std::to_string(static_cast<unsigned>(result)) + ")";
    } else if (!ParsePolicy(bytes.view(), &policy, &error)) {
      error = "invalid plugin configuration: " + error;
    }
  }
  if (!error.empty()) {
    host_.Log(LogLevel::kError,
              error + "; " +
                  (policy_loaded_ ? "the previous policy stays in force (" + PolicySummary() + ")"
                                  : std::string("no policy was loaded before, so none is in force "
                                                "and no faults are injected")));
    return true;
  }
  decider_.SetPolicy(std::move(policy), host_.MonotonicNowNs());
  policy_loaded_ = true;
  Logf(host_, LogLevel::kInfo, "policy loaded: %s, %zu in force for this workload",
       PolicySummary().c_str(), decider_.active_rule_count());
  return true;
}

std::string RootContext::PolicySummary() const {
  const std::size_t policies = decider_.policy().entries.size();
  const std::size_t rules = decider_.policy().RuleCount();
  return std::to_string(policies) + (policies == 1 ? " policy, " : " policies, ") +
         std::to_string(rules) + (rules == 1 ? " rule" : " rules");
}

void RootContext::Schedule(StreamContext* stream, std::int64_t deadline_ns, std::int64_t now_ns) {
  auto it = std::find_if(pending_.begin(), pending_.end(),
                         [stream](const Pending& pending) { return pending.stream == stream; });
  if (it != pending_.end()) {
    it->deadline_ns = deadline_ns;
  } else {
    pending_.push_back({stream, deadline_ns});
  }
  SetTickPeriod(now_ns);
}

void RootContext::Cancel(StreamContext* stream) {
  pending_.erase(
      std::remove_if(pending_.begin(), pending_.end(),
                     [stream](const Pending& pending) { return pending.stream == stream; }),
      pending_.end());
  // A later nearest deadline needs no new period: an early tick finds nothing due and re-arms.
  if (pending_.empty())
    SetTickPeriod(0);
}

void RootContext::OnTick() {
  const std::int64_t now_ns = host_.MonotonicNowNs();
  // Take the due streams out first: moving one on may schedule it again (start delay, then delay).
  due_.clear();
  auto not_due =
      std::stable_partition(pending_.begin(), pending_.end(),
                            [now_ns](const Pending& p) { return p.deadline_ns > now_ns; });
  for (auto it = not_due; it != pending_.end(); ++it)
    due_.push_back(it->stream);
  pending_.erase(not_due, pending_.end());

  for (StreamContext* stream : due_) {
    // Hostcalls act on the root until the effective context names the stream (§3.17); the host
    // refuses a context it has already destroyed.
    const WasmResult result = host_.SetEffectiveContext(stream->id());
    if (result != WasmResult::kOk) {
      Logf(host_, LogLevel::kWarn, "stream %u is gone (status %u); its fault is dropped",
           static_cast<unsigned>(stream->id()), static_cast<unsigned>(result));
      continue;
    }
    stream->OnDeadline(now_ns);
  }
  SetTickPeriod(now_ns);
}

// Follows the nearest deadline. Envoy restarts the timer from now on every call, so a call is made
// only when the period changes: keeping the old one can only make the next tick early, never late.
void RootContext::SetTickPeriod(std::int64_t now_ns) {
  std::uint32_t period_ms = 0;
  if (!pending_.empty()) {
    std::int64_t nearest = pending_.front().deadline_ns;
    for (const Pending& pending : pending_)
      nearest = std::min(nearest, pending.deadline_ns);
    const std::int64_t wait_ns = nearest - now_ns;
    // Round up so the tick never comes before the deadline; at least 1 ms, as 0 means off.
    period_ms = wait_ns <= 0 ? 1 : static_cast<std::uint32_t>((wait_ns + 999'999) / 1'000'000);
  }
  if (period_ms == tick_period_ms_)
    return;
  const WasmResult result = host_.SetTickPeriodMs(period_ms);
  if (result == WasmResult::kOk) {
    tick_period_ms_ = period_ms;
  } else {
    Report(result, "proxy_set_tick_period_milliseconds");
  }
}

void RootContext::CountAbort() {
  if (metrics_.aborts)
    Report(host_.IncrementMetric(*metrics_.aborts, 1), "aborts_total");
}

void RootContext::CountDelay(std::uint32_t delay_ms) {
  if (metrics_.delays)
    Report(host_.IncrementMetric(*metrics_.delays, 1), "delays_total");
  if (metrics_.delay_duration) {
    Report(host_.RecordMetric(*metrics_.delay_duration, delay_ms), "delay_duration_milliseconds");
  }
}

void RootContext::Report(WasmResult result, const char* what) {
  if (result == WasmResult::kOk)
    return;
  Logf(host_, LogLevel::kWarn, "%s failed with status %u", what, static_cast<unsigned>(result));
}

}  // namespace hfi::plugin

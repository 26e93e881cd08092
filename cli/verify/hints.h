// The hint catalogue: every problem verify can name, with a stable code, its cause and its fix.
// Data only (compiled in); the checks pick entries by HintId, the renderers print them.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "util/errors.h"
#include "util/severity.h"

namespace hfi::verify {

using hfi::Severity;
using hfi::SeverityName;

// Where a hint can be detected. kAnySource hints come from the bytes of one scrape (and an
// optional baseline), so the offline `verify --file` engine emits them; the others need a live
// pod, a Prometheus server, traffic sent during the run, or the embedded sidecar itself.
enum class Detection { kAnySource, kCluster, kPrometheus, kTraffic, kLocal };

// One id per catalogue entry, in table order. Codes are grouped by hundreds:
// 1xx names and presence, 2xx types and histogram shape, 3xx values, deltas and traffic, 4xx
// input, 5xx deployment, cluster and the plugin in its host, 6xx the fleet as a Prometheus server
// sees it. 7xx belongs to the wasm inspector.
enum class HintId {
  kMetricMissing,                    // HFI101
  kPlainName,                        // HFI102
  kEnvoyWasmcustomName,              // HFI103
  kEnvoyPlainName,                   // HFI104
  kClusterScopedName,                // HFI105
  kEmbeddedTags,                     // HFI106
  kUnrecognisedName,                 // HFI107
  kNoHfiMetrics,                     // HFI108
  kWrongType,                        // HFI201
  kUntyped,                          // HFI202
  kBoundsOutOfOrder,                 // HFI203
  kNotCumulative,                    // HFI204
  kInfBucketMissing,                 // HFI205
  kInfNotCount,                      // HFI206
  kSumOrCountMissing,                // HFI207
  kCustomBuckets,                    // HFI208
  kBadBound,                         // HFI209
  kHistogramLags,                    // HFI210
  kHistogramAhead,                   // HFI211
  kBadCounterValue,                  // HFI301
  kExpectationFailed,                // HFI302
  kCounterDecreased,                 // HFI303
  kDeltaFailed,                      // HFI304
  kCountersDidNotMove,               // HFI305
  kBadHistogramValue,                // HFI306
  kTrafficMismatch,                  // HFI307
  kNoFaultsSeen,                     // HFI308
  kTrafficExceeded,                  // HFI309
  kUnparseable,                      // HFI401
  kEmptyInput,                       // HFI402
  kMergedOpenMetrics,                // HFI403
  kDuplicateSeries,                  // HFI404
  kParseWarning,                     // HFI405
  kNotEnvoy,                         // HFI406
  kNoSidecar,                        // HFI501
  kPodNotRunning,                    // HFI502
  kPortForwardDenied,                // HFI503
  kEndpointUnreachable,              // HFI504
  kStatsMatcherRejects,              // HFI505
  kRestartNeeded,                    // HFI506
  kBootstrapFilterIgnored,           // HFI507
  kPluginNotLoaded,                  // HFI508
  kAbsentInPrometheus,               // HFI509
  kPluginFailed,                     // HFI510
  kTargetDown,                       // HFI601
  kNoTarget,                         // HFI602
  kTargetStale,                      // HFI603
  kHistogramIncompleteInPrometheus,  // HFI604
  kValuesDisagree,                   // HFI605
  kRenamedInPrometheus,              // HFI606
  kCount,
};

struct Hint {
  HintId id;
  std::string_view code;  // "HFI101": stable, never reused once retired
  Severity severity;      // the default; a finding may lower it (the entry's text says when)
  // The exit status an error-severity finding of this kind leads to: kChecksFailed for wrong or
  // missing metrics, kInvalidInput for unparseable input, kEnvironment for unreachable sources.
  ExitCode exit_code;
  Detection detection;
  std::string_view title;  // one line, no final period
  std::string_view why;    // the cause, from facts/envoy-istio.md
  std::string_view fix;    // what to run or change, concretely
};

// The whole catalogue, in code order.
std::span<const Hint> AllHints();

const Hint& GetHint(HintId id);

// nullptr when no entry has that code (case-sensitive: "HFI101").
const Hint* FindHint(std::string_view code);

// "docs/hints.md#hfi101": the section of docs/hints.md that explains the code.
std::string DocAnchor(const Hint& hint);

// "any source", "cluster", "prometheus", "traffic", "local sidecar"
std::string_view DetectionName(Detection detection);

}  // namespace hfi::verify

#include "verify/hints.h"

#include <algorithm>
#include <cctype>

namespace hfi::verify {
namespace {

using enum Severity;
using enum Detection;
constexpr ExitCode kFailed = ExitCode::kChecksFailed;
constexpr ExitCode kInput = ExitCode::kInvalidInput;
constexpr ExitCode kEnv = ExitCode::kEnvironment;

// Codes are stable: a code whose check is removed is retired, listed here, and never given to
// another problem. Retired codes: none yet.
//
// The causes and fixes rest on facts/envoy-istio.md (§1 naming, §2 Prometheus output, §3 stats
// matcher and restarts, §4 ports, §8 causes C1-C18) and DESIGN §2 (the expected names).
constexpr Hint kHints[] = {
    // 1xx: names and presence.
    {HintId::kMetricMissing, "HFI101", kError, kFailed, kAnySource, "Expected metric is missing",
     "The scrape has no series with the expected Prometheus name and no other spelling of it. The "
     "plugin defines its three metrics when its VM starts, so a missing one means that the plugin "
     "that produced this scrape does not define it (another build or version of the plugin), or "
     "that the stats matcher rejected that name.",
     "Check which names the deployed plugin defines: `hfi-metrics inspect plugin.wasm`. Rebuild "
     "it with `hfi-metrics build` if one is missing, redeploy it, run `kubectl rollout restart "
     "deployment/<name> -n <ns>`, and scrape again: `kubectl port-forward pod/<pod> 15000 -n <ns>` "
     "then `curl -s localhost:15000/stats/prometheus | grep hfi_faults`."},
    {HintId::kPlainName, "HFI102", kError, kFailed, kAnySource,
     "Metric exported as hfi_faults_* without the wasmcustom_ prefix",
     "Envoy >= 1.20 (Istio >= 1.12) puts every name a plugin defines under its own `wasmcustom.` "
     "namespace and strips exactly that segment for Prometheus. The current plugin defines "
     "`wasmcustom.hfi_faults_aborts_total`, exported as `wasmcustom_hfi_faults_aborts_total`. A "
     "plugin that defines `hfi_faults_aborts_total`, or the original project's dotted "
     "`hfi.faults.aborts_total`, is exported as `hfi_faults_aborts_total`: this scrape comes from "
     "such an older plugin. When the expected name is present too (severity warning), two plugin "
     "builds run side by side.",
     "Deploy the current plugin: `hfi-metrics build`, update the WasmPlugin `url` and `sha256`, "
     "then `kubectl rollout restart deployment/<name> -n <ns>`. Until every workload runs it, "
     "query both spellings in dashboards."},
    {HintId::kEnvoyWasmcustomName, "HFI103", kError, kFailed, kAnySource,
     "Metric exported with an envoy_ prefix by an Istio <= 1.11 proxy",
     "Before Envoy 1.20 (Istio 1.11 and older) custom Wasm metrics had no namespace of their "
     "own: the stat name was exactly the defined name, and the Prometheus output added `envoy_`. "
     "So `wasmcustom.hfi_faults_aborts_total` became `envoy_wasmcustom_hfi_faults_aborts_total`. "
     "The plugin is right; the proxy is older than the expected names assume.",
     "Upgrade the data plane to Istio >= 1.12 (`istioctl version` lists the proxy versions) and "
     "run `kubectl rollout restart deployment/<name> -n <ns>`; on old proxies, query "
     "`envoy_wasmcustom_hfi_faults_*` instead."},
    {HintId::kEnvoyPlainName, "HFI104", kError, kFailed, kAnySource,
     "Metric exported as envoy_hfi_faults_*: old plugin names on an Istio <= 1.11 proxy",
     "`envoy_hfi_faults_*` is what Envoy < 1.20 prints for the original project's "
     "`hfi.faults.*` names (or for `hfi_faults_*`): the plugin defines the old names and the "
     "proxy predates Envoy's `wasmcustom` namespace. On Istio <= 1.11 the default stats matcher "
     "also rejects such names unless an inclusion rule lists them.",
     "Deploy the current plugin (`hfi-metrics build`), upgrade the proxies to Istio >= 1.12, then "
     "run `kubectl rollout restart deployment/<name> -n <ns>`."},
    {HintId::kClusterScopedName, "HFI105", kError, kFailed, kAnySource,
     "Metric scoped under an upstream cluster (envoy_cluster_...)",
     "A Wasm filter configured on an upstream cluster instead of the HTTP connection manager "
     "keeps its stats under `cluster.<name>.`. Prometheus shows them as "
     "`envoy_cluster_..._hfi_faults_*` with a `cluster_name` label, one series per cluster. HFI "
     "is meant to run as an HTTP filter of the listener.",
     "Deliver the plugin with a WasmPlugin (`kubectl get wasmplugin -A` to see the current one), "
     "or replace the EnvoyFilter's `applyTo: CLUSTER` patch with an `HTTP_FILTER` patch inserted "
     "before `envoy.filters.http.router`; then `kubectl rollout restart deployment/<name> -n "
     "<ns>`."},
    {HintId::kEmbeddedTags, "HFI106", kError, kFailed, kAnySource,
     "Labels embedded in the metric name",
     "The name carries tag text that no stats tag extractor removed. Istio's convention "
     "`<tag>=.=<value>;.;` becomes `___` after sanitising, so each label value turns into a "
     "separate metric name such as `hfi_faults_aborts_total_x___y___`. Envoy extracts such tags "
     "only when the tag is listed in `extraStatTags`.",
     "Stop encoding labels in the metric names, or list each tag in the pod annotation "
     "`sidecar.istio.io/extraStatTags: \"<tag>\"` (or `meshConfig.defaultConfig.extraStatTags`) "
     "and run `kubectl rollout restart deployment/<name> -n <ns>`."},
    {HintId::kUnrecognisedName, "HFI107", kWarning, kFailed, kAnySource,
     "Unrecognised hfi_faults name",
     "A series name contains `hfi_faults` but matches none of the three metrics in any known "
     "spelling: a typo, a different unit or suffix, or another plugin's metric. It is not counted "
     "as any of the expected metrics.",
     "Compare it with the expected names `wasmcustom_hfi_faults_aborts_total`, "
     "`wasmcustom_hfi_faults_delays_total` and "
     "`wasmcustom_hfi_faults_delay_duration_milliseconds`; "
     "`hfi-metrics inspect plugin.wasm` lists what the plugin defines."},
    {HintId::kNoHfiMetrics, "HFI108", kError, kFailed, kAnySource, "No HFI metric in the scrape",
     "The exposition parses and comes from Envoy, but no series name contains `hfi_faults`. The "
     "plugin defines its metrics as soon as its VM starts, so none at all means the plugin is not "
     "loaded in this proxy (WasmPlugin selector or namespace, failed fetch or sha256 mismatch, a "
     "VM failure hidden by FAIL_OPEN), its names are rejected by the stats matcher, or the scrape "
     "came from another pod's proxy.",
     "Check that the plugin is loaded: `kubectl port-forward pod/<pod> 15000 -n <ns>`, then "
     "`curl -s localhost:15000/config_dump | grep -c envoy.filters.http.wasm` and `kubectl logs "
     "<pod> -c istio-proxy -n <ns> | grep -i wasm`; compare the WasmPlugin `selector` with "
     "`kubectl get pod <pod> -n <ns> --show-labels`."},

    // 2xx: types and histogram shape.
    {HintId::kWrongType, "HFI201", kError, kFailed, kAnySource, "Metric has the wrong TYPE",
     "The plugin defines the two counters as COUNTER and the delay duration as HISTOGRAM, and "
     "Envoy writes `# TYPE <name> counter` or `histogram` to match. Another TYPE means another "
     "plugin build defined the name with another metric type (for example a gauge), or the text "
     "was rewritten on its way. `rate()` and `histogram_quantile()` then mislead or fail.",
     "Check the plugin with `hfi-metrics inspect plugin.wasm`, rebuild it with `hfi-metrics "
     "build`, redeploy it and run `kubectl rollout restart deployment/<name> -n <ns>` so that no "
     "old VM keeps the old definition."},
    {HintId::kUntyped, "HFI202", kWarning, kFailed, kAnySource, "No # TYPE line for the metric",
     "Envoy writes one `# TYPE` line per family, so an untyped family means the text did not come "
     "straight from Envoy's `/stats/prometheus`: it was edited, filtered (grep drops the TYPE "
     "lines), or relayed by something that drops metadata. Prometheus keeps the values but loses "
     "the type.",
     "Save the scrape unfiltered: `kubectl port-forward pod/<pod> 15000 -n <ns>`, then `curl -s "
     "localhost:15000/stats/prometheus > scrape.prom`, and verify that file."},
    {HintId::kBoundsOutOfOrder, "HFI203", kError, kFailed, kAnySource,
     "Histogram bucket bounds are not strictly ascending",
     "Bucket bounds, compared as numbers (`1`, `1.0` and `1e0` are one bound), must strictly "
     "increase; a repeated or descending bound makes the cumulative counts ambiguous. Envoy "
     "writes its bounds in ascending order, so something else produced or altered this text.",
     "Scrape Envoy directly (`curl -s localhost:15000/stats/prometheus` through `kubectl "
     "port-forward pod/<pod> 15000 -n <ns>`) and fix whatever generates or rewrites the "
     "exposition."},
    {HintId::kNotCumulative, "HFI204", kError, kFailed, kAnySource,
     "Histogram bucket counts are not cumulative",
     "Each `_bucket{le=\"b\"}` counts every sample <= b, so counts never decrease as the bound "
     "grows, up to `+Inf`. A decrease means per-bucket counts were written instead of cumulative "
     "ones, or buckets of different series or scrapes were mixed.",
     "Scrape Envoy directly (`curl -s localhost:15000/stats/prometheus` through `kubectl "
     "port-forward pod/<pod> 15000 -n <ns>`) and fix whatever generates or rewrites the "
     "exposition."},
    {HintId::kInfBucketMissing, "HFI205", kError, kFailed, kAnySource,
     "Histogram has no +Inf bucket",
     "Every Prometheus histogram ends with `_bucket{le=\"+Inf\"}`, equal to `_count`, and Envoy "
     "always writes it. Without it `histogram_quantile()` has no total to work from.",
     "Scrape Envoy directly (`curl -s localhost:15000/stats/prometheus` through `kubectl "
     "port-forward pod/<pod> 15000 -n <ns>`); if the text was cut or filtered, save it whole."},
    {HintId::kInfNotCount, "HFI206", kError, kFailed, kAnySource,
     "Histogram +Inf bucket differs from _count",
     "Envoy writes the `+Inf` bucket and `_count` from the same sample count, so they are equal "
     "in one scrape. A difference means the text was assembled from several scrapes or edited.",
     "Save one whole scrape (`curl -s localhost:15000/stats/prometheus > scrape.prom` through "
     "`kubectl port-forward pod/<pod> 15000 -n <ns>`) and verify it."},
    {HintId::kSumOrCountMissing, "HFI207", kError, kFailed, kAnySource,
     "Histogram _bucket, _sum or _count series missing",
     "A Prometheus histogram is its `_bucket` series plus `_sum` and `_count`. Envoy always writes "
     "all three, even with no samples (all buckets 0, `_sum{} 0`, `_count{} 0`); quantiles need "
     "the buckets, averages and rates need `_sum` and `_count`.",
     "Save the scrape whole (`curl -s localhost:15000/stats/prometheus > scrape.prom` through "
     "`kubectl port-forward pod/<pod> 15000 -n <ns>`); do not filter it with grep."},
    {HintId::kCustomBuckets, "HFI208", kWarning, kFailed, kAnySource,
     "Histogram uses other bucket bounds than Envoy's defaults",
     "Envoy's default bounds are 0.5, 1, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000, "
     "30000, 60000, 300000, 600000, 1800000 and 3600000 (milliseconds here). Other bounds come "
     "from the pod annotation `sidecar.istio.io/statsHistogramBuckets` (Istio >= 1.19), e.g. "
     "`{\"wasmcustom\":[1,5,10]}`, or from a custom bootstrap. Dashboards and alerts written for "
     "the default buckets then read other quantiles.",
     "If the buckets are intended, nothing to do. Otherwise remove the "
     "`sidecar.istio.io/statsHistogramBuckets` annotation (or its `wasmcustom` entry) and run "
     "`kubectl rollout restart deployment/<name> -n <ns>`."},
    {HintId::kBadBound, "HFI209", kError, kFailed, kAnySource,
     "Histogram bucket has no valid le bound",
     "Every `_bucket` series needs an `le` label holding a number or `+Inf`. A missing, NaN or "
     "non-numeric `le` makes the bucket meaningless; Prometheus' strict parsers reject it.",
     "Scrape Envoy directly (`curl -s localhost:15000/stats/prometheus` through `kubectl "
     "port-forward pod/<pod> 15000 -n <ns>`) and fix whatever generates or rewrites the "
     "exposition."},
    {HintId::kHistogramLags, "HFI210", kWarning, kFailed, kAnySource,
     "Delay histogram lags behind delays_total",
     "The plugin adds 1 to `delays_total` and records one histogram sample per delay, but Envoy "
     "shows counters live while histogram samples reach the admin output only when the workers' "
     "histograms are merged at the stats flush (every 5 s by default, `stats_flush_interval`). A "
     "scrape taken right after traffic shows the histogram behind the counter.",
     "Wait longer than the flush interval (5 s, or the pod's "
     "`sidecar.istio.io/statsFlushInterval`) after the last request, then scrape again; do not "
     "assert histogram counts right after traffic."},
    {HintId::kHistogramAhead, "HFI211", kError, kFailed, kAnySource,
     "Delay histogram has more samples than delays_total",
     "Each delay adds 1 to `delays_total` and exactly one histogram sample, and counters are never "
     "behind histograms. More samples than delays means the plugin records samples it does not "
     "count (a defect of the original HFI plugin), or the counter restarted from 0 on its own "
     "(eviction of idle custom metrics).",
     "Deploy the current plugin (`hfi-metrics build`, then `kubectl rollout restart "
     "deployment/<name> -n <ns>`) and check eviction settings "
     "(`sidecar.istio.io/statsEvictionInterval`)."},

    // 3xx: values and deltas.
    {HintId::kBadCounterValue, "HFI301", kError, kFailed, kAnySource,
     "Counter value is negative or not a finite number",
     "Envoy counters are unsigned integers that only grow; a negative, NaN or infinite value "
     "cannot come from Envoy and breaks `rate()`.",
     "Scrape Envoy directly (`curl -s localhost:15000/stats/prometheus` through `kubectl "
     "port-forward pod/<pod> 15000 -n <ns>`) and fix whatever generates or rewrites the "
     "exposition."},
    {HintId::kExpectationFailed, "HFI302", kError, kFailed, kAnySource, "Value expectation not met",
     "An `--expect` condition on this scrape is false. The counters count only the aborts and "
     "delays the plugin applied; they stay at 0 while no policy rule matches the traffic.",
     "Check the policy's match (path, method, headers) and `percentage` against the requests "
     "sent, and that the requests passed through this pod's sidecar: `kubectl logs <pod> -c "
     "istio-proxy -n <ns> | grep -i hfi`."},
    {HintId::kCounterDecreased, "HFI303", kError, kFailed, kAnySource,
     "Counter decreased since the baseline",
     "Counters only grow while a proxy runs. A lower value than in the baseline means the proxy "
     "or its Wasm VM restarted in between (a new pod, an OOM kill, a plugin reload), the metric "
     "was evicted and re-created from 0 (Envoy's custom-metric eviction, Istio "
     "`sidecar.istio.io/statsEvictionInterval`), or the baseline came from another pod.",
     "Compare the pod's start time and restart count (`kubectl get pod <pod> -n <ns> -o wide`) "
     "with the baseline's time; take both scrapes from the same pod; disable eviction for these "
     "metrics."},
    {HintId::kDeltaFailed, "HFI304", kError, kFailed, kAnySource,
     "Change since the baseline not as expected",
     "An `--expect-delta` condition on (this scrape - baseline) is false: the metric moved, but "
     "not by the expected amount. With `percentage` below 100 fewer faults than requests is "
     "normal, and the histogram may lag the counters by one stats flush (HFI210).",
     "Check the policy's `percentage` and match against the traffic sent, wait more than 5 s "
     "after the traffic before scraping, or send more requests."},
    {HintId::kCountersDidNotMove, "HFI305", kError, kFailed, kAnySource,
     "Counters did not move after traffic",
     "The metric is unchanged since the baseline although an increase was expected. The plugin "
     "counts only faults it applies, so no request reached this sidecar between the two scrapes, "
     "no rule matched them (path, method, headers), the percentage skipped them all, or the "
     "plugin is not in the request path (not loaded on this workload, or skipped by FAIL_OPEN).",
     "Send the traffic through the workload's Service, not around its sidecar; check that the "
     "policy matches those requests; check that the plugin is loaded: `kubectl port-forward "
     "pod/<pod> 15000 -n <ns>`, then `curl -s localhost:15000/config_dump | grep -c "
     "envoy.filters.http.wasm`."},
    {HintId::kBadHistogramValue, "HFI306", kError, kFailed, kAnySource,
     "Histogram count or sum is negative or not a number",
     "Bucket counts and `_count` are sample counts and `_sum` adds delays in milliseconds: none "
     "can be negative or NaN. (`_sum` is approximate in Envoy, which keeps log-linear bins, so it "
     "is never compared exactly.)",
     "Scrape Envoy directly (`curl -s localhost:15000/stats/prometheus` through `kubectl "
     "port-forward pod/<pod> 15000 -n <ns>`) and fix whatever generates or rewrites the "
     "exposition."},
    {HintId::kTrafficMismatch, "HFI307", kError, kFailed, kTraffic,
     "Counters disagree with the faults the traffic saw",
     "hfi-metrics sent requests through the proxy and counted the responses marked "
     "`x-fault-injected: abort` and `x-fault-injected: delay`. The plugin adds 1 to aborts_total "
     "per abort, and 1 to delays_total and one histogram sample per delay it applied, so over the "
     "run the counters must grow by exactly those counts (the histogram once a stats flush has "
     "passed). Fewer counted than seen: updates were lost (a stats matcher that rejects the names "
     "gives the plugin no-op stats, the metrics were evicted, or the plugin build does not count "
     "every fault). More counted than seen on the embedded sidecar, which serves no one else: "
     "the plugin counts some faults twice, or a rule delays and then aborts (the delay is "
     "counted, but the response carries only the abort mark); in a cluster that is HFI309, a "
     "warning. Absent: the metric is not in the scrape at all (see the presence checks).",
     "Locally, watch each response and the counters by hand: `hfi-metrics sidecar --plugin "
     "plugin.wasm --policy policy.json -v`, then `curl -si -H 'x-hfi-local: abort' "
     "localhost:15006/` and `curl -s localhost:15000/stats/prometheus | grep hfi_faults`. In a "
     "cluster, send the traffic while nothing else does, wait one stats flush (5 s), and check "
     "the names the plugin defines (`hfi-metrics inspect plugin.wasm`) and the stats matcher "
     "(`curl -s localhost:15000/config_dump | grep -A5 stats_matcher` through `kubectl "
     "port-forward pod/<pod> 15000 -n <ns>`)."},
    {HintId::kNoFaultsSeen, "HFI308", kWarning, kFailed, kTraffic,
     "Traffic saw no fault, so the counting was not tested",
     "None of the responses carried `x-fault-injected`: no request was aborted or delayed. The "
     "counters then stay at 0, which agrees, but proves nothing about counting. The policy "
     "matches none of the requests sent (path, method, headers, or a selector naming another "
     "workload or namespace), its percentage skipped them all, or the plugin injects no faults.",
     "Send requests the policy matches. `verify --local` sends GET /hfi-local/abort with "
     "`x-hfi-local: abort`, /hfi-local/delay with `x-hfi-local: delay` and /hfi-local/pass: "
     "leave out `--policy` to use the built-in policy that matches them, or give your policy "
     "such rules and a selector for `--workload` and `--namespace`. In a cluster, send requests "
     "that match the deployed policy's rules."},
    {HintId::kTrafficExceeded, "HFI309", kWarning, kFailed, kTraffic,
     "Counters grew by more than the faults the traffic saw",
     "In a cluster the selected proxies also serve everyone else's requests: any fault the policy "
     "injected into other traffic between the two scrapes is counted too, so counters that grew "
     "by more than this run's marked responses are expected on a busy mesh and do not show a "
     "counting problem. The same happens when a rule delays and then aborts a request (the delay "
     "is counted, but the response carries only the abort mark), or when the baseline scrape "
     "came before a stats flush of earlier delays (the histogram `_count` then catches up during "
     "the run). Fewer counted than seen is HFI307, an error.",
     "To check the counting exactly, send the traffic while nothing else reaches the selected "
     "pods (a quiet namespace, or a selector naming one test pod: `-l app=<name>` with "
     "`--traffic` aimed at that pod's service), or use the embedded sidecar, which serves only "
     "hfi-metrics: `hfi-metrics verify --local --plugin plugin.wasm --policy policy.json`."},

    // 4xx: the input itself.
    {HintId::kUnparseable, "HFI401", kError, kInput, kAnySource,
     "Exposition is not valid Prometheus text",
     "A line does not follow the Prometheus text format (or OpenMetrics). Prometheus rejects the "
     "whole scrape when one line is bad, so no metric of this target would be stored.",
     "Fix or regenerate the line named in the message. Make sure the file is the raw body of "
     "`/stats/prometheus` (`curl -s`): not an HTML error page, not the admin `/stats` text "
     "format, with no banner line from kubectl or a script."},
    {HintId::kEmptyInput, "HFI402", kError, kFailed, kAnySource, "Scrape is empty",
     "The input has no samples. A sidecar's `/stats/prometheus` always lists Envoy's own "
     "metrics, so an empty body means the scrape failed (wrong port or path, an error saved as "
     "empty output) or the wrong file was passed.",
     "Scrape again and let curl fail on HTTP errors: `kubectl port-forward pod/<pod> 15000 -n "
     "<ns>`, then `curl -sf localhost:15000/stats/prometheus -o scrape.prom`."},
    {HintId::kMergedOpenMetrics, "HFI403", kInfo, kFailed, kAnySource,
     "Scrape is OpenMetrics, as merged by the Istio agent on port 15020",
     "The body ends with `# EOF`, which Envoy never writes. Istio's agent on port 15020 merges its "
     "own, Envoy's and the application's metrics and adopts the application's format. The HFI "
     "values are the same as on 15090, but a format error in the application's part makes "
     "Prometheus drop the whole target, HFI metrics included.",
     "Nothing is wrong by itself. To see Envoy's output alone, scrape port 15090 or the admin "
     "port 15000 (`/stats/prometheus`); if Prometheus shows the target down, check `kubectl logs "
     "<pod> -c istio-proxy -n <ns> | grep 'failed scraping'`."},
    {HintId::kDuplicateSeries, "HFI404", kError, kFailed, kAnySource,
     "Same series appears more than once",
     "A name with one label set may appear once per scrape; Prometheus keeps one sample and "
     "drops the others, so which value counts is arbitrary. This happens when scrapes of two "
     "proxies, or two scrapes of one, are pasted into one file.",
     "Verify each scrape on its own: `hfi-metrics verify --file a.prom --file b.prom`."},
    {HintId::kParseWarning, "HFI405", kWarning, kFailed, kAnySource,
     "Exposition has lines that strict parsers reject",
     "Prometheus' scrape parser accepts these lines, but client-library parsers and promtool "
     "reject them, and Envoy does not write them.",
     "See the line named in the message and compare it with Envoy's own output (`curl -s "
     "localhost:15000/stats/prometheus` through `kubectl port-forward pod/<pod> 15000 -n <ns>`); "
     "if the file was edited by hand, use the original scrape."},
    {HintId::kNotEnvoy, "HFI406", kError, kFailed, kAnySource,
     "Scrape does not come from an Envoy sidecar",
     "The exposition has neither HFI metrics nor any `envoy_` series, which every Envoy "
     "`/stats/prometheus` has (`envoy_server_*` at least). It was read from another endpoint: an "
     "application's own metrics port, or another exporter. Envoy's admin port 15000 listens on "
     "127.0.0.1 inside the pod, 15090 serves only `/stats/prometheus`, and 15020 merges agent, "
     "Envoy and application metrics.",
     "Scrape the sidecar: `kubectl port-forward pod/<pod> 15000 -n <ns>`, then `curl -s "
     "localhost:15000/stats/prometheus > scrape.prom` (or port 15090)."},

    // 5xx: deployment, cluster and the plugin in its host; detected from a pod, a Prometheus
    // server or the embedded sidecar, not from bytes.
    {HintId::kNoSidecar, "HFI501", kError, kEnv, kCluster, "Pod has no Istio sidecar",
     "The pod has no `istio-proxy` container, so no Envoy runs the plugin and nothing serves its "
     "metrics. Injection happens only when a pod is created in a namespace labelled "
     "`istio-injection=enabled` (or `istio.io/rev=<rev>`), unless the pod opts out with "
     "`sidecar.istio.io/inject: \"false\"`.",
     "`kubectl label namespace <ns> istio-injection=enabled --overwrite` (and drop an opt-out the "
     "finding names from the workload's pod template), then `kubectl rollout restart "
     "deployment/<name> -n <ns>`; check with `kubectl get pod <pod> -n <ns> -o "
     "jsonpath='{.spec.containers[*].name}'`."},
    {HintId::kPodNotRunning, "HFI502", kError, kEnv, kCluster, "Pod is not running",
     "Metrics can only be read from a Running pod whose `istio-proxy` container is ready; a "
     "Pending, crashing or terminating pod has no admin port to read.",
     "`kubectl describe pod <pod> -n <ns>` and `kubectl logs <pod> -c istio-proxy -n <ns>`; wait "
     "for the rollout: `kubectl rollout status deployment/<name> -n <ns> --timeout=180s`."},
    {HintId::kPortForwardDenied, "HFI503", kError, kEnv, kCluster,
     "Port-forward to the pod was denied",
     "Reading the admin port goes through `kubectl port-forward`, which needs the `create` verb "
     "on `pods/portforward` in the pod's namespace; the API server answered Forbidden.",
     "`kubectl auth can-i create pods/portforward -n <ns>`; ask for a Role granting `create` on "
     "`pods/portforward` and `get` on `pods`, or save a scrape another way and verify it: "
     "`kubectl exec <pod> -c istio-proxy -n <ns> -- pilot-agent request GET stats/prometheus > "
     "scrape.prom`, then `hfi-metrics verify --file scrape.prom`."},
    {HintId::kEndpointUnreachable, "HFI504", kError, kEnv, kCluster,
     "Stats endpoint did not answer in time",
     "The connection to the pod's admin endpoint was refused or timed out: Envoy is not ready "
     "yet, the port-forward broke, or the node is overloaded. Envoy's admin listener binds "
     "127.0.0.1:15000 inside the pod, so only a port-forward or `kubectl exec` reaches it.",
     "Check `kubectl get pod <pod> -n <ns>` (containers ready) and `kubectl logs <pod> -c "
     "istio-proxy -n <ns>`; try `kubectl port-forward pod/<pod> 15000 -n <ns>` by hand, then "
     "`curl -s localhost:15000/ready`."},
    {HintId::kStatsMatcherRejects, "HFI505", kError, kFailed, kCluster,
     "Stats matcher rejects the metric names",
     "Envoy creates a stat only when the bootstrap `stats_config.stats_matcher` accepts its "
     "internal name (`wasmcustom.wasmcustom.hfi_faults_...`); otherwise the plugin gets a no-op "
     "stat: defining succeeds, updates are lost, and the metric appears on no endpoint. Istio "
     "always includes the prefix `wasm`, which matches `wasmcustom.` names on Istio >= 1.12, so "
     "this takes a custom bootstrap, a plain Envoy or an old proxy. Matchers see internal dotted "
     "names: a pattern written for the Prometheus name never matches, and a regex must match the "
     "whole name.",
     "Add `proxyStatsMatcher: {inclusionPrefixes: [\"wasmcustom.\"]}` to the pod annotation "
     "`proxy.istio.io/config`: `kubectl patch deployment <name> -n <ns> --type merge -p "
     "'{\"spec\":{\"template\":{\"metadata\":{\"annotations\":{\"proxy.istio.io/config\":"
     "\"proxyStatsMatcher:\\n  inclusionPrefixes: [\\\"wasmcustom.\\\"]\\n\"}}}}}'` (changing "
     "the pod template restarts the pods, which the bootstrap-only matcher needs)."},
    {HintId::kRestartNeeded, "HFI506", kError, kFailed, kCluster,
     "Pods must restart for the stats configuration to apply",
     "The stats matcher, histogram buckets and extra stat tags live in Envoy's bootstrap, which "
     "the Istio agent writes once when the container starts. Changing `proxy.istio.io/config`, "
     "`sidecar.istio.io/*` annotations on a running pod, or the mesh config, changes nothing until "
     "the pod restarts.",
     "`kubectl rollout restart deployment/<name> -n <ns>`, then `kubectl rollout status "
     "deployment/<name> -n <ns> --timeout=180s`."},
    {HintId::kBootstrapFilterIgnored, "HFI507", kWarning, kFailed, kCluster,
     "BOOTSTRAP EnvoyFilter is ignored on Istio >= 1.21",
     "EnvoyFilter patches with `applyTo: BOOTSTRAP` were applied only through the agent's "
     "bootstrap discovery (`BOOTSTRAP_XDS_AGENT=true`, Istio 1.11 to 1.20), which Istio 1.21 "
     "removed. The API still accepts the object and nothing warns, but a stats matcher set this "
     "way has no effect.",
     "Delete it (`kubectl delete envoyfilter <name> -n <ns>`) and set the matcher with "
     "`proxy.istio.io/config` (`proxyStatsMatcher: {inclusionPrefixes: [\"wasmcustom.\"]}`) or "
     "`meshConfig.defaultConfig.proxyStatsMatcher`, then `kubectl rollout restart "
     "deployment/<name> -n <ns>`."},
    {HintId::kPluginNotLoaded, "HFI508", kError, kFailed, kCluster,
     "Plugin is not loaded in the proxy",
     "The proxy's configuration has no Wasm HTTP filter for HFI, or its VM failed to start: a "
     "WasmPlugin whose `selector` does not match the pod's labels or that lives in another "
     "namespace, a failed module fetch or `sha256` mismatch (the update is rejected), or a VM "
     "start failure hidden by `failStrategy: FAIL_OPEN`.",
     "`kubectl get wasmplugin -A`; compare its `selector.matchLabels` with `kubectl get pod <pod> "
     "-n <ns> --show-labels`; `kubectl logs <pod> -c istio-proxy -n <ns> | grep -i wasm`; check "
     "`istio_agent_wasm_remote_fetch_count` on port 15020 and `pilot_total_xds_rejects` on "
     "istiod."},
    {HintId::kAbsentInPrometheus, "HFI509", kError, kFailed, kPrometheus,
     "Metrics visible on the sidecar but absent in Prometheus",
     "The sidecar exposes the metrics but Prometheus has no series for the pod: the pod is not "
     "scraped (metrics merging off with `prometheus.istio.io/merge-metrics: \"false\"` or "
     "`meshConfig.enablePrometheusMerge: false`, or `prometheus.io/scrape: \"false\"`), the job "
     "does not select the `-envoy-prom` port, the merged 15020 target fails because the "
     "application's part does not parse, or relabelling drops the names.",
     "Look at the target's health and last error (`curl -s <prometheus>/api/v1/targets`); check "
     "the pod's `prometheus.io/port` annotation is \"15020\" (`kubectl get pod <pod> -n <ns> -o "
     "jsonpath='{.metadata.annotations}'`); `kubectl logs <pod> -c istio-proxy -n <ns> | grep "
     "'failed scraping'`."},
    {HintId::kPluginFailed, "HFI510", kError, kFailed, kLocal, "Plugin failed in the host",
     "The embedded host runs the plugin as Envoy does, and the plugin failed there: its VM start "
     "(`proxy_on_vm_start`) or its configuration (`proxy_on_configure`) returned false, or it "
     "trapped (an out-of-bounds access, `abort()`, an unreachable instruction, a call past the "
     "instruction limit). Envoy then stops running the plugin: requests get a 503 (fail closed, "
     "the default) or pass as if it were absent (fail open), and no fault is injected or counted. "
     "A real sidecar would fail the same way.",
     "Run the plugin in the foreground and read its log: `hfi-metrics sidecar --plugin "
     "plugin.wasm --policy policy.json -v`; check the module with `hfi-metrics inspect "
     "plugin.wasm`; rebuild it with `hfi-metrics build`."},

    // 6xx: the fleet as a Prometheus server sees it (`verify --prometheus`).
    {HintId::kTargetDown, "HFI601", kError, kFailed, kPrometheus, "Prometheus target is down",
     "Prometheus has a target for the pod but its last scrape failed (`up` is 0), so it holds no "
     "current series for it. The observed value quotes the target's last error: `connection "
     "refused` or a timeout when the port is wrong or the proxy is not ready, `server returned "
     "HTTP status 403` when pilot-agent only answers localhost (`METRICS_LOCALHOST_ACCESS_ONLY`), "
     "a "
     "parse error when the merged 15020 output mixes in an application exposition Prometheus "
     "cannot read (the whole target then fails).",
     "Read the error on the target: `curl -s <prometheus>/api/v1/targets | jq "
     "'.data.activeTargets[] "
     "| select(.health != \"up\") | {scrapeUrl, lastError}'`; scrape the same URL yourself with "
     "`kubectl port-forward pod/<pod> 15020 -n <ns>` and `curl -s "
     "localhost:15020/stats/prometheus | hfi-metrics verify --file -`; check the agent's log: "
     "`kubectl logs <pod> -c istio-proxy -n <ns> | grep 'failed scraping'`."},
    {HintId::kNoTarget, "HFI602", kError, kFailed, kPrometheus, "No Prometheus target for the pod",
     "No active target of the Prometheus server carries the pod's namespace and pod labels, so "
     "nothing scrapes its sidecar. With Istio's metrics merging the injector sets "
     "`prometheus.io/scrape: \"true\"`, `prometheus.io/port: \"15020\"` and "
     "`prometheus.io/path: /stats/prometheus` on the pod, and a `kubernetes-pods` job that honours "
     "those annotations scrapes it. The target is missing when merging is off "
     "(`meshConfig.enablePrometheusMerge: false`, `prometheus.istio.io/merge-metrics: "
     "\"false\"`), when the pod says `prometheus.io/scrape: \"false\"`, when no job selects the "
     "pods (or a job's relabelling drops them), or when the target labels naming the pod are not "
     "`namespace` and `pod` (then pass `--namespace-label` and `--pod-label`).",
     "Look at the pod's annotations: `kubectl get pod <pod> -n <ns> -o "
     "jsonpath='{.metadata.annotations}'` (expect prometheus.io/port \"15020\"); list the targets "
     "and their labels: `curl -s <prometheus>/api/v1/targets | jq '.data.activeTargets[].labels'`; "
     "look for the pod among the dropped ones: `curl -s "
     "'<prometheus>/api/v1/targets?state=dropped'`; "
     "with the Prometheus Operator, add a PodMonitor selecting the `-envoy-prom` port (15090)."},
    {HintId::kTargetStale, "HFI603", kError, kFailed, kPrometheus,
     "Prometheus target not scraped recently",
     "The target's last scrape is older than `--max-scrape-age` (2m by default), or it was never "
     "scraped: Prometheus is overloaded, the scrape interval is longer than the limit, the "
     "server's clock is off, or the target was only just discovered. Its series are as old as the "
     "last scrape, and five minutes after it they disappear from instant queries (staleness).",
     "Compare the target's `lastScrape` and `scrapeInterval`: `curl -s "
     "<prometheus>/api/v1/targets | jq '.data.activeTargets[] | {scrapeUrl, lastScrape, "
     "scrapeInterval}'`; see how long the scrapes take: `curl -s "
     "<prometheus>/api/v1/query --data-urlencode 'query=scrape_duration_seconds{pod=\"<pod>\"}'`; "
     "raise "
     "`--max-scrape-age` when the interval is long on purpose."},
    {HintId::kHistogramIncompleteInPrometheus, "HFI604", kError, kFailed, kPrometheus,
     "Histogram series incomplete in Prometheus",
     "Prometheus holds only part of the delay histogram for the pod: some `_bucket` series (the "
     "`le=\"+Inf\"` one among them), `_sum` or `_count` are missing, while the sidecar serves "
     "all of them (or was not scraped to compare). A `metric_relabel_configs` rule dropping by "
     "name or by `le`, a `sample_limit` or `label_limit`, or a recording pipeline that keeps only "
     "some series does this; `histogram_quantile()` and rates over `_count` then give wrong or no "
     "answers.",
     "Find the rule in the scrape job: `curl -s <prometheus>/api/v1/status/config | grep -n -A5 "
     "metric_relabel_configs`; check the series Prometheus has: `curl -s "
     "'<prometheus>/api/v1/series' --data-urlencode "
     "'match[]={__name__=~\"wasmcustom_hfi_faults_delay_duration_milliseconds.*\",pod=\"<pod>\"}'`;"
     " "
     "keep the whole family (`_bucket`, `_sum`, `_count`) in any keep or drop rule."},
    {HintId::kValuesDisagree, "HFI605", kError, kFailed, kPrometheus,
     "Prometheus values disagree with a direct scrape",
     "For a counter Prometheus stores a value higher than the sidecar serves right now. Counters "
     "only grow while a proxy lives and Prometheus lags the sidecar by at most one scrape "
     "interval, so its value can be lower, never higher. Higher means the series mix more than "
     "this sidecar: two targets scraping the pod under one label set (a duplicate job), series "
     "of another pod merged by relabelling (`labeldrop`, a `pod` label overwritten, "
     "`honor_labels`), or a pod restarted under the same name since the last scrape.",
     "Look for duplicate targets of the pod: `curl -s <prometheus>/api/v1/targets | jq "
     "'.data.activeTargets[] | select(.labels.pod==\"<pod>\") | {scrapePool, scrapeUrl}'`; "
     "compare with the sidecar: `kubectl port-forward pod/<pod> 15000 -n <ns>` then `curl -s "
     "localhost:15000/stats/prometheus | grep hfi_faults`; check the pod's restarts: `kubectl get "
     "pod <pod> -n <ns>`."},
    {HintId::kRenamedInPrometheus, "HFI606", kError, kFailed, kPrometheus,
     "HFI series stored in Prometheus under other names",
     "Prometheus has no `wasmcustom_hfi_faults_*` series for the pod but has series of it whose "
     "names look like them (`..._aborts_total`, `..._delays_total`, "
     "`..._delay_duration_milliseconds`): a `metric_relabel_configs` rule rewrites `__name__`, so "
     "dashboards and alerts that use the documented names see nothing.",
     "Find the rule: `curl -s <prometheus>/api/v1/status/config | grep -n -B2 -A6 __name__`; "
     "remove the rewrite for `wasmcustom_hfi_faults_.*`, or query the names the observed value "
     "lists."},
};

static_assert(std::size(kHints) == static_cast<std::size_t>(HintId::kCount),
              "one catalogue entry per HintId");

constexpr bool InIdOrder() {
  for (std::size_t i = 0; i < std::size(kHints); ++i) {
    if (static_cast<std::size_t>(kHints[i].id) != i)
      return false;
  }
  return true;
}
static_assert(InIdOrder(), "kHints must list the entries in HintId order");

}  // namespace

std::span<const Hint> AllHints() {
  return kHints;
}

const Hint& GetHint(HintId id) {
  return kHints[static_cast<std::size_t>(id)];
}

const Hint* FindHint(std::string_view code) {
  for (const Hint& hint : kHints) {
    if (hint.code == code)
      return &hint;
  }
  return nullptr;
}

std::string DocAnchor(const Hint& hint) {
  std::string anchor = "docs/hints.md#";
  for (char c : hint.code)
    anchor += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return anchor;
}

std::string_view DetectionName(Detection detection) {
  switch (detection) {
    case Detection::kAnySource:
      return "any source";
    case Detection::kCluster:
      return "cluster";
    case Detection::kPrometheus:
      return "prometheus";
    case Detection::kTraffic:
      return "traffic";
    case Detection::kLocal:
      return "local sidecar";
  }
  return "any source";
}

}  // namespace hfi::verify

#!/usr/bin/env bash
# The Prometheus rig of tests/prometheus/lib.sh shows each case as designed, read through
# Prometheus' own API (no hfi-metrics verify): the healthy sidecars up with the values their
# traffic made and complete histograms; no-hfi and no-plugin up without any HFI series (no-plugin
# with Envoy's other metrics); relabelled up, its HFI samples dropped by the rule while its scrape
# URL serves them; down down with a connection error. Then every process the rig started is gone.
# Skipped (77) without prometheus, curl, python3 or the plugin module.
source "$(dirname "$0")/lib.sh"
: "${HFI_SOURCE_DIR:?set by CTest: the source tree}"
source "$HFI_SOURCE_DIR/tests/prometheus/lib.sh"
rig_require

check() {  # check DESCRIPTION EXPECTED ACTUAL
  [ "$2" = "$3" ] || { echo "FAIL: $1: expected '$2', got '$3'" >&2; FAILS=$((FAILS + 1)); }
}

rig_start_cases
echo "prometheus $RIG_URL: ${#RIG_CASE_PODS[@]} targets scraped"

for pod in healthy-0 healthy-1 no-hfi no-plugin relabelled; do
  check "target $pod" "up|" "$(rig_target_health pod=$pod)"
done
health=$(rig_target_health pod=down)
check "target down: health" down "${health%%|*}"
case "${health#*|}" in
  *"connection refused"*) ;;
  *) check "target down: lastError" "...connection refused" "${health#*|}" ;;
esac
check 'up{pod="down"}' 0 "$(rig_value 'up{job="envoy-stats",pod="down"}')"
check 'count(up{job="envoy-stats"})' 6 "$(rig_value 'count(up{job="envoy-stats"})')"

hfi() { rig_value "wasmcustom_hfi_faults_$1{job=\"envoy-stats\",namespace=\"demo\",pod=\"$2\"}"; }
check "healthy-0 aborts" 3 "$(hfi aborts_total healthy-0)"
check "healthy-0 delays" 2 "$(hfi delays_total healthy-0)"
check "healthy-1 aborts" 1 "$(hfi aborts_total healthy-1)"
check "healthy-1 delays" 4 "$(hfi delays_total healthy-1)"
for pod in healthy-0 healthy-1; do
  check "$pod: bucket series" 20 \
    "$(rig_value "count(wasmcustom_hfi_faults_delay_duration_milliseconds_bucket{pod=\"$pod\"})")"
  check "$pod: +Inf bucket = _count" "$(hfi delay_duration_milliseconds_count $pod)" \
    "$(rig_value "wasmcustom_hfi_faults_delay_duration_milliseconds_bucket{pod=\"$pod\",le=\"+Inf\"}")"
done
# Every delay is 20 ms: all of healthy-0's in le="25", none in le="10".
check 'healthy-0 le="25" bucket' 2 \
  "$(rig_value 'wasmcustom_hfi_faults_delay_duration_milliseconds_bucket{pod="healthy-0",le="25"}')"
check 'healthy-0 le="10" bucket' 0 \
  "$(rig_value 'wasmcustom_hfi_faults_delay_duration_milliseconds_bucket{pod="healthy-0",le="10"}')"

for pod in no-hfi no-plugin relabelled down; do
  check "$pod: HFI series in Prometheus" 0 \
    "$(rig_value "count({__name__=~\".*hfi_faults.*\",pod=\"$pod\"}) or vector(0)")"
done
check "no-plugin: Envoy's own series" 1 "$(rig_value 'envoy_server_live{pod="no-plugin"}')"
# The rule drops exactly the 24 HFI samples of the relabelled sidecar's scrape.
check "relabelled: samples dropped by metric_relabel_configs" 24 \
  "$(rig_value 'scrape_samples_scraped{pod="relabelled"} - scrape_samples_post_metric_relabeling{pod="relabelled"}')"

# The targets' scrape URLs, fetched directly: relabelled and the healthy ones serve the HFI series
# with their values, no-hfi serves none.
scrape_url() {
  rig_api /api/v1/targets | python3 -c '
import json, sys
for t in json.load(sys.stdin)["data"]["activeTargets"]:
    if t["labels"].get("pod") == sys.argv[1]:
        print(t["scrapeUrl"])' "$1"
}
url=$(scrape_url relabelled)
check "relabelled: scrapeUrl" "${RIG_ADMIN[relabelled]}/stats/prometheus" "$url"
curl -s --max-time 5 "$url" >"$TMP/relabelled.prom"
check "relabelled, direct: aborts" 2 \
  "$(awk '$1 == "wasmcustom_hfi_faults_aborts_total{}" { print $2 }' "$TMP/relabelled.prom")"
check "relabelled, direct: delays" 1 \
  "$(awk '$1 == "wasmcustom_hfi_faults_delays_total{}" { print $2 }' "$TMP/relabelled.prom")"
check "no-hfi, direct: HFI lines" 0 "$(curl -s --max-time 5 "$(scrape_url no-hfi)" | grep -c hfi_faults)"
check "no-plugin, direct: HFI lines" 0 \
  "$(curl -s --max-time 5 "$(scrape_url no-plugin)" | grep -c hfi_faults)"
check "no-plugin, direct: Envoy lines" 1 \
  "$(curl -s --max-time 5 "$(scrape_url no-plugin)" | grep -c '^envoy_server_live')"

# The rig's cleanup stops everything it started.
pids="${RIG_PIDS[*]}"
rig_cleanup
TMP=$(mktemp -d)  # finish and the EXIT trap still expect it
trap 'rm -rf "$TMP"' EXIT
for pid in $pids; do
  kill -0 "$pid" 2>/dev/null && check "process $pid stopped by the rig's cleanup" gone running
done
finish

#!/usr/bin/env bash
# `verify --prometheus` on a fleet of simulated pods, against verifying the same pods by direct
# scrape. One stdlib Python server (tests/prometheus/exposition_server.py --fleet N) serves N
# distinct Envoy-shaped expositions (Envoy's own series and the three HFI metrics with a full
# delay histogram) at /pods/I/stats/prometheus; a real Prometheus (Debian's /usr/bin/prometheus,
# started by tests/prometheus/lib.sh on loopback) scrapes them as N targets of job "fleet" (file_sd,
# labels namespace=fleet, pod=pod-I, every 5 s). Once every target is up, it times
#   through Prometheus:  hfi-metrics verify --prometheus URL --match 'job="fleet"' --sample 3 -o json
#   direct:              curl fetches the N expositions (8 at a time), then one
#                        hfi-metrics verify --file F1 ... --file FN -o json
# BENCH_RUNS times each (median printed), then prints both wall times, their ratio, and
# Prometheus' own figures: its API requests and time spent answering during the runs, scrape
# durations, head series and memory.
#
#   tests/bench/prometheus_fleet.sh [PATH/TO/hfi-metrics]
#
# Environment: HFI_METRICS (the binary, when not given as an argument), BENCH_PODS (1000),
# BENCH_RUNS (3), BENCH_SCRAPE_INTERVAL (5s). Not run by ctest: it takes a minute or two.
set -uo pipefail
HFI_METRICS=${1:-${HFI_METRICS:-}}
if [[ -z $HFI_METRICS || ! -x $HFI_METRICS ]]; then
  echo "usage: $0 PATH/TO/hfi-metrics (or set HFI_METRICS)" >&2
  exit 64
fi
export HFI_METRICS
for tool in prometheus curl python3; do
  command -v $tool >/dev/null 2>&1 || { echo "$0: $tool is needed" >&2; exit 2; }
done
PODS=${BENCH_PODS:-1000}
RUNS=${BENCH_RUNS:-3}
INTERVAL=${BENCH_SCRAPE_INTERVAL:-5s}
HERE=$(cd "$(dirname "$0")" && pwd)
HFI_SOURCE_DIR=$(cd "$HERE/../.." && pwd)

source "$HFI_SOURCE_DIR/tests/e2e/lib.sh"
source "$HFI_SOURCE_DIR/tests/prometheus/lib.sh"
skip() { echo "$0: $*" >&2; exit 2; }

now() { date +%s.%N; }
codes() {  # codes REPORT.json: a report's findings counted by code, and the first one
  python3 -c '
import collections, json, sys
c, first = collections.Counter(), "-"
for s in json.load(open(sys.argv[1]))["sources"]:
    for k in s["checks"]:
        for f in k["findings"]:
            c[f["code"] + " " + f["severity"]] += 1
            if first == "-":
                first = "%s: %s %s" % (s["name"], f["code"], f["observed"])
print(" findings:", dict(c), "first:", first)' "$1" 2>/dev/null
}
median() { python3 -c 'import statistics, sys; print("%.3f" % statistics.median(map(float, sys.argv[1:])))' "$@"; }

rig_spawn fleet python3 "$HFI_SOURCE_DIR/tests/prometheus/exposition_server.py" --fleet "$PODS"
FLEET=$(rig_wait_line fleet listen) || exit 1
python3 - "$PODS" "${FLEET#http://}" >"$TMP/fleet.json" <<'EOF'
import json, sys
n, addr = int(sys.argv[1]), sys.argv[2]
# One address serves every pod, so each target names its own instance, as a pod's IP would.
json.dump([{"targets": [addr], "labels": {"namespace": "fleet", "pod": "pod-%d" % i,
                                          "instance": "pod-%d:15000" % i,
                                          "__metrics_path__": "/pods/%d/stats/prometheus" % i}}
           for i in range(n)], sys.stdout)
EOF
rig_config <<EOF
scrape_configs:
  - job_name: fleet
    scrape_interval: $INTERVAL
    scrape_timeout: $INTERVAL
    file_sd_configs:
      - files: ['$TMP/fleet.json']
EOF
rig_prometheus
echo "prometheus $RIG_URL, $PODS targets at $FLEET/pods/I/stats/prometheus every $INTERVAL"

start=$(now) up=0
for _ in $(seq 240); do
  up=$(rig_value 'count(up{job="fleet"} == 1)')
  [ "$up" = "$PODS" ] && break
  sleep 0.5
done
[ "$up" = "$PODS" ] || rig_die "$up of $PODS targets up after 120 s"
echo "all $PODS targets up after $(python3 -c "print('%.1f' % ($(now) - $start))") s"

api_figures() {  # "REQUESTS SECONDS" Prometheus has spent on /api/v1/* since it started
  curl -s --max-time 5 "$RIG_URL/metrics" | awk '
    /^prometheus_http_request_duration_seconds_(count|sum)\{handler="\/api\/v1\// {
      if ($1 ~ /_count\{/) n += $2; else s += $2 }
    END { printf "%d %.6f\n", n, s }'
}

# Through Prometheus.
read -r n0 s0 < <(api_figures)
via=()
for r in $(seq "$RUNS"); do
  t0=$(now)
  "$HFI_METRICS" verify --prometheus "$RIG_URL" --match 'job="fleet"' --sample 3 -o json \
    >"$TMP/via.json" 2>"$TMP/via.err"
  status=$?
  t1=$(now)
  [ $status -eq 0 ] || rig_die "verify --prometheus exited $status: $(head -c 300 "$TMP/via.err")$(codes "$TMP/via.json")"
  via+=("$(python3 -c "print('%.3f' % ($t1 - $t0))")")
done
read -r n1 s1 < <(api_figures)
python3 - "$TMP/via.json" "$PODS" <<'EOF' || rig_die "verify --prometheus did not report every pod"
import json, sys
r = json.load(open(sys.argv[1]))
sys.exit(0 if len(r["sources"]) == int(sys.argv[2]) else 1)
EOF

# Direct: fetch every exposition, then verify them all in one run.
: >"$TMP/curl.cfg"
mkdir -p "$TMP/direct"
for i in $(seq 0 $((PODS - 1))); do
  printf 'url = "%s/pods/%d/stats/prometheus"\noutput = "%s/direct/pod-%d.prom"\n' \
    "$FLEET" "$i" "$TMP" "$i" >>"$TMP/curl.cfg"
done
FILES=()
for i in $(seq 0 $((PODS - 1))); do FILES+=(--file "$TMP/direct/pod-$i.prom"); done
direct=() fetch=()
for r in $(seq "$RUNS"); do
  rm -f "$TMP"/direct/*.prom
  t0=$(now)
  curl -s --no-progress-meter --fail --parallel --parallel-max 8 -K "$TMP/curl.cfg" 2>"$TMP/curl.err" \
    || rig_die "direct fetch failed: $(head -c 300 "$TMP/curl.err")"
  t1=$(now)
  "$HFI_METRICS" verify "${FILES[@]}" -o json >"$TMP/direct.json" 2>"$TMP/direct.err"
  status=$?
  t2=$(now)
  [ $status -eq 0 ] || rig_die "verify --file exited $status: $(head -c 300 "$TMP/direct.err")$(codes "$TMP/direct.json")"
  fetch+=("$(python3 -c "print('%.3f' % ($t1 - $t0))")")
  direct+=("$(python3 -c "print('%.3f' % ($t2 - $t0))")")
done

V=$(median "${via[@]}") D=$(median "${direct[@]}") F=$(median "${fetch[@]}")
echo
echo "verify of $PODS pods, median of $RUNS runs (wall time):"
echo "  through Prometheus (--prometheus --match 'job=\"fleet\"' --sample 3):  $V s   (runs: ${via[*]})"
echo "  direct (curl x$PODS, 8 at a time, then verify --file x$PODS):           $D s   (fetch alone $F s)"
python3 -c "print('  ratio direct / through Prometheus: %.1fx' % ($D / $V))"
echo
echo "Prometheus during the $RUNS runs through it:"
python3 -c "n = $n1 - $n0; s = $s1 - $s0
print('  /api/v1 requests: %d (%.1f per run), time spent answering them: %.3f s (%.3f s per run)' % (n, n / $RUNS, s, s / $RUNS))"
# One more run with -v: its API calls, each with status and milliseconds.
"$HFI_METRICS" -v verify --prometheus "$RIG_URL" --match 'job="fleet"' --sample 3 -o json \
  >/dev/null 2>"$TMP/verbose.err"
echo "  the calls of one run (-v):"
grep -E 'GET|POST' "$TMP/verbose.err" | grep -v '/pods/' | cut -c1-150 | sed 's/^/    /'
echo "    ... and $(grep -c '/pods/' "$TMP/verbose.err") direct scrapes"
for q in 'avg(scrape_duration_seconds{job="fleet"})' 'max(scrape_duration_seconds{job="fleet"})' \
  'sum(scrape_samples_scraped{job="fleet"})'; do
  printf '  %-44s %s\n' "$q" "$(rig_query "$q" | python3 -c '
import json, sys
r = json.load(sys.stdin).get("data", {}).get("result", [])
print(", ".join(x["value"][1] for x in r) if r else "none")')"
done
# Its own metrics (the rig's Prometheus does not scrape itself).
curl -s --max-time 5 "$RIG_URL/metrics" | awk '
  $1 == "prometheus_tsdb_head_series" { printf "  %-44s %d\n", "head series", $2 }
  $1 == "process_resident_memory_bytes" { printf "  %-44s %.0f MiB\n", "resident memory", $2 / 1048576 }
  $1 ~ /^prometheus_target_interval_length_seconds\{.*quantile="0.99"/ {
    printf "  %-44s %s s\n", "scrape interval, 99th percentile", $2 }'

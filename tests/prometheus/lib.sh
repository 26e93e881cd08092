# A real Prometheus server on loopback, scraping embedded sidecars and other local endpoints, for
# the end-to-end tests of `verify --prometheus` and `serve` (and by hand, the fleet benchmark).
# Source it after tests/e2e/lib.sh (it uses TMP, fail and skip from there):
#
#   source "$HFI_SOURCE_DIR/tests/prometheus/lib.sh"
#   rig_require                                    # skip (77) without prometheus, curl, python3
#   rig_sidecar healthy-0 --policy "$RIG_POLICY"   # RIG_ADMIN[healthy-0], RIG_LISTEN[healthy-0]
#   rig_traffic healthy-0 3 2 1                    # aborted, delayed, untouched requests
#   rig_config <<EOF ... EOF                       # scrape_configs: ..., after the rig's globals
#   rig_prometheus                                 # starts it, waits for /-/ready; RIG_URL
#   rig_wait_scraped 4 30                          # every target of 4 scraped twice, within 30 s
#   rig_query 'up{job="envoy-stats"}'              # the API's JSON answer on stdout
#
# Every process the rig starts is stopped when the script exits, whichever way it exits (TERM,
# then KILL after 3 s), and its temporary directory removed.

RIG_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
RIG_PIDS=()
RIG_URL=""
RIG_PROM_PID=""
declare -A RIG_ADMIN=() RIG_LISTEN=() RIG_PID=()

rig_stop() {  # rig_stop PID: TERM, then KILL if it is still there after 3 s
  local pid=$1 i
  [ -n "$pid" ] || return 0
  kill "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null; return 0; }
  for i in $(seq 30); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null
  wait "$pid" 2>/dev/null
  return 0
}
rig_cleanup() {
  local pid
  trap - EXIT INT TERM HUP
  for pid in "${RIG_PIDS[@]}"; do rig_stop "$pid"; done
  RIG_PIDS=()
  rm -rf "$TMP"
}
trap rig_cleanup EXIT
# A signal ends the script through its EXIT trap, so nothing outlives an interrupted run.
trap 'exit 130' INT
trap 'exit 143' TERM HUP

rig_require() {
  command -v prometheus >/dev/null 2>&1 || skip "prometheus is not installed (Debian package prometheus)"
  command -v curl >/dev/null 2>&1 || skip "curl is not installed"
  command -v python3 >/dev/null 2>&1 || skip "python3 is not installed"
  RIG_PLUGIN_ARGS=()
  if [ -n "${HFI_PLUGIN_WASM:-}" ]; then
    [ -f "$HFI_PLUGIN_WASM" ] || skip "no plugin module at '$HFI_PLUGIN_WASM'"
    RIG_PLUGIN_ARGS=(--plugin "$HFI_PLUGIN_WASM")
  fi
  # The policy of `verify --local`: 503 for 'x-hfi-local: abort', 20 ms for 'x-hfi-local: delay',
  # for the workload the sidecar reports by default (hfi-local in namespace default).
  RIG_POLICY=$TMP/rig-policy.json
  cat >"$RIG_POLICY" <<'EOF'
{
  "policies": [
    {
      "metadata": { "name": "rig-abort-and-delay" },
      "spec": {
        "selector": { "service": "hfi-local", "namespace": "default" },
        "rules": [
          {
            "match": { "headers": [ { "name": "x-hfi-local", "exact": "abort" } ] },
            "fault": { "percentage": 100, "abort": { "httpStatus": 503 } }
          },
          {
            "match": { "headers": [ { "name": "x-hfi-local", "exact": "delay" } ] },
            "fault": { "percentage": 100, "delay": { "fixed_delay_ms": 20 } }
          }
        ]
      }
    }
  ]
}
EOF
}

rig_die() {  # a failure after which nothing else can be checked: the logs, then exit 1
  local f
  echo "FAIL: $*" >&2
  for f in "$TMP"/*.err; do
    [ -s "$f" ] && { echo "--- ${f##*/}:" >&2; tail -c 2000 "$f" >&2; }
  done
  exit 1
}

rig_free_port() {  # a loopback port nobody listens on right now
  python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# rig_spawn NAME CMD...: CMD in the background, stdout in $TMP/NAME.out, stderr in $TMP/NAME.err;
# RIG_PID[NAME] is its process id.
rig_spawn() {
  local name=$1
  shift
  "$@" >"$TMP/$name.out" 2>"$TMP/$name.err" &
  RIG_PID[$name]=$!
  RIG_PIDS+=($!)
}

# rig_wait_line NAME KEY: waits (10 s) until NAME printed a line "KEY VALUE"; prints VALUE.
rig_wait_line() {
  local name=$1 key=$2 value="" i
  for i in $(seq 100); do
    value=$(awk -v k="$key" '$1 == k { print $2; exit }' "$TMP/$name.out" 2>/dev/null)
    [ -n "$value" ] && { echo "$value"; return 0; }
    kill -0 "${RIG_PID[$name]}" 2>/dev/null || rig_die "$name exited before printing '$key ...'"
    sleep 0.1
  done
  rig_die "$name printed no '$key ...' line within 10 s"
}

# rig_sidecar NAME [SIDECAR OPTIONS...]: an embedded sidecar (the plugin of this build) on free
# loopback ports; RIG_ADMIN[NAME] and RIG_LISTEN[NAME] are its base URLs.
rig_sidecar() {
  local name=$1
  shift
  rig_spawn "$name" "$HFI_METRICS" sidecar --admin 127.0.0.1:0 --listen 127.0.0.1:0 \
    --flush-interval 200ms "${RIG_PLUGIN_ARGS[@]}" "$@"
  # rig_die in a command substitution only ends the subshell: exit here too.
  RIG_ADMIN[$name]=$(rig_wait_line "$name" admin) || exit 1
  RIG_LISTEN[$name]=$(rig_wait_line "$name" listen) || exit 1
}

# rig_traffic NAME ABORTS DELAYS PLAIN: requests through NAME's listener under RIG_POLICY; each
# status is checked, so the counters end up at exactly ABORTS and DELAYS.
rig_traffic() {
  local name=$1 n code want
  local -a kinds=()
  for n in $(seq "$2"); do kinds+=(abort); done
  for n in $(seq "$3"); do kinds+=(delay); done
  for n in $(seq "$4"); do kinds+=(pass); done
  for n in "${kinds[@]}"; do
    want=200
    [ "$n" = abort ] && want=503
    code=$(curl -s -o /dev/null --max-time 5 -w '%{http_code}' -H "x-hfi-local: $n" \
      "${RIG_LISTEN[$name]}/rig/$n")
    [ "$code" = "$want" ] || rig_die "$name: a '$n' request answered $code, not $want"
  done
}

# rig_config: the Prometheus configuration: the rig's global section (1 s scrape and evaluation
# intervals), then standard input (scrape_configs: ...).
rig_config() {
  {
    cat <<'EOF'
global:
  scrape_interval: 1s
  scrape_timeout: 900ms
  evaluation_interval: 1s
EOF
    cat
  } >"$TMP/prometheus.yml"
  if command -v promtool >/dev/null 2>&1; then
    promtool check config "$TMP/prometheus.yml" >"$TMP/promtool-config.log" 2>&1 \
      || rig_die "promtool check config refused the rig's configuration"
  fi
}

# rig_prometheus [EXTRA FLAGS...]: Prometheus with $TMP/prometheus.yml on a free loopback port and
# a temporary TSDB; returns once /-/ready answers 200. RIG_URL is its base URL.
rig_prometheus() {
  local port i
  port=$(rig_free_port)
  RIG_URL=http://127.0.0.1:$port
  rig_spawn prometheus prometheus --config.file="$TMP/prometheus.yml" \
    --storage.tsdb.path="$TMP/tsdb" --web.listen-address="127.0.0.1:$port" \
    --web.enable-lifecycle --log.level=warn "$@"
  RIG_PROM_PID=${RIG_PID[prometheus]}
  for i in $(seq 150); do
    kill -0 "$RIG_PROM_PID" 2>/dev/null || rig_die "prometheus exited at start"
    [ "$(curl -s -o /dev/null --max-time 1 -w '%{http_code}' "$RIG_URL/-/ready")" = 200 ] && return 0
    sleep 0.1
  done
  rig_die "prometheus not ready within 15 s at $RIG_URL"
}

rig_api() {  # rig_api PATH [curl -G data...]: GET PATH of the rig's Prometheus, its JSON on stdout
  local path=$1
  shift
  curl -s --max-time 5 -G "$RIG_URL$path" "$@"
}
rig_query() { rig_api /api/v1/query --data-urlencode "query=$1"; }

# rig_value EXPR: the value of the single series EXPR selects; "none" without, "many" with several.
rig_value() {
  rig_query "$1" | python3 -c '
import json, sys
try:
    r = json.load(sys.stdin)["data"]["result"]
except Exception:
    print("none"); sys.exit()
print("none" if not r else "many" if len(r) > 1 else r[0]["value"][1])'
}

# rig_wait_scraped N TIMEOUT: waits until Prometheus has N active targets, each scraped at least
# twice (two samples of `up`, whatever its value) and last scraped after its discovery.
rig_wait_scraped() {
  local want=$1 timeout=$2 i n=""
  for i in $(seq $((timeout * 2))); do
    kill -0 "$RIG_PROM_PID" 2>/dev/null || rig_die "prometheus exited"
    n=$(rig_query 'count_over_time(up[5m]) >= 2' | python3 -c '
import json, sys
try:
    print(len(json.load(sys.stdin)["data"]["result"]))
except Exception:
    print(0)')
    [ "$n" -ge "$want" ] && return 0
    sleep 0.5
  done
  rig_die "only $n of $want targets scraped twice within ${timeout}s"
}

# rig_target_health LABEL=VALUE: "health|lastError" of the active target with that label
# ("none|" without one, "many|" with several).
rig_target_health() {
  rig_api /api/v1/targets --data-urlencode state=active | python3 -c '
import json, sys
k, v = sys.argv[1].split("=", 1)
try:
    ts = [t for t in json.load(sys.stdin)["data"]["activeTargets"] if t["labels"].get(k) == v]
except Exception:
    ts = []
print("none|" if not ts else "many|" if len(ts) > 1 else ts[0]["health"] + "|" + ts[0]["lastError"])' "$1"
}

# rig_start_cases: the standard scene, every target under job="envoy-stats" with labels
# namespace=demo and pod=NAME:
#   healthy-0, healthy-1  sidecars with the plugin and traffic (3/2/1 and 1/4/0 aborted, delayed,
#                         untouched requests)
#   no-hfi                a sidecar whose stats matcher rejects every name (--stats-matcher none):
#                         its /stats/prometheus has no HFI series, as a proxy without the plugin
#   no-plugin             an Envoy exposition without any HFI series (tests/data/verify/
#                         hfi108-no-hfi.prom, served by exposition_server.py): a proxy whose
#                         configuration has no HFI filter, the rest of Envoy's metrics present
#   relabelled            a healthy sidecar with traffic (2/1/0) in a scrape job whose
#                         metric_relabel_configs drop every name matching .*hfi_faults.*
#   down                  a loopback port nobody listens on
# RIG_EXPO is the exposition server's base URL (an HTTP server that is no Prometheus), RIG_DOWN_PORT
# the closed port. Plus job "hfi-serve", discovered from $TMP/serve-targets.json (rig_serve_target writes it).
# Returns once every target was scraped twice and the healthy pods' values reached Prometheus.
RIG_CASE_PODS=(healthy-0 healthy-1 no-hfi no-plugin relabelled down)
rig_start_cases() {
  local down expo
  rig_sidecar healthy-0 --policy "$RIG_POLICY"
  rig_sidecar healthy-1 --policy "$RIG_POLICY"
  rig_sidecar relabelled --policy "$RIG_POLICY"
  rig_sidecar no-hfi --policy "$RIG_POLICY" --stats-matcher none
  rig_spawn expo python3 "$RIG_DIR/exposition_server.py" \
    --file "no-plugin=${HFI_TEST_DATA:-$HFI_SOURCE_DIR/tests/data}/verify/hfi108-no-hfi.prom"
  expo=$(rig_wait_line expo listen) || exit 1
  RIG_EXPO=$expo RIG_DOWN_PORT=$(rig_free_port)
  down=$RIG_DOWN_PORT
  rig_traffic healthy-0 3 2 1
  rig_traffic healthy-1 1 4 0
  rig_traffic relabelled 2 1 0
  rig_traffic no-hfi 1 1 0
  echo '[]' >"$TMP/serve-targets.json"
  rig_config <<EOF
scrape_configs:
  - job_name: envoy-stats
    metrics_path: /stats/prometheus
    static_configs:
      - targets: ['${RIG_ADMIN[healthy-0]#http://}']
        labels: {namespace: demo, pod: healthy-0}
      - targets: ['${RIG_ADMIN[healthy-1]#http://}']
        labels: {namespace: demo, pod: healthy-1}
      - targets: ['${RIG_ADMIN[no-hfi]#http://}']
        labels: {namespace: demo, pod: no-hfi}
      - targets: ['${expo#http://}']
        labels: {namespace: demo, pod: no-plugin, __metrics_path__: /no-plugin/stats/prometheus}
      - targets: ['127.0.0.1:$down']
        labels: {namespace: demo, pod: down}
  # Its own job for the relabelling rule, under the same job label as the others.
  - job_name: envoy-stats-relabelled
    metrics_path: /stats/prometheus
    static_configs:
      - targets: ['${RIG_ADMIN[relabelled]#http://}']
        labels: {job: envoy-stats, namespace: demo, pod: relabelled}
    metric_relabel_configs:
      - source_labels: [__name__]
        regex: '.*hfi_faults.*'
        action: drop
  - job_name: hfi-serve
    file_sd_configs:
      - files: ['$TMP/serve-targets.json']
EOF
  rig_prometheus
  rig_wait_scraped ${#RIG_CASE_PODS[@]} 30
  # Histograms reach the admin output at the sidecars' next flush, then Prometheus at its next
  # scrape: wait for the last value the traffic makes.
  for _ in $(seq 40); do
    [ "$(rig_value 'wasmcustom_hfi_faults_delay_duration_milliseconds_count{pod="healthy-1"}')" = 4 ] \
      && [ "$(rig_value 'wasmcustom_hfi_faults_delay_duration_milliseconds_count{pod="healthy-0"}')" = 2 ] \
      && return 0
    sleep 0.5
  done
  rig_die "the healthy sidecars' delay histograms did not reach Prometheus within 20 s"
}

# rig_serve_target URL: adds the base URL of a /metrics endpoint (http://HOST:PORT) to job
# hfi-serve; Prometheus reads the file when it changes.
rig_serve_target() {
  printf '[{"targets": ["%s"], "labels": {"namespace": "hfi-system", "pod": "hfi-serve"}}]\n' \
    "${1#http://}" >"$TMP/serve-targets.json.new"
  mv "$TMP/serve-targets.json.new" "$TMP/serve-targets.json"
}

#!/usr/bin/env bash
# The monitoring examples of `serve` stay valid: promtool accepts the alerting rules, fires them
# on synthetic series as their descriptions say, and parses every PromQL query of the dashboard
# table in k8s/monitoring/README.md; the Deployment file is well-formed YAML.
# Skipped (77) without promtool.
source "$(dirname "$0")/lib.sh"
command -v promtool >/dev/null 2>&1 || skip "promtool is not installed"
DIR="${HFI_SOURCE_DIR:?set by CTest}/k8s/monitoring"
RULES="$DIR/hfi-metrics-rules.yaml"
OUT=$TMP/out ERR=$TMP/err
: >"$OUT"
: >"$ERR"

promtool check rules "$RULES" >"$TMP/check.out" 2>&1 || {
  cat "$TMP/check.out" >&2
  fail "promtool check rules $RULES"
}

# Each alert against series that should (and should not) fire it; the expected annotations are
# the rule's templates filled in with the alert's labels and value.
python3 - "$RULES" "$TMP/rules_test.yaml" <<'EOT' || fail "cannot write the rule tests"
import json, re, sys, yaml
rules = {r["alert"]: r for g in yaml.safe_load(open(sys.argv[1]))["groups"] for r in g["rules"]}
serve = {"job": "hfi-metrics-serve", "instance": "s:9464"}

def series(name, values, **labels):
    labels = {**serve, **labels}
    inner = ",".join('%s="%s"' % kv for kv in sorted(labels.items()))
    return {"series": "%s{%s}" % (name, inner), "values": values}

def alert(name, at, labels=None, value=None):
    if labels is None:
        return {"eval_time": at, "alertname": name, "exp_alerts": []}
    def fill(text):
        text = re.sub(r"\{\{ \$labels\.(\w+) \}\}", lambda m: labels[m.group(1)], text)
        return text.replace("{{ $value }}", str(value))
    annotations = {k: fill(v) for k, v in rules[name]["annotations"].items()}
    return {"eval_time": at, "alertname": name,
            "exp_alerts": [{"exp_labels": {**rules[name]["labels"], **labels},
                            "exp_annotations": annotations}]}

b = {**serve, "source": "demo/b", "kind": "pod"}
tests = [
    {"interval": "1m",
     "input_series": [
         series("hfi_metrics_source_status", "0x20", source="demo/a", kind="pod"),
         series("hfi_metrics_source_status", "1x20", source="demo/b", kind="pod"),
         series("hfi_metrics_last_run_success", "0x20"),
         series("hfi_metrics_run_interval_seconds", "60x20"),
         # Reports every minute until 5m, then none: older than 3 intervals from 8m on.
         series("hfi_metrics_last_report_timestamp_seconds", "0+60x5 300x15"),
         series("up", "1x20")],
     "alert_rule_test": [
         alert("HfiMetricsSourceFailing", "5m"),
         alert("HfiMetricsSourceFailing", "12m", b, 1),
         alert("HfiMetricsVerificationFailing", "12m", dict(serve), 0),
         alert("HfiMetricsReportsStale", "6m"),
         alert("HfiMetricsReportsStale", "14m", dict(serve), 540),
         alert("HfiMetricsServeDown", "15m")]},
    {"interval": "1m",
     "input_series": [{"series": 'up{job="other"}', "values": "1x20"}],
     "alert_rule_test": [alert("HfiMetricsServeDown", "15m", {"job": "hfi-metrics-serve"}, 1)]},
]
json.dump({"rule_files": [sys.argv[1]], "evaluation_interval": "1m", "tests": tests},
          open(sys.argv[2], "w"), indent=1)
EOT
promtool test rules "$TMP/rules_test.yaml" >"$TMP/test.out" 2>&1 || {
  cat "$TMP/test.out" >&2
  fail "promtool test rules"
}

# The dashboard queries: every backquoted PromQL expression in the table's second column, checked
# as the expression of a recording rule.
python3 - "$DIR/README.md" "$TMP/queries.yaml" <<'EOT' || fail "cannot extract the dashboard queries"
import re, sys
text = open(sys.argv[1]).read()
section = text.split("## A dashboard in PromQL", 1)[1]
queries = []
for line in section.splitlines():
    cells = [c.strip() for c in line.strip().strip("|").split("|")]
    if len(cells) == 2 and cells[1].startswith("`") and cells[1].endswith("`"):
        queries.append(cells[1][1:-1])
if len(queries) < 10:
    sys.exit("only %d queries found" % len(queries))
with open(sys.argv[2], "w") as out:
    out.write("groups:\n  - name: dashboard\n    rules:\n")
    for i, q in enumerate(queries):
        out.write("      - record: hfi_dashboard_%d\n        expr: '%s'\n" % (i, q.replace("'", "''")))
EOT
promtool check rules "$TMP/queries.yaml" >"$TMP/queries.out" 2>&1 || {
  cat "$TMP/queries.out" >&2
  fail "a dashboard query in k8s/monitoring/README.md does not parse"
}

python3 - "$DIR/hfi-metrics-serve.yaml" <<'EOT' || fail "hfi-metrics-serve.yaml"
import sys, yaml
docs = [d for d in yaml.safe_load_all(open(sys.argv[1])) if d]
kinds = sorted(d["kind"] for d in docs)
assert kinds == ["ClusterRole", "ClusterRoleBinding", "Deployment", "Namespace", "Service",
                 "ServiceAccount"], kinds
deploy = next(d for d in docs if d["kind"] == "Deployment")
container = deploy["spec"]["template"]["spec"]["containers"][0]
assert container["args"][0] == "serve", container["args"]
for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
    assert container[probe]["httpGet"]["path"] == "/healthz", probe
EOT
finish

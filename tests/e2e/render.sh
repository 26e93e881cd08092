#!/usr/bin/env bash
# hfi-metrics render: the checked-in examples in k8s/examples re-rendered byte for byte (so they
# cannot drift from the tool), pure YAML/JSON on stdout with warnings on stderr, and the exit
# codes: 3 for bad values, policies or modules, 64 for bad flags.
source "$(dirname "$0")/lib.sh"
: "${HFI_SOURCE_DIR:?set by CTest: the source tree}"
: "${HFI_TEST_DATA:?set by CTest: path of tests/data}"
EX=$HFI_SOURCE_DIR/k8s/examples
WASM=$HFI_TEST_DATA/wasm/minimal_filter.wasm

expect_same() {  # expect_same FILE: stdout equals FILE byte for byte
  cmp -s "$OUT" "$1" || { fail "stdout differs from $1 (run scripts/render-examples.sh)"; diff "$1" "$OUT" | head -20 >&2; }
}
expect_yaml_docs() {  # expect_yaml_docs N: stdout is N YAML documents
  local n
  n=$(python3 -c 'import sys, yaml; print(len(list(yaml.safe_load_all(open(sys.argv[1])))))' "$OUT" 2>/dev/null)
  [ "$n" = "$1" ] || fail "expected $1 YAML documents on stdout, got '${n}'"
}

# Every example, as checked in.
count=0
for values in "$EX"/*.values.yaml; do
  base=${values%.values.yaml}
  run render --values "$values"
  expect_status 0 "$values"
  expect_same "$base.yaml"
  if [ -f "$base.warnings.txt" ]; then
    cmp -s "$ERR" "$base.warnings.txt" || fail "stderr differs from $base.warnings.txt"
  else
    expect_stderr_lines 0
  fi
  count=$((count + 1))
done
[ "$count" -ge 4 ] || fail "expected at least 4 examples in $EX, found $count"
run render --values "$EX/oci.values.yaml" -o json
expect_status 0 "oci -o json"
expect_json
expect_same "$EX/oci.json"
# -o yaml is the default form, spelled out.
run render --values "$EX/oci.values.yaml" -o yaml
expect_status 0 "-o yaml"
expect_same "$EX/oci.yaml"

# The warning is one stderr line with its hint code; stdout stays pure YAML.
run render --values "$EX/envoyfilter-ignored.values.yaml"
expect_status 0 "envoyfilter on 1.24"
expect_stderr_lines 1
expect_stderr '^hfi-metrics: warning: HFI507: EnvoyFilter demo/hfi-fault-injection-stats-matcher \(applyTo: BOOTSTRAP\) has no effect on Istio 1\.24\.2'
expect_yaml_docs 3

# Flags alone, and flags over a file.
run render -n shop -l app=web,tier=front --workload deploy/web --url https://files.example/h.wasm \
  --plugin "$WASM" --istio-version 1.20.1 --stats-exposure envoyfilter
expect_status 0 "flags only"
expect_stdout '^  url: https://files.example/h.wasm$'
expect_stdout '^  sha256: b91e757f29c237c155ed28f704ad896dc2dd25e84189f4d16f55694e5372ab16$'
expect_stderr 'HFI507: .* has no effect on Istio 1\.20\.1 unless the proxies run with proxyMetadata BOOTSTRAP_XDS_AGENT'
run render --values "$EX/oci.values.yaml" --namespace other --delivery configmap
expect_status 3 "url from the file under configmap delivery from a flag"
expect_stderr 'oci.values.yaml:[0-9]+:[0-9]+: plugin.delivery.url: not used with configmap delivery'
run render --values "$EX/configmap.values.yaml" --namespace other --bootstrap-xds-agent
expect_status 0 "flags over a file"
expect_stdout '^  namespace: other$'
expect_no_stdout '^  namespace: demo$'

# Bad values: exit 3, one line naming file, line:column and key.
printf 'namespace: demo\nselector: {app: x}\nplugin:\n  delivery:\n    knd: oci\n' >"$TMP/typo.yaml"
run render --values "$TMP/typo.yaml"
expect_status 3 "unknown key"
expect_stderr_lines 1
expect_stderr "^hfi-metrics: $TMP/typo.yaml:5:5: plugin.delivery.knd: unknown key \(did you mean 'kind'\?"
expect_no_stdout .
run render --values "$TMP/missing.yaml"
expect_status 3 "missing values file"
printf '{"policies": [\n' >"$TMP/bad.json"
run render --values "$EX/oci.values.yaml" --policy "$TMP/bad.json"
expect_status 3 "invalid policy"
expect_stderr "^hfi-metrics: $TMP/bad.json:2:1: not valid JSON"
head -c 1048577 /dev/zero >"$TMP/big.wasm"
run render --values "$EX/configmap.values.yaml" --plugin "$TMP/big.wasm"
expect_status 3 "module too big for a ConfigMap"
expect_stderr "big.wasm: 1048577 bytes: too big for a ConfigMap, which holds at most 1048576 bytes \(deliver the module from a registry with --delivery oci"

# Bad flags: exit 64.
run render --values "$EX/oci.values.yaml" --delivery ocl
expect_status 64 "bad --delivery"
expect_stderr "^hfi-metrics: --delivery: 'ocl' is not a delivery kind \(accepted: oci, http, configmap\)$"
run render --values "$EX/oci.values.yaml" --stats-exposure all
expect_status 64 "bad --stats-exposure"
run render -l app --namespace demo
expect_status 64 "bad --selector"
run render
expect_status 64 "nothing given"
expect_stderr '^hfi-metrics: --namespace: required'
run render --values "$EX/oci.values.yaml" --bogus
expect_status 64 "unknown flag"
run render --values "$EX/oci.values.yaml" -o junit
expect_status 64 "render -o junit"
run version -o yaml
expect_status 64 "version -o yaml"
expect_stderr "^hfi-metrics: -o yaml: 'version' has no YAML form"
finish

#!/usr/bin/env bash
# Regenerates the rendered examples in k8s/examples/ from their values files, with the built
# binary: <name>.yaml (and oci.json) from <name>.values.yaml, plus <name>.warnings.txt holding
# what render printed on stderr, when it printed anything. tests/e2e/render.sh re-renders and
# compares, so run this after changing render or a values file, and review the diff.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${HFI_METRICS:-${HFI_BUILD_DIR:-build}/cli/hfi-metrics}
[ -x "$bin" ] || { echo "render-examples: no binary at $bin (build first, or set HFI_METRICS)" >&2; exit 2; }

for values in k8s/examples/*.values.yaml; do
  base=${values%.values.yaml}
  "$bin" render --values "$values" >"$base.yaml" 2>"$base.warnings.txt"
  [ -s "$base.warnings.txt" ] || rm -f "$base.warnings.txt"
  echo "rendered $base.yaml"
done
"$bin" render --values k8s/examples/oci.values.yaml -o json >k8s/examples/oci.json
echo "rendered k8s/examples/oci.json"

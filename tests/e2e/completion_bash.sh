#!/usr/bin/env bash
# The generated bash completion loaded into a real bash: the candidates (COMPREPLY) it gives for
# partial command lines, with bash-completion's helpers loaded and without them. Namespaces and
# pods come from a stand-in kubectl through `hfi-metrics __complete`.
source "$(dirname "$0")/lib.sh"
OUT=$TMP/out ERR=$TMP/err
: >"$OUT" >"$ERR"

SCRIPT=$TMP/hfi-metrics.bash
"$HFI_METRICS" completion bash >"$SCRIPT" || { echo "FAIL: completion bash"; exit 1; }
bash -n "$SCRIPT" || { echo "FAIL: the script is not valid bash"; exit 1; }

# The scripts run the program under the name typed, so put it on PATH as hfi-metrics, beside a
# kubectl that logs its arguments and answers as `-o jsonpath={.items[*].metadata.name}` does.
mkdir -p "$TMP/bin" "$TMP/files/sub"
ln -s "$HFI_METRICS" "$TMP/bin/hfi-metrics"
touch "$TMP/files/scrape.prom" "$TMP/files/other.txt"
cat >"$TMP/bin/kubectl" <<'KUBECTL'
#!/bin/sh
echo "$*" >>"$KUBECTL_LOG"
case "$*" in
  *"get namespaces"*) printf 'default istio-system prod' ;;
  *"get pods"*"-n prod"*) printf 'web-1 web-2 db-0' ;;
  *"get pods"*) printf 'hello-0' ;;
  *) exit 1 ;;
esac
KUBECTL
chmod +x "$TMP/bin/kubectl"
export KUBECTL_LOG=$TMP/kubectl.log HFI_KUBECTL=$TMP/bin/kubectl PATH=$TMP/bin:$PATH

HELPERS=/usr/share/bash-completion/bash_completion
MODES=(plain)
if [ -f "$HELPERS" ]; then
  MODES+=(helpers)
else
  echo "note: bash-completion not installed; checking without its helpers only"
fi

# candidates MODE LINE: what bash offers for LINE with the cursor at its end, sorted, one line.
# COMP_WORDS is split as readline does with the default COMP_WORDBREAKS (which has = in it).
candidates() {
  bash --norc --noprofile -c '
    mode=$1 line=$2
    [ "$mode" = helpers ] && source '"$HELPERS"'
    source "$3"
    COMP_WORDS=()
    for word in $line; do
      if [[ $word == *=* ]]; then
        COMP_WORDS+=("${word%%=*}" "=")
        [ -n "${word#*=}" ] && COMP_WORDS+=("${word#*=}")
      else
        COMP_WORDS+=("$word")
      fi
    done
    [[ $line == *" " ]] && COMP_WORDS+=("")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    COMP_LINE=$line
    COMP_POINT=${#line}
    _hfi_metrics
    [ ${#COMPREPLY[@]} -gt 0 ] && printf "%s\n" "${COMPREPLY[@]}" | sort | paste -sd " " -
    true
  ' _ "$1" "$2" "$SCRIPT" 2>"$TMP/bash.err"
}

# expect_candidates LINE WANT: in every mode, and nothing on stderr.
expect_candidates() {
  local mode got
  for mode in "${MODES[@]}"; do
    got=$(candidates "$mode" "$1")
    [ "$got" = "$2" ] || { echo "FAIL: [$mode] '$1' gave '$got', expected '$2'" >&2; FAILS=$((FAILS + 1)); }
    [ -s "$TMP/bash.err" ] && { echo "FAIL: [$mode] '$1' printed: $(head -c 300 "$TMP/bash.err")" >&2; FAILS=$((FAILS + 1)); }
  done
}

# Commands and options.
expect_candidates "hfi-metrics ver" "verify version"
expect_candidates "hfi-metrics verify --lo" "--local"
expect_candidates "hfi-metrics sidecar --stats-m" "--stats-matcher"
expect_candidates "hfi-metrics verify --no-c" "--no-color"   # a global flag after the command
expect_candidates "hfi-metrics __" ""                        # hidden commands are not offered

# Fixed values.
expect_candidates "hfi-metrics verify -o " "json junit text"
expect_candidates "hfi-metrics render -o " "json text yaml"
expect_candidates "hfi-metrics version --output " "json text"
expect_candidates "hfi-metrics sidecar --stats-matcher " "all istio none"
expect_candidates "hfi-metrics render --delivery " "configmap http oci"
expect_candidates "hfi-metrics completion " "bash fish zsh"
expect_candidates "hfi-metrics verify --output=j" "json junit"
# Option values before the command are skipped when finding it.
expect_candidates "hfi-metrics -o json verify --stats-matcher n" "none"
expect_candidates "hfi-metrics --kubeconfig $TMP/files/other.txt -o json ver" "verify version"

# Files and directories.
expect_candidates "hfi-metrics verify --file $TMP/files/sc" "$TMP/files/scrape.prom"
expect_candidates "hfi-metrics inspect $TMP/files/o" "$TMP/files/other.txt"
expect_candidates "hfi-metrics build --source $TMP/files/s" "$TMP/files/sub"

# Namespaces and pods, through kubectl, with the line's --context passed on.
: >"$KUBECTL_LOG"
expect_candidates "hfi-metrics verify -n " "default istio-system prod"
expect_candidates "hfi-metrics verify -n prod w" "web-1 web-2"
expect_candidates "hfi-metrics verify --namespace=pr" "prod"
expect_candidates "hfi-metrics --context kind-a verify " "hello-0"
grep -q -- '--context kind-a get pods' "$KUBECTL_LOG" || fail "kubectl was not given the line's --context: $(cat "$KUBECTL_LOG")"
grep -q -- 'get pods --request-timeout=2s -n prod' "$KUBECTL_LOG" || fail "kubectl was not asked for the pods of prod: $(cat "$KUBECTL_LOG")"

# A kubectl that fails or hangs gives no candidates and no message.
printf '#!/bin/sh\necho "error: You must be logged in" >&2\nexit 1\n' >"$TMP/bin/kubectl"
expect_candidates "hfi-metrics verify -n " ""
printf '#!/bin/sh\nexec sleep 30\n' >"$TMP/bin/kubectl"
start=$(date +%s)
expect_candidates "hfi-metrics verify -n " ""
[ $(($(date +%s) - start)) -lt 25 ] || fail "a hanging kubectl was not cut short"
rm "$TMP/bin/kubectl"
expect_candidates "hfi-metrics verify -n " ""
finish

# bash completion for hfi-metrics                     -*- shell-script -*-
# Generated from the command tree by `hfi-metrics completion bash`: do not edit, regenerate.
# Load it with `source <(hfi-metrics completion bash)`, or install it as
# share/bash-completion/completions/hfi-metrics.

# _hfi_metrics_subcommands PATH: the subcommands of PATH ("" for the program itself).
_hfi_metrics_subcommands() {
  case "$1" in
    '') echo 'build inspect verify sidecar version render apply deploy serve completion' ;;
  esac
}

# _hfi_metrics_options PATH: the options PATH accepts, global ones included.
_hfi_metrics_options() {
  case "$1" in
    '') echo '-h --help --help-all -o --output --no-color -q --quiet -v --verbose --kubectl --kubeconfig --context --timeout' ;;
    'build') echo '-h --help --help-all --source --output --debug --emxx --build-timeout -o --no-color -q --quiet -v --verbose --kubectl --kubeconfig --context --timeout' ;;
    'inspect') echo '-h --help --help-all -o --output --no-color -q --quiet -v --verbose --kubectl --kubeconfig --context --timeout' ;;
    'verify') echo '-h --help --help-all --file --expect --baseline --expect-delta --requests --concurrency -l --selector -A --all-namespaces --port --pod-timeout --forward-timeout --no-exec --traffic --traffic-from --prometheus --match --pod-label --namespace-label --sample --prometheus-timeout --max-scrape-age --prometheus-token-file --prometheus-user --prometheus-password-file --prometheus-ca --insecure-skip-tls-verify --local --plugin --policy --stats-matcher --stats-inclusion --stats-exclusion --flush-interval --workload --fail -n --namespace -o --output --no-color -q --quiet -v --verbose --kubectl --kubeconfig --context --timeout' ;;
    'sidecar') echo '-h --help --help-all --plugin --policy --stats-matcher --stats-inclusion --stats-exclusion --flush-interval --workload --namespace --fail --admin --listen -o --output --no-color -q --quiet -v --verbose --kubectl --kubeconfig --context --timeout' ;;
    'version') echo '-h --help --help-all -o --output --no-color -q --quiet -v --verbose --kubectl --kubeconfig --context --timeout' ;;
    'render') echo '-h --help --help-all --values -n --namespace -l --selector --workload --name --plugin --url --delivery --policy --plugin-name --phase --fail-strategy --istio-version --bootstrap-xds-agent --no-bootstrap-xds-agent --stats-exposure -o --output --no-color -q --quiet -v --verbose --kubectl --kubeconfig --context --timeout' ;;
    'apply') echo '-h --help --help-all --values -n --namespace -l --selector --workload --name --plugin --url --delivery --policy --plugin-name --phase --fail-strategy --istio-version --bootstrap-xds-agent --no-bootstrap-xds-agent --stats-exposure --no-restart --wait --diff --dry-run -o --output --no-color -q --quiet -v --verbose --kubectl --kubeconfig --context --timeout' ;;
    'deploy') echo '-h --help --help-all --values -n --namespace -l --selector --workload --name --plugin --url --delivery --policy --plugin-name --phase --fail-strategy --istio-version --bootstrap-xds-agent --no-bootstrap-xds-agent --stats-exposure --no-restart --skip-build --source --emxx --debug --build-timeout -o --output --no-color -q --quiet -v --verbose --kubectl --kubeconfig --context --timeout' ;;
    'serve') echo '-h --help --help-all --file --expect --baseline --expect-delta --requests --concurrency -l --selector -A --all-namespaces --port --pod-timeout --forward-timeout --no-exec --traffic --traffic-from --prometheus --match --pod-label --namespace-label --sample --prometheus-timeout --max-scrape-age --prometheus-token-file --prometheus-user --prometheus-password-file --prometheus-ca --insecure-skip-tls-verify --local --plugin --policy --stats-matcher --stats-inclusion --stats-exclusion --flush-interval --workload --fail -n --namespace --listen --interval --once -o --output --no-color -q --quiet -v --verbose --kubectl --kubeconfig --context --timeout' ;;
    'completion') echo '-h --help --help-all -o --output --no-color -q --quiet -v --verbose --kubectl --kubeconfig --context --timeout' ;;
  esac
}

# _hfi_metrics_value PATH OPTION: how the value of OPTION is completed: none (a flag), text,
# file, dir, dynamic (asks the program) or "choice WORD...".
_hfi_metrics_value() {
  case "$1 $2" in
    ' -o'|' --output') echo 'choice text json junit yaml' ;;
    ' --kubectl') echo 'file' ;;
    ' --kubeconfig') echo 'file' ;;
    ' --context') echo 'dynamic' ;;
    ' --timeout') echo 'text' ;;
    'build --source') echo 'dir' ;;
    'build --output') echo 'file' ;;
    'build --emxx') echo 'file' ;;
    'build --build-timeout') echo 'text' ;;
    'build -o') echo 'choice text json' ;;
    'build --kubectl') echo 'file' ;;
    'build --kubeconfig') echo 'file' ;;
    'build --context') echo 'dynamic' ;;
    'build --timeout') echo 'text' ;;
    'inspect -o'|'inspect --output') echo 'choice text json' ;;
    'inspect --kubectl') echo 'file' ;;
    'inspect --kubeconfig') echo 'file' ;;
    'inspect --context') echo 'dynamic' ;;
    'inspect --timeout') echo 'text' ;;
    'verify --file') echo 'file' ;;
    'verify --expect') echo 'text' ;;
    'verify --baseline') echo 'file' ;;
    'verify --expect-delta') echo 'text' ;;
    'verify --requests') echo 'text' ;;
    'verify --concurrency') echo 'text' ;;
    'verify -l'|'verify --selector') echo 'text' ;;
    'verify --port') echo 'text' ;;
    'verify --pod-timeout') echo 'text' ;;
    'verify --forward-timeout') echo 'text' ;;
    'verify --traffic') echo 'text' ;;
    'verify --traffic-from') echo 'dynamic' ;;
    'verify --prometheus') echo 'text' ;;
    'verify --match') echo 'text' ;;
    'verify --pod-label') echo 'text' ;;
    'verify --namespace-label') echo 'text' ;;
    'verify --sample') echo 'text' ;;
    'verify --prometheus-timeout') echo 'text' ;;
    'verify --max-scrape-age') echo 'text' ;;
    'verify --prometheus-token-file') echo 'file' ;;
    'verify --prometheus-user') echo 'text' ;;
    'verify --prometheus-password-file') echo 'file' ;;
    'verify --prometheus-ca') echo 'file' ;;
    'verify --plugin') echo 'file' ;;
    'verify --policy') echo 'file' ;;
    'verify --stats-matcher') echo 'choice istio all none' ;;
    'verify --stats-inclusion') echo 'text' ;;
    'verify --stats-exclusion') echo 'text' ;;
    'verify --flush-interval') echo 'text' ;;
    'verify --workload') echo 'text' ;;
    'verify --fail') echo 'choice open closed' ;;
    'verify -n'|'verify --namespace') echo 'dynamic' ;;
    'verify -o'|'verify --output') echo 'choice text json junit' ;;
    'verify --kubectl') echo 'file' ;;
    'verify --kubeconfig') echo 'file' ;;
    'verify --context') echo 'dynamic' ;;
    'verify --timeout') echo 'text' ;;
    'sidecar --plugin') echo 'file' ;;
    'sidecar --policy') echo 'file' ;;
    'sidecar --stats-matcher') echo 'choice istio all none' ;;
    'sidecar --stats-inclusion') echo 'text' ;;
    'sidecar --stats-exclusion') echo 'text' ;;
    'sidecar --flush-interval') echo 'text' ;;
    'sidecar --workload') echo 'text' ;;
    'sidecar --namespace') echo 'text' ;;
    'sidecar --fail') echo 'choice open closed' ;;
    'sidecar --admin') echo 'text' ;;
    'sidecar --listen') echo 'text' ;;
    'sidecar -o'|'sidecar --output') echo 'choice text json' ;;
    'sidecar --kubectl') echo 'file' ;;
    'sidecar --kubeconfig') echo 'file' ;;
    'sidecar --context') echo 'dynamic' ;;
    'sidecar --timeout') echo 'text' ;;
    'version -o'|'version --output') echo 'choice text json' ;;
    'version --kubectl') echo 'file' ;;
    'version --kubeconfig') echo 'file' ;;
    'version --context') echo 'dynamic' ;;
    'version --timeout') echo 'text' ;;
    'render --values') echo 'file' ;;
    'render -n'|'render --namespace') echo 'dynamic' ;;
    'render -l'|'render --selector') echo 'text' ;;
    'render --workload') echo 'text' ;;
    'render --name') echo 'text' ;;
    'render --plugin') echo 'file' ;;
    'render --url') echo 'text' ;;
    'render --delivery') echo 'choice oci http configmap' ;;
    'render --policy') echo 'file' ;;
    'render --plugin-name') echo 'text' ;;
    'render --phase') echo 'choice AUTHN AUTHZ STATS UNSPECIFIED_PHASE' ;;
    'render --fail-strategy') echo 'choice FAIL_OPEN FAIL_CLOSE' ;;
    'render --istio-version') echo 'text' ;;
    'render --stats-exposure') echo 'choice annotation envoyfilter both' ;;
    'render -o'|'render --output') echo 'choice text json yaml' ;;
    'render --kubectl') echo 'file' ;;
    'render --kubeconfig') echo 'file' ;;
    'render --context') echo 'dynamic' ;;
    'render --timeout') echo 'text' ;;
    'apply --values') echo 'file' ;;
    'apply -n'|'apply --namespace') echo 'dynamic' ;;
    'apply -l'|'apply --selector') echo 'text' ;;
    'apply --workload') echo 'text' ;;
    'apply --name') echo 'text' ;;
    'apply --plugin') echo 'file' ;;
    'apply --url') echo 'text' ;;
    'apply --delivery') echo 'choice oci http configmap' ;;
    'apply --policy') echo 'file' ;;
    'apply --plugin-name') echo 'text' ;;
    'apply --phase') echo 'choice AUTHN AUTHZ STATS UNSPECIFIED_PHASE' ;;
    'apply --fail-strategy') echo 'choice FAIL_OPEN FAIL_CLOSE' ;;
    'apply --istio-version') echo 'text' ;;
    'apply --stats-exposure') echo 'choice annotation envoyfilter both' ;;
    'apply --dry-run') echo 'choice none client server' ;;
    'apply -o'|'apply --output') echo 'choice text json' ;;
    'apply --kubectl') echo 'file' ;;
    'apply --kubeconfig') echo 'file' ;;
    'apply --context') echo 'dynamic' ;;
    'apply --timeout') echo 'text' ;;
    'deploy --values') echo 'file' ;;
    'deploy -n'|'deploy --namespace') echo 'dynamic' ;;
    'deploy -l'|'deploy --selector') echo 'text' ;;
    'deploy --workload') echo 'text' ;;
    'deploy --name') echo 'text' ;;
    'deploy --plugin') echo 'file' ;;
    'deploy --url') echo 'text' ;;
    'deploy --delivery') echo 'choice oci http configmap' ;;
    'deploy --policy') echo 'file' ;;
    'deploy --plugin-name') echo 'text' ;;
    'deploy --phase') echo 'choice AUTHN AUTHZ STATS UNSPECIFIED_PHASE' ;;
    'deploy --fail-strategy') echo 'choice FAIL_OPEN FAIL_CLOSE' ;;
    'deploy --istio-version') echo 'text' ;;
    'deploy --stats-exposure') echo 'choice annotation envoyfilter both' ;;
    'deploy --source') echo 'dir' ;;
    'deploy --emxx') echo 'file' ;;
    'deploy --build-timeout') echo 'text' ;;
    'deploy -o'|'deploy --output') echo 'choice text json junit' ;;
    'deploy --kubectl') echo 'file' ;;
    'deploy --kubeconfig') echo 'file' ;;
    'deploy --context') echo 'dynamic' ;;
    'deploy --timeout') echo 'text' ;;
    'serve --file') echo 'file' ;;
    'serve --expect') echo 'text' ;;
    'serve --baseline') echo 'file' ;;
    'serve --expect-delta') echo 'text' ;;
    'serve --requests') echo 'text' ;;
    'serve --concurrency') echo 'text' ;;
    'serve -l'|'serve --selector') echo 'text' ;;
    'serve --port') echo 'text' ;;
    'serve --pod-timeout') echo 'text' ;;
    'serve --forward-timeout') echo 'text' ;;
    'serve --traffic') echo 'text' ;;
    'serve --traffic-from') echo 'dynamic' ;;
    'serve --prometheus') echo 'text' ;;
    'serve --match') echo 'text' ;;
    'serve --pod-label') echo 'text' ;;
    'serve --namespace-label') echo 'text' ;;
    'serve --sample') echo 'text' ;;
    'serve --prometheus-timeout') echo 'text' ;;
    'serve --max-scrape-age') echo 'text' ;;
    'serve --prometheus-token-file') echo 'file' ;;
    'serve --prometheus-user') echo 'text' ;;
    'serve --prometheus-password-file') echo 'file' ;;
    'serve --prometheus-ca') echo 'file' ;;
    'serve --plugin') echo 'file' ;;
    'serve --policy') echo 'file' ;;
    'serve --stats-matcher') echo 'choice istio all none' ;;
    'serve --stats-inclusion') echo 'text' ;;
    'serve --stats-exclusion') echo 'text' ;;
    'serve --flush-interval') echo 'text' ;;
    'serve --workload') echo 'text' ;;
    'serve --fail') echo 'choice open closed' ;;
    'serve -n'|'serve --namespace') echo 'dynamic' ;;
    'serve --listen') echo 'text' ;;
    'serve --interval') echo 'text' ;;
    'serve -o'|'serve --output') echo 'choice text json' ;;
    'serve --kubectl') echo 'file' ;;
    'serve --kubeconfig') echo 'file' ;;
    'serve --context') echo 'dynamic' ;;
    'serve --timeout') echo 'text' ;;
    'completion -o'|'completion --output') echo 'choice text' ;;
    'completion --kubectl') echo 'file' ;;
    'completion --kubeconfig') echo 'file' ;;
    'completion --context') echo 'dynamic' ;;
    'completion --timeout') echo 'text' ;;
    *) echo none ;;
  esac
}

# _hfi_metrics_positional PATH INDEX: how the INDEXth argument (from 0) of PATH is completed.
_hfi_metrics_positional() {
  case "$1 $2" in
    'inspect 0') echo 'file' ;;
    'verify '*) echo 'dynamic' ;;
    'serve '*) echo 'dynamic' ;;
    'completion 0') echo 'choice bash zsh fish' ;;
    *) echo text ;;
  esac
}

# _hfi_metrics_files WORD [-d]: file (or directory) names, through bash-completion when it is loaded.
_hfi_metrics_files() {
  if declare -F _filedir >/dev/null 2>&1; then
    local cur=$1
    _filedir ${2:+-d}
    return
  fi
  compopt -o filenames 2>/dev/null
  local IFS=$'\n'
  COMPREPLY+=($(compgen ${2:--f} -- "$1"))
}

# _hfi_metrics_dynamic WORD STRIP: asks `hfi-metrics __complete` (namespaces, pods and contexts come from
# kubectl); STRIP is removed from the front of each candidate.
_hfi_metrics_dynamic() {
  local prog=${COMP_WORDS[0]} out candidate
  [[ $prog == "~/"* ]] && prog=$HOME/${prog#"~/"}
  out=$("$prog" __complete -- "${line[@]}" "$1" 2>/dev/null) || return 0
  while IFS= read -r candidate; do
    case $candidate in
      :files) _hfi_metrics_files "${1#"$2"}" ;;
      :dirs) _hfi_metrics_files "${1#"$2"}" -d ;;
      :*|'') ;;
      *) COMPREPLY+=("${candidate#"$2"}") ;;
    esac
  done <<<"$out"
}

# _hfi_metrics_fill SPEC VALUE PREFIX WORD: the candidates for VALUE under SPEC; PREFIX goes in front
# of fixed words; WORD is the whole word for __complete.
_hfi_metrics_fill() {
  case $1 in
    choice\ *) COMPREPLY=($(compgen -P "$3" -W "${1#choice }" -- "$2")) ;;
    file) _hfi_metrics_files "$2" ;;
    dir) _hfi_metrics_files "$2" -d ;;
    dynamic)
      if [ -n "$3" ]; then _hfi_metrics_dynamic "$4" ""; else _hfi_metrics_dynamic "$4" "${4%"$2"}"; fi ;;
  esac
}

_hfi_metrics() {
  COMPREPLY=()
  # The words up to the cursor, with `--opt=value` rejoined where COMP_WORDBREAKS split it.
  local -a line=()
  local i word glue=0
  for ((i = 1; i <= COMP_CWORD; i++)); do
    word=${COMP_WORDS[i]}
    if [ "$word" = "=" ] && [ ${#line[@]} -gt 0 ] && [[ ${line[-1]} == --* && ${line[-1]} != *=* ]]; then
      line[-1]+="="
      glue=1
    elif [ "$glue" = 1 ] && [ -n "$word" ]; then
      line[-1]+=$word
      glue=0
    else
      line+=("$word")
      glue=0
    fi
  done
  local cur=${line[-1]}
  unset 'line[-1]'

  # Which command the line is in, and whether the word before the cursor wants a value.
  local path="" pending="" npos=0 ended=0 spec
  for word in "${line[@]}"; do
    if [ -n "$pending" ]; then
      pending=""
    elif [ "$ended" = 0 ] && [ "$word" = "--" ]; then
      ended=1
    elif [ "$ended" = 0 ] && [[ $word == -?* ]]; then
      [[ $word == *=* ]] && continue
      [ "$(_hfi_metrics_value "$path" "$word")" != none ] && pending=$word
    elif [ "$npos" = 0 ] && [[ " $(_hfi_metrics_subcommands "$path") " == *" $word "* ]]; then
      path=${path:+$path }$word
    else
      npos=$((npos + 1))
    fi
  done

  if [ -n "$pending" ]; then
    _hfi_metrics_fill "$(_hfi_metrics_value "$path" "$pending")" "$cur" "" "$cur"
    return 0
  fi
  if [ "$ended" = 0 ] && [[ $cur == --*=* ]]; then
    local prefix="${cur%%=*}="
    [[ $COMP_WORDBREAKS == *=* ]] && prefix=""
    _hfi_metrics_fill "$(_hfi_metrics_value "$path" "${cur%%=*}")" "${cur#*=}" "$prefix" "$cur"
    return 0
  fi
  if [ "$ended" = 0 ] && [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "$(_hfi_metrics_options "$path")" -- "$cur"))
    return 0
  fi
  if [ "$npos" = 0 ]; then
    COMPREPLY=($(compgen -W "$(_hfi_metrics_subcommands "$path")" -- "$cur"))
    [ ${#COMPREPLY[@]} -gt 0 ] && return 0
  fi
  _hfi_metrics_fill "$(_hfi_metrics_positional "$path" "$npos")" "$cur" "" "$cur"
  return 0
}

complete -F _hfi_metrics hfi-metrics

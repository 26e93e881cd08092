#!/usr/bin/env bash
# The generated zsh and fish completions: valid syntax, and, in the real shells, the candidates
# for a few partial command lines (zsh through a pseudo-terminal with zsh/zpty, fish through
# `complete -C`). Each shell is skipped when it is not installed.
source "$(dirname "$0")/lib.sh"
OUT=$TMP/out ERR=$TMP/err
: >"$OUT" >"$ERR"

have_zsh=0 have_fish=0
command -v zsh >/dev/null && have_zsh=1
command -v fish >/dev/null && have_fish=1
[ $have_zsh = 1 ] || [ $have_fish = 1 ] || skip "neither zsh nor fish is installed"

# The program under the name typed, and a kubectl answering as -o jsonpath does.
mkdir -p "$TMP/bin" "$TMP/files"
ln -s "$HFI_METRICS" "$TMP/bin/hfi-metrics"
touch "$TMP/files/scrape.prom"
cat >"$TMP/bin/kubectl" <<'KUBECTL'
#!/bin/sh
case "$*" in
  *"get namespaces"*) printf 'default istio-system prod' ;;
  *"get pods"*"-n prod"*) printf 'web-1 web-2 db-0' ;;
  *"get pods"*) printf 'hello-0' ;;
  *) exit 1 ;;
esac
KUBECTL
chmod +x "$TMP/bin/kubectl"
export HFI_KUBECTL=$TMP/bin/kubectl PATH=$TMP/bin:$PATH

# check SHELL LINE WANT GOT: GOT (sorted candidates) must be WANT.
check() {
  [ "$4" = "$3" ] || { echo "FAIL: [$1] '$2' gave '$4', expected '$3'" >&2; FAILS=$((FAILS + 1)); }
}

if [ $have_zsh = 1 ]; then
  "$HFI_METRICS" completion zsh >"$TMP/_hfi-metrics" || fail "completion zsh"
  zsh -n "$TMP/_hfi-metrics" || fail "the zsh script is not valid zsh"
  # Loaded after compinit it registers itself for hfi-metrics.
  zsh -f -c 'autoload -U compinit && compinit -u -D; source "$1"; [[ $_comps[hfi-metrics] == _hfi-metrics ]]' \
    _ "$TMP/_hfi-metrics" || fail "the zsh script did not register with compdef"

  if zsh -f -c 'zmodload zsh/zpty' 2>/dev/null; then
    # An interactive zsh on a pseudo-terminal completes LINE with a widget whose compadd also
    # writes each match to a file.
    cat >"$TMP/capture.zsh" <<'ZSH'
zmodload zsh/zpty
script=$1 line=$2 hits=$3
zpty z zsh -f -i
buf=
read_until() {
  local chunk i
  for i in {1..300}; do
    while zpty -r -t z chunk; do buf+=$chunk; done
    [[ $buf == *$1* ]] && return 0
    sleep 0.05
  done
  print -u2 "zsh did not print $1: $buf"
  return 1
}
zpty -w z "PS1='' PROMPT='' RPROMPT=''"
zpty -w z 'autoload -U compinit && compinit -u -D'
zpty -w z "source ${(q)script}"
zpty -w z "compadd() { local -a h; builtin compadd -O h \"\$@\"; (( \$#h )) && print -rl -- \$h >>${(q)hits}; builtin compadd \"\$@\" }"
zpty -w z 'zle -C capture complete-word _main_complete; bindkey "^T" capture'
zpty -w z 'print "<re""ady>"'
read_until '<ready>' || exit 1
zpty -w -n z "$line"$'\024'$'\025'
zpty -w z 'print "<do""ne>"'
read_until '<done>' || exit 1
zpty -d z
ZSH
    zsh_candidates() {
      : >"$TMP/hits"
      timeout 60 zsh -f "$TMP/capture.zsh" "$TMP/_hfi-metrics" "$1" "$TMP/hits" || echo "(zsh failed)"
      sort -u "$TMP/hits" | paste -sd " " -
    }
    for case in \
      "hfi-metrics ver|verify version" \
      "hfi-metrics verify --lo|--local" \
      "hfi-metrics verify -o |json junit text" \
      "hfi-metrics build -o |json text" \
      "hfi-metrics sidecar --stats-matcher |all istio none" \
      "hfi-metrics render --delivery |configmap http oci" \
      "hfi-metrics -o json verify --stats-m|--stats-matcher" \
      "hfi-metrics verify --output=j|json junit" \
      "hfi-metrics verify -n |default istio-system prod" \
      "hfi-metrics verify -n prod w|web-1 web-2" \
      "hfi-metrics verify -nis|istio-system"; do
      check zsh "${case%%|*}" "${case#*|}" "$(zsh_candidates "${case%%|*}")"
    done
    # Files: _files offers the path's components on the way; the file must be among them.
    zsh_candidates "hfi-metrics verify --file $TMP/files/sc" | grep -qw scrape.prom ||
      fail "zsh did not complete a --file name"
  else
    echo "note: zsh/zpty not available; zsh checked for syntax only"
  fi
fi

if [ $have_fish = 1 ]; then
  "$HFI_METRICS" completion fish >"$TMP/hfi-metrics.fish" || fail "completion fish"
  fish --no-config -n "$TMP/hfi-metrics.fish" || fail "the fish script is not valid fish"
  fish_candidates() {
    fish --no-config -c 'source $argv[1]; complete -C $argv[2]' "$TMP/hfi-metrics.fish" "$1" 2>&1 |
      cut -f1 | sort -u | paste -sd " " -
  }
  for case in \
    "hfi-metrics ver|verify version" \
    "hfi-metrics verify --lo|--local" \
    "hfi-metrics verify -o |json junit text" \
    "hfi-metrics build -o |json text" \
    "hfi-metrics sidecar --stats-matcher |all istio none" \
    "hfi-metrics render --delivery |configmap http oci" \
    "hfi-metrics -o json verify --stats-m|--stats-matcher" \
    "hfi-metrics completion |bash fish zsh" \
    "hfi-metrics verify -n |default istio-system prod" \
    "hfi-metrics verify -n prod w|web-1 web-2" \
    "hfi-metrics verify --file $TMP/files/sc|$TMP/files/scrape.prom"; do
    check fish "${case%%|*}" "${case#*|}" "$(fish_candidates "${case%%|*}")"
  done
fi
finish

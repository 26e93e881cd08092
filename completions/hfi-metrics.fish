# fish completion for hfi-metrics. Generated from the command tree by `hfi-metrics completion fish`:
# do not edit, regenerate. Install it as hfi-metrics.fish in ~/.config/fish/completions/ or
# share/fish/vendor_completions.d/, or load it with `hfi-metrics completion fish | source`.

function __hfi_metrics_subcommands --argument-names path
    switch "$path"
        case ''
            echo 'build'
            echo 'inspect'
            echo 'verify'
            echo 'sidecar'
            echo 'version'
            echo 'render'
            echo 'apply'
            echo 'deploy'
            echo 'serve'
            echo 'completion'
    end
end

function __hfi_metrics_takes_value --argument-names path option
    switch "$path $option"
        case ' -o' ' --output' ' --kubectl' ' --kubeconfig' ' --context' ' --timeout'
            return 0
        case 'build --source' 'build --output' 'build --emxx' 'build --build-timeout' 'build -o' 'build --kubectl' 'build --kubeconfig' 'build --context' 'build --timeout'
            return 0
        case 'inspect -o' 'inspect --output' 'inspect --kubectl' 'inspect --kubeconfig' 'inspect --context' 'inspect --timeout'
            return 0
        case 'verify --file' 'verify --expect' 'verify --baseline' 'verify --expect-delta' 'verify --requests' 'verify --concurrency' 'verify -l' 'verify --selector' 'verify --port' 'verify --pod-timeout' 'verify --forward-timeout' 'verify --traffic' 'verify --traffic-from' 'verify --prometheus' 'verify --match' 'verify --pod-label' 'verify --namespace-label' 'verify --sample' 'verify --prometheus-timeout' 'verify --max-scrape-age' 'verify --prometheus-token-file' 'verify --prometheus-user' 'verify --prometheus-password-file' 'verify --prometheus-ca' 'verify --plugin' 'verify --policy' 'verify --stats-matcher' 'verify --stats-inclusion' 'verify --stats-exclusion' 'verify --flush-interval' 'verify --workload' 'verify --fail' 'verify -n' 'verify --namespace' 'verify -o' 'verify --output' 'verify --kubectl' 'verify --kubeconfig' 'verify --context' 'verify --timeout'
            return 0
        case 'sidecar --plugin' 'sidecar --policy' 'sidecar --stats-matcher' 'sidecar --stats-inclusion' 'sidecar --stats-exclusion' 'sidecar --flush-interval' 'sidecar --workload' 'sidecar --namespace' 'sidecar --fail' 'sidecar --admin' 'sidecar --listen' 'sidecar -o' 'sidecar --output' 'sidecar --kubectl' 'sidecar --kubeconfig' 'sidecar --context' 'sidecar --timeout'
            return 0
        case 'version -o' 'version --output' 'version --kubectl' 'version --kubeconfig' 'version --context' 'version --timeout'
            return 0
        case 'render --values' 'render -n' 'render --namespace' 'render -l' 'render --selector' 'render --workload' 'render --name' 'render --plugin' 'render --url' 'render --delivery' 'render --policy' 'render --plugin-name' 'render --phase' 'render --fail-strategy' 'render --istio-version' 'render --stats-exposure' 'render -o' 'render --output' 'render --kubectl' 'render --kubeconfig' 'render --context' 'render --timeout'
            return 0
        case 'apply --values' 'apply -n' 'apply --namespace' 'apply -l' 'apply --selector' 'apply --workload' 'apply --name' 'apply --plugin' 'apply --url' 'apply --delivery' 'apply --policy' 'apply --plugin-name' 'apply --phase' 'apply --fail-strategy' 'apply --istio-version' 'apply --stats-exposure' 'apply --dry-run' 'apply -o' 'apply --output' 'apply --kubectl' 'apply --kubeconfig' 'apply --context' 'apply --timeout'
            return 0
        case 'deploy --values' 'deploy -n' 'deploy --namespace' 'deploy -l' 'deploy --selector' 'deploy --workload' 'deploy --name' 'deploy --plugin' 'deploy --url' 'deploy --delivery' 'deploy --policy' 'deploy --plugin-name' 'deploy --phase' 'deploy --fail-strategy' 'deploy --istio-version' 'deploy --stats-exposure' 'deploy --source' 'deploy --emxx' 'deploy --build-timeout' 'deploy -o' 'deploy --output' 'deploy --kubectl' 'deploy --kubeconfig' 'deploy --context' 'deploy --timeout'
            return 0
        case 'serve --file' 'serve --expect' 'serve --baseline' 'serve --expect-delta' 'serve --requests' 'serve --concurrency' 'serve -l' 'serve --selector' 'serve --port' 'serve --pod-timeout' 'serve --forward-timeout' 'serve --traffic' 'serve --traffic-from' 'serve --prometheus' 'serve --match' 'serve --pod-label' 'serve --namespace-label' 'serve --sample' 'serve --prometheus-timeout' 'serve --max-scrape-age' 'serve --prometheus-token-file' 'serve --prometheus-user' 'serve --prometheus-password-file' 'serve --prometheus-ca' 'serve --plugin' 'serve --policy' 'serve --stats-matcher' 'serve --stats-inclusion' 'serve --stats-exclusion' 'serve --flush-interval' 'serve --workload' 'serve --fail' 'serve -n' 'serve --namespace' 'serve --listen' 'serve --interval' 'serve -o' 'serve --output' 'serve --kubectl' 'serve --kubeconfig' 'serve --context' 'serve --timeout'
            return 0
        case 'completion -o' 'completion --output' 'completion --kubectl' 'completion --kubeconfig' 'completion --context' 'completion --timeout'
            return 0
    end
    return 1
end

# __hfi_metrics_path: the command the line is in ("" for none yet, else e.g. "verify").
function __hfi_metrics_path
    set -l tokens (commandline -opc)
    set -l path ''
    set -l skip 0
    for token in $tokens[2..-1]
        if test $skip = 1
            set skip 0
            continue
        end
        switch $token
            case '--'
                break
            case '--*=*'
                continue
            case '-?*'
                __hfi_metrics_takes_value "$path" $token; and set skip 1
                continue
        end
        contains -- $token (__hfi_metrics_subcommands "$path"); or break
        set path (string trim -- "$path $token")
    end
    echo $path
end

function __hfi_metrics_in --argument-names want
    test "$(__hfi_metrics_path)" = "$want"
end

# Namespaces, pods and contexts come from `hfi-metrics __complete` (through kubectl), given the
# words before the cursor.
function __hfi_metrics_dynamic
    set -l tokens (commandline -opc)
    set -l current (commandline -ct)
    set -l args $tokens[2..-1]
    if string match -q -- '--*=*' $current
        set -l parts (string split -m 1 = -- $current)
        set args $args $parts[1]
        set current $parts[2]
    end
    # An option being typed is no value: the option lines complete it.
    string match -q -- '-*' $current; and return
    $tokens[1] __complete -- $args $current 2>/dev/null | string match -v -- ':*'
end

complete -c hfi-metrics -f

# hfi-metrics
complete -c hfi-metrics -n '__hfi_metrics_in \'\'' -a 'build' -d 'Compile the plugin with em++ as DIR/wasm_build.txt says, check the module like \'inspect\', write it and print its path, size and sha256'
complete -c hfi-metrics -n '__hfi_metrics_in \'\'' -a 'inspect' -d 'Check a proxy-wasm module: magic, one proxy_abi_version_* export, the callbacks an HTTP filter needs with Envoy\'s exact signatures, imports Envoy provides, the three metric names, memory growth; print size and sha256'
complete -c hfi-metrics -n '__hfi_metrics_in \'\'' -a 'verify' -d 'Verify the three HFI metrics in a cluster\'s pods (through kubectl), in Prometheus (--prometheus), in saved /stats/prometheus scrapes or in the embedded sidecar (--local): names, types, histogram consistency, values and changes, with a hint code for every problem'
complete -c hfi-metrics -n '__hfi_metrics_in \'\'' -a 'sidecar' -d 'Run the embedded Envoy-like sidecar in the foreground: the plugin in the embedded proxy-wasm host, Envoy\'s admin endpoints (/stats, /stats/prometheus, /server_info, /config_dump, /ready) and a listener that runs each request through the plugin to a built-in upstream'
complete -c hfi-metrics -n '__hfi_metrics_in \'\'' -a 'version' -d 'Print the version, the git commit, and the default plugin with its sha256'
complete -c hfi-metrics -n '__hfi_metrics_in \'\'' -a 'render' -d 'Print the manifests that deploy the plugin and expose its metrics: WasmPlugin (url and sha256, or a ConfigMap and sidecar volume annotations), the proxy.istio.io/config proxyStatsMatcher annotation, and on request the BOOTSTRAP EnvoyFilter'
complete -c hfi-metrics -n '__hfi_metrics_in \'\'' -a 'apply' -d 'Render the manifests and apply them server-side with kubectl; restart only the workloads whose proxies must re-read their bootstrap; report what was created, configured or restarted'
complete -c hfi-metrics -n '__hfi_metrics_in \'\'' -a 'deploy' -d 'Build the plugin, apply the manifests and wait for the rollouts, then verify the metrics on the selected pods: one command for scripts'
complete -c hfi-metrics -n '__hfi_metrics_in \'\'' -a 'serve' -d 'Run verify on an interval (pods through kubectl, Prometheus, --local or saved scrapes) and expose the results to Prometheus on /metrics, with a /healthz endpoint'
complete -c hfi-metrics -n '__hfi_metrics_in \'\'' -a 'completion' -d 'Print the completion script for bash, zsh or fish (commands, flags, values)'
complete -c hfi-metrics -n '__hfi_metrics_in \'\'' -s h -l help -d 'Print this help message and exit'
complete -c hfi-metrics -n '__hfi_metrics_in \'\'' -l help-all -d 'Show help for every command'
complete -c hfi-metrics -n '__hfi_metrics_in \'\'' -s o -l output -x -a 'text json junit yaml' -d 'Output format: text, json or junit (yaml: render only)'
complete -c hfi-metrics -n '__hfi_metrics_in \'\'' -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c hfi-metrics -n '__hfi_metrics_in \'\'' -s q -l quiet -d 'Print only the result, no progress or banners'
complete -c hfi-metrics -n '__hfi_metrics_in \'\'' -s v -l verbose -d 'Show the external commands and HTTP calls made'
complete -c hfi-metrics -n '__hfi_metrics_in \'\'' -l kubectl -r -F -d 'The kubectl program to run (default: $HFI_KUBECTL, then kubectl on PATH)'
complete -c hfi-metrics -n '__hfi_metrics_in \'\'' -l kubeconfig -r -F -d 'Passed to kubectl: the kubeconfig file'
complete -c hfi-metrics -n '__hfi_metrics_in \'\'' -l context -x -a '(__hfi_metrics_dynamic)' -d 'Passed to kubectl: the kubeconfig context'
complete -c hfi-metrics -n '__hfi_metrics_in \'\'' -l timeout -x -d 'Stop the command after DURATION (e.g. 90s, 5m) with exit code 2, every kubectl stopped first; with apply and deploy it also bounds the rollout waits (default: no limit; rollouts wait 180s each)'

# hfi-metrics build
complete -c hfi-metrics -n '__hfi_metrics_in build' -s h -l help -d 'Print this help message and exit'
complete -c hfi-metrics -n '__hfi_metrics_in build' -l help-all -d 'Show help for every command'
complete -c hfi-metrics -n '__hfi_metrics_in build' -l source -x -a '(__fish_complete_directories)' -d 'Directory holding wasm_build.txt and the sources (default: <source tree>/plugin)'
complete -c hfi-metrics -n '__hfi_metrics_in build' -l output -r -F -d 'The .wasm file to write, replaced only on success (default: hfi_plugin.wasm)'
complete -c hfi-metrics -n '__hfi_metrics_in build' -l debug -d 'Use the \'debug\' flags of wasm_build.txt (else \'release\')'
complete -c hfi-metrics -n '__hfi_metrics_in build' -l emxx -r -F -d 'The em++ to run (default: $HFI_EMXX, else em++ on PATH)'
complete -c hfi-metrics -n '__hfi_metrics_in build' -l build-timeout -x -d 'Stop em++ after this many seconds (default: 600)'
complete -c hfi-metrics -n '__hfi_metrics_in build' -s o -x -a 'text json' -d 'Output format: text, json or junit (yaml: render only)'
complete -c hfi-metrics -n '__hfi_metrics_in build' -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c hfi-metrics -n '__hfi_metrics_in build' -s q -l quiet -d 'Print only the result, no progress or banners'
complete -c hfi-metrics -n '__hfi_metrics_in build' -s v -l verbose -d 'Show the external commands and HTTP calls made'
complete -c hfi-metrics -n '__hfi_metrics_in build' -l kubectl -r -F -d 'The kubectl program to run (default: $HFI_KUBECTL, then kubectl on PATH)'
complete -c hfi-metrics -n '__hfi_metrics_in build' -l kubeconfig -r -F -d 'Passed to kubectl: the kubeconfig file'
complete -c hfi-metrics -n '__hfi_metrics_in build' -l context -x -a '(__hfi_metrics_dynamic)' -d 'Passed to kubectl: the kubeconfig context'
complete -c hfi-metrics -n '__hfi_metrics_in build' -l timeout -x -d 'Stop the command after DURATION (e.g. 90s, 5m) with exit code 2, every kubectl stopped first; with apply and deploy it also bounds the rollout waits (default: no limit; rollouts wait 180s each)'

# hfi-metrics inspect
complete -c hfi-metrics -n '__hfi_metrics_in inspect' -s h -l help -d 'Print this help message and exit'
complete -c hfi-metrics -n '__hfi_metrics_in inspect' -l help-all -d 'Show help for every command'
complete -c hfi-metrics -n '__hfi_metrics_in inspect' -s o -l output -x -a 'text json' -d 'Output format: text, json or junit (yaml: render only)'
complete -c hfi-metrics -n '__hfi_metrics_in inspect' -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c hfi-metrics -n '__hfi_metrics_in inspect' -s q -l quiet -d 'Print only the result, no progress or banners'
complete -c hfi-metrics -n '__hfi_metrics_in inspect' -s v -l verbose -d 'Show the external commands and HTTP calls made'
complete -c hfi-metrics -n '__hfi_metrics_in inspect' -l kubectl -r -F -d 'The kubectl program to run (default: $HFI_KUBECTL, then kubectl on PATH)'
complete -c hfi-metrics -n '__hfi_metrics_in inspect' -l kubeconfig -r -F -d 'Passed to kubectl: the kubeconfig file'
complete -c hfi-metrics -n '__hfi_metrics_in inspect' -l context -x -a '(__hfi_metrics_dynamic)' -d 'Passed to kubectl: the kubeconfig context'
complete -c hfi-metrics -n '__hfi_metrics_in inspect' -l timeout -x -d 'Stop the command after DURATION (e.g. 90s, 5m) with exit code 2, every kubectl stopped first; with apply and deploy it also bounds the rollout waits (default: no limit; rollouts wait 180s each)'
complete -c hfi-metrics -n '__hfi_metrics_in inspect' -F -d 'The .wasm file to check (\'-\' for standard input)'

# hfi-metrics verify
complete -c hfi-metrics -n '__hfi_metrics_in verify' -s h -l help -d 'Print this help message and exit'
complete -c hfi-metrics -n '__hfi_metrics_in verify' -l help-all -d 'Show help for every command'
complete -c hfi-metrics -n '__hfi_metrics_in verify' -l file -r -F -d 'A saved scrape of a sidecar\'s /stats/prometheus (\'-\' for standard input); repeat for several sources'
complete -c hfi-metrics -n '__hfi_metrics_in verify' -l expect -x -d 'A condition on this scrape\'s values, e.g. \'aborts>=1\' (repeatable)'
complete -c hfi-metrics -n '__hfi_metrics_in verify' -l baseline -r -F -d 'An earlier scrape of the same source: counters must not have dropped; one per --file, in the same order'
complete -c hfi-metrics -n '__hfi_metrics_in verify' -l expect-delta -x -d 'A condition on (scrape - baseline), e.g. \'delays>=5\' (repeatable; needs --baseline, or --traffic for pods)'
complete -c hfi-metrics -n '__hfi_metrics_in verify' -l requests -x -d 'With --local or --traffic: how many requests to send (default 30)'
complete -c hfi-metrics -n '__hfi_metrics_in verify' -l concurrency -x -d 'With --local or --traffic: requests in flight at once; with pods: how many pods are verified at once (default 8)'
complete -c hfi-metrics -n '__hfi_metrics_in verify' -s l -l selector -x -d 'Verify the pods with these labels, e.g. app=frontend (as kubectl -l)'
complete -c hfi-metrics -n '__hfi_metrics_in verify' -s A -l all-namespaces -d 'With -l: select pods in every namespace'
complete -c hfi-metrics -n '__hfi_metrics_in verify' -l port -x -d 'The sidecar port to read: 15000 (Envoy admin, default), 15090 (Envoy Prometheus) or 15020 (Istio agent, merged with the application\'s metrics)'
complete -c hfi-metrics -n '__hfi_metrics_in verify' -l pod-timeout -x -d 'Everything for one pod (forward, scrapes, deeper look) within this (default 20s)'
complete -c hfi-metrics -n '__hfi_metrics_in verify' -l forward-timeout -x -d 'How long kubectl port-forward may take to listen (default 10s)'
complete -c hfi-metrics -n '__hfi_metrics_in verify' -l no-exec -d 'When port-forward is denied, do not read the pod through kubectl exec'
complete -c hfi-metrics -n '__hfi_metrics_in verify' -l traffic -x -d 'Scrape the pods, send --requests GETs to URL, scrape again and check the counters grew by the faults the responses showed'
complete -c hfi-metrics -n '__hfi_metrics_in verify' -l traffic-from -x -a '(__hfi_metrics_dynamic)' -d 'Send the --traffic requests from inside POD ([NS/]POD; kubectl exec, curl in its default container), for URLs only reachable in the cluster'
complete -c hfi-metrics -n '__hfi_metrics_in verify' -l prometheus -x -d 'Verify through the Prometheus server at URL (its HTTP API): the three series for every pod named, selected with -l or matched with --match, their targets up and recently scraped, the histograms complete, values agreeing with a direct scrape of --sample pods'
complete -c hfi-metrics -n '__hfi_metrics_in verify' -l match -x -d 'With --prometheus and no pods: PromQL label matchers choosing the expected targets, e.g. \'job="envoy-stats",namespace="demo"\''
complete -c hfi-metrics -n '__hfi_metrics_in verify' -l pod-label -x -d 'With --prometheus: the label naming a series\' pod (default pod)'
complete -c hfi-metrics -n '__hfi_metrics_in verify' -l namespace-label -x -d 'With --prometheus: the label naming a series\' namespace (default namespace)'
complete -c hfi-metrics -n '__hfi_metrics_in verify' -l sample -x -d 'With --prometheus: how many pods are also scraped directly to compare values (default 3; 0: none)'
complete -c hfi-metrics -n '__hfi_metrics_in verify' -l prometheus-timeout -x -d 'With --prometheus: the limit for each API request (default 10s)'
complete -c hfi-metrics -n '__hfi_metrics_in verify' -l max-scrape-age -x -d 'With --prometheus: a target last scraped longer ago than this is stale (default 2m)'
complete -c hfi-metrics -n '__hfi_metrics_in verify' -l prometheus-token-file -r -F -d 'With --prometheus: send the bearer token in FILE'
complete -c hfi-metrics -n '__hfi_metrics_in verify' -l prometheus-user -x -d 'With --prometheus: basic auth user (the password from --prometheus-password-file)'
complete -c hfi-metrics -n '__hfi_metrics_in verify' -l prometheus-password-file -r -F -d 'With --prometheus-user: the basic auth password, read from FILE'
complete -c hfi-metrics -n '__hfi_metrics_in verify' -l prometheus-ca -r -F -d 'With an https --prometheus URL: trust the CA certificates in FILE (PEM)'
complete -c hfi-metrics -n '__hfi_metrics_in verify' -l insecure-skip-tls-verify -d 'With an https --prometheus URL: do not check the server\'s certificate'
complete -c hfi-metrics -n '__hfi_metrics_in verify' -l local -d 'Verify the embedded sidecar: run the plugin on loopback, send requests through it, scrape its /stats/prometheus over HTTP'
complete -c hfi-metrics -n '__hfi_metrics_in verify' -l plugin -r -F -d 'The plugin .wasm to run (default: the one this build produced)'
complete -c hfi-metrics -n '__hfi_metrics_in verify' -l policy -r -F -d 'The fault policy (plugin configuration JSON; \'-\' for standard input)'
complete -c hfi-metrics -n '__hfi_metrics_in verify' -l stats-matcher -x -a 'istio all none' -d 'The bootstrap stats matcher: istio (Istio\'s default inclusion list), all (no matcher) or none (reject_all); default istio'
complete -c hfi-metrics -n '__hfi_metrics_in verify' -l stats-inclusion -x -d 'Replace the matcher with an inclusion list of these patterns (repeatable): prefix:S, suffix:S, exact:S, contains:S or regex:RE (a full match)'
complete -c hfi-metrics -n '__hfi_metrics_in verify' -l stats-exclusion -x -d 'Replace the matcher with an exclusion list of these patterns (repeatable)'
complete -c hfi-metrics -n '__hfi_metrics_in verify' -l flush-interval -x -d 'Envoy\'s stats_flush_interval (e.g. 5s, 250ms, 1m): with --local, the embedded sidecar\'s (default 1s); with --traffic, the proxies\' (default 5s, Envoy\'s), waited out with 0.5 s to spare before the second scrape'
complete -c hfi-metrics -n '__hfi_metrics_in verify' -l workload -x -d 'Node metadata WORKLOAD_NAME (and NAME) the plugin sees; default hfi-local'
complete -c hfi-metrics -n '__hfi_metrics_in verify' -l fail -x -a 'open closed' -d 'What requests get once the plugin has failed: closed (503, Envoy\'s default) or open (passed through); default closed'
complete -c hfi-metrics -n '__hfi_metrics_in verify' -s n -l namespace -x -a '(__hfi_metrics_dynamic)' -d 'The pods\' namespace (default: kubectl\'s current one); with --local, the namespace the embedded sidecar reports (default: default)'
complete -c hfi-metrics -n '__hfi_metrics_in verify' -s o -l output -x -a 'text json junit' -d 'Output format: text, json or junit (yaml: render only)'
complete -c hfi-metrics -n '__hfi_metrics_in verify' -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c hfi-metrics -n '__hfi_metrics_in verify' -s q -l quiet -d 'Print only the result, no progress or banners'
complete -c hfi-metrics -n '__hfi_metrics_in verify' -s v -l verbose -d 'Show the external commands and HTTP calls made'
complete -c hfi-metrics -n '__hfi_metrics_in verify' -l kubectl -r -F -d 'The kubectl program to run (default: $HFI_KUBECTL, then kubectl on PATH)'
complete -c hfi-metrics -n '__hfi_metrics_in verify' -l kubeconfig -r -F -d 'Passed to kubectl: the kubeconfig file'
complete -c hfi-metrics -n '__hfi_metrics_in verify' -l context -x -a '(__hfi_metrics_dynamic)' -d 'Passed to kubectl: the kubeconfig context'
complete -c hfi-metrics -n '__hfi_metrics_in verify' -l timeout -x -d 'Stop the command after DURATION (e.g. 90s, 5m) with exit code 2, every kubectl stopped first; with apply and deploy it also bounds the rollout waits (default: no limit; rollouts wait 180s each)'
complete -c hfi-metrics -n '__hfi_metrics_in verify' -a '(__hfi_metrics_dynamic)' -d 'Pods to verify, by name (in --namespace)'

# hfi-metrics sidecar
complete -c hfi-metrics -n '__hfi_metrics_in sidecar' -s h -l help -d 'Print this help message and exit'
complete -c hfi-metrics -n '__hfi_metrics_in sidecar' -l help-all -d 'Show help for every command'
complete -c hfi-metrics -n '__hfi_metrics_in sidecar' -l plugin -r -F -d 'The plugin .wasm to run (default: the one this build produced)'
complete -c hfi-metrics -n '__hfi_metrics_in sidecar' -l policy -r -F -d 'The fault policy (plugin configuration JSON; \'-\' for standard input)'
complete -c hfi-metrics -n '__hfi_metrics_in sidecar' -l stats-matcher -x -a 'istio all none' -d 'The bootstrap stats matcher: istio (Istio\'s default inclusion list), all (no matcher) or none (reject_all); default istio'
complete -c hfi-metrics -n '__hfi_metrics_in sidecar' -l stats-inclusion -x -d 'Replace the matcher with an inclusion list of these patterns (repeatable): prefix:S, suffix:S, exact:S, contains:S or regex:RE (a full match)'
complete -c hfi-metrics -n '__hfi_metrics_in sidecar' -l stats-exclusion -x -d 'Replace the matcher with an exclusion list of these patterns (repeatable)'
complete -c hfi-metrics -n '__hfi_metrics_in sidecar' -l flush-interval -x -d 'Envoy\'s stats_flush_interval: histograms reach the admin output at a flush (e.g. 5s, 250ms, 1m)'
complete -c hfi-metrics -n '__hfi_metrics_in sidecar' -l workload -x -d 'Node metadata WORKLOAD_NAME (and NAME) the plugin sees; default hfi-local'
complete -c hfi-metrics -n '__hfi_metrics_in sidecar' -l namespace -x -d 'Node metadata NAMESPACE the plugin sees; default default'
complete -c hfi-metrics -n '__hfi_metrics_in sidecar' -l fail -x -a 'open closed' -d 'What requests get once the plugin has failed: closed (503, Envoy\'s default) or open (passed through); default closed'
complete -c hfi-metrics -n '__hfi_metrics_in sidecar' -l admin -x -d 'Where the admin endpoints listen (HOST:PORT, port 0 for any free one); default 127.0.0.1:15000'
complete -c hfi-metrics -n '__hfi_metrics_in sidecar' -l listen -x -d 'Where traffic to run through the plugin is accepted (HOST:PORT); default 127.0.0.1:15006'
complete -c hfi-metrics -n '__hfi_metrics_in sidecar' -s o -l output -x -a 'text json' -d 'Output format: text, json or junit (yaml: render only)'
complete -c hfi-metrics -n '__hfi_metrics_in sidecar' -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c hfi-metrics -n '__hfi_metrics_in sidecar' -s q -l quiet -d 'Print only the result, no progress or banners'
complete -c hfi-metrics -n '__hfi_metrics_in sidecar' -s v -l verbose -d 'Show the external commands and HTTP calls made'
complete -c hfi-metrics -n '__hfi_metrics_in sidecar' -l kubectl -r -F -d 'The kubectl program to run (default: $HFI_KUBECTL, then kubectl on PATH)'
complete -c hfi-metrics -n '__hfi_metrics_in sidecar' -l kubeconfig -r -F -d 'Passed to kubectl: the kubeconfig file'
complete -c hfi-metrics -n '__hfi_metrics_in sidecar' -l context -x -a '(__hfi_metrics_dynamic)' -d 'Passed to kubectl: the kubeconfig context'
complete -c hfi-metrics -n '__hfi_metrics_in sidecar' -l timeout -x -d 'Stop the command after DURATION (e.g. 90s, 5m) with exit code 2, every kubectl stopped first; with apply and deploy it also bounds the rollout waits (default: no limit; rollouts wait 180s each)'

# hfi-metrics version
complete -c hfi-metrics -n '__hfi_metrics_in version' -s h -l help -d 'Print this help message and exit'
complete -c hfi-metrics -n '__hfi_metrics_in version' -l help-all -d 'Show help for every command'
complete -c hfi-metrics -n '__hfi_metrics_in version' -s o -l output -x -a 'text json' -d 'Output format: text, json or junit (yaml: render only)'
complete -c hfi-metrics -n '__hfi_metrics_in version' -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c hfi-metrics -n '__hfi_metrics_in version' -s q -l quiet -d 'Print only the result, no progress or banners'
complete -c hfi-metrics -n '__hfi_metrics_in version' -s v -l verbose -d 'Show the external commands and HTTP calls made'
complete -c hfi-metrics -n '__hfi_metrics_in version' -l kubectl -r -F -d 'The kubectl program to run (default: $HFI_KUBECTL, then kubectl on PATH)'
complete -c hfi-metrics -n '__hfi_metrics_in version' -l kubeconfig -r -F -d 'Passed to kubectl: the kubeconfig file'
complete -c hfi-metrics -n '__hfi_metrics_in version' -l context -x -a '(__hfi_metrics_dynamic)' -d 'Passed to kubectl: the kubeconfig context'
complete -c hfi-metrics -n '__hfi_metrics_in version' -l timeout -x -d 'Stop the command after DURATION (e.g. 90s, 5m) with exit code 2, every kubectl stopped first; with apply and deploy it also bounds the rollout waits (default: no limit; rollouts wait 180s each)'

# hfi-metrics render
complete -c hfi-metrics -n '__hfi_metrics_in render' -s h -l help -d 'Print this help message and exit'
complete -c hfi-metrics -n '__hfi_metrics_in render' -l help-all -d 'Show help for every command'
complete -c hfi-metrics -n '__hfi_metrics_in render' -l values -r -F -d 'YAML values file (\'-\' for standard input)'
complete -c hfi-metrics -n '__hfi_metrics_in render' -s n -l namespace -x -a '(__hfi_metrics_dynamic)' -d 'Namespace of the workloads and the objects'
complete -c hfi-metrics -n '__hfi_metrics_in render' -s l -l selector -x -d 'Labels of the pods to extend: k=v[,k=v...]'
complete -c hfi-metrics -n '__hfi_metrics_in render' -l workload -x -d 'Workload whose pod template gets the annotations (repeatable)'
complete -c hfi-metrics -n '__hfi_metrics_in render' -l name -x -d 'Name of the WasmPlugin, prefix of the others'
complete -c hfi-metrics -n '__hfi_metrics_in render' -l plugin -r -F -d 'The built .wasm: its sha256, and the ConfigMap bytes'
complete -c hfi-metrics -n '__hfi_metrics_in render' -l url -x -d 'Where proxies fetch the module (oci:// or http(s)://)'
complete -c hfi-metrics -n '__hfi_metrics_in render' -l delivery -x -a 'oci http configmap' -d 'oci, http or configmap (default: from --url)'
complete -c hfi-metrics -n '__hfi_metrics_in render' -l policy -r -F -d 'Fault policy JSON, passed as pluginConfig'
complete -c hfi-metrics -n '__hfi_metrics_in render' -l plugin-name -x -d 'Root id for the module'
complete -c hfi-metrics -n '__hfi_metrics_in render' -l phase -x -a 'AUTHN AUTHZ STATS UNSPECIFIED_PHASE' -d 'AUTHN (default), AUTHZ, STATS or UNSPECIFIED_PHASE'
complete -c hfi-metrics -n '__hfi_metrics_in render' -l fail-strategy -x -a 'FAIL_OPEN FAIL_CLOSE' -d 'FAIL_OPEN (default) or FAIL_CLOSE'
complete -c hfi-metrics -n '__hfi_metrics_in render' -l istio-version -x -d 'The mesh\'s Istio version, e.g. 1.22.3'
complete -c hfi-metrics -n '__hfi_metrics_in render' -l bootstrap-xds-agent -l no-bootstrap-xds-agent -d 'The proxies run with BOOTSTRAP_XDS_AGENT=true (Istio 1.11-1.20)'
complete -c hfi-metrics -n '__hfi_metrics_in render' -l stats-exposure -x -a 'annotation envoyfilter both' -d 'annotation (default), envoyfilter or both'
complete -c hfi-metrics -n '__hfi_metrics_in render' -s o -l output -x -a 'text json yaml' -d 'Output format: text, json or junit (yaml: render only)'
complete -c hfi-metrics -n '__hfi_metrics_in render' -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c hfi-metrics -n '__hfi_metrics_in render' -s q -l quiet -d 'Print only the result, no progress or banners'
complete -c hfi-metrics -n '__hfi_metrics_in render' -s v -l verbose -d 'Show the external commands and HTTP calls made'
complete -c hfi-metrics -n '__hfi_metrics_in render' -l kubectl -r -F -d 'The kubectl program to run (default: $HFI_KUBECTL, then kubectl on PATH)'
complete -c hfi-metrics -n '__hfi_metrics_in render' -l kubeconfig -r -F -d 'Passed to kubectl: the kubeconfig file'
complete -c hfi-metrics -n '__hfi_metrics_in render' -l context -x -a '(__hfi_metrics_dynamic)' -d 'Passed to kubectl: the kubeconfig context'
complete -c hfi-metrics -n '__hfi_metrics_in render' -l timeout -x -d 'Stop the command after DURATION (e.g. 90s, 5m) with exit code 2, every kubectl stopped first; with apply and deploy it also bounds the rollout waits (default: no limit; rollouts wait 180s each)'

# hfi-metrics apply
complete -c hfi-metrics -n '__hfi_metrics_in apply' -s h -l help -d 'Print this help message and exit'
complete -c hfi-metrics -n '__hfi_metrics_in apply' -l help-all -d 'Show help for every command'
complete -c hfi-metrics -n '__hfi_metrics_in apply' -l values -r -F -d 'YAML values file (\'-\' for standard input)'
complete -c hfi-metrics -n '__hfi_metrics_in apply' -s n -l namespace -x -a '(__hfi_metrics_dynamic)' -d 'Namespace of the workloads and the objects'
complete -c hfi-metrics -n '__hfi_metrics_in apply' -s l -l selector -x -d 'Labels of the pods to extend: k=v[,k=v...]'
complete -c hfi-metrics -n '__hfi_metrics_in apply' -l workload -x -d 'Workload whose pod template gets the annotations (repeatable)'
complete -c hfi-metrics -n '__hfi_metrics_in apply' -l name -x -d 'Name of the WasmPlugin, prefix of the others'
complete -c hfi-metrics -n '__hfi_metrics_in apply' -l plugin -r -F -d 'The built .wasm: its sha256, and the ConfigMap bytes'
complete -c hfi-metrics -n '__hfi_metrics_in apply' -l url -x -d 'Where proxies fetch the module (oci:// or http(s)://)'
complete -c hfi-metrics -n '__hfi_metrics_in apply' -l delivery -x -a 'oci http configmap' -d 'oci, http or configmap (default: from --url)'
complete -c hfi-metrics -n '__hfi_metrics_in apply' -l policy -r -F -d 'Fault policy JSON, passed as pluginConfig'
complete -c hfi-metrics -n '__hfi_metrics_in apply' -l plugin-name -x -d 'Root id for the module'
complete -c hfi-metrics -n '__hfi_metrics_in apply' -l phase -x -a 'AUTHN AUTHZ STATS UNSPECIFIED_PHASE' -d 'AUTHN (default), AUTHZ, STATS or UNSPECIFIED_PHASE'
complete -c hfi-metrics -n '__hfi_metrics_in apply' -l fail-strategy -x -a 'FAIL_OPEN FAIL_CLOSE' -d 'FAIL_OPEN (default) or FAIL_CLOSE'
complete -c hfi-metrics -n '__hfi_metrics_in apply' -l istio-version -x -d 'The mesh\'s Istio version, e.g. 1.22.3'
complete -c hfi-metrics -n '__hfi_metrics_in apply' -l bootstrap-xds-agent -l no-bootstrap-xds-agent -d 'The proxies run with BOOTSTRAP_XDS_AGENT=true (Istio 1.11-1.20)'
complete -c hfi-metrics -n '__hfi_metrics_in apply' -l stats-exposure -x -a 'annotation envoyfilter both' -d 'annotation (default), envoyfilter or both'
complete -c hfi-metrics -n '__hfi_metrics_in apply' -l no-restart -d 'Restart nothing; warn (HFI506) about the workloads whose proxies keep the old bootstrap'
complete -c hfi-metrics -n '__hfi_metrics_in apply' -l wait -d 'Wait for every workload that rolls out or is restarted (kubectl rollout status)'
complete -c hfi-metrics -n '__hfi_metrics_in apply' -l diff -d 'Show what would change (kubectl diff --server-side) and apply nothing; exit 0 no differences, 1 differences, 2 kubectl failed'
complete -c hfi-metrics -n '__hfi_metrics_in apply' -l dry-run -x -a 'none client server' -d 'client or server: report what would change and what would restart; nothing is written or restarted'
complete -c hfi-metrics -n '__hfi_metrics_in apply' -s o -l output -x -a 'text json' -d 'Output format: text, json or junit (yaml: render only)'
complete -c hfi-metrics -n '__hfi_metrics_in apply' -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c hfi-metrics -n '__hfi_metrics_in apply' -s q -l quiet -d 'Print only the result, no progress or banners'
complete -c hfi-metrics -n '__hfi_metrics_in apply' -s v -l verbose -d 'Show the external commands and HTTP calls made'
complete -c hfi-metrics -n '__hfi_metrics_in apply' -l kubectl -r -F -d 'The kubectl program to run (default: $HFI_KUBECTL, then kubectl on PATH)'
complete -c hfi-metrics -n '__hfi_metrics_in apply' -l kubeconfig -r -F -d 'Passed to kubectl: the kubeconfig file'
complete -c hfi-metrics -n '__hfi_metrics_in apply' -l context -x -a '(__hfi_metrics_dynamic)' -d 'Passed to kubectl: the kubeconfig context'
complete -c hfi-metrics -n '__hfi_metrics_in apply' -l timeout -x -d 'Stop the command after DURATION (e.g. 90s, 5m) with exit code 2, every kubectl stopped first; with apply and deploy it also bounds the rollout waits (default: no limit; rollouts wait 180s each)'

# hfi-metrics deploy
complete -c hfi-metrics -n '__hfi_metrics_in deploy' -s h -l help -d 'Print this help message and exit'
complete -c hfi-metrics -n '__hfi_metrics_in deploy' -l help-all -d 'Show help for every command'
complete -c hfi-metrics -n '__hfi_metrics_in deploy' -l values -r -F -d 'YAML values file (\'-\' for standard input)'
complete -c hfi-metrics -n '__hfi_metrics_in deploy' -s n -l namespace -x -a '(__hfi_metrics_dynamic)' -d 'Namespace of the workloads and the objects'
complete -c hfi-metrics -n '__hfi_metrics_in deploy' -s l -l selector -x -d 'Labels of the pods to extend: k=v[,k=v...]'
complete -c hfi-metrics -n '__hfi_metrics_in deploy' -l workload -x -d 'Workload whose pod template gets the annotations (repeatable)'
complete -c hfi-metrics -n '__hfi_metrics_in deploy' -l name -x -d 'Name of the WasmPlugin, prefix of the others'
complete -c hfi-metrics -n '__hfi_metrics_in deploy' -l plugin -r -F -d 'The built .wasm: its sha256, and the ConfigMap bytes'
complete -c hfi-metrics -n '__hfi_metrics_in deploy' -l url -x -d 'Where proxies fetch the module (oci:// or http(s)://)'
complete -c hfi-metrics -n '__hfi_metrics_in deploy' -l delivery -x -a 'oci http configmap' -d 'oci, http or configmap (default: from --url)'
complete -c hfi-metrics -n '__hfi_metrics_in deploy' -l policy -r -F -d 'Fault policy JSON, passed as pluginConfig'
complete -c hfi-metrics -n '__hfi_metrics_in deploy' -l plugin-name -x -d 'Root id for the module'
complete -c hfi-metrics -n '__hfi_metrics_in deploy' -l phase -x -a 'AUTHN AUTHZ STATS UNSPECIFIED_PHASE' -d 'AUTHN (default), AUTHZ, STATS or UNSPECIFIED_PHASE'
complete -c hfi-metrics -n '__hfi_metrics_in deploy' -l fail-strategy -x -a 'FAIL_OPEN FAIL_CLOSE' -d 'FAIL_OPEN (default) or FAIL_CLOSE'
complete -c hfi-metrics -n '__hfi_metrics_in deploy' -l istio-version -x -d 'The mesh\'s Istio version, e.g. 1.22.3'
complete -c hfi-metrics -n '__hfi_metrics_in deploy' -l bootstrap-xds-agent -l no-bootstrap-xds-agent -d 'The proxies run with BOOTSTRAP_XDS_AGENT=true (Istio 1.11-1.20)'
complete -c hfi-metrics -n '__hfi_metrics_in deploy' -l stats-exposure -x -a 'annotation envoyfilter both' -d 'annotation (default), envoyfilter or both'
complete -c hfi-metrics -n '__hfi_metrics_in deploy' -l no-restart -d 'Restart nothing; warn (HFI506) about the workloads whose proxies keep the old bootstrap'
complete -c hfi-metrics -n '__hfi_metrics_in deploy' -l skip-build -d 'Deploy the existing --plugin FILE (or plugin.file) instead of building it'
complete -c hfi-metrics -n '__hfi_metrics_in deploy' -l source -x -a '(__fish_complete_directories)' -d 'Build: directory holding wasm_build.txt (default: <source tree>/plugin)'
complete -c hfi-metrics -n '__hfi_metrics_in deploy' -l emxx -r -F -d 'Build: the em++ to run (default: $HFI_EMXX, else PATH)'
complete -c hfi-metrics -n '__hfi_metrics_in deploy' -l debug -d 'Build: the \'debug\' flags of wasm_build.txt'
complete -c hfi-metrics -n '__hfi_metrics_in deploy' -l build-timeout -x -d 'Build: stop em++ after this many seconds (default: 600)'
complete -c hfi-metrics -n '__hfi_metrics_in deploy' -s o -l output -x -a 'text json junit' -d 'Output format: text, json or junit (yaml: render only)'
complete -c hfi-metrics -n '__hfi_metrics_in deploy' -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c hfi-metrics -n '__hfi_metrics_in deploy' -s q -l quiet -d 'Print only the result, no progress or banners'
complete -c hfi-metrics -n '__hfi_metrics_in deploy' -s v -l verbose -d 'Show the external commands and HTTP calls made'
complete -c hfi-metrics -n '__hfi_metrics_in deploy' -l kubectl -r -F -d 'The kubectl program to run (default: $HFI_KUBECTL, then kubectl on PATH)'
complete -c hfi-metrics -n '__hfi_metrics_in deploy' -l kubeconfig -r -F -d 'Passed to kubectl: the kubeconfig file'
complete -c hfi-metrics -n '__hfi_metrics_in deploy' -l context -x -a '(__hfi_metrics_dynamic)' -d 'Passed to kubectl: the kubeconfig context'
complete -c hfi-metrics -n '__hfi_metrics_in deploy' -l timeout -x -d 'Stop the command after DURATION (e.g. 90s, 5m) with exit code 2, every kubectl stopped first; with apply and deploy it also bounds the rollout waits (default: no limit; rollouts wait 180s each)'

# hfi-metrics serve
complete -c hfi-metrics -n '__hfi_metrics_in serve' -s h -l help -d 'Print this help message and exit'
complete -c hfi-metrics -n '__hfi_metrics_in serve' -l help-all -d 'Show help for every command'
complete -c hfi-metrics -n '__hfi_metrics_in serve' -l file -r -F -d 'A saved scrape of a sidecar\'s /stats/prometheus (\'-\' for standard input); repeat for several sources'
complete -c hfi-metrics -n '__hfi_metrics_in serve' -l expect -x -d 'A condition on this scrape\'s values, e.g. \'aborts>=1\' (repeatable)'
complete -c hfi-metrics -n '__hfi_metrics_in serve' -l baseline -r -F -d 'An earlier scrape of the same source: counters must not have dropped; one per --file, in the same order'
complete -c hfi-metrics -n '__hfi_metrics_in serve' -l expect-delta -x -d 'A condition on (scrape - baseline), e.g. \'delays>=5\' (repeatable; needs --baseline, or --traffic for pods)'
complete -c hfi-metrics -n '__hfi_metrics_in serve' -l requests -x -d 'With --local or --traffic: how many requests to send (default 30)'
complete -c hfi-metrics -n '__hfi_metrics_in serve' -l concurrency -x -d 'With --local or --traffic: requests in flight at once; with pods: how many pods are verified at once (default 8)'
complete -c hfi-metrics -n '__hfi_metrics_in serve' -s l -l selector -x -d 'Verify the pods with these labels, e.g. app=frontend (as kubectl -l)'
complete -c hfi-metrics -n '__hfi_metrics_in serve' -s A -l all-namespaces -d 'With -l: select pods in every namespace'
complete -c hfi-metrics -n '__hfi_metrics_in serve' -l port -x -d 'The sidecar port to read: 15000 (Envoy admin, default), 15090 (Envoy Prometheus) or 15020 (Istio agent, merged with the application\'s metrics)'
complete -c hfi-metrics -n '__hfi_metrics_in serve' -l pod-timeout -x -d 'Everything for one pod (forward, scrapes, deeper look) within this (default 20s)'
complete -c hfi-metrics -n '__hfi_metrics_in serve' -l forward-timeout -x -d 'How long kubectl port-forward may take to listen (default 10s)'
complete -c hfi-metrics -n '__hfi_metrics_in serve' -l no-exec -d 'When port-forward is denied, do not read the pod through kubectl exec'
complete -c hfi-metrics -n '__hfi_metrics_in serve' -l traffic -x -d 'Scrape the pods, send --requests GETs to URL, scrape again and check the counters grew by the faults the responses showed'
complete -c hfi-metrics -n '__hfi_metrics_in serve' -l traffic-from -x -a '(__hfi_metrics_dynamic)' -d 'Send the --traffic requests from inside POD ([NS/]POD; kubectl exec, curl in its default container), for URLs only reachable in the cluster'
complete -c hfi-metrics -n '__hfi_metrics_in serve' -l prometheus -x -d 'Verify through the Prometheus server at URL (its HTTP API): the three series for every pod named, selected with -l or matched with --match, their targets up and recently scraped, the histograms complete, values agreeing with a direct scrape of --sample pods'
complete -c hfi-metrics -n '__hfi_metrics_in serve' -l match -x -d 'With --prometheus and no pods: PromQL label matchers choosing the expected targets, e.g. \'job="envoy-stats",namespace="demo"\''
complete -c hfi-metrics -n '__hfi_metrics_in serve' -l pod-label -x -d 'With --prometheus: the label naming a series\' pod (default pod)'
complete -c hfi-metrics -n '__hfi_metrics_in serve' -l namespace-label -x -d 'With --prometheus: the label naming a series\' namespace (default namespace)'
complete -c hfi-metrics -n '__hfi_metrics_in serve' -l sample -x -d 'With --prometheus: how many pods are also scraped directly to compare values (default 3; 0: none)'
complete -c hfi-metrics -n '__hfi_metrics_in serve' -l prometheus-timeout -x -d 'With --prometheus: the limit for each API request (default 10s)'
complete -c hfi-metrics -n '__hfi_metrics_in serve' -l max-scrape-age -x -d 'With --prometheus: a target last scraped longer ago than this is stale (default 2m)'
complete -c hfi-metrics -n '__hfi_metrics_in serve' -l prometheus-token-file -r -F -d 'With --prometheus: send the bearer token in FILE'
complete -c hfi-metrics -n '__hfi_metrics_in serve' -l prometheus-user -x -d 'With --prometheus: basic auth user (the password from --prometheus-password-file)'
complete -c hfi-metrics -n '__hfi_metrics_in serve' -l prometheus-password-file -r -F -d 'With --prometheus-user: the basic auth password, read from FILE'
complete -c hfi-metrics -n '__hfi_metrics_in serve' -l prometheus-ca -r -F -d 'With an https --prometheus URL: trust the CA certificates in FILE (PEM)'
complete -c hfi-metrics -n '__hfi_metrics_in serve' -l insecure-skip-tls-verify -d 'With an https --prometheus URL: do not check the server\'s certificate'
complete -c hfi-metrics -n '__hfi_metrics_in serve' -l local -d 'Verify the embedded sidecar: run the plugin on loopback, send requests through it, scrape its /stats/prometheus over HTTP'
complete -c hfi-metrics -n '__hfi_metrics_in serve' -l plugin -r -F -d 'The plugin .wasm to run (default: the one this build produced)'
complete -c hfi-metrics -n '__hfi_metrics_in serve' -l policy -r -F -d 'The fault policy (plugin configuration JSON; \'-\' for standard input)'
complete -c hfi-metrics -n '__hfi_metrics_in serve' -l stats-matcher -x -a 'istio all none' -d 'The bootstrap stats matcher: istio (Istio\'s default inclusion list), all (no matcher) or none (reject_all); default istio'
complete -c hfi-metrics -n '__hfi_metrics_in serve' -l stats-inclusion -x -d 'Replace the matcher with an inclusion list of these patterns (repeatable): prefix:S, suffix:S, exact:S, contains:S or regex:RE (a full match)'
complete -c hfi-metrics -n '__hfi_metrics_in serve' -l stats-exclusion -x -d 'Replace the matcher with an exclusion list of these patterns (repeatable)'
complete -c hfi-metrics -n '__hfi_metrics_in serve' -l flush-interval -x -d 'Envoy\'s stats_flush_interval (e.g. 5s, 250ms, 1m): with --local, the embedded sidecar\'s (default 1s); with --traffic, the proxies\' (default 5s, Envoy\'s), waited out with 0.5 s to spare before the second scrape'
complete -c hfi-metrics -n '__hfi_metrics_in serve' -l workload -x -d 'Node metadata WORKLOAD_NAME (and NAME) the plugin sees; default hfi-local'
complete -c hfi-metrics -n '__hfi_metrics_in serve' -l fail -x -a 'open closed' -d 'What requests get once the plugin has failed: closed (503, Envoy\'s default) or open (passed through); default closed'
complete -c hfi-metrics -n '__hfi_metrics_in serve' -s n -l namespace -x -a '(__hfi_metrics_dynamic)' -d 'The pods\' namespace (default: kubectl\'s current one); with --local, the namespace the embedded sidecar reports (default: default)'
complete -c hfi-metrics -n '__hfi_metrics_in serve' -l listen -x -d 'Where /metrics and /healthz listen (HOST:PORT, port 0 for any free one); default 127.0.0.1:9464'
complete -c hfi-metrics -n '__hfi_metrics_in serve' -l interval -x -d 'Time from the start of one run to the start of the next (1s to 24h); default 60s'
complete -c hfi-metrics -n '__hfi_metrics_in serve' -l once -d 'Run once without listening, print the metrics on stdout and exit with verify\'s status'
complete -c hfi-metrics -n '__hfi_metrics_in serve' -s o -l output -x -a 'text json' -d 'Output format: text, json or junit (yaml: render only)'
complete -c hfi-metrics -n '__hfi_metrics_in serve' -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c hfi-metrics -n '__hfi_metrics_in serve' -s q -l quiet -d 'Print only the result, no progress or banners'
complete -c hfi-metrics -n '__hfi_metrics_in serve' -s v -l verbose -d 'Show the external commands and HTTP calls made'
complete -c hfi-metrics -n '__hfi_metrics_in serve' -l kubectl -r -F -d 'The kubectl program to run (default: $HFI_KUBECTL, then kubectl on PATH)'
complete -c hfi-metrics -n '__hfi_metrics_in serve' -l kubeconfig -r -F -d 'Passed to kubectl: the kubeconfig file'
complete -c hfi-metrics -n '__hfi_metrics_in serve' -l context -x -a '(__hfi_metrics_dynamic)' -d 'Passed to kubectl: the kubeconfig context'
complete -c hfi-metrics -n '__hfi_metrics_in serve' -l timeout -x -d 'Stop the command after DURATION (e.g. 90s, 5m) with exit code 2, every kubectl stopped first; with apply and deploy it also bounds the rollout waits (default: no limit; rollouts wait 180s each)'
complete -c hfi-metrics -n '__hfi_metrics_in serve' -a '(__hfi_metrics_dynamic)' -d 'Pods to verify, by name (in --namespace)'

# hfi-metrics completion
complete -c hfi-metrics -n '__hfi_metrics_in completion' -s h -l help -d 'Print this help message and exit'
complete -c hfi-metrics -n '__hfi_metrics_in completion' -l help-all -d 'Show help for every command'
complete -c hfi-metrics -n '__hfi_metrics_in completion' -s o -l output -x -a 'text' -d 'Output format: text, json or junit (yaml: render only)'
complete -c hfi-metrics -n '__hfi_metrics_in completion' -l no-color -d 'Never colour the output (also: NO_COLOR=1)'
complete -c hfi-metrics -n '__hfi_metrics_in completion' -s q -l quiet -d 'Print only the result, no progress or banners'
complete -c hfi-metrics -n '__hfi_metrics_in completion' -s v -l verbose -d 'Show the external commands and HTTP calls made'
complete -c hfi-metrics -n '__hfi_metrics_in completion' -l kubectl -r -F -d 'The kubectl program to run (default: $HFI_KUBECTL, then kubectl on PATH)'
complete -c hfi-metrics -n '__hfi_metrics_in completion' -l kubeconfig -r -F -d 'Passed to kubectl: the kubeconfig file'
complete -c hfi-metrics -n '__hfi_metrics_in completion' -l context -x -a '(__hfi_metrics_dynamic)' -d 'Passed to kubectl: the kubeconfig context'
complete -c hfi-metrics -n '__hfi_metrics_in completion' -l timeout -x -d 'Stop the command after DURATION (e.g. 90s, 5m) with exit code 2, every kubectl stopped first; with apply and deploy it also bounds the rollout waits (default: no limit; rollouts wait 180s each)'
complete -c hfi-metrics -n '__hfi_metrics_in completion' -a 'bash zsh fish' -d 'The shell: bash, zsh or fish'

// `hfi-metrics verify`: the source flags (verify_flags.cc), the report collected from them
// (verify_sources.cc), rendered in the chosen format; the exit code comes from the report.
#include <CLI/CLI.hpp>
#include <memory>
#include <string>

#include "commands/commands.h"
#include "commands/verify_flags.h"
#include "commands/verify_sources.h"
#include "report/render.h"
#include "util/errors.h"
#include "util/interrupt.h"
#include "util/output.h"
#include "util/terminal.h"

namespace hfi {
namespace {

constexpr const char* kFooter =
    "Examples:\n"
    "  hfi-metrics verify -l app=frontend -n demo\n"
    "  hfi-metrics verify frontend-7d9c8b7f5-x2x9k reviews-v1-5b4d9c7f8-q7kqp -n demo -o json\n"
    "  hfi-metrics verify -A -l app=frontend --concurrency 16 -o junit > hfi-metrics.xml\n"
    "  hfi-metrics verify -l app=frontend -n demo --port 15090 --no-exec\n"
    "  hfi-metrics verify -l app=frontend -n demo --traffic http://frontend.demo/api/ \\\n"
    "      --requests 100 --expect-delta 'aborts>=1'\n"
    "  hfi-metrics verify -l app=frontend -n demo --traffic http://frontend.demo:8080/api/ \\\n"
    "      --traffic-from curl-7c9d8f6b5-h2kxz    # curl inside that pod, through kubectl exec\n"
    "\n"
    "  kubectl port-forward pod/<pod> 15000 -n <ns> &\n"
    "  curl -s localhost:15000/stats/prometheus > scrape.prom\n"
    "  hfi-metrics verify --file scrape.prom\n"
    "  curl -s localhost:15000/stats/prometheus | hfi-metrics verify --file - -o json\n"
    "  hfi-metrics verify --file a.prom --file b.prom -o junit > hfi-metrics.xml\n"
    "  hfi-metrics verify --file scrape.prom --expect 'aborts>=1' --expect 'delay_count>=1'\n"
    "  hfi-metrics verify --file after.prom --baseline before.prom --expect-delta 'delays>=5'\n"
    "\n"
    "  hfi-metrics verify --local\n"
    "  hfi-metrics verify --local --policy k8s/policies/abort-50-percent-api.json --requests 200\n"
    "  hfi-metrics verify --local --stats-matcher none    # a matcher that drops the metrics\n"
    "  hfi-metrics verify --local -o junit > hfi-metrics-local.xml\n"
    "\n"
    "  kubectl -n istio-system port-forward svc/prometheus 9090 &\n"
    "  hfi-metrics verify --prometheus http://localhost:9090 -l app=frontend -n demo\n"
    "  hfi-metrics verify --prometheus http://localhost:9090 --match 'job=\"envoy-stats\"' \\\n"
    "      -o json\n"
    "  hfi-metrics verify --prometheus https://prom.example --prometheus-token-file token \\\n"
    "      --prometheus-ca ca.pem -A -l app=frontend --sample 10 --max-scrape-age 5m\n"
    "\n"
    "In a cluster (pod names, -l, or -A -l), each pod's sidecar is read through kubectl\n"
    "(--kubectl, --kubeconfig, --context), --concurrency pods at a time: kubectl port-forward to\n"
    "--port, GET /stats/prometheus, the checks below. A pod denied port-forward is read with\n"
    "'kubectl exec -c istio-proxy -- pilot-agent request GET stats/prometheus' unless --no-exec\n"
    "(HFI503 says so). When a metric is missing on the admin port 15000, /stats?filter=hfi and\n"
    "/config_dump tell whether the Wasm filter is loaded (HFI508), whether the bootstrap stats\n"
    "matcher drops the names (HFI505), and whether the pod's proxy.istio.io/config asks for a\n"
    "matcher only a restart applies (HFI506). --traffic scrapes every pod, sends --requests GETs\n"
    "to URL (--concurrency at a time), waits one stats flush of the proxies (--flush-interval,\n"
    "default Envoy's 5s) and 0.5 s more, scrapes again and checks the deltas: the sum over the\n"
    "pods of each counter's increase must equal the responses marked x-fault-injected (source\n"
    "'traffic'; fewer is HFI307, more is HFI309, a warning, as other clients of the pods hit\n"
    "faults too; none marked is HFI308); --expect-delta applies to each pod. With\n"
    "--traffic-from [NS/]POD the requests are sent by curl inside that pod ('kubectl exec POD\n"
    "-- sh -c ...', its default container needs sh and curl, as Istio's samples/curl has), for\n"
    "URLs only reachable in the cluster.\n"
    "\n"
    "--local starts the embedded sidecar on loopback (the plugin this build produced, or\n"
    "--plugin; the built-in policy, or --policy; stats flushed every 1s unless\n"
    "--flush-interval), sends --requests requests that cycle through GET /hfi-local/abort with\n"
    "'x-hfi-local: abort', /hfi-local/delay with 'x-hfi-local: delay' and /hfi-local/pass,\n"
    "waits for a stats flush, scrapes /stats/prometheus over HTTP and runs the same checks,\n"
    "plus: the plugin kept running (HFI510), the stats matcher creates the three names\n"
    "(HFI505), and the counters equal the aborted and delayed responses seen (HFI307; HFI308\n"
    "warns when no response was aborted or delayed, as with the policy above, whose rule\n"
    "wants /api/ on workload frontend). The built-in policy aborts (503) every request with\n"
    "'x-hfi-local: abort' and delays every one with 'x-hfi-local: delay' by 20 ms.\n"
    "\n"
    "--prometheus asks the server's HTTP API, in a fixed number of requests whatever the\n"
    "number of pods (build info, up{...}, the active targets, every HFI series, their\n"
    "metadata, and /api/v1/series when series look renamed): is each expected pod (from\n"
    "kubectl, matched by --namespace-label and --pod-label; or each target of up{--match}) a\n"
    "target that is up (HFI601) and was scraped within --max-scrape-age (HFI603), and does\n"
    "Prometheus hold its three metrics (HFI602 no target; HFI604 a histogram in part; HFI606\n"
    "renamed)? Each pod's series are checked like a scrape (source kind 'prometheus'). Pods\n"
    "with missing series (20 at most) and --sample healthy ones are also scraped directly\n"
    "(kubectl mode: as in a cluster run; --match: the target's scrape URL) to tell 'on the\n"
    "sidecar but not in Prometheus' (HFI509) from 'missing everywhere', and to catch values\n"
    "ahead of the sidecar (HFI605). -v logs every API request with its status and time.\n"
    "\n"
    "Keys for --expect and --expect-delta: aborts, delays (the two counters), delay_count and\n"
    "delay_sum (the histogram's _count and _sum); operators: >= <= == > <. delay_sum is\n"
    "approximate in Envoy, so it takes no ==.\n"
    "\n"
    "Exit codes, the same under every -o: 0 all checks passed (warnings allowed), 1 a check\n"
    "failed, 2 the environment: a pod without sidecar, not running, denied or unreachable,\n"
    "kubectl missing, the cluster unreachable, no pod matching, requests without response,\n"
    "the local sidecar could not start or bind, or the Prometheus server unreachable, not a\n"
    "Prometheus, refusing the credentials or failing a query, 3 an input (scrape, plugin,\n"
    "policy, token, password or CA file) could not be read or parsed, 64 usage error,\n"
    "130 interrupted (Ctrl-C; every kubectl stopped first).\n"
    "With several sources the highest applicable code wins: 3, then 2, then 1, then 0. Every\n"
    "finding carries a hint code explained in docs/hints.md.\n";

ExitCode RunVerify(const GlobalOptions& global, const VerifyFlags& flags) {
  CheckVerifyFlags(flags);
  // Here, not in each collection: `serve` collects many times, and a signal recorded between two
  // runs must end it rather than be forgotten.
  ClearInterrupt();
  const verify::Report report = CollectReport(global, flags, MakeCheckOptions(flags));

  // The exit code is decided from the report, before and independently of the format.
  const ExitCode code = report.ExitStatus();
  switch (global.output) {
    case OutputFormat::kText:
      WriteOut(report::RenderText(report, UseColor(global.no_color, stdout)));
      break;
    case OutputFormat::kJson:
      WriteOut(report::RenderJson(report));
      break;
    case OutputFormat::kJunit:
      WriteOut(report::RenderJunit(report));
      break;
  }
  return code;
}

}  // namespace

Runner AddVerify(CLI::App& root, const GlobalOptions& global) {
  auto flags = std::make_shared<VerifyFlags>();
  CLI::App* cmd = root.add_subcommand(
      "verify",
      "Verify the three HFI metrics in a cluster's pods (through kubectl), in Prometheus "
      "(--prometheus), in saved /stats/prometheus scrapes or in the embedded sidecar (--local): "
      "names, types, histogram consistency, values and changes, with a hint code for every "
      "problem");
  AddVerifySourceFlags(cmd, *flags);
  cmd->footer(kFooter);
  return [&global, flags]() { return RunVerify(global, *flags); };
}

}  // namespace hfi

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
    "In a cluster (pod names, -l, or -A -l), each pod's sidecar is read through kubectl\n"
    "(--kubectl, --kubeconfig, --context), --concurrency pods at a time: kubectl port-forward to\n"
    "--port, GET /stats/prometheus, the checks below. A pod denied port-forward is read with\n"
    "'kubectl exec -c istio-proxy -- pilot-agent request GET stats/prometheus' unless --no-exec\n"
    "(HFI503 says so). When a metric is missing on the admin port 15000, /stats?filter=hfi and\n"
    "/config_dump tell whether the Wasm filter is loaded (HFI508), whether the bootstrap stats\n"
    "matcher drops the names (HFI505), and whether the pod's proxy.istio.io/config asks for a\n"
    "matcher only a restart applies (HFI506). --traffic scrapes every pod, sends --requests GETs\n"
    "to URL (--concurrency at a time), waits 5.5 s for the proxies' stats flush, scrapes again\n"
    "and checks the deltas: the sum over the pods of each counter's increase must equal the\n"
    "responses marked x-fault-injected (source 'traffic', HFI307/HFI308); --expect-delta applies\n"
    "to each pod.\n"
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
    "Keys for --expect and --expect-delta: aborts, delays (the two counters), delay_count and\n"
    "delay_sum (the histogram's _count and _sum); operators: >= <= == > <. delay_sum is\n"
    "approximate in Envoy, so it takes no ==.\n"
    "\n"
    "Exit codes, the same under every -o: 0 all checks passed (warnings allowed), 1 a check\n"
    "failed, 2 the environment: a pod without sidecar, not running, denied or unreachable,\n"
    "kubectl missing, the cluster unreachable, no pod matching, requests without response, or\n"
    "the local sidecar could not start or bind, 3 an input (scrape, plugin, policy) could not\n"
    "be read or parsed, 64 usage error, 130 interrupted (Ctrl-C; every kubectl stopped first).\n"
    "With several sources the highest applicable code wins: 3, then 2, then 1, then 0. Every\n"
    "finding carries a hint code explained in docs/hints.md.\n";

ExitCode RunVerify(const GlobalOptions& global, const VerifyFlags& flags) {
  CheckVerifyFlags(flags);
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
      "Verify the three HFI metrics in a cluster's pods (through kubectl), in saved "
      "/stats/prometheus scrapes or in the embedded sidecar (--local): names, types, histogram "
      "consistency, values and changes, with a hint code for every problem");
  AddVerifySourceFlags(cmd, *flags);
  cmd->footer(kFooter);
  return [&global, flags]() { return RunVerify(global, *flags); };
}

}  // namespace hfi

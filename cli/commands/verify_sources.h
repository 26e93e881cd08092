// Collects a verification report from the sources the flags name: saved scrapes, the embedded
// sidecar (--local), pods through kubectl, or a Prometheus server. `verify` renders the report
// once; `serve` collects one on every interval.
#pragma once

#include <chrono>
#include <vector>

#include "commands/commands.h"
#include "commands/verify_flags.h"
#include "kube/kubectl.h"
#include "kube/pods.h"
#include "verify/report.h"

namespace hfi {

// Flags must have passed CheckVerifyFlags. Throws hfi::Error for what ends the run as a whole
// (unreadable file, kubectl missing, no pod matching, Prometheus unreachable); a problem with one
// source is a finding in the report instead.
verify::Report CollectReport(const GlobalOptions& global, const VerifyFlags& flags,
                             const verify::CheckOptions& checks);

// The pods the flags name or select (-l, -n, -A), through `kubectl get pods`. Throws
// EnvironmentError when kubectl fails or nothing matches, naming the command to check it with.
std::vector<kube::Pod> ListSelectedPods(kube::Kubectl& kubectl, const VerifyFlags& flags,
                                        std::chrono::milliseconds timeout);

}  // namespace hfi

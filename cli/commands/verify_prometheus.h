// `verify --prometheus URL`: the expected pods (through kubectl) or targets (--match) checked in
// the Prometheus server's HTTP API, with a direct scrape of a sample to compare values.
#pragma once

#include "commands/commands.h"
#include "commands/verify_flags.h"
#include "verify/report.h"

namespace hfi {

// Flags must have passed CheckVerifyFlags and carry a --prometheus URL. Throws EnvironmentError
// when the server cannot be reached or is not a Prometheus, UsageError for unreadable credential
// files.
verify::Report RunPrometheus(const GlobalOptions& global, const VerifyFlags& flags,
                             const verify::CheckOptions& checks);

}  // namespace hfi

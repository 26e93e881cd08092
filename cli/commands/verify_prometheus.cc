#include "commands/verify_prometheus.h"

#include "util/errors.h"

namespace hfi {

verify::Report RunPrometheus(const GlobalOptions&, const VerifyFlags&,
                             const verify::CheckOptions&) {
  throw EnvironmentError("--prometheus", "not built yet");
}

}  // namespace hfi

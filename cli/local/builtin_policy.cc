#include "local/builtin_policy.h"

namespace hfi::local {

// The selector's "*" is the policy parser's wildcard (plugin/policy.cc), so the policy applies
// whatever node metadata WORKLOAD_NAME and NAMESPACE the sidecar is given.
const std::string_view kBuiltinPolicy = R"({
  "policies": [
    {
      "metadata": { "name": "hfi-local" },
      "spec": {
        "selector": { "service": "*", "namespace": "*" },
        "rules": [
          {
            "match": { "headers": [ { "name": "x-hfi-local", "exact": "abort" } ] },
            "fault": {
              "percentage": 100,
              "abort": { "httpStatus": 503, "body": "fault injected by hfi: hfi-local abort" }
            }
          },
          {
            "match": { "headers": [ { "name": "x-hfi-local", "exact": "delay" } ] },
            "fault": { "percentage": 100, "delay": { "fixed_delay_ms": 20 } }
          }
        ]
      }
    }
  ]
}
)";

}  // namespace hfi::local

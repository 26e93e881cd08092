// The plugin's per-request decision cost, natively: FaultDecider::Decide over a request view.
// Goals (DESIGN §3.1, hot path): a request that matches none of 10 rules < 100 ns, of 100 rules
// < 1 µs. The synthetic policy models a realistic mix: a path condition in each rule (exact,
// prefix or regex, in turn), the regex ones also with a method and a header condition; the request
// is an ordinary GET with a handful of headers that no rule selects.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <utility>

#include "plugin/fault_decider.h"
#include "plugin/map_request_view.h"
#include "plugin/policy.h"

namespace hfi::plugin {
namespace {

std::string RulesPolicy(int count) {
  std::string rules;
  for (int i = 0; i < count; ++i) {
    const std::string n = std::to_string(i);
    std::string match;
    switch (i % 3) {
      case 0:
        match = R"({"path":{"exact":"/api/v1/orders/)" + n + R"("}})";
        break;
      case 1:
        match = R"({"path":{"prefix":"/api/v2/items/)" + n + R"(/"}})";
        break;
      default:
        match =
            R"({"path":{"regex":"^/internal/)" + n +
            R"(/[a-z]+$"},"method":{"exact":"POST"},"headers":[{"name":"x-user-id","exact":"u)" +
            n + R"("}]})";
        break;
    }
    rules += (i == 0 ? "" : ",") + std::string(R"({"match":)") + match +
             R"(,"fault":{"percentage":50,"abort":{"httpStatus":503}}})";
  }
  return R"({"policies":[{"metadata":{"name":"bench"},"spec":{"rules":[)" + rules + "]}}]}";
}

void Install(FaultDecider* decider, const std::string& text) {
  Policy policy;
  std::string error;
  if (!ParsePolicy(text, &policy, &error)) {
    std::fprintf(stderr, "bad benchmark policy: %s\n", error.c_str());
    std::abort();
  }
  decider->SetPolicy(std::move(policy), 0);
}

const MapRequestView& OrdinaryRequest() {
  static const MapRequestView request("/api/v3/catalog/products?page=2", "GET",
                                      {{":authority", "frontend.demo.svc:8080"},
                                       {"user-agent", "Mozilla/5.0 (X11; Linux x86_64)"},
                                       {"accept", "application/json"},
                                       {"x-request-id", "6f1c2a9e-4d1b-4c2e-9a77-0b1f3e5d7c21"},
                                       {"x-user-id", "customer-42"}});
  return request;
}

void BM_NoMatch(benchmark::State& state) {
  FaultDecider decider;
  Install(&decider, RulesPolicy(static_cast<int>(state.range(0))));
  XorShiftRandom random(1);
  const MapRequestView& request = OrdinaryRequest();
  for (auto _ : state) {
    benchmark::DoNotOptimize(decider.Decide(request, 1, random));
  }
}
BENCHMARK(BM_NoMatch)->Arg(10)->Arg(100);

// Worst case for the same request: every rule is a lone path regex, so each one runs the regex
// engine over the whole path (nothing cheaper can rule it out first).
void BM_NoMatchRegexOnly(benchmark::State& state) {
  std::string rules;
  for (int i = 0; i < state.range(0); ++i) {
    rules += (i == 0 ? "" : ",") + std::string(R"({"match":{"path":{"regex":"^/internal/)") +
             std::to_string(i) +
             R"(/[a-z]+$"}},"fault":{"percentage":50,"abort":{"httpStatus":503}}})";
  }
  FaultDecider decider;
  Install(&decider,
          R"({"policies":[{"metadata":{"name":"re"},"spec":{"rules":[)" + rules + "]}}]}");
  XorShiftRandom random(1);
  const MapRequestView& request = OrdinaryRequest();
  for (auto _ : state) {
    benchmark::DoNotOptimize(decider.Decide(request, 1, random));
  }
}
BENCHMARK(BM_NoMatchRegexOnly)->Arg(10)->Arg(100);

// The first rule matches and its draw (percentage 100) injects an abort.
void BM_AbortDecision(benchmark::State& state) {
  FaultDecider decider;
  Install(&decider, R"({"policies":[{"metadata":{"name":"abort"},"spec":{"rules":[
      {"match":{"path":{"prefix":"/api/"},"headers":[{"name":"x-user-id","prefix":"customer-"}]},
       "fault":{"percentage":100,"abort":{"httpStatus":503}}}]}}]})");
  XorShiftRandom random(1);
  const MapRequestView& request = OrdinaryRequest();
  for (auto _ : state) {
    const ActiveRule* chosen = decider.Decide(request, 1, random);
    if (chosen == nullptr)
      state.SkipWithError("expected an abort decision");
    benchmark::DoNotOptimize(chosen);
  }
}
BENCHMARK(BM_AbortDecision);

}  // namespace
}  // namespace hfi::plugin

BENCHMARK_MAIN();

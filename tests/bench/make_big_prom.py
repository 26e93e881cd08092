#!/usr/bin/env python3
"""Write a synthetic Envoy-shaped Prometheus exposition of about the given size.

It has the shape tests/bench/prom_parse_bench.cc generates in-process: what
`/stats/prometheus` of a busy Istio sidecar returns (facts/envoy-istio.md section 2).
Counter families first, then gauges, then histograms; one `# TYPE` per family, no HELP, no
blank lines, `{}` for stats without tags; per upstream cluster eight stats whose tags stayed in
the name (tens of thousands of families) and two histograms with Envoy's 19 default bounds,
`+Inf`, a `%.32g` `_sum` and `_count`; Istio's `istio_requests_total` and
`istio_request_duration_milliseconds` with their ~20 standard labels; and the three HFI families
(`wasmcustom_hfi_faults_*`), consistent with each other, so that `hfi-metrics verify --file
big.prom` runs every check and passes.

Usage: make_big_prom.py OUTPUT [--size-mb 50] [--seed 12345]
Standard library only.
"""

import argparse
import random
import sys

BOUNDS = ["0.5", "1", "5", "10", "25", "50", "100", "250", "500", "1000", "2500", "5000",
          "10000", "30000", "60000", "300000", "600000", "1800000", "3600000"]
CLUSTER_COUNTERS = ["upstream_cx_total", "upstream_rq_total", "upstream_rq_2xx",
                    "upstream_rq_5xx", "upstream_cx_destroy", "upstream_rq_retry"]
CLUSTER_GAUGES = ["upstream_cx_active", "membership_healthy"]
CLUSTER_HISTOGRAMS = ["upstream_cx_length_ms", "upstream_rq_time"]
ISTIO_SERIES = 2000
ISTIO_HISTOGRAM_SERIES = 150
BYTES_PER_CLUSTER = 6300  # measured: the ten families of one cluster


def cluster(c):
    return "outbound_9080_v1_reviews%d_default_svc_cluster_local" % c


def istio_labels(s):
    n = str(s)
    return ('reporter="destination",source_workload="productpage-v1",'
            'source_canonical_service="productpage",source_canonical_revision="v1",'
            'source_workload_namespace="default",'
            'source_principal="spiffe://cluster.local/ns/default/sa/bookinfo-productpage",'
            'source_app="productpage",source_version="v1",source_cluster="Kubernetes",'
            'destination_workload="reviews-v' + n + '",destination_workload_namespace="default",'
            'destination_principal="spiffe://cluster.local/ns/default/sa/bookinfo-reviews",'
            'destination_app="reviews",destination_version="v' + n + '",'
            'destination_service="reviews.default.svc.cluster.local",'
            'destination_canonical_service="reviews",destination_canonical_revision="v' + n + '",'
            'destination_service_name="reviews",destination_service_namespace="default",'
            'destination_cluster="Kubernetes",request_protocol="http",'
            'response_code="' + str(200 + (s % 5) * 100) + '",grpc_response_status="",'
            'response_flags="-",connection_security_policy="mutual_tls"')


class Writer:
    def __init__(self, out, seed):
        self.out = out
        self.rng = random.Random(seed)

    def count(self):
        return str(self.rng.randrange(1000000))

    def total_sum(self):
        # Envoy prints sums with %.32g: up to 32 significant digits.
        return "%.32g" % (self.rng.randrange(100000000) / 7.0 + 0.000123456789)

    def histogram(self, name, labels, samples=None):
        """Random counts, or `samples` observations spread over the buckets when given."""
        sep = "," if labels else ""
        if samples is not None:
            slots = sorted(self.rng.randrange(len(BOUNDS)) for _ in range(samples))
        cumulative = 0
        lines = []
        for i, bound in enumerate(BOUNDS):
            if samples is None:
                cumulative += self.rng.randrange(50)
            else:
                cumulative = sum(1 for s in slots if s <= i)
            lines.append('%s_bucket{%s%sle="%s"} %d\n' % (name, labels, sep, bound, cumulative))
        lines.append('%s_bucket{%s%sle="+Inf"} %d\n' % (name, labels, sep, cumulative))
        lines.append("%s_sum{%s} %s\n" % (name, labels, self.total_sum()))
        lines.append("%s_count{%s} %d\n" % (name, labels, cumulative))
        self.out.write("".join(lines))

    def write(self, target_bytes):
        fixed = ISTIO_SERIES * 800 + ISTIO_HISTOGRAM_SERIES * 22 * 850
        clusters = max(1, (target_bytes - fixed) // BYTES_PER_CLUSTER)
        w = self.out.write
        w("# TYPE istio_requests_total counter\n")
        for s in range(ISTIO_SERIES):
            w("istio_requests_total{%s} %s\n" % (istio_labels(s), self.count()))
        w("# TYPE wasmcustom_hfi_faults_aborts_total counter\n")
        w("wasmcustom_hfi_faults_aborts_total{} 3\n")
        w("# TYPE wasmcustom_hfi_faults_delays_total counter\n")
        w("wasmcustom_hfi_faults_delays_total{} 7\n")
        for stat in CLUSTER_COUNTERS:
            for c in range(clusters):
                name = "envoy_cluster_%s_%s" % (cluster(c), stat)
                w("# TYPE %s counter\n%s{} %s\n" % (name, name, self.count()))
        for stat in CLUSTER_GAUGES:
            for c in range(clusters):
                name = "envoy_cluster_%s_%s" % (cluster(c), stat)
                w("# TYPE %s gauge\n%s{} %s\n" % (name, name, self.count()))
        w("# TYPE istio_request_duration_milliseconds histogram\n")
        for s in range(ISTIO_HISTOGRAM_SERIES):
            self.histogram("istio_request_duration_milliseconds", istio_labels(s))
        w("# TYPE wasmcustom_hfi_faults_delay_duration_milliseconds histogram\n")
        # As many observations as delays_total counts, so that `verify` finds nothing to report.
        self.histogram("wasmcustom_hfi_faults_delay_duration_milliseconds", "", samples=7)
        for stat in CLUSTER_HISTOGRAMS:
            for c in range(clusters):
                name = "envoy_cluster_%s_%s" % (cluster(c), stat)
                w("# TYPE %s histogram\n" % name)
                self.histogram(name, "")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("output", help="file to write ('-' for stdout)")
    parser.add_argument("--size-mb", type=float, default=50.0, help="approximate size (MiB)")
    parser.add_argument("--seed", type=int, default=12345, help="random seed (deterministic)")
    args = parser.parse_args()
    if args.size_mb <= 0:
        parser.error("--size-mb must be positive")
    target = int(args.size_mb * (1 << 20))
    try:
        if args.output == "-":
            Writer(sys.stdout, args.seed).write(target)
        else:
            with open(args.output, "w", encoding="ascii", newline="\n") as out:
                Writer(out, args.seed).write(target)
    except OSError as e:
        sys.exit("make_big_prom.py: %s: %s" % (args.output, e.strerror))


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Serves Envoy-shaped /stats/prometheus expositions on loopback, for the Prometheus rig and the
fleet benchmark (standard library only).

  exposition_server.py --file NAME=PATH ...   GET /NAME/stats/prometheus answers PATH's content
  exposition_server.py --fleet N              GET /pods/I/stats/prometheus (0 <= I < N) answers
                                              pod I's exposition: Envoy's own metrics and the
                                              three HFI metrics, values distinct per pod

Prints "listen http://127.0.0.1:PORT" on stdout once bound (--port 0 picks a free port), then
serves until SIGTERM or SIGINT. Any other path answers 404. The values of the fleet's pods do not
change, so a scrape through Prometheus and a direct one agree exactly.
"""

import argparse
import functools
import http.server
import signal
import socketserver
import sys

# Envoy's default histogram bucket bounds (ms), as the sidecar's admin endpoint prints them.
BOUNDS = ["0.5", "1", "5", "10", "25", "50", "100", "250", "500", "1000", "2500", "5000",
          "10000", "30000", "60000", "300000", "600000", "1800000", "3600000"]
DELAYS = "wasmcustom_hfi_faults_delay_duration_milliseconds"


@functools.lru_cache(maxsize=None)
def fleet_exposition(i):
    """Pod i's scrape: a few of Envoy's own series, then HFI's three in the admin output's shape."""
    aborts = i % 17
    delays = i % 13
    # Every delay is 20 ms or 120 ms: cumulative counts from le="25" and le="250".
    short, long_ = delays - delays // 3, delays // 3
    lines = [
        "# TYPE envoy_cluster_upstream_rq_total counter",
        'envoy_cluster_upstream_rq_total{cluster_name="inbound|8080||"} %d' % (100 + i),
        "# TYPE envoy_server_live gauge",
        "envoy_server_live{} 1",
        "# TYPE envoy_server_uptime gauge",
        "envoy_server_uptime{} %d" % (3600 + i),
        "# TYPE wasmcustom_hfi_faults_aborts_total counter",
        "wasmcustom_hfi_faults_aborts_total{} %d" % aborts,
        "# TYPE wasmcustom_hfi_faults_delays_total counter",
        "wasmcustom_hfi_faults_delays_total{} %d" % delays,
        "# TYPE %s histogram" % DELAYS,
    ]
    for le in BOUNDS:
        bound = float(le)
        count = (short if bound >= 25 else 0) + (long_ if bound >= 250 else 0)
        lines.append('%s_bucket{le="%s"} %d' % (DELAYS, le, count))
    lines.append('%s_bucket{le="+Inf"} %d' % (DELAYS, delays))
    lines.append("%s_sum{} %d" % (DELAYS, 20 * short + 120 * long_))
    lines.append("%s_count{} %d" % (DELAYS, delays))
    return ("\n".join(lines) + "\n").encode()


class Handler(http.server.BaseHTTPRequestHandler):
    files = {}
    fleet = 0

    def do_GET(self):
        body = self.lookup(self.path.split("?", 1)[0])
        if body is None:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/plain; version=0.0.4; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def lookup(self, path):
        parts = path.strip("/").split("/")
        if parts[-2:] != ["stats", "prometheus"]:
            return None
        if len(parts) == 3:
            return self.files.get(parts[0])
        if len(parts) == 4 and parts[0] == "pods" and parts[1].isdigit():
            i = int(parts[1])
            return fleet_exposition(i) if i < self.fleet else None
        return None

    def log_message(self, *args):
        pass


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    request_queue_size = 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", action="append", default=[], metavar="NAME=PATH")
    parser.add_argument("--fleet", type=int, default=0, metavar="N")
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    for spec in args.file:
        name, sep, path = spec.partition("=")
        if not sep or not name or "/" in name:
            parser.error("--file wants NAME=PATH, got '%s'" % spec)
        with open(path, "rb") as f:
            Handler.files[name] = f.read()
    Handler.fleet = args.fleet
    server = Server(("127.0.0.1", args.port), Handler)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print("listen http://127.0.0.1:%d" % server.server_address[1], flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()

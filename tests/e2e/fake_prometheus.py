#!/usr/bin/env python3
"""A stand-in for a Prometheus 2.x server's HTTP API, for the end-to-end tests of
`hfi-metrics verify --prometheus`: it answers /api/v1/status/buildinfo, /api/v1/query (instant
selectors such as `up{job="x"}` and `{__name__=~"re",ns=~"a|b"}`), /api/v1/series,
/api/v1/targets and /api/v1/metadata in the server's JSON shapes, from a scenario file, and serves
each target's scrape itself (its scrapeUrl points here).

Usage: fake_prometheus.py SCENARIO.json PORTFILE [CERT.pem KEY.pem]
Writes the port it listens on (127.0.0.1, a free one) to PORTFILE, then serves until killed;
with a certificate and key it serves HTTPS (as a Prometheus with web.config.yml tls_server_config).

Scenario: {"token": optional bearer token required on the API,
           "targets": [{"labels": {...target labels, job and instance included...},
                        "health": "up"|"down", "lastError": "...", "age": seconds since the last
                        scrape (-1: never), "scrape": "path of the exposition the sidecar serves"
                        (absent: the scrape URL answers 503), "stored": "path of the exposition
                        Prometheus keeps" (default: the scrape), "drop": [regexes of series names
                        Prometheus does not keep], "rename": {"from-regex": "to"}}]}
"""
import json
import re
import sys
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

SAMPLE = re.compile(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})?\s+(\S+)')
LABEL = re.compile(r'\s*([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"\s*,?')
MATCHER = re.compile(r'\s*([a-zA-Z_][a-zA-Z0-9_]*)\s*(=~|!~|!=|=)\s*"((?:[^"\\]|\\.)*)"\s*,?')


def parse_exposition(text):
    types, samples = {}, []
    for line in text.splitlines():
        if line.startswith('# TYPE '):
            _, _, name, kind = line.split(None, 3)
            types[name] = kind.strip()
            continue
        if not line.strip() or line.startswith('#'):
            continue
        m = SAMPLE.match(line)
        if not m:
            continue
        labels = {k: v for k, v in LABEL.findall(m.group(3) or '')}
        samples.append((m.group(1), labels, m.group(4)))
    return types, samples


def unescape(value):
    return value.replace('\\"', '"').replace('\\\\', '\\')


def parse_selector(text):
    """`name{a="b",c=~"d"}` -> list of (label, op, value); raises ValueError when malformed."""
    text = text.strip()
    m = re.match(r'^([a-zA-Z_:][a-zA-Z0-9_:]*)?\s*(\{(.*)\})?$', text, re.S)
    if not m or (m.group(1) is None and m.group(2) is None):
        raise ValueError('unexpected input %r' % text[:40])
    matchers = []
    if m.group(1):
        matchers.append(('__name__', '=', m.group(1)))
    inside = m.group(3) or ''
    pos = 0
    while pos < len(inside):
        mm = MATCHER.match(inside, pos)
        if not mm:
            raise ValueError('unexpected %r in label matching' % inside[pos:pos + 10])
        matchers.append((mm.group(1), mm.group(2), unescape(mm.group(3))))
        pos = mm.end()
    return matchers


def matches(labels, matchers):
    for name, op, value in matchers:
        have = labels.get(name, '')
        if op == '=' and have != value:
            return False
        if op == '!=' and have == value:
            return False
        if op == '=~' and not re.fullmatch(value, have):
            return False
        if op == '!~' and re.fullmatch(value, have):
            return False
    return True


def rfc3339(t):
    return time.strftime('%Y-%m-%dT%H:%M:%S', time.gmtime(t)) + ('.%03dZ' % int((t % 1) * 1000))


class Server:
    def __init__(self, scenario, port):
        self.scenario = scenario
        self.port = port

    def targets(self):
        return self.scenario['targets']

    def scrape_url(self, i):
        return 'http://127.0.0.1:%d/scrape/%d' % (self.port, i)

    def stored(self, target):
        path = target.get('stored', target.get('scrape'))
        if target.get('health', 'up') != 'up' or not path:
            return {}, []
        with open(path) as f:
            types, samples = parse_exposition(f.read())
        out = []
        for name, labels, value in samples:
            if any(re.fullmatch(d, name) for d in target.get('drop', [])):
                continue
            for pattern, to in target.get('rename', {}).items():
                name = re.sub('^' + pattern + '$', to, name)
            merged = dict(labels)
            merged.update(target['labels'])
            merged['__name__'] = name
            out.append((merged, value))
        return types, out

    def all_series(self):
        now = time.time()
        series = []
        for t in self.targets():
            up = dict(t['labels'])
            up['__name__'] = 'up'
            series.append((up, '1' if t.get('health', 'up') == 'up' else '0'))
            series.extend(self.stored(t)[1])
        return series, now

    def query(self, promql):
        matchers = parse_selector(promql)
        series, now = self.all_series()
        return {'resultType': 'vector',
                'result': [{'metric': l, 'value': [round(now, 3), v]}
                           for l, v in series if matches(l, matchers)]}

    def series(self, match):
        matchers = parse_selector(match)
        return [l for l, _ in self.all_series()[0] if matches(l, matchers)]

    def active_targets(self):
        now = time.time()
        out = []
        for i, t in enumerate(self.targets()):
            age = t.get('age', 3)
            out.append({
                'discoveredLabels': {'__address__': t['labels'].get('instance', ''),
                                     '__metrics_path__': '/stats/prometheus',
                                     '__scheme__': 'http', 'job': t['labels'].get('job', '')},
                'labels': t['labels'],
                'scrapePool': t['labels'].get('job', ''),
                'scrapeUrl': self.scrape_url(i),
                'globalUrl': self.scrape_url(i),
                'lastError': t.get('lastError', ''),
                'lastScrape': '0001-01-01T00:00:00Z' if age < 0 else rfc3339(now - age),
                'lastScrapeDuration': 0.0042,
                'health': t.get('health', 'up') if age >= 0 else 'unknown',
                'scrapeInterval': '15s',
                'scrapeTimeout': '10s'})
        return {'activeTargets': out, 'droppedTargets': []}

    def metadata(self, metric):
        out = {}
        for t in self.targets():
            for name, kind in self.stored(t)[0].items():
                if metric in ('', name):
                    out.setdefault(name, [{'type': kind, 'help': '', 'unit': ''}])
        return out


def make_handler(server):
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def send(self, status, body, kind='application/json'):
            data = body.encode()
            self.send_response(status)
            self.send_header('Content-Type', kind)
            self.send_header('Content-Length', str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def params(self):
            url = urllib.parse.urlparse(self.path)
            params = urllib.parse.parse_qs(url.query)
            if self.command == 'POST':
                length = int(self.headers.get('Content-Length', '0'))
                body = self.rfile.read(length).decode()
                for k, v in urllib.parse.parse_qs(body).items():
                    params.setdefault(k, []).extend(v)
            return url.path, params

        def handle_any(self):
            path, params = self.params()
            if path.startswith('/scrape/'):
                t = server.targets()[int(path.split('/')[2])]
                if not t.get('scrape'):
                    return self.send(503, 'no sidecar\n', 'text/plain')
                with open(t['scrape']) as f:
                    return self.send(200, f.read(), 'text/plain; version=0.0.4')
            token = server.scenario.get('token')
            if token and self.headers.get('Authorization') != 'Bearer ' + token:
                return self.send(401, 'Unauthorized\n', 'text/plain')
            try:
                if path == '/api/v1/status/buildinfo':
                    data = {'version': '2.42.0', 'revision': 'fake', 'branch': 'HEAD',
                            'buildUser': 'test', 'buildDate': '20230201-00:00:00',
                            'goVersion': 'go1.19'}
                elif path == '/api/v1/query':
                    data = server.query(params.get('query', [''])[0])
                elif path == '/api/v1/series':
                    data = []
                    for match in params.get('match[]', []):
                        data.extend(server.series(match))
                elif path == '/api/v1/targets':
                    data = server.active_targets()
                elif path == '/api/v1/metadata':
                    data = server.metadata(params.get('metric', [''])[0])
                else:
                    return self.send(404, '404 page not found\n', 'text/plain; charset=utf-8')
            except (ValueError, re.error) as e:
                return self.send(400, json.dumps({'status': 'error', 'errorType': 'bad_data',
                                                  'error': 'invalid parameter "query": %s' % e}))
            self.send(200, json.dumps({'status': 'success', 'data': data}))

        do_GET = handle_any
        do_POST = handle_any

    return Handler


def main():
    with open(sys.argv[1]) as f:
        scenario = json.load(f)
    httpd = ThreadingHTTPServer(('127.0.0.1', 0), None)
    server = Server(scenario, httpd.server_address[1])
    httpd.RequestHandlerClass = make_handler(server)
    if len(sys.argv) > 4:
        import ssl
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[3], sys.argv[4])
        httpd.socket = context.wrap_socket(httpd.socket, server_side=True)
    with open(sys.argv[2] + '.tmp', 'w') as f:
        f.write(str(httpd.server_address[1]))
    import os
    os.replace(sys.argv[2] + '.tmp', sys.argv[2])
    httpd.serve_forever()


if __name__ == '__main__':
    main()

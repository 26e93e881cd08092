#!/usr/bin/env python3
"""Assertions on a `verify -o json` report, for the Prometheus end-to-end tests.

  assert_report.py REPORT.json EXPECTATION...

Each EXPECTATION is one of
  sources=NAME,NAME,...     exactly these source names (any order)
  kind=KIND                 every source has this kind
  exit=N                    the report's exitCode
  NAME:exit=N               the source's exitCode
  NAME:has=CODE|CODE...     the source has a finding with one of these codes
  NAME:lacks=CODE,CODE...   the source has none of these codes
  NAME:clean                the source has no finding of severity error and no failed check
Prints one "FAIL: ..." line per unmet expectation (with the source's codes) and exits 1 if any.
"""

import json
import sys


def codes(source):
    return sorted({f["code"] for c in source.get("checks", []) for f in c.get("findings", [])})


def main():
    with open(sys.argv[1]) as f:
        report = json.load(f)
    sources = {s["name"]: s for s in report.get("sources", [])}
    failures = []

    def fail(msg):
        failures.append(msg)

    for exp in sys.argv[2:]:
        if exp.startswith("sources="):
            want = set(exp[len("sources="):].split(","))
            if set(sources) != want:
                fail("sources: expected %s, got %s" % (sorted(want), sorted(sources)))
            continue
        if exp.startswith("kind="):
            kind = exp[len("kind="):]
            other = {n: s.get("kind") for n, s in sources.items() if s.get("kind") != kind}
            if other:
                fail("kind: expected every source '%s', got %s" % (kind, other))
            continue
        if exp.startswith("exit="):
            if report.get("exitCode") != int(exp[5:]):
                fail("report exitCode: expected %s, got %s" % (exp[5:], report.get("exitCode")))
            continue
        name, _, what = exp.rpartition(":")
        source = sources.get(name)
        if source is None:
            fail("%s: no such source (sources: %s)" % (name, sorted(sources)))
            continue
        have = codes(source)
        if what.startswith("exit="):
            if source.get("exitCode") != int(what[5:]):
                fail("%s: expected exitCode %s, got %s (codes %s)"
                     % (name, what[5:], source.get("exitCode"), have))
        elif what.startswith("has="):
            alternatives = what[4:].split("|")
            if not any(c in have for c in alternatives):
                fail("%s: expected a finding %s, got %s" % (name, " or ".join(alternatives), have))
        elif what.startswith("lacks="):
            bad = [c for c in what[6:].split(",") if c in have]
            if bad:
                fail("%s: unexpected finding(s) %s (codes %s)" % (name, bad, have))
        elif what == "clean":
            failed = [c["id"] for c in source.get("checks", []) if c.get("status") == "fail"]
            errors = [f["code"] for c in source.get("checks", []) for f in c.get("findings", [])
                      if f.get("severity") == "error"]
            if failed or errors:
                fail("%s: expected clean, failed checks %s, error findings %s"
                     % (name, failed, errors))
        else:
            fail("bad expectation '%s'" % exp)
    for msg in failures:
        print("FAIL: " + msg, file=sys.stderr)
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()

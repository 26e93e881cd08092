# The fake kubectl (see kubectl and README.md beside this file): everything but the launcher.
import json
import os
import signal
import socket
import sys
import threading
import time

EXIT_ERROR = 1
SAFE_ALPHABET = "bcdfghjklmnpqrstvwxz2456789"  # what Kubernetes generates names and hashes from
CLIENT_VERSION = "v1.29.3"
SERVER_VERSION = "v1.29.2"
KUSTOMIZE_VERSION = "v5.0.4-0.20230601165947-6ce0bf390ce3"
DEFAULT_PROXY_IMAGE = "docker.io/istio/proxyv2:1.24.2"
DEFAULT_APP_IMAGE = "docker.io/library/nginx:1.27"
CLIENT_SIDE_MANAGER = "kubectl-client-side-apply"


class Fail(Exception):
    """kubectl prints `message` on stderr and exits with `code`."""

    def __init__(self, message, code=EXIT_ERROR):
        super().__init__(message)
        self.message = message
        self.code = code


# --- output ---------------------------------------------------------------------------------------

_out_lock = threading.Lock()


def _die_of_sigpipe():
    # Go programs die of SIGPIPE when fd 1 or 2 is a closed pipe; Python would raise instead.
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)
    os.kill(os.getpid(), signal.SIGPIPE)
    os._exit(141)


def out(text, end="\n"):
    with _out_lock:
        try:
            sys.stdout.write(text + end)
            sys.stdout.flush()
        except BrokenPipeError:
            _die_of_sigpipe()


def err(text):
    with _out_lock:
        try:
            sys.stderr.write(text + "\n")
            sys.stderr.flush()
        except BrokenPipeError:
            _die_of_sigpipe()


def go_json(obj, indent):
    # encoding/json: object keys of unstructured objects in sorted order, non-ASCII as is, and
    # <, >, & escaped (they can only occur inside strings here).
    text = json.dumps(obj, indent=indent, sort_keys=True, ensure_ascii=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def klog_prefix(severity, source):
    now = time.time()
    t = time.gmtime(now)
    micros = int((now % 1) * 1e6)
    return "%s%02d%02d %02d:%02d:%02d.%06d %7d %s]" % (
        severity, t.tm_mon, t.tm_mday, t.tm_hour, t.tm_min, t.tm_sec, micros, os.getpid(), source)


def rfc3339(epoch):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(epoch)))


def parse_rfc3339(text):
    import calendar
    return calendar.timegm(time.strptime(text.rstrip("Z")[:19], "%Y-%m-%dT%H:%M:%S"))


def go_duration(text):
    """Seconds in a Go duration ("30s", "1m30s", "500ms", "0"); None when it is not one."""
    import re
    text = text.strip()
    if text in ("0", ""):
        return 0.0
    if re.fullmatch(r"\d+", text):  # kubectl reads a bare number as seconds for --timeout
        return float(text)
    units = {"ns": 1e-9, "us": 1e-6, "µs": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0, "h": 3600.0}
    parts = re.findall(r"(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h)", text)
    if not parts or "".join(n + u for n, u in parts) != text:
        return None
    return sum(float(n) * units[u] for n, u in parts)


def stable_hash(text, length):
    import hashlib
    digest = hashlib.sha256(text.encode()).digest()
    return "".join(SAFE_ALPHABET[b % len(SAFE_ALPHABET)] for b in digest[:length])


def stable_uid(text):
    import uuid
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "fake-kubectl:" + text))


def hex_id(text, length=64):
    import hashlib
    return hashlib.sha256(text.encode()).hexdigest()[:length]


# --- command line -------------------------------------------------------------------------------

VALUE_FLAGS = {
    "--kubeconfig", "--context", "--cluster", "--user", "--request-timeout", "--server", "--token",
    "--as", "--namespace", "--selector", "--field-selector", "--output", "--container",
    "--filename", "--field-manager", "--timeout", "--address", "--pod-running-timeout",
    "--subresource", "--template", "--sort-by", "--chunk-size", "--grace-period", "--cascade",
}
OPTIONAL_VALUE_FLAGS = {"--dry-run": "unchanged", "--validate": "true"}
BOOL_FLAGS = {
    "--all-namespaces", "--server-side", "--force-conflicts", "--client", "--stdin", "--tty",
    "--quiet", "--overwrite", "--recursive", "--watch", "--no-headers", "--show-labels",
    "--ignore-not-found", "--force", "--insecure-skip-tls-verify", "--short", "--list",
    "--show-managed-fields", "--prune", "--help", "--all", "--wait",
}
SHORTHANDS = {
    "n": "--namespace", "l": "--selector", "o": "--output", "c": "--container", "f": "--filename",
    "A": "--all-namespaces", "i": "--stdin", "t": "--tty", "q": "--quiet", "R": "--recursive",
    "w": "--watch", "s": "--server", "h": "--help",
}
REPEATABLE = {"--filename", "--address"}


class Args:
    def __init__(self):
        self.flags = {}
        self.positionals = []
        self.command = []  # after "--"

    def get(self, name, default=None):
        return self.flags.get(name, default)

    def has(self, name):
        value = self.flags.get(name)
        return value is not None and value not in ("false", False)


def _set_flag(args, name, value):
    if name in REPEATABLE:
        args.flags.setdefault(name, []).append(value)
    else:
        args.flags[name] = value


def parse_args(argv):
    """pflag's grammar: --name=value, --name value, -n value, -nvalue, -n=value, -it, `--`."""
    args = Args()
    i = 0
    while i < len(argv):
        a = argv[i]
        i += 1
        if a == "--":
            args.command = argv[i:]
            break
        if a.startswith("--"):
            name, eq, value = a.partition("=")
            if name in VALUE_FLAGS:
                if not eq:
                    if i >= len(argv):
                        raise Fail("error: flag needs an argument: %s" % name)
                    value = argv[i]
                    i += 1
                _set_flag(args, name, value)
            elif name in OPTIONAL_VALUE_FLAGS:
                _set_flag(args, name, value if eq else OPTIONAL_VALUE_FLAGS[name])
            elif name in BOOL_FLAGS:
                if eq and value not in ("true", "false", "1", "0"):
                    raise Fail('error: invalid argument "%s" for "%s" flag: strconv.ParseBool: '
                               'parsing "%s": invalid syntax' % (value, name, value))
                _set_flag(args, name, "false" if value in ("false", "0") else "true")
            else:
                raise Fail("error: unknown flag: %s" % name)
        elif a.startswith("-") and len(a) > 1:
            chars = a[1:]
            j = 0
            while j < len(chars):
                c = chars[j]
                long = SHORTHANDS.get(c)
                if long is None:
                    raise Fail("error: unknown shorthand flag: '%s' in %s" % (c, a))
                if long in VALUE_FLAGS:
                    value = chars[j + 1:]
                    if value.startswith("="):
                        value = value[1:]
                    if not value:
                        if i >= len(argv):
                            raise Fail("error: flag needs an argument: '%s' in -%s" % (c, c))
                        value = argv[i]
                        i += 1
                    _set_flag(args, long, value)
                    break
                _set_flag(args, long, "true")
                j += 1
        else:
            args.positionals.append(a)
    return args


# --- a small YAML reader (what kubectl's go-yaml v2 reads: YAML 1.1 scalars) ----------------------

class YamlError(Exception):
    pass


_YAML_BOOLS = {
    "y": True, "Y": True, "yes": True, "Yes": True, "YES": True, "true": True, "True": True,
    "TRUE": True, "on": True, "On": True, "ON": True, "n": False, "N": False, "no": False,
    "No": False, "NO": False, "false": False, "False": False, "FALSE": False, "off": False,
    "Off": False, "OFF": False,
}


def yaml_plain_scalar(text):
    import re
    if text in ("", "~", "null", "Null", "NULL"):
        return None
    if text in _YAML_BOOLS:
        return _YAML_BOOLS[text]
    plain = text.replace("_", "")
    if re.fullmatch(r"[-+]?(0|[1-9][0-9]*)", plain):
        return int(plain)
    if re.fullmatch(r"[-+]?0x[0-9a-fA-F]+", plain):
        return int(plain, 16)
    if re.fullmatch(r"[-+]?0[0-7]+", plain):
        return int(plain, 8)
    if re.fullmatch(r"[-+]?0b[01]+", plain):
        return int(plain.replace("0b", ""), 2)
    if re.fullmatch(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?", plain):
        return float(plain)
    if re.fullmatch(r"[-+]?\.(inf|Inf|INF)", text):
        return float("-inf") if text.startswith("-") else float("inf")
    if text in (".nan", ".NaN", ".NAN"):
        return float("nan")
    return text


def _strip_comment(text):
    # A comment starts at " #" outside quotes.
    quote = None
    for k, ch in enumerate(text):
        if quote:
            if ch == quote:
                quote = None
        elif ch in ("'", '"') and (k == 0 or text[k - 1] in " \t[{,:"):
            quote = ch
        elif ch == "#" and (k == 0 or text[k - 1] in " \t"):
            return text[:k].rstrip()
    return text.rstrip()


def _double_quoted(body):
    out_chars = []
    k = 0
    escapes = {"n": "\n", "t": "\t", "r": "\r", "0": "\0", '"': '"', "\\": "\\", "/": "/",
               " ": " ", "a": "\a", "b": "\b", "e": "\x1b", "f": "\f", "v": "\v"}
    while k < len(body):
        ch = body[k]
        if ch == "\\" and k + 1 < len(body):
            nxt = body[k + 1]
            if nxt in escapes:
                out_chars.append(escapes[nxt])
                k += 2
                continue
            size = {"x": 2, "u": 4, "U": 8}.get(nxt)
            if size:
                out_chars.append(chr(int(body[k + 2:k + 2 + size], 16)))
                k += 2 + size
                continue
        out_chars.append(ch)
        k += 1
    return "".join(out_chars)


def yaml_scalar(text):
    text = text.strip()
    if text.startswith("!!str "):
        return text[6:].strip().strip("'\"")
    if text.startswith('"') and text.endswith('"') and len(text) >= 2:
        return _double_quoted(text[1:-1])
    if text.startswith("'") and text.endswith("'") and len(text) >= 2:
        return text[1:-1].replace("''", "'")
    if text.startswith("[") or text.startswith("{"):
        value, rest = _flow(text, 0)
        if text[rest:].strip():
            raise YamlError("unexpected text after a flow collection: %r" % text)
        return value
    return yaml_plain_scalar(text)


def _flow(text, k):
    """Parses a flow collection or scalar starting at text[k]; returns (value, next index)."""
    while k < len(text) and text[k] in " \t":
        k += 1
    if k < len(text) and text[k] in "[{":
        closing = "]" if text[k] == "[" else "}"
        is_map = text[k] == "{"
        k += 1
        items = {} if is_map else []
        while True:
            while k < len(text) and text[k] in " \t,":
                k += 1
            if k >= len(text):
                raise YamlError("unterminated flow collection")
            if text[k] == closing:
                return items, k + 1
            if is_map:
                key, k = _flow_scalar(text, k, ":")
                if k < len(text) and text[k] == ":":
                    k += 1
                value, k = _flow(text, k)
                items[str(key)] = value
            else:
                value, k = _flow(text, k)
                items.append(value)
    return _flow_scalar(text, k, ",]}")


def _flow_scalar(text, k, stops):
    while k < len(text) and text[k] in " \t":
        k += 1
    if k < len(text) and text[k] in "\"'":
        q = text[k]
        j = k + 1
        while j < len(text):
            if text[j] == "\\" and q == '"':
                j += 2
                continue
            if text[j] == q:
                if q == "'" and j + 1 < len(text) and text[j + 1] == "'":
                    j += 2
                    continue
                break
            j += 1
        return yaml_scalar(text[k:j + 1]), j + 1
    j = k
    while j < len(text):
        ch = text[j]
        if ch in ",]}":
            break
        if stops == ":" and ch == ":" and (j + 1 == len(text) or text[j + 1] in " ,]}"):
            break
        j += 1
    return yaml_plain_scalar(text[k:j].strip()), j


class _YamlDoc:
    def __init__(self, lines):
        self.lines = lines  # raw lines (without newline)

    @staticmethod
    def indent_of(line):
        return len(line) - len(line.lstrip(" "))

    def next_content(self, i):
        while i < len(self.lines):
            stripped = self.lines[i].strip()
            if stripped and not stripped.startswith("#"):
                return i
            i += 1
        return i

    def parse(self):
        i = self.next_content(0)
        if i >= len(self.lines):
            return None
        value, i = self.node(i, self.indent_of(self.lines[i]))
        i = self.next_content(i)
        if i < len(self.lines):
            raise YamlError("line %d: unexpected content: %s" % (i + 1, self.lines[i].strip()))
        return value

    @staticmethod
    def split_key(content):
        """(key, rest) when content is `key: ...` or `key:`; else None."""
        if content.startswith(('"', "'")):
            q = content[0]
            j = 1
            while j < len(content):
                if content[j] == "\\" and q == '"':
                    j += 2
                    continue
                if content[j] == q:
                    break
                j += 1
            after = content[j + 1:]
            if after.startswith(":") and (len(after) == 1 or after[1] in " \t"):
                return yaml_scalar(content[:j + 1]), after[1:]
            return None
        if content.startswith(("[", "{", "- ")) or content == "-":
            return None
        k = 0
        while True:
            k = content.find(":", k)
            if k < 0:
                return None
            if k + 1 == len(content) or content[k + 1] in " \t":
                return content[:k].strip(), content[k + 1:]
            k += 1

    def node(self, i, indent):
        line = self.lines[i]
        content = _strip_comment(line.strip())
        if content == "-" or content.startswith("- "):
            return self.sequence(i, indent)
        if self.split_key(content) is not None:
            return self.mapping(i, indent)
        # A scalar on its own line (possibly continued on more-indented lines).
        text, i = self.continued(content, i + 1, indent - 1)
        return yaml_scalar(text), i

    def continued(self, first, i, parent_indent):
        """A scalar that may go on over more-indented lines: folded, blank lines as newlines."""
        text = first
        while i < len(self.lines):
            line = self.lines[i]
            if not line.strip():
                j = self.next_content(i)
                if j >= len(self.lines) or self.indent_of(self.lines[j]) <= parent_indent:
                    break
                text += "\n" * (j - i)
                i = j
                continue
            if self.indent_of(line) <= parent_indent or line.strip().startswith("#"):
                break
            piece = _strip_comment(line.strip())
            text += piece if text.endswith("\n") else " " + piece
            i += 1
        return text, i

    def block_scalar(self, header, i, parent_indent):
        style = header[0]
        chomp = "clip"
        explicit = None
        for ch in header[1:]:
            if ch == "-":
                chomp = "strip"
            elif ch == "+":
                chomp = "keep"
            elif ch.isdigit():
                explicit = int(ch)
        body = []
        block_indent = parent_indent + explicit if explicit else None
        while i < len(self.lines):
            line = self.lines[i]
            if not line.strip():
                body.append("")
                i += 1
                continue
            ind = self.indent_of(line)
            if block_indent is None:
                if ind <= parent_indent:
                    break
                block_indent = ind
            if ind < block_indent:
                break
            body.append(line[block_indent:])
            i += 1
        # Trailing blank lines belong to the chomping, not the content.
        trailing = 0
        while body and body[-1] == "":
            body.pop()
            trailing += 1
        if style == "|":
            text = "\n".join(body)
        else:
            folded = []
            for k, line in enumerate(body):
                if k == 0:
                    folded.append(line)
                elif line == "" or line.startswith((" ", "\t")) or body[k - 1] == "" \
                        or body[k - 1].startswith((" ", "\t")):
                    folded.append("\n" + line)
                else:
                    folded.append(" " + line)
            text = "".join(folded)
        if chomp == "strip" or not body:
            return text, i
        if chomp == "keep":
            return text + "\n" * (trailing + 1), i
        return text + "\n", i

    def value_after_key(self, rest, i, indent):
        """The value of `key: rest` whose line was i-1 at `indent`."""
        rest = rest.strip()
        if rest.startswith(("&", "!")) and " " not in rest:
            rest = ""  # an anchor or a tag alone: the value is the block below
        if rest.startswith(("|", ">")) and _strip_comment(rest) and \
                all(ch in "|>-+0123456789" for ch in _strip_comment(rest)):
            return self.block_scalar(_strip_comment(rest), i, indent)
        content = _strip_comment(rest)
        if content:
            if content.startswith(('"', "'")) and not (
                    len(content) > 1 and content.endswith(content[0])):
                text, i = self.continued(content, i, indent)
                return yaml_scalar(text), i
            if content.startswith(("[", "{")):
                text, i = self.continued(content, i, indent)
                return yaml_scalar(text), i
            text, i = self.continued(content, i, indent)
            return yaml_scalar(text), i
        j = self.next_content(i)
        if j >= len(self.lines):
            return None, j
        child = self.lines[j]
        child_indent = self.indent_of(child)
        child_content = child.strip()
        if child_indent > indent:
            return self.node(j, child_indent)
        if child_indent == indent and (child_content == "-" or child_content.startswith("- ")):
            return self.sequence(j, indent)
        return None, i

    def mapping(self, i, indent):
        result = {}
        while True:
            i = self.next_content(i)
            if i >= len(self.lines):
                return result, i
            line = self.lines[i]
            ind = self.indent_of(line)
            if ind < indent:
                return result, i
            if ind > indent:
                raise YamlError("line %d: bad indentation of a mapping entry" % (i + 1))
            content = _strip_comment(line.strip())
            kv = self.split_key(content)
            if kv is None:
                if content == "-" or content.startswith("- "):
                    return result, i
                raise YamlError("line %d: could not find expected ':'" % (i + 1))
            key, rest = kv
            if key == "<<":
                raise YamlError("line %d: merge keys are not supported" % (i + 1))
            value, i = self.value_after_key(rest, i + 1, indent)
            result[str(key) if not isinstance(key, str) else key] = value

    def sequence(self, i, indent):
        result = []
        while True:
            i = self.next_content(i)
            if i >= len(self.lines):
                return result, i
            line = self.lines[i]
            ind = self.indent_of(line)
            content = line.strip()
            if ind != indent or not (content == "-" or content.startswith("- ")):
                if ind > indent:
                    raise YamlError("line %d: bad indentation of a sequence entry" % (i + 1))
                return result, i
            after = line[ind + 1:]
            if not after.strip() or after.strip().startswith("#"):
                j = self.next_content(i + 1)
                if j < len(self.lines) and self.indent_of(self.lines[j]) > indent:
                    value, i = self.node(j, self.indent_of(self.lines[j]))
                else:
                    value, i = None, i + 1
                result.append(value)
                continue
            # "- key: v" and "- - x": the item's content continues at its own column; parse it in
            # place as if the dash were a space.
            item_indent = ind + 1 + (len(after) - len(after.lstrip(" ")))
            self.lines[i] = " " * item_indent + after.lstrip(" ")
            value, i = self.node(i, item_indent)
            result.append(value)


def yaml_load_all(text):
    docs = []
    current = []
    for raw in text.replace("\r\n", "\n").split("\n"):
        if raw.rstrip() == "---" or raw.startswith("--- "):
            docs.append(current)
            current = [] if raw.rstrip() == "---" else [raw[4:]]
            continue
        if raw.rstrip() == "...":
            docs.append(current)
            current = []
            continue
        if raw.startswith("%"):
            continue
        if "\t" in raw[:len(raw) - len(raw.lstrip(" \t"))]:
            raise YamlError("found a tab character where an indentation space is expected")
        current.append(raw)
    docs.append(current)
    return [d for d in (_YamlDoc(lines).parse() for lines in docs) if d is not None]


# --- a small YAML writer (for -o yaml and diff, shaped like sigs.k8s.io/yaml) --------------------

def _yaml_needs_quotes(s):
    import re
    if s == "" or s != s.strip() or "\n" in s:
        return True
    if re.match(r"\d{4}-\d\d?-\d\d?([Tt ]|$)", s):  # go-yaml resolves these as timestamps
        return True
    if yaml_plain_scalar(s) is not None and not isinstance(yaml_plain_scalar(s), str):
        return True
    if s in ("~", "null", "Null", "NULL"):
        return True
    if s[0] in "-?:,[]{}#&*!|>'\"%@`" or ": " in s or " #" in s or s.endswith(":"):
        return True
    return False


def _yaml_scalar_text(v):
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return repr(v) if v == v and v not in (float("inf"), float("-inf")) else (
            ".nan" if v != v else (".inf" if v > 0 else "-.inf"))
    if _yaml_needs_quotes(v):
        # go-yaml v2 writes a string that needs quoting in double quotes.
        return json.dumps(v, ensure_ascii=False)
    return v


def yaml_dump(value, indent=0):
    lines = []
    pad = " " * indent

    def block(s, key_prefix):
        chomp = "" if s.endswith("\n") else "-"
        body = s[:-1] if s.endswith("\n") else s
        lines.append(key_prefix + "|" + chomp)
        for ln in body.split("\n"):
            lines.append((pad + "  " + ln) if ln else "")

    if isinstance(value, dict):
        if not value:
            return [pad + "{}"]
        for k in sorted(value):
            v = value[k]
            key = _yaml_scalar_text(k)
            if isinstance(v, dict) and v:
                lines.append(pad + key + ":")
                lines.extend(yaml_dump(v, indent + 2))
            elif isinstance(v, list) and v:
                lines.append(pad + key + ":")
                lines.extend(yaml_dump(v, indent))
            elif isinstance(v, dict):
                lines.append(pad + key + ": {}")
            elif isinstance(v, list):
                lines.append(pad + key + ": []")
            elif isinstance(v, str) and "\n" in v and v.strip():
                block(v, pad + key + ": ")
            else:
                lines.append(pad + key + ": " + _yaml_scalar_text(v))
        return lines
    if isinstance(value, list):
        for v in value:
            if isinstance(v, (dict, list)) and v:
                inner = yaml_dump(v, indent + 2)
                lines.append(pad + "- " + inner[0][indent + 2:])
                lines.extend(inner[1:])
            else:
                lines.append(pad + "- " + (_yaml_scalar_text(v) if not isinstance(v, (dict, list))
                                           else ("{}" if isinstance(v, dict) else "[]")))
        return lines
    return [pad + _yaml_scalar_text(value)]


# --- the world: scenario + state ----------------------------------------------------------------

# kind: (group, version, plural, namespaced, istio CRD)
KINDS = {
    "Pod": ("", "v1", "pods", True, False),
    "Deployment": ("apps", "v1", "deployments", True, False),
    "StatefulSet": ("apps", "v1", "statefulsets", True, False),
    "DaemonSet": ("apps", "v1", "daemonsets", True, False),
    "ReplicaSet": ("apps", "v1", "replicasets", True, False),
    "ConfigMap": ("", "v1", "configmaps", True, False),
    "Secret": ("", "v1", "secrets", True, False),
    "Service": ("", "v1", "services", True, False),
    "ServiceAccount": ("", "v1", "serviceaccounts", True, False),
    "Namespace": ("", "v1", "namespaces", False, False),
    "Role": ("rbac.authorization.k8s.io", "v1", "roles", True, False),
    "RoleBinding": ("rbac.authorization.k8s.io", "v1", "rolebindings", True, False),
    "WasmPlugin": ("extensions.istio.io", "v1alpha1", "wasmplugins", True, True),
    "EnvoyFilter": ("networking.istio.io", "v1alpha3", "envoyfilters", True, True),
    "Sidecar": ("networking.istio.io", "v1", "sidecars", True, True),
    "Telemetry": ("telemetry.istio.io", "v1", "telemetries", True, True),
}
SHORT_NAMES = {
    "po": "Pod", "deploy": "Deployment", "sts": "StatefulSet", "ds": "DaemonSet",
    "rs": "ReplicaSet", "cm": "ConfigMap", "svc": "Service", "sa": "ServiceAccount",
    "ns": "Namespace",
}
WORKLOAD_KINDS = ("Deployment", "StatefulSet", "DaemonSet")


def resolve_kind(word, world):
    """A resource word as kubectl accepts it (pods, pod, po, deployments.apps, ...) → kind."""
    word_l = word.lower()
    base, _, group = word_l.partition(".")
    candidates = []
    if base in SHORT_NAMES and not group:
        candidates.append(SHORT_NAMES[base])
    for kind, (g, _v, plural, _ns, crd) in KINDS.items():
        if base in (plural, kind.lower()) and (not group or group == g):
            candidates.append(kind)
    for kind in candidates:
        if KINDS[kind][4] and not world.istio_crds:
            continue
        return kind
    raise Fail('error: the server doesn\'t have a resource type "%s"' % word)


def resource_name(kind):
    """How messages name a resource: pods, deployments.apps, wasmplugins.extensions.istio.io."""
    group, _v, plural, _n, _c = KINDS[kind]
    return plural + ("." + group if group else "")


def display_kind(kind):
    """How apply/restart name an object: configmap, deployment.apps, wasmplugin.extensions..."""
    group = KINDS[kind][0]
    return kind.lower() + ("." + group if group else "")


def api_version(kind):
    group, version = KINDS[kind][0], KINDS[kind][1]
    return group + "/" + version if group else version


class Pod:
    pass


class Workload:
    pass


class World:
    def __init__(self, scenario_path):
        try:
            with open(scenario_path) as f:
                self.scenario = json.load(f)
        except OSError as e:
            raise Fail("error: FAKE_KUBECTL_SCENARIO: %s: %s" % (scenario_path, e.strerror))
        except ValueError as e:
            raise Fail("error: FAKE_KUBECTL_SCENARIO: %s: not JSON: %s" % (scenario_path, e))
        sc = self.scenario
        self.base_time = os.stat(scenario_path).st_mtime
        self.user = sc.get("user", "alice")
        self.server = sc.get("server", "127.0.0.1:6443")
        self.default_namespace = sc.get("namespace", "default")
        self.istio_crds = sc.get("istio_crds", True)
        self.deny = [self._deny_entry(d) for d in sc.get("deny", [])]
        self.state_dir = os.environ.get("FAKE_KUBECTL_STATE") or None
        self.state = {"objects": {}, "workloads": {}, "pods": {}, "resource_version": 1000}
        self._lock_file = None
        self._read_state()
        self._build()

    # state: one JSON file, read-modify-written under an flock so parallel calls stay consistent
    def _state_file(self):
        return os.path.join(self.state_dir, "state.json") if self.state_dir else None

    def _read_state(self):
        path = self._state_file()
        if path and os.path.exists(path):
            with open(path) as f:
                self.state = json.load(f)

    def lock(self):
        if not self.state_dir:
            return
        import fcntl
        os.makedirs(self.state_dir, exist_ok=True)
        self._lock_file = open(os.path.join(self.state_dir, "lock"), "w")
        fcntl.flock(self._lock_file, fcntl.LOCK_EX)
        self._read_state()
        self._build()

    def save(self):
        if not self.state_dir:
            return
        path = self._state_file()
        tmp = path + ".%d" % os.getpid()
        with open(tmp, "w") as f:
            json.dump(self.state, f, indent=1, sort_keys=True)
        os.replace(tmp, path)

    def next_resource_version(self):
        self.state["resource_version"] = self.state.get("resource_version", 1000) + 1
        return str(self.state["resource_version"])

    @staticmethod
    def _deny_entry(d):
        if isinstance(d, str):
            parts = d.split()
            if len(parts) not in (2, 3):
                raise Fail("error: FAKE_KUBECTL_SCENARIO: deny entry %r: want 'VERB RESOURCE "
                           "[NAMESPACE]'" % d)
            return {"verb": parts[0], "resource": parts[1],
                    "namespace": parts[2] if len(parts) == 3 else None}
        return {"verb": d["verb"], "resource": d["resource"], "namespace": d.get("namespace")}

    def allowed(self, verb, resource, namespace):
        """RBAC as the scenario's deny list says; `resource` like pods, pods/exec, deployments."""
        base_res = resource.split(".")[0] if "/" not in resource else resource
        for d in self.deny:
            res = d["resource"].split(".")[0] if "/" not in d["resource"] else d["resource"]
            if d["verb"] not in ("*", verb) or res not in ("*", base_res):
                continue
            if d["namespace"] not in (None, namespace):
                continue
            return False
        return True

    def forbidden(self, verb, kind_or_resource, namespace, name=None, subresource=None):
        if kind_or_resource in KINDS:
            group, plural = KINDS[kind_or_resource][0], KINDS[kind_or_resource][2]
        else:
            group, plural = "", kind_or_resource
        resource = plural + ("/" + subresource if subresource else "")
        what = (plural + ("." + group if group else ""))
        subject = '%s "%s"' % (what, name) if name else what
        where = ('in the namespace "%s"' % namespace) if namespace else "at the cluster scope"
        return '%s is forbidden: User "%s" cannot %s resource "%s" in API group "%s" %s' % (
            subject, self.user, verb, resource, group, where)

    def check(self, verb, kind, namespace, name=None, subresource=None):
        plural = KINDS[kind][2] if kind in KINDS else kind
        res = plural + ("/" + subresource if subresource else "")
        if not self.allowed(verb, res, namespace):
            raise Fail("Error from server (Forbidden): " +
                       self.forbidden(verb, kind, namespace, name, subresource))

    def namespaces(self):
        names = {"default", "kube-system", "kube-public", "kube-node-lease", "istio-system"}
        names.update(self.scenario.get("namespaces", []))
        names.update(p.namespace for p in self.pods)
        names.update(w.namespace for w in self.workloads.values())
        for entry in self.state.get("objects", {}).values():
            obj = entry["object"]
            if obj.get("kind") == "Namespace":
                names.add(obj["metadata"]["name"])
            elif obj["metadata"].get("namespace"):
                names.add(obj["metadata"]["namespace"])
        return names

    # the model
    def _build(self):
        sc = self.scenario
        self.workloads = {}
        for d in sc.get("deployments", []):
            self._add_workload(d.get("kind", "Deployment"), d.get("namespace", "default"),
                               d["name"], d)
        istiod = sc.get("istiod_image")
        pods_spec = list(sc.get("pods", []))
        if istiod:
            self._add_workload("Deployment", "istio-system", "istiod", {
                "labels": {"app": "istiod", "istio": "pilot"}, "image": istiod,
                "container": "discovery"})
            pods_spec.append({"namespace": "istio-system", "deployment": "istiod",
                              "labels": {"app": "istiod", "istio": "pilot"}, "sidecar": None,
                              "forward": "ok", "ports": {}})
        defaults = sc.get("defaults", {})
        self.pods = []
        seen = set()
        for index, spec in enumerate(pods_spec):
            merged = dict(defaults)
            merged.update(spec)
            count = int(merged.get("count", 1))
            for copy in range(count):
                pod = self._make_pod(merged, index, copy, count)
                key = (pod.namespace, pod.name)
                if key in seen:
                    raise Fail("error: FAKE_KUBECTL_SCENARIO: pod %s/%s listed twice" % key)
                seen.add(key)
                self.pods.append(pod)
        for w in self.workloads.values():
            if w.replicas is None:
                w.replicas = sum(1 for p in self.pods if p.owner is w)
        for key, entry in self.state.get("workloads", {}).items():
            w = self.workloads.get(key)
            if w is None:
                kind, ns, name = key.split("/", 2)
                w = self._add_workload(kind, ns, name, {"replicas": 0})
            self._load_workload_object(w, entry["object"])
        for pod in self.pods:
            self._apply_pod_state(pod)

    def _add_workload(self, kind, namespace, name, d):
        if kind not in WORKLOAD_KINDS:
            raise Fail("error: FAKE_KUBECTL_SCENARIO: workload kind %r is not one of %s" % (
                kind, ", ".join(WORKLOAD_KINDS)))
        w = Workload()
        w.kind, w.namespace, w.name = kind, namespace, name
        w.replicas = d.get("replicas")
        w.template_annotations = dict(d.get("annotations", {}))
        w.template_labels = dict(d.get("labels", {"app": name}))
        w.generation = int(d.get("generation", 1))
        w.rollout = d.get("rollout", "ok")
        w.image = d.get("image", DEFAULT_APP_IMAGE)
        w.container = d.get("container", name)
        w.manager = d.get("manager", CLIENT_SIDE_MANAGER)
        w.created = self.base_time - 86400
        w.live = None  # the object as last applied/patched (state), else generated
        w.initial_hash = None
        w.initial_hash = self.template_hash(w)
        self.workloads["%s/%s/%s" % (kind, namespace, name)] = w
        return w

    def workload(self, kind, namespace, name):
        return self.workloads.get("%s/%s/%s" % (kind, namespace, name))

    def template_hash(self, w):
        template = {"a": w.template_annotations, "l": w.template_labels, "i": w.image}
        return stable_hash(w.kind + w.name + json.dumps(template, sort_keys=True), 10)

    def _make_pod(self, spec, index, copy, count):
        p = Pod()
        p.namespace = spec.get("namespace", "default")
        owner = spec.get("owner")
        if owner is None and spec.get("deployment"):
            owner = "deployment/" + spec["deployment"]
        p.owner = None
        if owner:
            kind_word, _, wname = owner.partition("/")
            kind = {"deployment": "Deployment", "statefulset": "StatefulSet",
                    "daemonset": "DaemonSet"}.get(kind_word.lower())
            if kind is None or not wname:
                raise Fail("error: FAKE_KUBECTL_SCENARIO: owner %r: want deployment/NAME, "
                           "statefulset/NAME or daemonset/NAME" % owner)
            p.owner = self.workload(kind, p.namespace, wname) or self._add_workload(
                kind, p.namespace, wname, {})
        name = spec.get("name")
        if name and count > 1:
            name = "%s-%d" % (name, copy)
        if not name:
            if p.owner is None:
                name = "pod-%s" % stable_hash("%d/%d" % (index, copy), 5)
            elif p.owner.kind == "StatefulSet":
                name = "%s-%d" % (p.owner.name, sum(1 for q in getattr(self, "pods", [])
                                                    if q.owner is p.owner))
            else:
                base = p.owner.name + "-" + (p.owner.initial_hash
                                             if p.owner.kind == "Deployment" else "")
                name = base.rstrip("-") + "-" + stable_hash("%s/%d/%d" % (base, index, copy), 5)
        p.name = name
        p.labels = dict(p.owner.template_labels) if p.owner else {}
        p.labels.update(spec.get("labels", {}))
        p.annotations = dict(p.owner.template_annotations) if p.owner else {}
        p.scenario_annotations = dict(spec.get("annotations", {}))
        p.phase = spec.get("phase", "Running")
        p.ready = bool(spec.get("ready", p.phase == "Running"))
        p.deleting = bool(spec.get("deleting", False))
        p.waiting_reason = spec.get("waiting_reason")
        p.restarts = int(spec.get("restarts", 0))
        p.sidecar = spec.get("sidecar", DEFAULT_PROXY_IMAGE)
        p.native_sidecar = bool(spec.get("native_sidecar", False))
        if "start_time" in spec:
            p.start = parse_rfc3339(spec["start_time"])
        else:
            p.start = self.base_time - float(spec.get("age_s", 3600))
        p.ports = {}
        if spec.get("admin"):
            for port in (15000, 15090, 15020):
                p.ports[port] = spec["admin"]
        for port, target in spec.get("ports", {}).items():
            p.ports[int(port)] = target
        p.forward = spec.get("forward", "ok")
        if p.forward not in ("ok", "forbidden", "hang", "crash"):
            raise Fail("error: FAKE_KUBECTL_SCENARIO: pod %s: forward %r: want ok, forbidden, hang "
                       "or crash" % (p.name, p.forward))
        p.delay_ms = int(spec.get("delay_ms", 0))
        p.exec = spec.get("exec", "ok")
        if p.exec not in ("ok", "forbidden", "hang"):
            raise Fail("error: FAKE_KUBECTL_SCENARIO: pod %s: exec %r: want ok, forbidden or hang"
                       % (p.name, p.exec))
        p.exec_delay_ms = int(spec.get("exec_delay_ms", 0))
        p.shell = bool(spec.get("shell", False))
        p.app_container = spec.get("container", p.owner.container if p.owner else "app")
        p.app_image = p.owner.image if p.owner else spec.get("image", DEFAULT_APP_IMAGE)
        p.hash = p.owner.initial_hash if p.owner else None
        p.generation = 0  # how many times the pod was replaced (state)
        p.index = len(getattr(self, "pods", [])) + 1
        return p

    def _apply_pod_state(self, p):
        entry = self.state.get("pods", {}).get("%s/%s" % (p.namespace, p.name))
        if entry:
            p.start = entry["start"]
            p.annotations.update(entry.get("template_annotations", {}))
            for key in entry.get("removed_annotations", []):
                p.annotations.pop(key, None)
            p.hash = entry.get("hash", p.hash)
            p.generation = entry.get("generation", 0)
        p.annotations.update(p.scenario_annotations)
        if entry:
            p.annotations.update(entry.get("template_annotations", {}))

    def replace_pods(self, w, now):
        """A new template rolled out: the workload's pods are new pods (same names here)."""
        for p in self.pods:
            if p.owner is not w:
                continue
            key = "%s/%s" % (p.namespace, p.name)
            old = self.state.setdefault("pods", {}).get(key, {})
            removed = [k for k in p.annotations if k not in w.template_annotations
                       and k not in p.scenario_annotations]
            self.state["pods"][key] = {
                "start": now, "template_annotations": dict(w.template_annotations),
                "removed_annotations": removed, "hash": self.template_hash(w),
                "generation": old.get("generation", 0) + 1}

    # workload objects
    def _load_workload_object(self, w, obj):
        w.live = obj
        spec = obj.get("spec", {})
        meta = spec.get("template", {}).get("metadata", {})
        w.template_annotations = dict(meta.get("annotations") or {})
        w.template_labels = dict(meta.get("labels") or w.template_labels)
        if spec.get("replicas") is not None:
            w.replicas = spec["replicas"]
        w.generation = obj.get("metadata", {}).get("generation", w.generation)

    def workload_object(self, w, with_status=True):
        if w.live is not None:
            obj = json.loads(json.dumps(w.live))
        else:
            obj = self._generated_workload_object(w)
        if with_status:
            obj["status"] = self._workload_status(w)
        return obj

    def _generated_workload_object(self, w):
        template_meta = {"creationTimestamp": None, "labels": dict(w.template_labels)}
        if w.template_annotations:
            template_meta["annotations"] = dict(w.template_annotations)
        container = {
            "image": w.image, "imagePullPolicy": "IfNotPresent", "name": w.container,
            "ports": [{"containerPort": 8080, "protocol": "TCP"}], "resources": {},
            "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File"}
        spec = {
            "revisionHistoryLimit": 10,
            "selector": {"matchLabels": dict(w.template_labels)},
            "template": {"metadata": template_meta, "spec": {
                "containers": [container], "dnsPolicy": "ClusterFirst", "restartPolicy": "Always",
                "schedulerName": "default-scheduler", "securityContext": {},
                "terminationGracePeriodSeconds": 30}},
        }
        if w.kind != "DaemonSet":
            spec["replicas"] = w.replicas if w.replicas is not None else 1
        if w.kind == "Deployment":
            spec["progressDeadlineSeconds"] = 600
            spec["strategy"] = {"rollingUpdate": {"maxSurge": "25%", "maxUnavailable": "25%"},
                                "type": "RollingUpdate"}
        elif w.kind == "StatefulSet":
            spec["serviceName"] = w.name
            spec["podManagementPolicy"] = "OrderedReady"
            spec["updateStrategy"] = {"rollingUpdate": {"partition": 0}, "type": "RollingUpdate"}
        else:
            spec["updateStrategy"] = {"rollingUpdate": {"maxSurge": 0, "maxUnavailable": 1},
                                      "type": "RollingUpdate"}
        meta = {"creationTimestamp": rfc3339(w.created), "generation": w.generation,
                "labels": dict(w.template_labels), "name": w.name, "namespace": w.namespace,
                "resourceVersion": str(5000 + w.generation),
                "uid": stable_uid("%s/%s/%s" % (w.kind, w.namespace, w.name))}
        if w.kind == "Deployment":
            meta["annotations"] = {"deployment.kubernetes.io/revision": str(w.generation)}
        return {"apiVersion": "apps/v1", "kind": w.kind, "metadata": meta, "spec": spec}

    def _workload_status(self, w):
        pods = [p for p in self.pods if p.owner is w]
        ready = sum(1 for p in pods if p.ready and p.phase == "Running")
        hung = w.rollout == "hang"
        replicas = w.replicas if w.replicas is not None else len(pods)
        if w.kind == "Deployment":
            status = {"observedGeneration": w.generation, "replicas": replicas,
                      "readyReplicas": ready, "availableReplicas": ready,
                      "updatedReplicas": 0 if hung else replicas}
            if ready < replicas:
                status["unavailableReplicas"] = replicas - ready
            progressing = {"lastTransitionTime": rfc3339(w.created),
                           "lastUpdateTime": rfc3339(self.base_time), "status": "True",
                           "type": "Progressing"}
            if hung:
                progressing.update(reason="ReplicaSetUpdated", message='ReplicaSet "%s-%s" is '
                                   'progressing.' % (w.name, self.template_hash(w)))
            else:
                progressing.update(reason="NewReplicaSetAvailable", message='ReplicaSet "%s-%s" '
                                   'has successfully progressed.' % (w.name, self.template_hash(w)))
            available = {"lastTransitionTime": rfc3339(w.created),
                         "lastUpdateTime": rfc3339(w.created),
                         "message": "Deployment has minimum availability.",
                         "reason": "MinimumReplicasAvailable",
                         "status": "True" if ready >= replicas else "False", "type": "Available"}
            status["conditions"] = [available, progressing]
            return status
        if w.kind == "StatefulSet":
            revision = "%s-%s" % (w.name, self.template_hash(w))
            return {"availableReplicas": ready, "collisionCount": 0, "currentReplicas": replicas,
                    "currentRevision": revision, "observedGeneration": w.generation,
                    "readyReplicas": ready, "replicas": replicas, "updateRevision": revision,
                    "updatedReplicas": 0 if hung else replicas}
        return {"currentNumberScheduled": len(pods), "desiredNumberScheduled": len(pods),
                "numberAvailable": ready, "numberMisscheduled": 0, "numberReady": ready,
                "observedGeneration": w.generation,
                "updatedNumberScheduled": 0 if hung else len(pods)}

    def store_workload(self, w, obj):
        obj = dict(obj)
        obj.pop("status", None)
        key = "%s/%s/%s" % (w.kind, w.namespace, w.name)
        entry = self.state.setdefault("workloads", {}).setdefault(key, {})
        entry["object"] = obj
        self._load_workload_object(w, obj)

    def find_pod(self, namespace, name):
        for p in self.pods:
            if p.namespace == namespace and p.name == name:
                return p
        return None


# --- pod JSON, shaped like the API server's -------------------------------------------------------

def sidecar_status_annotation(p):
    init = ["istio-init"] + (["istio-proxy"] if p.native_sidecar else [])
    containers = [] if p.native_sidecar else ["istio-proxy"]
    return json.dumps({"initContainers": init, "containers": containers or None,
                       "volumes": ["workload-socket", "credential-socket", "workload-certs",
                                   "istio-envoy", "istio-data", "istio-podinfo", "istio-token",
                                   "istiod-ca-cert"],
                       "imagePullSecrets": None, "revision": "default"}, separators=(",", ":"))


def proxy_container(p):
    container = {
        "args": ["proxy", "sidecar", "--domain", "$(POD_NAMESPACE).svc.cluster.local",
                 "--proxyLogLevel=warning", "--proxyComponentLogLevel=misc:error",
                 "--log_output_level=default:info"],
        "env": [
            {"name": "PILOT_CERT_PROVIDER", "value": "istiod"},
            {"name": "CA_ADDR", "value": "istiod.istio-system.svc:15012"},
            {"name": "POD_NAME", "valueFrom": {"fieldRef": {"apiVersion": "v1",
                                                            "fieldPath": "metadata.name"}}},
            {"name": "POD_NAMESPACE", "valueFrom": {"fieldRef": {
                "apiVersion": "v1", "fieldPath": "metadata.namespace"}}},
            {"name": "ISTIO_META_WORKLOAD_NAME",
             "value": p.owner.name if p.owner else p.name},
            {"name": "ISTIO_META_MESH_ID", "value": "cluster.local"},
            {"name": "TRUST_DOMAIN", "value": "cluster.local"},
        ],
        "image": p.sidecar, "imagePullPolicy": "IfNotPresent", "name": "istio-proxy",
        "ports": [{"containerPort": 15090, "name": "http-envoy-prom", "protocol": "TCP"}],
        "readinessProbe": {"failureThreshold": 4, "httpGet": {
            "path": "/healthz/ready", "port": 15021, "scheme": "HTTP"},
            "periodSeconds": 15, "successThreshold": 1, "timeoutSeconds": 3},
        "resources": {"limits": {"cpu": "2", "memory": "1Gi"},
                      "requests": {"cpu": "100m", "memory": "128Mi"}},
        "securityContext": {"allowPrivilegeEscalation": False,
                            "capabilities": {"drop": ["ALL"]}, "privileged": False,
                            "readOnlyRootFilesystem": True, "runAsGroup": 1337,
                            "runAsNonRoot": True, "runAsUser": 1337},
        "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File",
        "volumeMounts": [{"mountPath": "/var/run/secrets/workload-spiffe-uds",
                          "name": "workload-socket"},
                         {"mountPath": "/var/lib/istio/data", "name": "istio-data"},
                         {"mountPath": "/etc/istio/proxy", "name": "istio-envoy"},
                         {"mountPath": "/var/run/secrets/tokens", "name": "istio-token"},
                         {"mountPath": "/etc/istio/pod", "name": "istio-podinfo"}],
    }
    if p.native_sidecar:
        container["restartPolicy"] = "Always"
    return container


def init_container(p):
    return {
        "args": ["istio-iptables", "-p", "15001", "-z", "15006", "-u", "1337", "-m", "REDIRECT",
                 "-i", "*", "-x", "", "-b", "*", "-d", "15090,15021,15020",
                 "--log_output_level=default:info"],
        "image": p.sidecar, "imagePullPolicy": "IfNotPresent", "name": "istio-init",
        "resources": {"limits": {"cpu": "2", "memory": "1Gi"},
                      "requests": {"cpu": "100m", "memory": "128Mi"}},
        "securityContext": {"allowPrivilegeEscalation": False, "capabilities": {
            "add": ["NET_ADMIN", "NET_RAW"], "drop": ["ALL"]}, "privileged": False,
            "readOnlyRootFilesystem": False, "runAsGroup": 0, "runAsNonRoot": False,
            "runAsUser": 0},
        "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File",
    }


def container_status(p, name, image, is_proxy, started):
    status = {"image": image, "imageID": image.split(":")[0] + "@sha256:" + hex_id(image),
              "lastState": {}, "name": name, "ready": False, "restartCount": 0,
              "started": False, "state": {}}
    if p.phase == "Pending":
        status["state"] = {"waiting": {"reason": p.waiting_reason or "ContainerCreating"}}
        return status
    status["containerID"] = "containerd://" + hex_id("%s/%s/%s/%d" % (
        p.namespace, p.name, name, p.generation))
    if p.phase in ("Succeeded", "Failed"):
        code = 0 if p.phase == "Succeeded" else 1
        status["state"] = {"terminated": {
            "containerID": status["containerID"], "exitCode": code,
            "finishedAt": rfc3339(started + 60), "reason": "Completed" if code == 0 else "Error",
            "startedAt": rfc3339(started)}}
        return status
    if is_proxy and p.waiting_reason:
        status["restartCount"] = p.restarts or 5
        status["lastState"] = {"terminated": {
            "containerID": status["containerID"], "exitCode": 255,
            "finishedAt": rfc3339(started + 30), "reason": "Error",
            "startedAt": rfc3339(started + 20)}}
        status["state"] = {"waiting": {
            "message": "back-off 5m0s restarting failed container=%s pod=%s_%s(%s)" % (
                name, p.name, p.namespace, stable_uid(p.namespace + "/" + p.name)),
            "reason": p.waiting_reason}}
        return status
    status["restartCount"] = p.restarts
    status["ready"] = p.ready
    status["started"] = True
    status["state"] = {"running": {"startedAt": rfc3339(started)}}
    return status


def pod_labels(p):
    """The pod's labels as the API server has them: the scenario's, the injector's, the owner's."""
    labels = dict(p.labels)
    if p.sidecar:
        app = labels.get("app", p.owner.name if p.owner else p.name)
        labels.setdefault("security.istio.io/tlsMode", "istio")
        labels.setdefault("service.istio.io/canonical-name", app)
        labels.setdefault("service.istio.io/canonical-revision", labels.get("version", "latest"))
    w = p.owner
    if w is not None and w.kind == "Deployment":
        labels["pod-template-hash"] = p.hash
    elif w is not None:
        labels["controller-revision-hash"] = "%s-%s" % (w.name, p.hash)
        if w.kind == "StatefulSet":
            labels["statefulset.kubernetes.io/pod-name"] = p.name
            labels["apps.kubernetes.io/pod-index"] = p.name.rsplit("-", 1)[-1]
        else:
            labels["pod-template-generation"] = str(w.generation)
    return labels


def pod_object(world, p):
    created = p.start - 1
    uid = stable_uid("%s/%s/%d" % (p.namespace, p.name, p.generation))
    labels = pod_labels(p)
    annotations = {}
    if p.sidecar:
        annotations.update({
            "istio.io/rev": "default",
            "kubectl.kubernetes.io/default-container": p.app_container,
            "kubectl.kubernetes.io/default-logs-container": p.app_container,
            "prometheus.io/path": "/stats/prometheus", "prometheus.io/port": "15020",
            "prometheus.io/scrape": "true",
            "sidecar.istio.io/status": sidecar_status_annotation(p)})
    annotations.update(p.annotations)
    meta = {"creationTimestamp": rfc3339(created), "labels": labels, "name": p.name,
            "namespace": p.namespace, "resourceVersion": str(20000 + p.index * 10 + p.generation),
            "uid": uid}
    if annotations:
        meta["annotations"] = annotations
    if p.owner:
        w = p.owner
        if w.kind == "Deployment":
            owner_kind, owner_name = "ReplicaSet", "%s-%s" % (w.name, p.hash)
            meta["generateName"] = owner_name + "-"
        else:
            owner_kind, owner_name = w.kind, w.name
            if w.kind == "DaemonSet":
                meta["generateName"] = w.name + "-"
        meta["ownerReferences"] = [{
            "apiVersion": "apps/v1", "blockOwnerDeletion": True, "controller": True,
            "kind": owner_kind, "name": owner_name,
            "uid": stable_uid("%s/%s/%s" % (owner_kind, p.namespace, owner_name))}]
    if p.deleting:
        meta["deletionGracePeriodSeconds"] = 30
        meta["deletionTimestamp"] = rfc3339(world.base_time)

    app_container = {
        "image": p.app_image, "imagePullPolicy": "IfNotPresent", "name": p.app_container,
        "ports": [{"containerPort": 8080, "protocol": "TCP"}], "resources": {},
        "terminationMessagePath": "/dev/termination-log", "terminationMessagePolicy": "File",
        "volumeMounts": [{"mountPath": "/var/run/secrets/kubernetes.io/serviceaccount",
                          "name": "kube-api-access", "readOnly": True}]}
    containers = [app_container]
    init_containers = []
    if p.sidecar:
        init_containers.append(init_container(p))
        if p.native_sidecar:
            init_containers.append(proxy_container(p))
        else:
            containers.append(proxy_container(p))
    spec = {"containers": containers, "dnsPolicy": "ClusterFirst", "enableServiceLinks": True,
            "nodeName": "worker-%d" % (1 + p.index % 3), "preemptionPolicy": "PreemptLowerPriority",
            "priority": 0, "restartPolicy": "Always", "schedulerName": "default-scheduler",
            "securityContext": {}, "serviceAccount": "default", "serviceAccountName": "default",
            "terminationGracePeriodSeconds": 30,
            "tolerations": [{"effect": "NoExecute", "key": "node.kubernetes.io/not-ready",
                             "operator": "Exists", "tolerationSeconds": 300},
                            {"effect": "NoExecute", "key": "node.kubernetes.io/unreachable",
                             "operator": "Exists", "tolerationSeconds": 300}],
            "volumes": [{"name": "kube-api-access", "projected": {"defaultMode": 420, "sources": [
                {"serviceAccountToken": {"expirationSeconds": 3607, "path": "token"}}]}}]}
    if init_containers:
        spec["initContainers"] = init_containers

    started = p.start
    running = p.phase == "Running"
    cond_time = rfc3339(started)
    all_ready = running and p.ready and not p.waiting_reason
    initialized = p.phase != "Pending"
    conditions = [
        {"lastProbeTime": None, "lastTransitionTime": cond_time,
         "status": "True" if running else "False", "type": "PodReadyToStartContainers"},
        {"lastProbeTime": None, "lastTransitionTime": cond_time,
         "status": "True" if initialized else "False", "type": "Initialized"},
        {"lastProbeTime": None, "lastTransitionTime": cond_time,
         "status": "True" if all_ready else "False", "type": "Ready"},
        {"lastProbeTime": None, "lastTransitionTime": cond_time,
         "status": "True" if all_ready else "False", "type": "ContainersReady"},
        {"lastProbeTime": None, "lastTransitionTime": rfc3339(created), "status": "True",
         "type": "PodScheduled"}]
    for c in conditions:
        if c["status"] == "False" and c["type"] in ("Ready", "ContainersReady"):
            c["reason"] = "ContainersNotReady"
            c["message"] = "containers with unready status: [%s]" % (
                "istio-proxy" if p.sidecar and not (p.ready and not p.waiting_reason)
                else p.app_container)
    statuses = [container_status(p, p.app_container, p.app_image, False, started)]
    if statuses[0]["state"].get("running"):
        statuses[0]["ready"] = p.ready or bool(p.waiting_reason)
    init_statuses = []
    if p.sidecar:
        proxy = container_status(p, "istio-proxy", p.sidecar, True, started)
        init = {"containerID": "containerd://" + hex_id(p.name + "init"), "image": p.sidecar,
                "imageID": proxy["imageID"], "lastState": {}, "name": "istio-init",
                "ready": initialized, "restartCount": 0, "started": False,
                "state": {"terminated": {
                    "containerID": "containerd://" + hex_id(p.name + "init"), "exitCode": 0,
                    "finishedAt": rfc3339(started), "reason": "Completed",
                    "startedAt": rfc3339(started - 1)}} if initialized else {
                    "running": {"startedAt": rfc3339(started - 1)}}}
        init_statuses.append(init)
        if p.native_sidecar:
            init_statuses.append(proxy)
        else:
            statuses.append(proxy)
    status = {"conditions": conditions, "containerStatuses": statuses,
              "hostIP": "172.18.0.%d" % (2 + p.index % 3),
              "hostIPs": [{"ip": "172.18.0.%d" % (2 + p.index % 3)}],
              "phase": p.phase, "qosClass": "Burstable" if p.sidecar else "BestEffort",
              "startTime": rfc3339(started)}
    if p.phase != "Pending":
        ip = "10.244.%d.%d" % (p.index // 250, 2 + p.index % 250)
        status["podIP"] = ip
        status["podIPs"] = [{"ip": ip}]
    if init_statuses:
        status["initContainerStatuses"] = init_statuses
    return {"apiVersion": "v1", "kind": "Pod", "metadata": meta, "spec": spec, "status": status}


def list_object(items):
    return {"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}}


# --- label selectors ---------------------------------------------------------------------------

def parse_selector(text):
    """Requirements of a label selector: k=v, k==v, k!=v, k in (a,b), k notin (a,b), k, !k."""
    import re
    reqs = []
    if not text.strip():
        return reqs
    parts, depth, cur = [], 0, ""
    for ch in text:
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
        if ch == "," and depth == 0:
            parts.append(cur)
            cur = ""
        else:
            cur += ch
    parts.append(cur)
    key_re = r"[A-Za-z0-9]([-A-Za-z0-9_./]*[A-Za-z0-9])?"
    val_re = r"([A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?)?"
    for part in parts:
        part = part.strip()
        m = re.fullmatch(r"(?P<key>%s)\s+(?P<op>in|notin)\s+\((?P<values>[^)]*)\)" % key_re, part)
        if m:
            values = [v.strip() for v in m.group("values").split(",")]
            if not all(re.fullmatch(val_re, v) for v in values):
                raise ValueError("invalid label value in %r" % part)
            reqs.append((m.group("key"), m.group("op"), values))
            continue
        m = re.fullmatch(r"(%s)\s*(==|=|!=)\s*(%s)" % (key_re, val_re), part)
        if m:
            reqs.append((m.group(1), {"=": "=", "==": "=", "!=": "!="}[m.group(3)],
                         [m.group(4) or ""]))
            continue
        m = re.fullmatch(r"(!?)\s*(%s)" % key_re, part)
        if m and part:
            reqs.append((m.group(2), "!exists" if m.group(1) else "exists", []))
            continue
        raise ValueError("unable to parse requirement: found '%s', expected: "
                         "identifier, '=', '==', '!=', 'in', 'notin'" % part)
    return reqs


def selector_matches(reqs, labels):
    for key, op, values in reqs:
        have = labels.get(key)
        if op == "=" and have != values[0]:
            return False
        if op == "!=" and have == values[0]:
            return False
        if op == "in" and have not in values:
            return False
        if op == "notin" and have in values:
            return False
        if op == "exists" and have is None:
            return False
        if op == "!exists" and have is not None:
            return False
    return True


# --- connection, logging ------------------------------------------------------------------------

def load_world():
    path = os.environ.get("FAKE_KUBECTL_SCENARIO")
    if not path:
        raise Fail("error: FAKE_KUBECTL_SCENARIO is not set: this fake kubectl answers from a "
                   "scenario file (tests/fake_kubectl/README.md)")
    return World(path)


def connect(world, args):
    """What every call that talks to the API server goes through first."""
    kubeconfig = args.get("--kubeconfig")
    if kubeconfig is not None and not os.path.exists(kubeconfig):
        raise Fail("error: stat %s: no such file or directory" % kubeconfig)
    context = args.get("--context")
    contexts = world.scenario.get("contexts")
    if context is not None and contexts is not None and context not in contexts:
        raise Fail("error: context was not found for specified context: %s" % context)
    unreachable = world.scenario.get("unreachable")
    if unreachable:
        delay = float(world.scenario.get("unreachable_delay_ms", 0)) / 1000.0
        timeout = go_duration(args.get("--request-timeout", "0") or "0") or 0
        if delay:
            time.sleep(min(delay, timeout) if timeout else delay)
        if unreachable == "timeout":
            raise Fail("Unable to connect to the server: dial tcp %s: i/o timeout" % world.server)
        # kubectl's discovery client logs each failed attempt before the final message.
        lines = [klog_prefix("E", "memcache.go:265") +
                 " couldn't get current server API group list: Get \"https://%s/api?timeout=32s\":"
                 " dial tcp %s: connect: connection refused" % (world.server, world.server)
                 for _attempt in range(5)]
        lines.append("The connection to the server %s was refused - did you specify the right "
                     "host or port?" % world.server)
        raise Fail("\n".join(lines))
    delay_ms = float(world.scenario.get("api_delay_ms", 0))
    if delay_ms:
        time.sleep(delay_ms / 1000.0)


def namespace_of(world, args):
    return args.get("--namespace") or world.default_namespace


def record_call(argv):
    log = os.environ.get("FAKE_KUBECTL_LOG")
    if log:
        line = json.dumps({"argv": argv, "pid": os.getpid(), "time": round(time.time(), 3)})
        fd = os.open(log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        try:
            os.write(fd, (line + "\n").encode())
        finally:
            os.close(fd)
    piddir = os.environ.get("FAKE_KUBECTL_PIDDIR")
    if piddir:
        os.makedirs(piddir, exist_ok=True)
        with open(os.path.join(piddir, str(os.getpid())), "w") as f:
            f.write(json.dumps(argv) + "\n")


def sleep_forever():
    while True:
        time.sleep(3600)


# --- get ------------------------------------------------------------------------------------------

PRINTER_FORMATS = ("custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,"
                   "jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml")


def check_output_format(fmt, allowed=("", "json", "yaml", "name", "wide")):
    if fmt not in allowed:
        raise Fail('error: unable to match a printer suitable for the output format "%s", allowed '
                   'formats are: %s' % (fmt, PRINTER_FORMATS))


def human_age(seconds):
    s = max(0, int(seconds))
    if s < 120:
        return "%ds" % s
    m = s // 60
    if m < 10:
        return "%dm%ds" % (m, s % 60)
    if m < 180:
        return "%dm" % m
    h = m // 60
    if h < 8:
        return "%dh%dm" % (h, m % 60) if m % 60 else "%dh" % h
    if h < 48:
        return "%dh" % h
    d = h // 24
    if d < 8:
        return "%dd%dh" % (d, h % 24) if h % 24 else "%dd" % d
    return "%dd" % d


def print_table(header, rows):
    widths = [max(len(str(r[k])) for r in [header] + rows) for k in range(len(header))]
    for r in [header] + rows:
        cells = [str(c).ljust(widths[k] + 3) if k < len(r) - 1 else str(c)
                 for k, c in enumerate(r)]
        out("".join(cells))


def pod_status_word(p):
    if p.deleting:
        return "Terminating"
    if p.phase == "Pending":
        return p.waiting_reason or "ContainerCreating"
    if p.phase == "Succeeded":
        return "Completed"
    if p.phase == "Failed":
        return "Error"
    return p.waiting_reason or p.phase


def stored_objects(world, kind):
    result = []
    for key, entry in sorted(world.state.get("objects", {}).items()):
        if key.split("/", 1)[0] == kind:
            result.append(entry["object"])
    return result


def namespace_object(name, world):
    return {"apiVersion": "v1", "kind": "Namespace", "metadata": {
        "creationTimestamp": rfc3339(world.base_time - 86400 * 3),
        "labels": {"kubernetes.io/metadata.name": name}, "name": name,
        "resourceVersion": str(100 + len(name)), "uid": stable_uid("ns/" + name)},
        "spec": {"finalizers": ["kubernetes"]}, "status": {"phase": "Active"}}


def objects_of_kind(world, kind, namespace):
    """(namespace, name, object-maker, labels, table row) of every object of `kind`."""
    found = []
    if kind == "Pod":
        for p in world.pods:
            if namespace is None or p.namespace == namespace:
                found.append((p.namespace, p.name, (lambda p=p: pod_object(world, p)),
                              pod_labels(p), p))
    elif kind in WORKLOAD_KINDS:
        for w in world.workloads.values():
            if w.kind == kind and (namespace is None or w.namespace == namespace):
                found.append((w.namespace, w.name, (lambda w=w: world.workload_object(w)),
                              dict(w.template_labels), w))
    elif kind == "Namespace":
        for name in sorted(world.namespaces()):
            found.append(("", name, (lambda n=name: namespace_object(n, world)),
                          {"kubernetes.io/metadata.name": name}, None))
    else:
        for obj in stored_objects(world, kind):
            ns = obj["metadata"].get("namespace", "")
            if namespace is None or ns == namespace or not KINDS[kind][3]:
                found.append((ns, obj["metadata"]["name"], (lambda o=obj: o),
                              obj["metadata"].get("labels", {}), None))
    found.sort(key=lambda f: (f[0], f[1]))
    return found


def table_rows(world, kind, found, all_ns):
    now = time.time()
    if kind == "Pod":
        header = ["NAME", "READY", "STATUS", "RESTARTS", "AGE"]
        rows = []
        for ns, name, _make, _labels, p in found:
            total = 1 + (1 if p.sidecar else 0)
            ready = (total if p.ready and not p.waiting_reason else
                     (1 if p.phase == "Running" else 0)) if p.phase == "Running" else 0
            rows.append([name, "%d/%d" % (ready, total), pod_status_word(p), str(p.restarts),
                         human_age(now - p.start)])
    elif kind == "Deployment":
        header = ["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"]
        rows = []
        for ns, name, make, _labels, w in found:
            st = make()["status"]
            rows.append([name, "%d/%d" % (st.get("readyReplicas", 0), st.get("replicas", 0)),
                         str(st.get("updatedReplicas", 0)), str(st.get("availableReplicas", 0)),
                         human_age(now - w.created)])
    else:
        header = ["NAME", "AGE"]
        rows = []
        for ns, name, make, _labels, _x in found:
            created = make()["metadata"].get("creationTimestamp")
            rows.append([name, human_age(now - parse_rfc3339(created)) if created else "<unknown>"])
    if all_ns:
        header = ["NAMESPACE"] + header
        rows = [[f[0]] + r for f, r in zip(found, rows)]
    return header, rows


def cmd_get(world, args):
    pos = args.positionals[1:]
    if not pos:
        raise Fail('You must specify the type of resource to get. Use "kubectl api-resources" for '
                   'a complete list of supported resources.\n\nerror: Required resource not '
                   'specified.\nUse "kubectl explain <resource>" for a detailed description of '
                   'that resource (e.g. kubectl explain pods).\nSee \'kubectl get -h\' for help '
                   'and examples')
    fmt = args.get("--output", "")
    check_output_format(fmt)
    connect(world, args)
    all_ns = args.has("--all-namespaces")
    namespace = namespace_of(world, args)
    selector = args.get("--selector")
    wanted = []  # (kind, name)
    if "/" in pos[0]:
        for word in pos:
            kind_word, slash, name = word.partition("/")
            if not slash or not name:
                raise Fail("error: there is no need to specify a resource type as a separate "
                           "argument when passing arguments in resource/name form (e.g. 'kubectl "
                           "get resource/<resource_name>' instead of 'kubectl get resource "
                           "resource/<resource_name>'")
            wanted.append((resolve_kind(kind_word, world), name))
        kind = wanted[0][0]
    else:
        kinds = [resolve_kind(w, world) for w in pos[0].split(",")]
        kind = kinds[0]
        wanted = [(kind, name) for name in pos[1:]]
    if wanted and selector is not None:
        raise Fail("error: name cannot be provided when a selector is specified")
    if wanted and all_ns:
        raise Fail("error: a resource cannot be retrieved by name across all namespaces")
    try:
        reqs = parse_selector(selector or "")
    except ValueError as e:
        raise Fail('Error from server (BadRequest): Unable to find "%s, Resource=%s" that match '
                   'label selector "%s", field selector "": %s' % (
                       api_version(kind), KINDS[kind][2], selector, e))
    namespaced = KINDS[kind][3]
    if wanted:
        items, errors = [], []
        for k, name in wanted:
            world.check("get", k, namespace if KINDS[k][3] else None, name)
            match = [f for f in objects_of_kind(world, k, namespace if KINDS[k][3] else None)
                     if f[1] == name]
            if match:
                items.append((k, match[0]))
            else:
                errors.append('Error from server (NotFound): %s "%s" not found' % (
                    resource_name(k), name))
        print_objects(world, kind, [i[1] for i in items], fmt, all_ns,
                      single=len(wanted) == 1, kinds=[i[0] for i in items])
        # kubectl: "If the requested object does not exist the command will return exit code 0."
        if errors and not args.has("--ignore-not-found"):
            raise Fail("\n".join(errors))
        return 0
    world.check("list", kind, None if all_ns or not namespaced else namespace)
    found = [f for f in objects_of_kind(world, kind, None if all_ns or not namespaced
                                        else namespace) if selector_matches(reqs, f[3])]
    if not found and fmt in ("", "wide"):
        err("No resources found" if all_ns or not namespaced else
            "No resources found in %s namespace." % namespace)
        return 0
    print_objects(world, kind, found, fmt, all_ns, single=False)
    return 0


def print_objects(world, kind, found, fmt, all_ns, single, kinds=None):
    if fmt in ("json", "yaml"):
        objs = [f[2]() for f in found]
        if single and len(objs) == 1:
            doc = objs[0]
        elif single and not objs:
            return
        else:
            doc = list_object(objs)
        if fmt == "json":
            out(go_json(doc, 4))
        else:
            out("\n".join(yaml_dump(doc)))
        return
    if fmt == "name":
        for k, f in zip(kinds or [kind] * len(found), found):
            out("%s/%s" % (display_kind(k), f[1]))
        return
    if not found:
        return
    header, rows = table_rows(world, kind, found, all_ns)
    print_table(header, rows)


# --- port-forward -------------------------------------------------------------------------------

def parse_forward_ports(specs):
    ports = []
    for spec in specs:
        local, colon, remote = spec.partition(":")
        if not colon:
            local, remote = spec, spec
        try:
            lp = int(local) if local else 0
        except ValueError:
            raise Fail("error: Error parsing local port '%s': strconv.ParseUint: parsing \"%s\": "
                       "invalid syntax" % (local, local))
        try:
            rp = int(remote)
        except ValueError:
            raise Fail("error: Error parsing remote port '%s': strconv.ParseUint: parsing \"%s\":"
                       " invalid syntax" % (remote, remote))
        if not 0 < rp < 65536 or not 0 <= lp < 65536:
            raise Fail("error: Port '%s' is not a valid port number" % spec)
        ports.append((lp, rp))
    return ports


def resolve_pod_target(world, args, target):
    namespace = namespace_of(world, args)
    kind_word, slash, name = target.partition("/")
    if not slash:
        kind, name = "Pod", target
    else:
        kind = resolve_kind(kind_word, world)
    world.check("get", kind, namespace, name)
    if kind == "Pod":
        pod = world.find_pod(namespace, name)
        if pod is None:
            raise Fail('Error from server (NotFound): pods "%s" not found' % name)
        return pod
    if kind in WORKLOAD_KINDS:
        w = world.workload(kind, namespace, name)
        if w is None:
            raise Fail('Error from server (NotFound): %s "%s" not found' % (
                resource_name(kind), name))
        pods = [p for p in world.pods if p.owner is w]
        pods.sort(key=lambda p: (p.phase != "Running", not p.ready, p.name))
        if not pods:
            raise Fail("error: timed out waiting for the condition")
        return pods[0]
    raise Fail("error: cannot attach to *v1.%s: selector for *v1.%s not implemented" % (
        kind, kind))


class PortForwarder:
    def __init__(self, pod, remote):
        self.pod = pod
        self.remote = remote
        self.local = 0

    def fail_connection(self, reason):
        # kubectl >= 1.23 gives up the whole forward when one connection to the pod fails.
        uid = stable_uid("%s/%s/%d" % (self.pod.namespace, self.pod.name, self.pod.generation))
        netns = "/var/run/netns/cni-" + stable_uid(self.pod.name + "netns")
        err(klog_prefix("E", "portforward.go:413") + " an error occurred forwarding %d -> %d: error"
            " forwarding port %d to pod %s, uid : failed to execute portforward in network "
            "namespace \"%s\": failed to connect to localhost:%d inside namespace \"%s\", IPv4: "
            "dial tcp4 127.0.0.1:%d: %s IPv6 dial tcp6 [::1]:%d: %s " % (
                self.local, self.remote, self.remote, hex_id(uid), netns, self.remote,
                hex_id(uid), self.remote, reason, self.remote, reason))
        err("error: lost connection to pod")
        os._exit(1)

    def handle(self, conn):
        out("Handling connection for %d" % self.local)
        target = self.pod.ports.get(self.remote)
        if not target:
            self.fail_connection("connect: connection refused")
        host, _, port = target.rpartition(":")
        try:
            upstream = socket.create_connection((host.strip("[]"), int(port)), timeout=10)
            upstream.settimeout(None)
        except OSError as e:
            self.fail_connection("connect: " + (e.strerror or str(e)).lower())
        pipe(conn, upstream)

    def accept_loop(self, listener):
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=self.handle, args=(conn,), daemon=True).start()


def pipe(a, b):
    def copy(src, dst):
        try:
            while True:
                data = src.recv(65536)
                if not data:
                    break
                dst.sendall(data)
        except OSError:
            pass
        try:
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass

    t = threading.Thread(target=copy, args=(b, a), daemon=True)
    t.start()
    copy(a, b)
    t.join()
    a.close()
    b.close()


def bind_listeners(local, addresses):
    """Binds 127.0.0.1 then [::1] on the same port, as kubectl does; returns [(addr, sock)]."""
    bound = []
    errors = []
    for addr in addresses:
        family = socket.AF_INET6 if ":" in addr else socket.AF_INET
        s = socket.socket(family, socket.SOCK_STREAM)
        try:
            s.bind((addr, local))
            s.listen(64)
        except OSError as e:
            s.close()
            errors.append("unable to create listener: Error listen tcp%s %s:%d: bind: %s" % (
                "6" if family == socket.AF_INET6 else "4",
                "[%s]" % addr if family == socket.AF_INET6 else addr, local,
                (e.strerror or str(e)).lower()))
            continue
        if local == 0:
            local = s.getsockname()[1]
        bound.append((addr, s))
    return bound, local, errors


def cmd_port_forward(world, args):
    pos = args.positionals[1:]
    if len(pos) < 2:
        raise Fail("error: TYPE/NAME and list of ports are required for port-forward\nSee "
                   "'kubectl port-forward -h' for help and examples")
    ports = parse_forward_ports(pos[1:])
    connect(world, args)
    pod = resolve_pod_target(world, args, pos[0])
    if pod.phase != "Running":
        raise Fail("error: unable to forward port because pod is not running. Current status=%s"
                   % pod.phase)
    if pod.forward == "forbidden" or not world.allowed("create", "pods/portforward",
                                                        pod.namespace):
        raise Fail("error: error upgrading connection: " + world.forbidden(
            "create", "Pod", pod.namespace, pod.name, "portforward"))

    # kubectl handles SIGINT by closing its stop channel, which only takes effect once the
    # connection to the API server is up: a hanging dial ignores Ctrl-C, SIGTERM kills.
    interrupted = threading.Event()
    signal.signal(signal.SIGINT, lambda *_: interrupted.set())
    if pod.forward == "hang":
        sleep_forever()
    if pod.forward == "crash":
        signal.signal(signal.SIGSEGV, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGSEGV)
        time.sleep(1)
        os._exit(139)
    if pod.delay_ms:
        time.sleep(pod.delay_ms / 1000.0)

    addresses = []
    for a in args.get("--address") or ["localhost"]:
        for part in a.split(","):
            addresses.extend(["127.0.0.1", "::1"] if part == "localhost" else [part])
    forwarders = []
    for local, remote in ports:
        bound, actual, errors = bind_listeners(local, addresses)
        if not bound:
            raise Fail("Unable to listen on port %d: Listeners failed to create with the following "
                       "errors: [%s]\nerror: unable to listen on any of the requested ports: "
                       "[{%d %d}]" % (local, " ".join(errors), local, remote))
        fw = PortForwarder(pod, remote)
        fw.local = actual
        for addr, sock in bound:
            shown = "[%s]" % addr if ":" in addr else addr
            out("Forwarding from %s:%d -> %d" % (shown, actual, remote))
            forwarders.append((fw, sock))
    for fw, sock in forwarders:
        threading.Thread(target=fw.accept_loop, args=(sock,), daemon=True).start()
    while not interrupted.wait(0.5):
        pass
    for _fw, sock in forwarders:
        sock.close()
    os._exit(0)


# --- exec -----------------------------------------------------------------------------------------

def http_get(target, path, method="GET", body=None):
    import http.client
    host, _, port = target.rpartition(":")
    conn = http.client.HTTPConnection(host.strip("[]"), int(port), timeout=30)
    conn.request(method, path, body=body)
    resp = conn.getresponse()
    data = resp.read()
    conn.close()
    return resp.status, data


def oci_not_found(container_id, program):
    return ("error: Internal error occurred: error executing command in container: failed to exec "
            "in container: failed to start exec \"%s\": OCI runtime exec failed: exec failed: "
            "unable to start container process: exec: \"%s\": executable file not found in "
            "$PATH: unknown" % (hex_id(container_id + program), program))


def run_in_proxy(pod, command):
    """What the istio-proxy container does with `command`: (exit code, stdout bytes, stderr)."""
    program = command[0]
    if program == "pilot-agent" and len(command) >= 2 and command[1] == "request":
        rest = command[2:]
        port = 15000
        positional = []
        k = 0
        while k < len(rest):
            if rest[k].startswith("--debug-port"):
                value = rest[k].partition("=")[2] or (rest[k + 1] if k + 1 < len(rest) else "")
                k += 1 if "=" in rest[k] else 2
                port = int(value)
                continue
            positional.append(rest[k])
            k += 1
        if len(positional) < 2:
            return 255, b"", "Error: requires at least 2 arg(s), only received %d\n" % len(
                positional)
        method, path = positional[0], positional[1]
        body = positional[2] if len(positional) > 2 else None
        target = pod.ports.get(port)
        url = "http://localhost:%d/%s" % (port, path)
        if not target:
            return 255, b"", ('Error: %s "%s": dial tcp 127.0.0.1:%d: connect: connection refused\n'
                              % (method.capitalize(), url, port))
        try:
            _status, data = http_get(target, "/" + path.lstrip("/"), method.upper(), body)
        except OSError as e:
            return 255, b"", 'Error: %s "%s": dial tcp 127.0.0.1:%d: connect: %s\n' % (
                method.capitalize(), url, port, (e.strerror or str(e)).lower())
        # pilot-agent prints the body with fmt.Println, whatever the status.
        return 0, data + b"\n", ""
    if program == "curl" and not pod.sidecar.endswith("-distroless"):
        url = next((a for a in command[1:] if a.startswith("http")), None)
        if url is None:
            return 2, b"", "curl: no URL specified!\n"
        from urllib.parse import urlsplit
        parts = urlsplit(url)
        target = pod.ports.get(parts.port or 80)
        if parts.hostname not in ("localhost", "127.0.0.1") or not target:
            return 7, b"", ""
        path = parts.path or "/"
        if parts.query:
            path += "?" + parts.query
        try:
            _status, data = http_get(target, path)
        except OSError:
            return 7, b"", ""
        return 0, data, ""
    return None


def run_in_app(pod, command):
    """The application container: sh (and curl) when the scenario says it has a shell; the
    command runs here, where loopback URLs reach the test's embedded sidecars."""
    if not pod.shell or command[0] not in ("sh", "/bin/sh"):
        return None
    import subprocess
    done = subprocess.run(["/bin/sh"] + command[1:], stdout=subprocess.PIPE,
                          stderr=subprocess.PIPE)
    return done.returncode, done.stdout, done.stderr.decode("utf-8", "replace")


def cmd_exec(world, args):
    pos = args.positionals[1:]
    if not pos:
        raise Fail("error: pod, type/name or --filename must be specified")
    if len(pos) > 1:
        raise Fail("error: exec [POD] [COMMAND] is not supported anymore. Use exec [POD] -- "
                   "[COMMAND] instead\nSee 'kubectl exec -h' for help and examples")
    if not args.command:
        raise Fail("error: you must specify at least one command for the container")
    connect(world, args)
    pod = resolve_pod_target(world, args, pos[0])
    containers = [pod.app_container] + (["istio-proxy"] if pod.sidecar else [])
    container = args.get("--container")
    if container is None:
        container = pod.app_container
        listing = containers + (["istio-init (init)"] if pod.sidecar else [])
        if len(listing) > 1:
            err('Defaulted container "%s" out of: %s' % (container, ", ".join(listing)))
    if container not in containers:
        raise Fail("Error from server (BadRequest): container %s is not valid for pod %s" % (
            container, pod.name))
    if pod.phase in ("Succeeded", "Failed"):
        raise Fail("error: cannot exec into a container in a completed pod; current phase is %s"
                   % pod.phase)
    if pod.phase != "Running":
        raise Fail('error: unable to upgrade connection: container not found ("%s")' % container)
    if pod.exec == "forbidden" or not world.allowed("create", "pods/exec", pod.namespace):
        raise Fail("Error from server (Forbidden): " + world.forbidden(
            "create", "Pod", pod.namespace, pod.name, "exec"))
    # kubectl exec's interrupt handler exits 1 on SIGINT/SIGTERM.
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: os._exit(1))
    if pod.exec == "hang":
        sleep_forever()
    if pod.exec_delay_ms:
        time.sleep(pod.exec_delay_ms / 1000.0)
    result = (run_in_proxy(pod, args.command) if container == "istio-proxy"
              else run_in_app(pod, args.command))
    if result is None:
        raise Fail(oci_not_found(pod.name + container, args.command[0]))
    code, stdout, stderr = result
    try:
        sys.stdout.buffer.write(stdout)
        sys.stdout.flush()
        if stderr:
            sys.stderr.write(stderr)
            sys.stderr.flush()
    except BrokenPipeError:
        _die_of_sigpipe()
    if code:
        err("command terminated with exit code %d" % code)
    return code


# --- auth can-i ---------------------------------------------------------------------------------

def cmd_auth(world, args):
    pos = args.positionals[1:]
    if not pos or pos[0] != "can-i":
        raise Fail('error: unknown command "%s" for "kubectl auth"' % (pos[0] if pos else ""))
    if len(pos) < 3:
        raise Fail("error: you must specify two arguments: verb resource or verb "
                   "resource/resourceName.\nSee 'kubectl auth can-i -h' for help and examples")
    connect(world, args)
    verb, resource = pos[1], pos[2]
    base, _, rest = resource.partition("/")
    sub = args.get("--subresource")
    try:
        kind = resolve_kind(base, world)
        res = KINDS[kind][2]
    except Fail:
        err("Warning: the server doesn't have a resource type '%s'" % base)
        kind, res = None, base
    if rest and kind == "Pod" and rest in ("exec", "portforward", "log", "proxy", "attach"):
        sub = sub or rest
    full = res + ("/" + sub if sub else "")
    namespace = None if args.has("--all-namespaces") else namespace_of(world, args)
    ok = world.allowed(verb, full, namespace)
    if not args.has("--quiet"):
        out("yes" if ok else "no")
    return 0 if ok else 1


# --- server-side apply --------------------------------------------------------------------------

IGNORED_META = {"name", "namespace", "uid", "resourceVersion", "creationTimestamp", "generation",
                "managedFields", "selfLink", "deletionTimestamp", "generateName"}


def flatten(obj, prefix=()):
    leaves = {}
    for key, value in obj.items():
        path = prefix + (key,)
        if not prefix and key in ("apiVersion", "kind", "status"):
            continue
        if prefix == ("metadata",) and key in IGNORED_META:
            continue
        if isinstance(value, dict) and value:
            leaves.update(flatten(value, path))
        else:
            leaves[path] = value
    return leaves


def set_path(obj, path, value):
    for key in path[:-1]:
        nxt = obj.get(key)
        if not isinstance(nxt, dict):
            nxt = obj[key] = {}
        obj = nxt
    obj[path[-1]] = value


def delete_path(obj, path):
    chain = [obj]
    for key in path[:-1]:
        nxt = chain[-1].get(key)
        if not isinstance(nxt, dict):
            return
        chain.append(nxt)
    chain[-1].pop(path[-1], None)
    for depth in range(len(chain) - 1, 0, -1):
        if not chain[depth]:
            chain[depth - 1].pop(path[depth - 1], None)


def path_text(path):
    return "".join("." + p for p in path)


def ssa_merge(live, owners, applied, manager, force):
    """Server-side apply of `applied` by `manager` onto `live` (maps merge, lists are atomic).
    `owners` maps json.dumps(path) → [managers]. Returns (merged, owners, conflicts)."""
    merged = json.loads(json.dumps(live))
    owners = {k: list(v) for k, v in owners.items()}
    live_leaves = flatten(live)
    applied_leaves = flatten(applied)
    conflicts = []
    for path, value in applied_leaves.items():
        key = json.dumps(list(path))
        others = [m for m in owners.get(key, []) if m != manager]
        if path in live_leaves and live_leaves[path] != value and others:
            conflicts.append((path, others))
    if conflicts and not force:
        return None, None, conflicts
    for key, managers in list(owners.items()):
        path = tuple(json.loads(key))
        if manager in managers and path not in applied_leaves:
            managers.remove(manager)
            if not managers:
                delete_path(merged, path)
                del owners[key]
    for path, value in applied_leaves.items():
        key = json.dumps(list(path))
        if path in live_leaves and live_leaves[path] == value:
            if manager not in owners.setdefault(key, []):
                owners[key].append(manager)
        else:
            owners[key] = [manager]
        set_path(merged, path, value)
    for key in ("labels", "annotations"):
        meta = applied.get("metadata", {})
        if key in meta and meta[key] == {} and key not in merged.get("metadata", {}):
            merged.setdefault("metadata", {})[key] = {}
    return merged, owners, []


def conflict_message(conflicts, version):
    by_manager = {}
    for path, managers in conflicts:
        by_manager.setdefault(managers[0], []).append(path)
    n = len(conflicts)
    parts = []
    for manager, paths in by_manager.items():
        if len(paths) == 1:
            parts.append('conflict with "%s" using %s: %s' % (manager, version,
                                                            path_text(paths[0])))
        else:
            parts.append('conflicts with "%s" using %s:\n%s' % (
                manager, version, "\n".join("- " + path_text(p) for p in paths)))
    return ("error: Apply failed with %d conflict%s: %s\n"
            "Please review the fields above--they currently have other managers. Here\n"
            "are the ways you can resolve this warning:\n"
            "* If you intend to manage all of these fields, please re-run the apply\n"
            "  command with the `--force-conflicts` flag.\n"
            "* If you do not intend to manage all of the fields, please edit your\n"
            "  manifest to remove references to the fields that should keep their\n"
            "  current managers.\n"
            "* You may co-own fields by updating your manifest to match the existing\n"
            "  value; in this case, you'll become the manager if you do not already have\n"
            "  ability to manage the field." % (n, "" if n == 1 else "s", "\n".join(parts)))


def read_manifests(args):
    files = args.get("--filename") or []
    if not files:
        raise Fail("error: must specify one of -f and -k")
    docs = []
    for name in files:
        source = "STDIN" if name == "-" else name
        try:
            text = sys.stdin.read() if name == "-" else open(name).read()
        except OSError:
            raise Fail('error: the path "%s" does not exist' % name)
        try:
            stripped = text.lstrip()
            if stripped.startswith(("{", "[")):
                decoder = json.JSONDecoder()
                k = 0
                parsed = []
                while k < len(text):
                    while k < len(text) and text[k] in " \t\r\n":
                        k += 1
                    if k >= len(text):
                        break
                    value, k = decoder.raw_decode(text, k)
                    parsed.append(value)
            else:
                parsed = yaml_load_all(text)
        except (ValueError, YamlError) as e:
            raise Fail('error: error parsing %s: error converting YAML to JSON: yaml: %s' % (
                source, e))
        for doc in parsed:
            if isinstance(doc, dict) and doc.get("kind") == "List":
                docs.extend((source, item) for item in doc.get("items", []))
            elif isinstance(doc, dict):
                docs.append((source, doc))
            else:
                raise Fail("error: error validating \"%s\": error validating data: invalid object"
                           " to validate" % source)
    if not docs:
        raise Fail("error: no objects passed to apply")
    return docs


def kind_of(doc, source, world, namespace):
    kind = doc.get("kind")
    version = doc.get("apiVersion")
    name = doc.get("metadata", {}).get("name")
    if not kind or not version:
        raise Fail('error: error validating "%s": error validating data: [apiVersion not set, '
                   'kind not set]; if you choose to ignore these errors, turn validation off with '
                   '--validate=false' % source)
    info = KINDS.get(kind)
    group = version.rpartition("/")[0]
    if info is None or info[0] != group or (info[4] and not world.istio_crds):
        raise Fail('error: resource mapping not found for name: "%s" namespace: "%s" from "%s": '
                   'no matches for kind "%s" in version "%s"\nensure CRDs are installed first' % (
                       name, namespace if (info is None or info[3]) else "", source, kind,
                       version))
    if not name:
        raise Fail('error: error when retrieving current configuration of:\nResource: "%s", '
                   'Name: "", Namespace: "%s"\nfrom server for: "%s": resource name may not be '
                   'empty' % (resource_name(kind), namespace, source))
    return kind


def check_string_maps(doc, kind):
    """The API server decodes labels, annotations and ConfigMap data as map[string]string."""
    def go_type(v):
        if isinstance(v, bool):
            return "bool"
        if isinstance(v, (int, float)):
            return "number"
        if v is None:
            return None
        return "array" if isinstance(v, list) else "object"

    maps = [(("metadata", "labels"), "ObjectMeta.metadata.labels"),
            (("metadata", "annotations"), "ObjectMeta.metadata.annotations"),
            (("spec", "template", "metadata", "labels"), "ObjectMeta.spec.template.metadata.labels"),
            (("spec", "template", "metadata", "annotations"),
             "ObjectMeta.spec.template.metadata.annotations")]
    if kind == "ConfigMap":
        maps += [(("data",), "ConfigMap.data"), (("binaryData",), "ConfigMap.binaryData")]
    for path, field in maps:
        node = doc
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        if not isinstance(node, dict):
            continue
        for value in node.values():
            if not isinstance(value, str) and go_type(value):
                raise Fail('Error from server (BadRequest): %s in version "%s" cannot be handled '
                           'as a %s: json: cannot unmarshal %s into Go struct field %s of type '
                           'string' % (kind, KINDS[kind][1], kind, go_type(value), field))


def object_key(kind, namespace, name):
    return "%s/%s/%s" % (kind, namespace if KINDS[kind][3] else "", name)


def apply_one(world, doc, kind, namespace, manager, force, dry_run, now):
    """Server-side apply of one object. Returns the live object after it."""
    name = doc["metadata"]["name"]
    ns = doc["metadata"].get("namespace") or namespace
    if KINDS[kind][3]:
        if ns not in world.namespaces():
            raise Fail('Error from server (NotFound): namespaces "%s" not found' % ns)
        doc = json.loads(json.dumps(doc))
        doc["metadata"]["namespace"] = ns
    else:
        ns = None
    if not world.allowed("patch", KINDS[kind][2], ns):
        raise Fail("Error from server (Forbidden): " + world.forbidden("patch", kind, ns, name))
    check_string_maps(doc, kind)
    if kind in WORKLOAD_KINDS:
        return apply_workload(world, doc, kind, ns, manager, force, dry_run, now)
    key = object_key(kind, ns, name)
    entry = world.state.setdefault("objects", {}).get(key)
    live = entry["object"] if entry else {
        "apiVersion": doc["apiVersion"], "kind": kind, "metadata": {
            "creationTimestamp": rfc3339(now), "name": name, "uid": stable_uid(key)}}
    if ns:
        live["metadata"]["namespace"] = ns
    merged, owners, conflicts = ssa_merge(live, entry["owners"] if entry else {}, doc, manager,
                                          force)
    if conflicts:
        raise Fail(conflict_message(conflicts, doc["apiVersion"]))
    if KINDS[kind][4] or "spec" in merged:
        before = (entry or {}).get("object", {}).get("spec")
        generation = live["metadata"].get("generation", 0)
        if merged.get("spec") != before or not entry:
            generation += 1
        merged["metadata"]["generation"] = generation
    changed = not entry or merged != entry["object"]
    if changed and not dry_run:
        merged["metadata"]["resourceVersion"] = world.next_resource_version()
    if not dry_run:
        world.state["objects"][key] = {"object": merged, "owners": owners}
    return merged


def workload_owners(w, obj):
    owners = {}
    for path in flatten({"metadata": {"labels": obj["metadata"].get("labels", {})},
                         "spec": obj.get("spec", {})}):
        owners[json.dumps(list(path))] = [w.manager]
    return owners


def apply_workload(world, doc, kind, ns, manager, force, dry_run, now):
    name = doc["metadata"]["name"]
    w = world.workload(kind, ns, name)
    if w is None:
        spec = doc.get("spec", {})
        missing = []
        if not spec.get("selector"):
            missing.append("spec.selector: Required value")
        if not spec.get("template", {}).get("spec", {}).get("containers"):
            missing.append("spec.template.spec.containers: Required value")
        if missing:
            raise Fail('Error from server (Invalid): %s.apps "%s" is invalid: [%s]' % (
                kind, name, ", ".join(missing)))
        w = world._add_workload(kind, ns, name, {"replicas": spec.get("replicas", 1)})
        w.manager = manager
        live = {"apiVersion": doc["apiVersion"], "kind": kind, "metadata": {
            "creationTimestamp": rfc3339(now), "generation": 0, "name": name, "namespace": ns,
            "uid": stable_uid("%s/%s/%s" % (kind, ns, name))}}
        owners = {}
    else:
        live = world.workload_object(w, with_status=False)
        entry = world.state.get("workloads", {}).get("%s/%s/%s" % (kind, ns, name))
        owners = entry["owners"] if entry and "owners" in entry else workload_owners(w, live)
    merged, owners, conflicts = ssa_merge(live, owners, doc, manager, force)
    if conflicts:
        raise Fail(conflict_message(conflicts, doc["apiVersion"]))
    return update_workload(world, w, live, merged, owners, dry_run, now)


def update_workload(world, w, live, merged, owners, dry_run, now):
    meta = merged.setdefault("metadata", {})
    spec_changed = merged.get("spec") != live.get("spec")
    template_changed = (merged.get("spec", {}).get("template") !=
                        live.get("spec", {}).get("template"))
    if spec_changed:
        meta["generation"] = meta.get("generation", 0) + 1
        if not dry_run:
            meta["resourceVersion"] = world.next_resource_version()
        if w.kind == "Deployment":
            revision = int(meta.get("annotations", {}).get(
                "deployment.kubernetes.io/revision", "1"))
            if template_changed:
                meta.setdefault("annotations", {})["deployment.kubernetes.io/revision"] = str(
                    revision + 1)
    if dry_run:
        result = json.loads(json.dumps(merged))
        result["status"] = world._workload_status(w)
        return result
    world.store_workload(w, merged)
    entry = world.state["workloads"]["%s/%s/%s" % (w.kind, w.namespace, w.name)]
    entry["owners"] = owners
    if template_changed and w.rollout != "hang":
        world.replace_pods(w, now)
    return world.workload_object(w)


def cmd_apply(world, args):
    server_side = args.has("--server-side")
    dry_run = args.get("--dry-run", "none")
    if dry_run == "unchanged":
        err("W%s --dry-run is deprecated and can be replaced with --dry-run=client." % (
            klog_prefix("", "helpers.go:703")[0:]))
        dry_run = "client"
    if dry_run not in ("none", "client", "server"):
        raise Fail('error: Invalid dry-run value (%s). Must be "none", "server", or "client".'
                   % dry_run)
    if server_side and dry_run == "client":
        raise Fail("error: --dry-run=client doesn't work with --server-side (did you mean "
                   "--dry-run=server instead?)")
    if args.has("--force-conflicts") and not server_side:
        raise Fail("error: --force-conflicts only works with --server-side")
    fmt = args.get("--output", "")
    check_output_format(fmt, ("", "json", "yaml", "name"))
    docs = read_manifests(args)
    connect(world, args)
    world.lock()
    namespace = namespace_of(world, args)
    manager = args.get("--field-manager") or ("kubectl" if server_side else
                                              CLIENT_SIDE_MANAGER)
    now = time.time()
    results, errors = [], []
    for source, doc in docs:
        try:
            kind = kind_of(doc, source, world, namespace)
            if server_side:
                obj = apply_one(world, doc, kind, namespace, manager,
                                args.has("--force-conflicts"), dry_run != "none", now)
                verb = "serverside-applied"
            else:
                obj, verb = client_side_apply(world, doc, kind, namespace, dry_run != "none", now)
            results.append((kind, obj, verb))
        except Fail as e:
            errors.append(e.message)
    if dry_run == "none":
        world.save()
    suffix = {"none": "", "client": " (dry run)", "server": " (server dry run)"}[dry_run]
    if fmt in ("json", "yaml"):
        objs = [r[1] for r in results]
        if objs:
            doc = objs[0] if len(objs) == 1 else list_object(objs)
            out(go_json(doc, 4) if fmt == "json" else "\n".join(yaml_dump(doc)))
    else:
        for kind, obj, verb in results:
            line = "%s/%s" % (display_kind(kind), obj["metadata"]["name"])
            out(line if fmt == "name" else line + " " + verb + suffix)
    if errors:
        raise Fail("\n".join(errors))
    return 0


def client_side_apply(world, doc, kind, namespace, dry_run, now):
    """kubectl apply without --server-side: created / configured / unchanged."""
    name = doc["metadata"]["name"]
    ns = (doc["metadata"].get("namespace") or namespace) if KINDS[kind][3] else None
    if kind in WORKLOAD_KINDS:
        w = world.workload(kind, ns, name)
        before = world.workload_object(w, with_status=False) if w else None
    else:
        entry = world.state.get("objects", {}).get(object_key(kind, ns, name))
        before = entry["object"] if entry else None
    obj = apply_one(world, doc, kind, namespace, CLIENT_SIDE_MANAGER, True, dry_run, now)
    if before is None:
        return obj, "created"
    after = {k: v for k, v in obj.items() if k != "status"}
    return obj, "unchanged" if flatten(before) == flatten(after) else "configured"


# --- diff -----------------------------------------------------------------------------------------

def strip_for_diff(obj):
    obj = json.loads(json.dumps(obj))
    obj.get("metadata", {}).pop("managedFields", None)
    return obj


def cmd_diff(world, args):
    docs = read_manifests(args)
    try:
        connect(world, args)
    except Fail as e:
        raise Fail(e.message, 2)
    namespace = namespace_of(world, args)
    manager = args.get("--field-manager") or "kubectl"
    now = time.time()
    live_dir = "/tmp/LIVE-%d" % (int(now * 1000) % 4000000000)
    merged_dir = "/tmp/MERGED-%d" % (int(now * 7919) % 4000000000)
    import difflib
    changed = False
    stamp = time.strftime("%Y-%m-%d %H:%M:%S", time.gmtime(now)) + ".%09d +0000" % (
        int((now % 1) * 1e9))
    for source, doc in docs:
        try:
            kind = kind_of(doc, source, world, namespace)
            name = doc["metadata"]["name"]
            ns = (doc["metadata"].get("namespace") or namespace) if KINDS[kind][3] else None
            if kind in WORKLOAD_KINDS:
                w = world.workload(kind, ns, name)
                live = world.workload_object(w) if w else None
            else:
                entry = world.state.get("objects", {}).get(object_key(kind, ns, name))
                live = entry["object"] if entry else None
            merged = apply_one(world, doc, kind, namespace, manager,
                               args.has("--force-conflicts"), True, now)
        except Fail as e:
            raise Fail(e.message, 2)
        group, version = KINDS[kind][0], KINDS[kind][1]
        file_name = (group + "." if group else "") + "%s.%s.%s.%s" % (version, kind, ns or "",
                                                                      name)
        before = yaml_dump(strip_for_diff(live)) if live else []
        after = yaml_dump(strip_for_diff(merged))
        if before == after:
            continue
        changed = True
        left, right = live_dir + "/" + file_name, merged_dir + "/" + file_name
        out("diff -u -N %s %s" % (left, right))
        for line in difflib.unified_diff(before, after, left, right, stamp, stamp, lineterm=""):
            out(line)
    return 1 if changed else 0


# --- rollout ------------------------------------------------------------------------------------

def workload_target(world, args, words, command):
    if not words:
        raise Fail("error: required resource not specified\nSee 'kubectl rollout %s -h' for help "
                   "and examples" % command)
    if "/" in words[0]:
        kind_word, _, name = words[0].partition("/")
    elif len(words) >= 2:
        kind_word, name = words[0], words[1]
    else:
        raise Fail("error: you must provide one or more resources by argument or filename")
    kind = resolve_kind(kind_word, world)
    if kind not in WORKLOAD_KINDS:
        raise Fail('error: %s "%s" restarting is not supported' % (display_kind(kind), name)
                   if command == "restart" else
                   "error: no status viewer has been implemented for %s" % kind)
    namespace = namespace_of(world, args)
    world.check("get", kind, namespace, name)
    w = world.workload(kind, namespace, name)
    if w is None:
        raise Fail('Error from server (NotFound): %s "%s" not found' % (resource_name(kind), name))
    return w


def cmd_rollout(world, args):
    pos = args.positionals[1:]
    sub = pos[0] if pos else ""
    if sub not in ("restart", "status"):
        raise Fail('error: unknown command "%s" for "kubectl rollout"' % sub)
    connect(world, args)
    if sub == "restart":
        world.lock()
        w = workload_target(world, args, pos[1:], sub)
        if not world.allowed("patch", KINDS[w.kind][2], w.namespace):
            raise Fail("Error from server (Forbidden): " + world.forbidden(
                "patch", w.kind, w.namespace, w.name))
        now = time.time()
        live = world.workload_object(w, with_status=False)
        merged = json.loads(json.dumps(live))
        set_path(merged, ("spec", "template", "metadata", "annotations",
                          "kubectl.kubernetes.io/restartedAt"), rfc3339(now))
        key = "%s/%s/%s" % (w.kind, w.namespace, w.name)
        entry = world.state.get("workloads", {}).get(key)
        owners = entry["owners"] if entry and "owners" in entry else workload_owners(w, live)
        owners[json.dumps(["spec", "template", "metadata", "annotations",
                           "kubectl.kubernetes.io/restartedAt"])] = ["kubectl-rollout"]
        update_workload(world, w, live, merged, owners, False, now)
        world.save()
        out("%s/%s restarted" % (display_kind(w.kind), w.name))
        return 0
    w = workload_target(world, args, pos[1:], sub)
    timeout = go_duration(args.get("--timeout", "0s"))
    if timeout is None:
        raise Fail('error: invalid argument "%s" for "--timeout" flag: time: invalid duration '
                   '"%s"' % (args.get("--timeout"), args.get("--timeout")))
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: os._exit(1))
    if w.rollout == "hang":
        replicas = w.replicas or 1
        if w.kind == "Deployment":
            out('Waiting for deployment "%s" rollout to finish: 0 of %d updated replicas are '
                'available...' % (w.name, replicas))
        elif w.kind == "StatefulSet":
            out("Waiting for %d pods to be ready..." % replicas)
        else:
            out('Waiting for daemon set "%s" rollout to finish: 0 out of %d new pods have been '
                'updated...' % (w.name, replicas))
        if not timeout:
            sleep_forever()
        time.sleep(timeout)
        raise Fail("error: timed out waiting for the condition")
    if w.kind == "Deployment":
        out('deployment "%s" successfully rolled out' % w.name)
    elif w.kind == "StatefulSet":
        out("statefulset rolling update complete %d pods at revision %s-%s..." % (
            w.replicas or 0, w.name, world.template_hash(w)))
    else:
        out('daemon set "%s" successfully rolled out' % w.name)
    return 0


# --- version, config ----------------------------------------------------------------------------

def version_info(git_version):
    major, minor = git_version.lstrip("v").split(".")[:2]
    return {"major": major, "minor": minor, "gitVersion": git_version,
            "gitCommit": hex_id(git_version, 40), "gitTreeState": "clean",
            "buildDate": "2024-03-15T00:00:00Z", "goVersion": "go1.21.8", "compiler": "gc",
            "platform": "linux/amd64"}


def cmd_version(world_loader, args):
    fmt = args.get("--output", "")
    if fmt not in ("", "json", "yaml"):
        raise Fail("error: --output must be 'yaml' or 'json'")
    world = None
    client = CLIENT_VERSION
    if os.environ.get("FAKE_KUBECTL_SCENARIO"):
        world = world_loader()
        client = world.scenario.get("client_version", CLIENT_VERSION)
    info = {"clientVersion": version_info(client), "kustomizeVersion": KUSTOMIZE_VERSION}
    failure = None
    if not args.has("--client"):
        try:
            if world is None:
                world = world_loader()
            connect(world, args)
            info["serverVersion"] = version_info(world.scenario.get("server_version",
                                                                    SERVER_VERSION))
        except Fail as e:
            failure = e
    if fmt == "json":
        # kubectl version marshals with a two-space indent and its struct's field order.
        out(json.dumps(info, indent=2))
    elif fmt == "yaml":
        out("\n".join(yaml_dump(info)))
    else:
        out("Client Version: %s" % client)
        out("Kustomize Version: %s" % KUSTOMIZE_VERSION)
        if "serverVersion" in info:
            out("Server Version: %s" % info["serverVersion"]["gitVersion"])
    if failure:
        raise failure
    return 0


def cmd_config(world, args):
    pos = args.positionals[1:]
    if pos[:1] == ["current-context"]:
        out(world.scenario.get("context", "kind-hfi"))
        return 0
    raise Fail('error: unknown command "%s" for "kubectl config"' % (pos[0] if pos else ""))


USAGE = """kubectl controls the Kubernetes cluster manager.

 Find more information at: https://kubernetes.io/docs/reference/kubectl/

(a stand-in answering from $FAKE_KUBECTL_SCENARIO; commands: get, port-forward, exec, auth can-i,
apply, diff, rollout restart|status, version, config current-context)"""


COMMANDS = {
    "get": cmd_get, "port-forward": cmd_port_forward, "exec": cmd_exec, "auth": cmd_auth,
    "apply": cmd_apply, "diff": cmd_diff, "rollout": cmd_rollout, "config": cmd_config,
}


def main(argv):
    record_call(argv)
    # Go's default for SIGINT is to die of it (Python would raise KeyboardInterrupt), and a
    # SIGINT ignored from the start stays ignored unless a command asks for it.
    if signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.SIG_DFL)
    try:
        args = parse_args(argv)
    except Fail as e:
        command = next((a for a in argv if not a.startswith("-")), None)
        err(e.message)
        err("See 'kubectl%s --help' for usage." % (" " + command if command in COMMANDS or
                                                   command == "version" else ""))
        return EXIT_ERROR
    if not args.positionals:
        out(USAGE)
        return 0
    command = args.positionals[0]
    if args.has("--help"):
        out(USAGE)
        return 0
    try:
        if command == "version":
            return cmd_version(load_world, args)
        handler = COMMANDS.get(command)
        if handler is None:
            raise Fail('error: unknown command "%s" for "kubectl"' % command)
        return handler(load_world(), args)
    except Fail as e:
        err(e.message)
        return e.code

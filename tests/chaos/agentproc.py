"""Real `rollcall agent` processes for the chaos, bad-input and security tests.

An Agent has its own directory (agent.toml, data/, agent.log), runs either in the current network
namespace or inside a netns.Rig host (through `ip netns exec`), and is reached over HTTP through a
socket created in its namespace (netns.ns_socket), so 127.0.0.1 means "inside that host". Every
process started is tracked by PID (and gets PR_SET_PDEATHSIG so it cannot outlive the harness);
only those PIDs are ever signalled. Configs are written from nested dicts (toml_text), so a test
can override any key. Python 3 standard library only.
"""
import base64
import ctypes
import http.client
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import time

import netns

ROLLCALL_BIN = os.environ.get("ROLLCALL_BIN", "")
PR_SET_PDEATHSIG = 1
_libc = ctypes.CDLL(None, use_errno=True)


class Timeout(AssertionError):
    pass


def wait_until(predicate, timeout, what, interval=0.2):
    """Polls predicate() until truthy (returned) or `timeout` s pass (Timeout naming `what`)."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        try:
            value = predicate()
            if value:
                return value
            last = value
        except Exception as e:  # noqa: BLE001 - a failing probe is "not yet"
            last = "%s: %s" % (type(e).__name__, e)
        if time.monotonic() >= deadline:
            raise Timeout("timed out after %.1fs waiting for %s; last: %s" % (timeout, what, str(last)[:400]))
        time.sleep(interval)


# --- TOML ---------------------------------------------------------------------------------------
def _toml_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, (list, tuple)):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    return json.dumps(str(v))  # JSON string escapes are valid TOML basic-string escapes


def toml_text(doc, prefix=""):
    """doc: {section: {key: value}} plus arrays of tables as {"component": [{...}, ...]}. A dict
    value inside a section becomes a sub-table ([server.labels]). Keys whose value is None are
    left out."""
    out = []
    for section, body in doc.items():
        name = prefix + section
        if isinstance(body, list):
            for entry in body:
                out.append("[[%s]]" % name)
                out += ["%s = %s" % (k, _toml_value(v)) for k, v in entry.items() if v is not None]
                out.append("")
        else:
            out.append("[%s]" % name)
            out += ["%s = %s" % (k, _toml_value(v)) for k, v in body.items()
                    if v is not None and not isinstance(v, dict)]
            out.append("")
            subs = {k: v for k, v in body.items() if isinstance(v, dict)}
            if subs:
                out.append(toml_text(subs, name + "."))
    return "\n".join(out)


def merge(base, over):
    """Deep merge of config dicts (over wins; None in `over` deletes the key)."""
    out = dict(base)
    for k, v in (over or {}).items():
        if v is None:
            out.pop(k, None)
        elif isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = merge(out[k], v)
        else:
            out[k] = v
    return out


def new_key():
    return base64.b64encode(secrets.token_bytes(32)).decode()


def write_secret(path, text):
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(text + "\n")


# --- HTTP through a namespace ----------------------------------------------------------------------
class NsHTTPConnection(http.client.HTTPConnection):
    def __init__(self, ns, host, port, timeout):
        super().__init__(host, port, timeout=timeout)
        self.ns = ns

    def connect(self):
        s = netns.ns_socket(self.ns, socket.AF_INET, socket.SOCK_STREAM)
        s.settimeout(self.timeout)
        try:
            s.connect((self.host, self.port))
        except BaseException:
            s.close()
            raise
        self.sock = s


def http_request(ns, host, port, method, path, body=None, headers=None, timeout=5.0):
    """(status, headers lower-case, body bytes). Connection problems raise OSError."""
    conn = NsHTTPConnection(ns, host, port, timeout)
    try:
        hdrs = dict(headers or {})
        data = body
        if isinstance(body, (dict, list)):
            data = json.dumps(body).encode()
            hdrs.setdefault("Content-Type", "application/json")
        elif isinstance(body, str):
            data = body.encode()
        conn.request(method, path, body=data, headers=hdrs)
        r = conn.getresponse()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, r.read()
    finally:
        conn.close()


def parse_metrics(text):
    """Prometheus text -> {"name{labels}": float} (and bare names for unlabelled series)."""
    out = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = re.match(r"^(\S+?)\s+(\S+)$", line)
        if m:
            try:
                out[m.group(1)] = float(m.group(2))
            except ValueError:
                pass
    return out


def rss_kb(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    except OSError:
        return None
    return None


class Agent:
    """One agent. `ns`: network namespace name or None. `addr`: gossip IP. Ports default to 7950
    (gossip) and 7951 (HTTP on 127.0.0.1 inside the namespace)."""

    def __init__(self, workdir, name, cluster="chaos", ns=None, addr="127.0.0.1", gossip_port=7950,
                 http_bind="127.0.0.1:7951", seeds=(), key_file=None, token_file=None, product_key=None,
                 profile="local", log_level="debug", overrides=None, env_extra=None, prefix=(), wrap=()):
        self.name = name
        self.cluster = cluster
        self.ns = ns
        self.addr = addr
        self.gossip_port = gossip_port
        self.http_bind = http_bind
        self.http_host, port = http_bind.rsplit(":", 1)
        if self.http_host == "0.0.0.0":
            self.http_host = "127.0.0.1"
        self.http_port = int(port)
        self.seeds = list(seeds)
        self.key_file = key_file
        self.token_file = token_file
        self.product_key = product_key
        self.profile = profile
        self.log_level = log_level
        self.overrides = overrides or {}
        self.env_extra = env_extra or {}
        self.prefix = list(prefix)  # argv run before everything (e.g. nsenter into a mount namespace)
        self.wrap = list(wrap)      # argv run inside the network namespace, before rollcall (e.g. setpriv)
        self.dir = os.path.join(workdir, name)
        self.data_dir = os.path.join(self.dir, "data")
        self.config_path = os.path.join(self.dir, "agent.toml")
        self.log_path = os.path.join(self.dir, "agent.log")
        self.proc = None
        self.procs = []  # every process started for this agent (for cleanup)
        self.starts = 0
        os.makedirs(self.data_dir, exist_ok=True)

    @property
    def gossip_addr(self):
        return "%s:%d" % (self.addr, self.gossip_port)

    def config(self):
        doc = {
            "agent": {"name": self.name, "cluster": self.cluster, "data_dir": self.data_dir,
                      "log_level": self.log_level},
            "gossip": {"bind": self.gossip_addr, "advertise": self.gossip_addr, "seeds": self.seeds,
                       "profile": self.profile},
            "http": {"bind": self.http_bind, "header_timeout": "2s"},
            "server": {"addresses": [self.addr], "host_id_file": ""},
            "product.keys": [{"name": "encryption", "env": "PROGET_ENCRYPTION_KEY"}],
            "component": [
                {"kind": "web", "version": "2024.3", "endpoint": "http://%s:8624/" % self.addr, "check": ""},
                {"kind": "service", "version": "2024.3", "endpoint": "", "check": ""},
            ],
        }
        if self.key_file:
            doc["gossip"]["key_file"] = self.key_file
        if self.token_file:
            doc["http"]["admin_token_file"] = self.token_file
        return merge(doc, self.overrides)

    def write_config(self):
        with open(self.config_path, "w") as f:
            f.write(toml_text(self.config()) + "\n")

    def env(self):
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("ROLLCALL_") and k != "PROGET_ENCRYPTION_KEY"}
        if self.product_key:
            env["PROGET_ENCRYPTION_KEY"] = self.product_key
        env.update(self.env_extra)
        return env

    def argv(self, extra=()):
        base = [ROLLCALL_BIN, "agent", "--config", self.config_path] + list(extra)
        return self.prefix + (["ip", "netns", "exec", self.ns] if self.ns else []) + self.wrap + base

    def start(self, extra_args=()):
        assert not self.running(), "%s already running" % self.name
        self.write_config()
        log = open(self.log_path, "ab")
        log.write(("==== start %d ====\n" % (self.starts + 1)).encode())
        log.flush()
        try:
            self.proc = subprocess.Popen(self.argv(extra_args), stdin=subprocess.DEVNULL, stdout=log,
                                         stderr=subprocess.STDOUT, env=self.env(),
                                         preexec_fn=lambda: _libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL))
        finally:
            log.close()
        self.procs.append(self.proc)
        self.starts += 1
        return self

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    def signal(self, sig):
        if self.running():
            os.kill(self.proc.pid, sig)

    def kill9(self):
        if self.running():
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)

    def terminate(self):
        """SIGCONT + SIGTERM without waiting (a stopped process cannot act on SIGTERM)."""
        if self.running():
            try:
                os.kill(self.proc.pid, signal.SIGCONT)
                os.kill(self.proc.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass

    def stop(self, timeout=10):
        """SIGCONT + SIGTERM (graceful leave), SIGKILL after `timeout`. Returns the exit status."""
        if not self.running():
            return self.proc.returncode if self.proc else None
        try:
            os.kill(self.proc.pid, signal.SIGCONT)
            os.kill(self.proc.pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.kill(self.proc.pid, signal.SIGKILL)
            self.proc.wait(timeout=10)
            return None

    def cleanup(self):
        for p in self.procs:
            if p.poll() is None:
                try:
                    os.kill(p.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                p.wait(timeout=10)

    def rss_kb(self):
        return rss_kb(self.proc.pid) if self.running() else None

    # --- HTTP ----------------------------------------------------------------------------------
    def request(self, method, path, body=None, token=None, headers=None, timeout=5.0):
        hdrs = dict(headers or {})
        if token is not None:
            hdrs["Authorization"] = "Bearer " + token
        return http_request(self.ns, self.http_host, self.http_port, method, path, body, hdrs, timeout)

    def get(self, path, timeout=5.0):
        status, _, body = self.request("GET", path, timeout=timeout)
        if status != 200:
            raise AssertionError("GET %s on %s answered %d: %r" % (path, self.name, status, body[:300]))
        return json.loads(body)

    def members(self, timeout=5.0):
        return self.get("/v1/members", timeout)

    def table(self, timeout=5.0):
        return self.get("/v1/cluster", timeout)

    def metrics(self, timeout=5.0):
        status, _, body = self.request("GET", "/metrics", timeout=timeout)
        if status != 200:
            raise AssertionError("/metrics on %s answered %d" % (self.name, status))
        return parse_metrics(body.decode())

    def health_ok(self, timeout=1.0):
        try:
            return self.request("GET", "/health", timeout=timeout)[0] == 200
        except OSError:
            return False

    def log_text(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""


def stop_all(agents, grace=6.0):
    """SIGTERM every agent at once (a graceful leave each), wait up to `grace` seconds in total,
    then SIGKILL and clean up whatever is left. Only the agents' own PIDs are signalled."""
    for a in agents:
        a.terminate()
    deadline = time.monotonic() + grace
    for a in agents:
        if a.proc is not None:
            try:
                a.proc.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                pass
    for a in agents:
        a.cleanup()

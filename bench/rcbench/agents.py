"""Benchmark clusters of real `rollcall agent` processes on 127.0.0.1 (LAN timing profile,
encryption on). Used by the bench suites (bench/run_*.py) only. Every process started here is
tracked by PID and stopped in close() (SIGTERM, bounded wait, SIGKILL); work directories are
removed. Python 3 standard library only."""
import base64
import http.client
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from datetime import datetime

from . import machine

DEFAULT_BIN = os.path.join(machine.ROOT, "build-bench", "daemon", "rollcall")

# gossip::Config::lan(): the timings every figure of these suites is measured with.
LAN = {"probe_interval_s": 1.0, "probe_timeout_s": 0.5, "gossip_interval_s": 0.2, "gossip_fanout": 3,
       "push_pull_interval_s": 30.0, "suspicion_mult": 4.0, "suspicion_max_mult": 6.0,
       "retransmit_mult": 4, "leave_timeout_s": 1.0}

CLK_TCK = os.sysconf("SC_CLK_TCK")


def agent_binary():
    path = os.environ.get("ROLLCALL_BIN") or DEFAULT_BIN
    if not os.access(path, os.X_OK):
        raise SystemExit("rollcall binary not found at %s (build it: cmake --build build-bench --target rollcall, "
                         "or set ROLLCALL_BIN)" % path)
    return path


def free_ports(count):
    """`count` distinct ports free for both TCP and UDP on 127.0.0.1 right now."""
    held, ports = [], []
    try:
        while len(ports) < count:
            t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            t.bind(("127.0.0.1", 0))
            port = t.getsockname()[1]
            u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            try:
                u.bind(("127.0.0.1", port))
            except OSError:
                t.close()
                u.close()
                continue
            held += [t, u]
            ports.append(port)
    finally:
        for s in held:
            s.close()
    return ports


def wait_until(predicate, timeout, what, interval=0.1):
    """Polls predicate() until truthy (returned) or `timeout` s pass (TimeoutError naming `what`)."""
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
            raise TimeoutError("timed out after %.1fs waiting for %s; last: %r" % (timeout, what, last))
        time.sleep(interval)


def http_request(port, method, path, body=None, timeout=5.0):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        hdrs = {}
        if body is not None:
            body = json.dumps(body).encode()
            hdrs["Content-Type"] = "application/json"
        conn.request(method, path, body=body, headers=hdrs)
        r = conn.getresponse()
        return r.status, r.read()
    finally:
        conn.close()


def get_json(port, path, timeout=5.0):
    status, body = http_request(port, "GET", path, timeout=timeout)
    if status != 200:
        raise RuntimeError("GET %s on :%d answered %d" % (path, port, status))
    return json.loads(body)


def parse_metrics(text):
    """Prometheus text -> {name or name{labels}: float}."""
    out = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        key, _, value = line.rpartition(" ")
        try:
            out[key] = float(value)
        except ValueError:
            pass
    return out


# "2024-11-29T14:51:38.123+00:00 info  member dead: bench-07 (ab12cd34)"
_LOG_RE = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}(?:Z|[+-]\d\d:?\d\d)) \S+\s+member (joined|suspect|dead|left|"
                     r"alive again|updated): (.+?) \(([0-9a-f]{8})\)")


def parse_log_events(path):
    """Member events an agent logged: [(wall time s, kind, subject name)], kind in joined, suspect,
    dead, left, alive again, updated. Timestamps are the agent's own (system clock, 1 ms)."""
    events = []
    try:
        with open(path, "rb") as f:
            for raw in f:
                m = _LOG_RE.match(raw.decode("utf-8", "replace"))
                if m:
                    t = datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()
                    events.append((t, m.group(2), m.group(3)))
    except OSError:
        pass
    return events


def read_proc(pid):
    """RSS figures (KiB) and CPU time (s, all threads, ns resolution from schedstat) of a process."""
    out = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            k, _, v = line.partition(":")
            if k in ("VmRSS", "RssAnon", "RssFile", "RssShmem", "VmHWM"):
                out[k] = int(v.split()[0])
    try:
        with open("/proc/%d/smaps_rollup" % pid) as f:
            for line in f:
                if line.startswith("Pss:"):
                    out["Pss"] = int(line.split()[1])
    except OSError:
        pass
    cpu_ns = 0
    for tid in os.listdir("/proc/%d/task" % pid):
        try:
            with open("/proc/%d/task/%s/schedstat" % (pid, tid)) as f:
                cpu_ns += int(f.read().split()[0])
        except OSError:
            pass
    out["cpu_s"] = cpu_ns / 1e9
    out["threads"] = len(os.listdir("/proc/%d/task" % pid))
    return out


class Agent:
    def __init__(self, cluster, index, gossip_port, http_port):
        self.cluster = cluster
        self.index = index
        self.name = "bench-%02d" % (index + 1)
        self.gossip_port = gossip_port
        self.http_port = http_port
        self.dir = os.path.join(cluster.workdir, self.name)
        self.data_dir = os.path.join(self.dir, "data")
        self.config_path = os.path.join(self.dir, "agent.toml")
        self.log_path = os.path.join(self.dir, "agent.log")
        self.proc = None
        self.started_at = None  # wall time just before the process was spawned
        os.makedirs(self.data_dir, exist_ok=True)

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    def write_config(self, seeds):
        c = self.cluster
        check = "tcp://127.0.0.1:%d" % c.check_port
        lines = [
            "[agent]", "name = %s" % json.dumps(self.name), "cluster = %s" % json.dumps(c.name),
            "data_dir = %s" % json.dumps(self.data_dir), 'log_level = "info"', "",
            "[gossip]", 'bind = "127.0.0.1:%d"' % self.gossip_port, 'advertise = "127.0.0.1:%d"' % self.gossip_port,
            "seeds = [%s]" % ", ".join(json.dumps(s) for s in seeds), 'profile = "lan"',
            "key_file = %s" % json.dumps(c.key_file), "",
            "[http]", 'bind = "127.0.0.1:%d"' % self.http_port, "admin_token_file = %s" % json.dumps(c.token_file), "",
            "[server]", 'addresses = ["127.0.0.1"]', 'host_id_file = ""', "",
            "[[product.keys]]", 'name = "encryption"', 'env = "PROGET_ENCRYPTION_KEY"', "",
        ]
        for kind in ("web", "service"):
            lines += ["[[component]]", "kind = %s" % json.dumps(kind), 'version = "2024.3"',
                      "endpoint = %s" % json.dumps(check), "check = %s" % json.dumps(check), ""]
        with open(self.config_path, "w") as f:
            f.write("\n".join(lines) + "\n")

    def start(self, seeds):
        self.write_config(seeds)
        env = {k: v for k, v in os.environ.items() if not k.startswith("ROLLCALL_")}
        env["PROGET_ENCRYPTION_KEY"] = self.cluster.product_key
        log = open(self.log_path, "ab")
        try:
            self.started_at = time.time()
            self.proc = subprocess.Popen([self.cluster.binary, "agent", "--config", self.config_path],
                                         stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT, env=env)
        finally:
            log.close()
        self.cluster.started.append(self.proc)

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def members(self, timeout=5.0):
        return get_json(self.http_port, "/v1/members", timeout=timeout)

    def metrics(self, timeout=5.0):
        status, body = http_request(self.http_port, "GET", "/metrics", timeout=timeout)
        if status != 200:
            raise RuntimeError("/metrics answered %d" % status)
        return parse_metrics(body.decode())

    def events(self):
        return parse_log_events(self.log_path)


class Cluster:
    """N agents of one cluster ("bench") with a shared gossip key (encryption on), admin token and
    product key, plus a TCP listener that their component checks connect to."""

    def __init__(self, n, binary=None, ports=None, name="bench"):
        self.name = name
        self.binary = binary or agent_binary()
        self.workdir = tempfile.mkdtemp(prefix="rollcall-bench-")
        self.key_file = os.path.join(self.workdir, "gossip.key")
        self.token_file = os.path.join(self.workdir, "admin.token")
        self.product_key = secrets.token_hex(16)
        for path, content in ((self.key_file, base64.b64encode(secrets.token_bytes(32)).decode() + "\n"),
                              (self.token_file, secrets.token_hex(16) + "\n")):
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(content)
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(256)
        self.check_port = self.listener.getsockname()[1]
        threading.Thread(target=self._accept_and_close, daemon=True).start()
        self.started = []
        ports = ports or free_ports(2 * n)
        self.agents = [Agent(self, i, ports[2 * i], ports[2 * i + 1]) for i in range(n)]

    def _accept_and_close(self):
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return
            conn.close()

    def start(self, agents=None):
        """Starts the seed (agent 0) and waits for its HTTP port, then spawns the others back to back,
        each seeded with agent 0. Returns the wall time of the last spawn."""
        agents = agents if agents is not None else self.agents
        seed = ["127.0.0.1:%d" % self.agents[0].gossip_port]
        last = None
        for a in agents:
            a.start([] if a is self.agents[0] else seed)
            last = a.started_at
            if a is self.agents[0]:
                wait_until(lambda: http_request(a.http_port, "GET", "/health", timeout=1)[0] == 200, 20,
                           "the seed agent to answer /health", interval=0.02)
        return last

    def live(self):
        return [a for a in self.agents if a.running()]

    def views(self, agents=None):
        """{observer name: {subject name: state}} from /v1/members of each agent."""
        out = {}
        for a in agents or self.live():
            out[a.name] = {m["name"]: m["state"] for m in a.members(timeout=10)}
        return out

    def wait_all_alive(self, agents, expect_names, timeout):
        names = set(expect_names)

        def check():
            for a in agents:
                view = {m["name"]: m["state"] for m in a.members(timeout=10)}
                if not names <= set(view) or any(view[n] not in ("alive", "suspect") for n in names):
                    return False
            return True
        return wait_until(check, timeout, "%d agents to list %d alive members" % (len(agents), len(names)),
                          interval=0.25)

    def wait_state(self, observers, subject, states, timeout):
        def check():
            for a in observers:
                view = {m["name"]: m["state"] for m in a.members(timeout=10)}
                if view.get(subject) not in states:
                    return False
            return True
        return wait_until(check, timeout, "every observer to see %s as %s" % (subject, "/".join(states)),
                          interval=0.25)

    def close(self):
        for p in self.started:
            if p.poll() is None:
                try:
                    os.kill(p.pid, signal.SIGCONT)
                    os.kill(p.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + 8
        for p in self.started:
            try:
                p.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                try:
                    os.kill(p.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                p.wait(timeout=10)
        try:
            self.listener.close()
        except OSError:
            pass
        shutil.rmtree(self.workdir, ignore_errors=True)

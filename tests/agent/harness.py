"""Process-level test harness for real `rollcall agent` processes on 127.0.0.1.

Python 3 standard library only. Every wait is a condition polled until a deadline; every process
this harness starts is tracked by PID and killed in close() (SIGTERM, bounded wait, SIGKILL); ports
are chosen free (TCP and UDP) before use. The agent binary comes from env ROLLCALL_BIN.

Timings: agents run the "local" profile (probe_interval 500ms, probe_timeout 200ms, suspicion_mult 3,
suspicion_max_mult 6, gossip_interval 100ms); detection_bound() derives the kill -9 bound from them.
"""
import base64
import http.client
import json
import math
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

ROLLCALL_BIN = os.environ.get("ROLLCALL_BIN", "")

# The "local" profile (gossip::Config::local()).
PROBE_INTERVAL = 0.5
PROBE_TIMEOUT = 0.2
SUSPICION_MULT = 3.0
SUSPICION_MAX_MULT = 6.0
GOSSIP_INTERVAL = 0.1
PUSH_PULL_INTERVAL = 10.0


def require_binary(testcase):
    if not ROLLCALL_BIN or not os.access(ROLLCALL_BIN, os.X_OK):
        testcase.fail("ROLLCALL_BIN does not name an executable rollcall binary: %r" % ROLLCALL_BIN)


def suspicion_bounds(n):
    """Lifeguard suspicion timeout (min, max) in seconds for n members."""
    lo = max(PROBE_INTERVAL, SUSPICION_MULT * math.log10(n + 1) * PROBE_INTERVAL)
    return lo, SUSPICION_MAX_MULT * lo


def detection_bound(n, slack=3.0):
    """Seconds within which every live agent must mark a crashed one dead: one full probe round
    before someone probes it and misses the ack, the longest suspicion timeout, then the spread of
    the verdict, plus `slack` for scheduling on a loaded machine."""
    probe_round = (n - 1) * PROBE_INTERVAL + PROBE_INTERVAL
    spread = 10 * GOSSIP_INTERVAL * max(1, math.ceil(math.log10(n + 1)))
    return probe_round + suspicion_bounds(n)[1] + spread + slack


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


def free_port_block(count, attempts=200):
    """A base port such that base..base+count-1 are all free (for `rollcall demo --base-port`)."""
    rng = secrets.SystemRandom()
    for _ in range(attempts):
        base = rng.randrange(20000, 60000 - count)
        held = []
        try:
            for p in range(base, base + count):
                t = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
                held.append(t)
                t.bind(("127.0.0.1", p))
                u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
                held.append(u)
                u.bind(("127.0.0.1", p))
            return base
        except OSError:
            continue
        finally:
            for s in held:
                s.close()
    raise RuntimeError("no block of %d free ports found" % count)


class Timeout(AssertionError):
    pass


def wait_until(predicate, timeout, what, interval=0.1):
    """Polls predicate() until it returns a truthy value (returned) or `timeout` seconds pass
    (Timeout naming `what` and the last value or exception seen)."""
    deadline = time.monotonic() + timeout
    last = None
    while True:
        try:
            value = predicate()
            if value:
                return value
            last = value
        except Exception as e:  # noqa: BLE001 - a failing probe is just "not yet"
            last = "%s: %s" % (type(e).__name__, e)
        if time.monotonic() >= deadline:
            raise Timeout("timed out after %.1fs waiting for %s; last: %r" % (timeout, what, last))
        time.sleep(interval)


def holds_for(predicate, duration, what, interval=0.2):
    """Asserts predicate() stays truthy for `duration` seconds (for "never happens" checks)."""
    deadline = time.monotonic() + duration
    while time.monotonic() < deadline:
        value = predicate()
        if not value:
            raise AssertionError("%s stopped holding: %r" % (what, value))
        time.sleep(interval)


def request(port, method, path, body=None, headers=None, timeout=5.0):
    """One HTTP request to 127.0.0.1:port. Returns (status, headers dict lower-case, body bytes).
    HTTP error statuses are returned, not raised; connection problems raise OSError."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        data = body
        hdrs = dict(headers or {})
        if isinstance(body, (dict, list)):
            data = json.dumps(body).encode()
            hdrs.setdefault("Content-Type", "application/json")
        elif isinstance(body, str):
            data = body.encode()
        conn.request(method, path, body=data, headers=hdrs)
        r = conn.getresponse()
        payload = r.read()
        return r.status, {k.lower(): v for k, v in r.getheaders()}, payload
    finally:
        conn.close()


def get_json(port, path, timeout=5.0):
    status, _, body = request(port, "GET", path, timeout=timeout)
    if status != 200:
        raise AssertionError("GET %s on :%d answered %d: %r" % (path, port, status, body[:300]))
    return json.loads(body)


def toml_str(s):
    return json.dumps(str(s))  # JSON string escapes are valid TOML basic-string escapes


class Agent:
    """One agent process with its own config file, data dir and log."""

    def __init__(self, cluster, index, name, gossip_port, http_port, version="2024.3", product_key=True,
                 key_file=None, seeds=None, extra_toml=""):
        self.cluster = cluster
        self.index = index
        self.name = name
        self.gossip_port = gossip_port
        self.http_port = http_port
        self.version = version
        self.product_key = product_key
        self.key_file = key_file or cluster.key_file
        self.seeds = seeds
        self.extra_toml = extra_toml
        self.dir = os.path.join(cluster.workdir, name)
        self.data_dir = os.path.join(self.dir, "data")
        self.config_path = os.path.join(self.dir, "agent.toml")
        self.log_path = os.path.join(self.dir, "agent.log")
        self.proc = None
        os.makedirs(self.data_dir, exist_ok=True)

    @property
    def pid(self):
        return self.proc.pid if self.proc else None

    def write_config(self):
        seeds = self.seeds if self.seeds is not None else [
            "127.0.0.1:%d" % a.gossip_port for a in self.cluster.agents if a is not self]
        check = "tcp://127.0.0.1:%d" % self.cluster.check_port
        text = "\n".join([
            "[agent]",
            "name = %s" % toml_str(self.name),
            "cluster = %s" % toml_str(self.cluster.name),
            "data_dir = %s" % toml_str(self.data_dir),
            "log_level = \"debug\"",
            "",
            "[gossip]",
            "bind = \"127.0.0.1:%d\"" % self.gossip_port,
            "advertise = \"127.0.0.1:%d\"" % self.gossip_port,
            "seeds = [%s]" % ", ".join(toml_str(s) for s in seeds),
            "profile = \"local\"",
            "key_file = %s" % toml_str(self.key_file),
            "",
            "[http]",
            "bind = \"127.0.0.1:%d\"" % self.http_port,
            "admin_token_file = %s" % toml_str(self.cluster.token_file),
            "header_timeout = \"2s\"",
            "",
            "[server]",
            "addresses = [\"127.0.0.1\"]",
            "host_id_file = \"\"",
            "",
            "[[product.keys]]",
            "name = \"encryption\"",
            "env = \"PROGET_ENCRYPTION_KEY\"",
            "",
            "[[component]]",
            "kind = \"web\"",
            "version = %s" % toml_str(self.version),
            "endpoint = \"http://127.0.0.1:%d/\"" % self.http_port,
            "check = %s" % toml_str(check),
            "check_interval = \"2s\"",
            "check_timeout = \"1s\"",
            "",
            "[[component]]",
            "kind = \"service\"",
            "version = %s" % toml_str(self.version),
            "endpoint = %s" % toml_str(check),
            "check = %s" % toml_str(check),
            "check_interval = \"2s\"",
            "check_timeout = \"1s\"",
            "",
            self.extra_toml,
        ])
        with open(self.config_path, "w") as f:
            f.write(text + "\n")

    def env(self):
        env = {k: v for k, v in os.environ.items()
               if not k.startswith("ROLLCALL_") and k != "PROGET_ENCRYPTION_KEY"}
        if self.product_key:
            env["PROGET_ENCRYPTION_KEY"] = self.cluster.product_key
        return env

    def start(self):
        assert self.proc is None or self.proc.poll() is not None, "%s already running" % self.name
        self.write_config()
        log = open(self.log_path, "ab")
        try:
            self.proc = subprocess.Popen([ROLLCALL_BIN, "agent", "--config", self.config_path], stdin=subprocess.DEVNULL,
                                         stdout=log, stderr=subprocess.STDOUT, env=self.env())
        finally:
            log.close()
        self.cluster.started.append(self.proc)
        return self

    def running(self):
        return self.proc is not None and self.proc.poll() is None

    def signal(self, sig):
        if self.running():
            os.kill(self.proc.pid, sig)

    def wait_exit(self, timeout):
        """Exit status, or Timeout."""
        return wait_until(lambda: self.proc.poll() is not None, timeout, "%s (pid %d) to exit" % (self.name, self.pid)) \
            and self.proc.returncode

    def kill9(self):
        self.signal(signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self, timeout=10):
        """Graceful stop (SIGTERM), SIGKILL after `timeout`. Returns the exit status."""
        if not self.running():
            return self.proc.returncode if self.proc else None
        self.signal(signal.SIGTERM)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.signal(signal.SIGKILL)
            self.proc.wait(timeout=10)
            raise AssertionError("%s did not exit within %ss of SIGTERM" % (self.name, timeout))

    # --- API helpers ---------------------------------------------------------------------------
    def get(self, path, timeout=5.0):
        return get_json(self.http_port, path, timeout=timeout)

    def cluster_table(self):
        return self.get("/v1/cluster")

    def request(self, method, path, body=None, token=None, headers=None, timeout=5.0):
        hdrs = dict(headers or {})
        if token is not None:
            hdrs["Authorization"] = "Bearer " + token
        return request(self.http_port, method, path, body=body, headers=hdrs, timeout=timeout)

    def log_text(self):
        try:
            with open(self.log_path, "rb") as f:
                return f.read().decode("utf-8", "replace")
        except OSError:
            return ""


def server_row(table, name):
    rows = [s for s in table.get("servers", []) if s.get("name") == name]
    return rows[0] if len(rows) == 1 else (None if not rows else rows)


def component(row, kind):
    for c in (row or {}).get("components", []):
        if c.get("kind") == kind:
            return c
    return None


class Cluster:
    """N agents of one cluster on 127.0.0.1 with a shared gossip key, admin token and product key,
    plus a TCP listener for their components' checks. close() stops everything it started."""

    def __init__(self, n, name="agenttest", versions=None, no_product_key=(), start=True):
        self.name = name
        self.workdir = tempfile.mkdtemp(prefix="rollcall-agent-test-")
        self.key = base64.b64encode(secrets.token_bytes(32)).decode()
        self.key_file = os.path.join(self.workdir, "gossip.key")
        self.token = secrets.token_hex(16)
        self.token_file = os.path.join(self.workdir, "admin.token")
        self.product_key = secrets.token_hex(16)
        for path, content in ((self.key_file, self.key + "\n"), (self.token_file, self.token + "\n")):
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(content)
        self.listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.listener.bind(("127.0.0.1", 0))
        self.listener.listen(128)
        self.check_port = self.listener.getsockname()[1]
        self._accepter = threading.Thread(target=self._accept_and_close, daemon=True)
        self._accepter.start()
        self.started = []
        self.agents = []
        ports = free_ports(2 * n)
        versions = versions or {}
        for i in range(n):
            self.agents.append(Agent(self, i, "node-%d" % (i + 1), ports[2 * i], ports[2 * i + 1],
                                     version=versions.get(i, "2024.3"), product_key=i not in no_product_key))
        if start:
            for a in self.agents:
                a.start()

    def _accept_and_close(self):
        while True:
            try:
                conn, _ = self.listener.accept()
            except OSError:
                return  # listener closed
            conn.close()

    def add_agent(self, name, **kw):
        gp, hp = free_ports(2)
        a = Agent(self, len(self.agents), name, gp, hp, **kw)
        self.agents.append(a)
        return a

    def live(self):
        return [a for a in self.agents if a.running()]

    def wait_http(self, agents=None, timeout=20):
        for a in agents or self.agents:
            wait_until(lambda a=a: a.request("GET", "/health", timeout=1)[0] == 200, timeout,
                       "%s to answer /health" % a.name)

    def wait_converged(self, agents=None, expect=None, timeout=30):
        """Every agent in `agents` (default: the running ones) lists `expect` servers (default: that
        many), all alive, with equal digests. Returns the tables."""
        agents = agents or self.live()
        expect = expect if expect is not None else len(agents)

        def check():
            tables = [a.cluster_table() for a in agents]
            for t in tables:
                c = t["cluster"]
                if c["servers"] != expect or c["servers_alive"] != expect:
                    return None
                if any(s["heartbeat"]["state"] != "alive" for s in t["servers"]):
                    return None
            if len({t["cluster"]["digest"] for t in tables}) != 1:
                return None
            return tables

        return wait_until(check, timeout, "%d agents to converge on %d alive servers" % (len(agents), expect),
                          interval=0.25)

    def heartbeat_all(self):
        for a in self.live():
            for kind in ("web", "service"):
                try:
                    a.request("POST", "/v1/local/heartbeat/" + kind, timeout=1)
                except OSError:
                    pass

    def close(self, failed=False):
        for p in self.started:
            if p.poll() is None:
                try:
                    os.kill(p.pid, signal.SIGCONT)  # a stopped process cannot act on SIGTERM
                    os.kill(p.pid, signal.SIGTERM)
                except ProcessLookupError:
                    pass
        deadline = time.monotonic() + 8
        for p in self.started:
            try:
                p.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                os.kill(p.pid, signal.SIGKILL)
                p.wait(timeout=10)
        try:
            self.listener.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.listener.close()
        self._accepter.join(timeout=5)
        if failed:
            for a in self.agents:
                tail = a.log_text().splitlines()[-25:]
                sys.stderr.write("---- %s log (last %d lines, %s) ----\n%s\n" % (a.name, len(tail), a.log_path,
                                                                                  "\n".join(tail)))
        if failed and os.environ.get("ROLLCALL_KEEP_TEST_DIRS"):
            sys.stderr.write("kept %s\n" % self.workdir)
        else:
            shutil.rmtree(self.workdir, ignore_errors=True)


def test_failed(testcase):
    """True if the running unittest test method has failed or errored so far (call from tearDown)."""
    outcome = getattr(testcase, "_outcome", None)
    return outcome is not None and not getattr(outcome, "success", True)


def run_cli(args, timeout=20, env_extra=None, input_text=None):
    """Runs `rollcall ARGS...` (client subcommands). Returns CompletedProcess with text output."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("ROLLCALL_")}
    env.update(env_extra or {})
    return subprocess.run([ROLLCALL_BIN] + list(args), capture_output=True, text=True, timeout=timeout, env=env,
                          input=input_text)

"""A cluster of real agents, one per netns.Rig host, plus the observers the chaos scenarios judge by:

- ChaosCluster: rig + agents (shared gossip key, admin token, product key; seeds h1..h3), start,
  convergence checks, API helpers, metric sums, close() that stops every process it started and
  deletes the rig.
- Monitor: a thread polling every observer's GET /v1/members (default every 0.5 s) and recording
  each (observer, subject) state transition with its time, plus the degraded flag.
- log_events(): the membership events each agent logged ("member suspect: NAME", "member dead:
  NAME", ...) with their wall time: complete, so a dead state shorter than a poll is still seen.

Timings: agents run the production default "lan" profile (probe_interval 1 s, probe_timeout 500 ms,
gossip 200 ms, suspicion_mult 4, suspicion_max_mult 6, push_pull 30 s, reconnect 10 s), or the
profile named by env ROLLCALL_CHAOS_PROFILE / run_chaos.py --profile ("local": 500 ms probes,
suspicion_mult 3, push_pull 10 s, reconnect 2 s); the bounds below follow it.
"""
import datetime
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

import agentproc
import netns
from agentproc import Agent, new_key, wait_until, write_secret

# Timing profiles of the agent (gossip::Config::local()/lan()): probe_interval s, suspicion_mult,
# suspicion_max_mult, gossip_interval s, push_pull_interval s, reconnect_interval s.
PROFILES = {
    "local": {"probe": 0.5, "probe_timeout": 0.2, "alpha": 3.0, "beta": 6.0, "gossip": 0.1, "push_pull": 10.0,
              "reconnect": 2.0},
    "lan": {"probe": 1.0, "probe_timeout": 0.5, "alpha": 4.0, "beta": 6.0, "gossip": 0.2, "push_pull": 30.0,
            "reconnect": 10.0},
}
PROFILE = os.environ.get("ROLLCALL_CHAOS_PROFILE", "lan")
EXTRA = {}  # config overrides for every agent ({section: {key: value}}), from run_chaos.py --set


def timing(key):
    return PROFILES[PROFILE][key]


def suspicion_bounds(n):
    p = timing("probe")
    lo = max(p, timing("alpha") * math.log10(n + 1) * p)
    return lo, timing("beta") * lo


def detection_bound(n, slack=3.0):
    """Seconds within which every live agent must mark a crashed one dead: a full probe round, the
    longest suspicion timeout, the spread of the verdict, plus scheduling slack."""
    probe_round = n * timing("probe")
    spread = 10 * timing("gossip") * max(1, math.ceil(math.log10(n + 1)))
    return probe_round + suspicion_bounds(n)[1] + spread + slack


def describe_timings(n=8):
    t = PROFILES[PROFILE]
    lo, hi = suspicion_bounds(n)
    return ("profile \"%s\": probe_interval %g s, probe_timeout %g s, gossip_interval %g s, suspicion_mult %g, "
            "suspicion_max_mult %g (%d members: suspicion timeout %.1f .. %.1f s), push_pull_interval %g s, "
            "reconnect_interval %g s; kill -9 detection bound = probe round (%d x %g s) + max suspicion (%.1f s) "
            "+ spread + 3 s slack = %.1f s" % (PROFILE, t["probe"], t["probe_timeout"], t["gossip"], t["alpha"], t["beta"],
                                               n, lo, hi, t["push_pull"], t["reconnect"], n, t["probe"], hi,
                                               detection_bound(n)))


_LOG_RE = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}(?:Z|[+-]\d\d:?\d\d))\s+\S+\s+(.*)$")
_EVENTS = [
    ("suspect", re.compile(r"^member suspect: (\S+) \(")),
    ("dead", re.compile(r"^member dead: (\S+) \(")),
    ("alive", re.compile(r"^member alive again: (\S+) \(")),
    ("joined", re.compile(r"^member joined: (\S+) \(")),
    ("left", re.compile(r"^member left: (\S+) \(")),
    ("refuted", re.compile(r"^refuted a (\S+) claim")),
    ("decrypt", re.compile(r"^dropped a packet from (\S+) that failed authentication")),
]


def log_events(agent, since=0.0, until=None):
    """[(epoch, kind, subject)] from the agent's log, for lines logged in [since, until]."""
    out = []
    for line in agent.log_text().splitlines():
        m = _LOG_RE.match(line)
        if not m:
            continue
        try:
            t = datetime.datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S.%f%z").timestamp()
        except ValueError:
            continue
        if t < since or (until is not None and t > until):
            continue
        for kind, rx in _EVENTS:
            e = rx.match(m.group(2))
            if e:
                out.append((t, kind, agent.name if kind == "refuted" else e.group(1)))
                break
    return out


class Monitor:
    """Polls /v1/members of `observers` (names) until stop(). transitions: [(mono, epoch, observer,
    subject, old, new)]. degraded[(observer, subject)] = last degraded flag seen."""

    def __init__(self, cluster, observers=None, interval=0.5):
        self.cluster = cluster
        self.observers = set(observers or [a.name for a in cluster.agents])
        self.interval = interval
        self.state = {}
        self.degraded = {}
        self.degraded_seen = set()
        self.transitions = []
        self.errors = 0
        self.polls = 0
        self._stop = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self):
        self._thread.start()
        return self

    def stop(self):
        self._stop.set()
        self._thread.join(timeout=15)

    def set_observers(self, names):
        with self._lock:
            self.observers = set(names)

    def _run(self):
        while not self._stop.is_set():
            with self._lock:
                observers = sorted(self.observers)
            for name in observers:
                a = self.cluster.by_name[name]
                if not a.running():
                    continue
                try:
                    members = a.members(timeout=2.0)
                except Exception:  # noqa: BLE001 - counted; a busy agent answers next round
                    self.errors += 1
                    continue
                now, epoch = time.monotonic(), time.time()
                with self._lock:
                    for m in members:
                        key = (name, m["name"])
                        old = self.state.get(key)
                        if old != m["state"]:
                            self.transitions.append((now, epoch, name, m["name"], old, m["state"]))
                            self.state[key] = m["state"]
                        self.degraded[key] = m.get("degraded", False)
                        if m.get("degraded"):
                            self.degraded_seen.add(key)
            self.polls += 1
            self._stop.wait(self.interval)

    def snapshot(self):
        with self._lock:
            return list(self.transitions), dict(self.state)

    def states_of(self, subject, observers=None):
        with self._lock:
            return {o: s for (o, sub), s in self.state.items() if sub == subject and (observers is None or o in observers)}

    def transitions_to(self, new_state, subjects=None, observers=None, since=0.0):
        with self._lock:
            return [t for t in self.transitions if t[5] == new_state and t[0] >= since
                    and (subjects is None or t[3] in subjects) and (observers is None or t[2] in observers)]


class ChaosCluster:
    """n agents h1..hn (names "h1".."hn") in a fresh rig. Seeds: h1, h2, h3 (minus self)."""

    def __init__(self, n, tag="", overrides=None, log_level="info", seeds=3):
        self.n = n
        self.workdir = tempfile.mkdtemp(prefix="rollcall-chaos-")
        self.rig = netns.Rig(n, tag=tag)
        self.key = new_key()
        self.key_file = os.path.join(self.workdir, "gossip.key")
        self.token = agentproc.secrets.token_hex(16)
        self.token_file = os.path.join(self.workdir, "admin.token")
        self.product_key = agentproc.secrets.token_hex(16)
        write_secret(self.key_file, self.key)
        write_secret(self.token_file, self.token)
        self.agents = []
        self.by_name = {}
        self.overrides = agentproc.merge(EXTRA, overrides or {})
        self.log_level = log_level
        self.seed_hosts = list(range(1, min(seeds, n) + 1))
        self.closed = False

    def up(self):
        self.rig.up()
        for i in self.rig.hosts():
            seeds = ["%s:7950" % self.rig.addr(s) for s in self.seed_hosts if s != i]
            a = Agent(self.workdir, "h%d" % i, ns=self.rig.ns(i), addr=self.rig.addr(i), seeds=seeds,
                      key_file=self.key_file, token_file=self.token_file, product_key=self.product_key,
                      log_level=self.log_level, overrides=self.overrides, profile=PROFILE)
            a.index = i
            self.agents.append(a)
            self.by_name[a.name] = a
        return self

    def start_all(self):
        for a in self.agents:
            a.start()
        return self

    def agent(self, i):
        return self.agents[i - 1]

    def live(self):
        return [a for a in self.agents if a.running()]

    def wait_http(self, agents=None, timeout=30):
        for a in agents or self.agents:
            wait_until(a.health_ok, timeout, "%s to answer /health" % a.name)

    def converged(self, agents=None, expect=None):
        """Tables if every agent in `agents` lists `expect` servers, all alive, equal digests."""
        agents = agents or self.live()
        expect = expect if expect is not None else self.n
        tables = [a.table(timeout=3) for a in agents]
        for t in tables:
            c = t["cluster"]
            if c["servers"] != expect or c["servers_alive"] != expect:
                return None
            if any(s["heartbeat"]["state"] != "alive" for s in t["servers"]):
                return None
        if len({t["cluster"]["digest"] for t in tables}) != 1:
            return None
        return tables

    def wait_converged(self, timeout=30, agents=None, expect=None):
        """Waits for convergence; returns the seconds it took."""
        t0 = time.monotonic()
        wait_until(lambda: self.converged(agents, expect), timeout,
                   "%d agents to converge" % len(agents or self.live()), interval=0.25)
        return time.monotonic() - t0

    def all_see(self, subject, state, observers):
        """True if every observer's /v1/members lists `subject` in `state`."""
        for o in observers:
            rows = [m for m in o.members(timeout=3) if m["name"] == subject]
            if len(rows) != 1 or rows[0]["state"] != state:
                return False
        return True

    def wait_state(self, subject, state, observers, timeout, since=None, interval=0.1):
        """Polls until every observer lists `subject` in `state`. Returns {observer name: seconds
        from `since` (monotonic; default now) until it was first seen so} (observers that never
        did are missing)."""
        t0 = time.monotonic() if since is None else since
        seen = {}
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline and len(seen) < len(observers):
            for o in observers:
                if o.name in seen:
                    continue
                try:
                    rows = [m for m in o.members(timeout=2) if m["name"] == subject]
                except Exception:  # noqa: BLE001 - not yet
                    continue
                if len(rows) == 1 and rows[0]["state"] == state:
                    seen[o.name] = time.monotonic() - t0
            time.sleep(interval)
        return seen

    def metric_sum(self, name, agents=None):
        total = 0.0
        for a in agents or self.live():
            total += a.metrics(timeout=3).get(name, 0.0)
        return total

    def metric_map(self, name, agents=None):
        return {a.name: a.metrics(timeout=3).get(name, 0.0) for a in agents or self.live()}

    def events(self, since, until=None, agents=None):
        out = []
        for a in agents or self.agents:
            out += [(t, a.name, kind, subject) for (t, kind, subject) in log_events(a, since, until)]
        return sorted(out)

    def close(self, failed=False, keep_logs_to=None):
        if self.closed:
            return
        self.closed = True
        agentproc.stop_all(self.agents)  # graceful leave, all at once; SIGKILL what is left
        self.rig.close()
        if failed:
            for a in self.agents:
                tail = a.log_text().splitlines()[-15:]
                sys.stderr.write("---- %s log tail (%s) ----\n%s\n" % (a.name, a.log_path, "\n".join(tail)))
        if keep_logs_to:
            os.makedirs(keep_logs_to, exist_ok=True)
            for a in self.agents:
                shutil.copy(a.log_path, os.path.join(keep_logs_to, a.name + ".log"))
        if failed and os.environ.get("ROLLCALL_KEEP_TEST_DIRS"):
            sys.stderr.write("kept %s\n" % self.workdir)
        else:
            shutil.rmtree(self.workdir, ignore_errors=True)

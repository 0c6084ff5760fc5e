#!/usr/bin/env python3
"""Suite `http`: wrk against GET /v1/cluster of a real agent whose table holds 50 servers (a real
cluster of 50 agents on 127.0.0.1, converged, every server's state arrived), at 1, 16 and 64
connections; in the same run, nginx (Debian nginx-light, one worker process, like the agent's one
I/O thread) serves the same bytes (a copy of that agent's /v1/cluster body) as a static file on
127.0.0.1. Rounds alternate agent / nginx so machine noise hits both alike. Reports requests/s and
latency percentiles (wrk --latency) and the agent/nginx ratio.
Writes bench/results/http.json. Usage: run_httpbench.py [--n 50] [--duration 8] [--rounds 2]
"""
import argparse
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rcbench import agents as ag  # noqa: E402
from rcbench import machine, suite  # noqa: E402

CONNECTIONS = (1, 16, 64)


def parse_wrk(text):
    def dur(s):
        m = re.match(r"([\d.]+)(us|ms|s|m)$", s)
        if not m:
            return None
        return float(m.group(1)) * {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 6e4}[m.group(2)]
    out = {}
    m = re.search(r"Requests/sec:\s+([\d.]+)", text)
    out["req_per_s"] = float(m.group(1)) if m else None
    m = re.search(r"(\d+) requests in ([\d.]+)(\w+)", text)
    out["requests"] = int(m.group(1)) if m else None
    for p in ("50", "75", "90", "99"):
        m = re.search(r"^\s+%s%%\s+(\S+)" % p, text, re.M)
        out["p%s_ms" % p] = dur(m.group(1)) if m else None
    m = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    out["non_2xx"] = int(m.group(1)) if m else 0
    m = re.search(r"Socket errors: (.*)", text)
    out["socket_errors"] = m.group(1).strip() if m else ""
    m = re.search(r"Transfer/sec:\s+(\S+)", text)
    out["transfer_per_s"] = m.group(1) if m else None
    return out


def cpu_s(pids):
    total = 0.0
    for pid in pids:
        try:
            total += ag.read_proc(pid)["cpu_s"]
        except OSError:
            pass
    return total


def wrk(url, conns, duration, server_pids):
    """One wrk run; also the CPU used by the server processes meanwhile (% of one core)."""
    cmd = ["wrk", "-t1", "-c%d" % conns, "-d%ds" % duration, "--timeout", "5s", "--latency", url]
    c0, t0 = cpu_s(server_pids), time.time()
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=duration + 30)
    c1, t1 = cpu_s(server_pids), time.time()
    if r.returncode != 0:
        raise RuntimeError("wrk failed: %s" % r.stderr[-300:])
    res = parse_wrk(r.stdout)
    res["server_cpu_pct"] = round(100.0 * (c1 - c0) / (t1 - t0), 1)
    res["loadavg_1m"] = machine.loadavg()[0]
    return res


# Self-time buckets of the agent's profile while it serves /v1/cluster (first match wins).
PROFILE_BUCKETS = [
    ("JSON serialization (nlohmann dump)", ("serializer<",)),
    ("JSON DOM build/destroy (nlohmann objects, std::map nodes)", ("nlohmann::", "_Rb_tree")),
    ("malloc/free", ("malloc", "_int_free", "cfree", "unlink_chunk", "operator new", "operator delete", "free@")),
    ("memcmp/memmove/strlen", ("__mem", "__strlen", "__strcmp")),
    ("convergence digest (ContentDigest::compute)", ("ContentDigest",)),
    ("table derivation (membership::)", ("rollcall::membership::",)),
    ("other rollcall code", ("rollcall::",)),
]


def profile(pid, url, conns, seconds):
    """perf record (self time, no call graphs: the Release build has no frame pointers) of the agent
    under wrk load, bucketed by what the symbols do."""
    if not shutil.which("perf"):
        return None
    data = tempfile.mktemp(prefix="rollcall-bench-perf-")
    w = subprocess.Popen(["wrk", "-t1", "-c%d" % conns, "-d%ds" % (seconds + 3), url], stdout=subprocess.DEVNULL)
    try:
        time.sleep(1.5)
        r = subprocess.run(["perf", "record", "-F", "999", "-p", str(pid), "-o", data, "--", "sleep", str(seconds)],
                           capture_output=True, text=True, timeout=seconds + 30)
        if r.returncode != 0:
            return {"error": r.stderr[-200:]}
        rep = subprocess.run(["perf", "report", "-i", data, "--no-children", "--stdio", "--sort", "dso,symbol",
                              "--percent-limit", "0.05"], capture_output=True, text=True, timeout=120).stdout
        rows = []
        for line in rep.splitlines():
            parts = line.split(None, 3)
            if len(parts) == 4 and parts[0].endswith("%") and parts[2] in ("[.]", "[k]"):
                rows.append((float(parts[0][:-1]), parts[1], parts[2], parts[3].strip()[:140].rstrip()))
        buckets = {label: 0.0 for label, _ in PROFILE_BUCKETS}
        buckets["kernel (syscalls, TCP)"] = 0.0
        buckets["other"] = 0.0
        for pct, dso, kind, sym in rows:
            if kind == "[k]" or "kernel" in dso:
                buckets["kernel (syscalls, TCP)"] += pct
                continue
            for label, needles in PROFILE_BUCKETS:
                if any(n in sym for n in needles):
                    buckets[label] += pct
                    break
            else:
                buckets["other"] += pct
        return {"conns": conns, "seconds": seconds, "self_pct_by_bucket": {k: round(v, 1) for k, v in buckets.items()},
                "top_self": [{"self_pct": p_, "dso": d, "symbol": s_} for p_, d, _, s_ in sorted(rows, key=lambda x: -x[0])[:15]]}
    finally:
        w.wait(timeout=seconds + 30)
        try:
            os.unlink(data)
        except OSError:
            pass


class Nginx:
    def __init__(self, body):
        self.dir = tempfile.mkdtemp(prefix="rollcall-bench-nginx-")
        self.port = ag.free_ports(1)[0]
        www = os.path.join(self.dir, "www")
        os.makedirs(www)
        self.file = os.path.join(www, "cluster.json")
        with open(self.file, "wb") as f:
            f.write(body)
        for sub in ("tmp", "logs"):
            os.makedirs(os.path.join(self.dir, sub))
        conf = os.path.join(self.dir, "nginx.conf")
        t = os.path.join(self.dir, "tmp")
        with open(conf, "w") as f:
            f.write("""user root root;
worker_processes 1;
daemon off;
pid %(d)s/nginx.pid;
error_log %(d)s/logs/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on; tcp_nopush on; tcp_nodelay on;
  keepalive_requests 10000000; keepalive_timeout 65;
  client_body_temp_path %(t)s; proxy_temp_path %(t)s; fastcgi_temp_path %(t)s;
  uwsgi_temp_path %(t)s; scgi_temp_path %(t)s;
  server {
    listen 127.0.0.1:%(p)d;
    location = /v1/cluster { default_type application/json; alias %(file)s; }
  }
}
""" % {"d": self.dir, "t": t, "p": self.port, "file": self.file})
        self.proc = subprocess.Popen(["nginx", "-p", self.dir, "-c", conf, "-e", os.path.join(self.dir, "logs", "error.log")],
                                     stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        ag.wait_until(lambda: ag.http_request(self.port, "GET", "/v1/cluster", timeout=1)[0] == 200, 10,
                      "nginx to serve the file", interval=0.05)

    def pids(self):
        """The master and its worker processes."""
        out = [self.proc.pid]
        try:
            with open("/proc/%d/task/%d/children" % (self.proc.pid, self.proc.pid)) as f:
                out += [int(x) for x in f.read().split()]
        except OSError:
            pass
        return out

    def close(self):
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        shutil.rmtree(self.dir, ignore_errors=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=50)
    p.add_argument("--duration", type=int, default=8)
    p.add_argument("--rounds", type=int, default=2)
    args = p.parse_args()
    suite.install_signal_handlers()
    if not shutil.which("wrk") or not shutil.which("nginx"):
        raise SystemExit("wrk and nginx are needed: scripts/bootstrap --bench")
    desc = machine.describe()
    result = {"suite": "http", "n_servers": args.n, "wrk": "wrk 1 thread, --latency, %d s per run" % args.duration,
              "nginx": "nginx-light, 1 worker process, access_log off, sendfile on, keep-alive",
              "table_source": "GET /v1/cluster of agent bench-01 of a real converged cluster of %d agents" % args.n,
              "runs": [], "errors": []}
    cluster = ag.Cluster(args.n)
    nginx = None
    try:
        cluster.start()
        cluster.wait_all_alive(cluster.agents, [a.name for a in cluster.agents], timeout=120)
        a0 = cluster.agents[0]

        def full_table():
            t = ag.get_json(a0.http_port, "/v1/cluster")
            return len(t["servers"]) == args.n and all(len(s.get("components", [])) == 2 for s in t["servers"])
        ag.wait_until(full_table, 90, "the table to hold %d servers with their components" % args.n, interval=0.5)
        time.sleep(3)
        status, body = ag.http_request(a0.http_port, "GET", "/v1/cluster")
        result["body_bytes"] = len(body)
        suite.log("table of %d servers: %d bytes" % (args.n, len(body)))
        nginx = Nginx(body)
        targets = {"agent": "http://127.0.0.1:%d/v1/cluster" % a0.http_port,
                   "nginx": "http://127.0.0.1:%d/v1/cluster" % nginx.port}
        for conns in CONNECTIONS:
            for rnd in range(args.rounds):
                for name, url in targets.items():
                    r = wrk(url, conns, args.duration, [a0.pid] if name == "agent" else nginx.pids())
                    r.update({"server": name, "connections": conns, "round": rnd + 1})
                    result["runs"].append(r)
                    suite.log("%-5s c=%-2d round %d: %8.0f req/s, p50 %.3f ms, p99 %.3f ms, server cpu %.0f%%"
                              % (name, conns, rnd + 1, r["req_per_s"] or 0, r["p50_ms"] or -1, r["p99_ms"] or -1,
                                 r["server_cpu_pct"]))
        result["agent_profile"] = profile(a0.pid, targets["agent"], 64, 6)
        rss = ag.read_proc(a0.pid)
        result["agent_after"] = {"rss_kib": rss["VmRSS"], "peak_rss_kib": rss["VmHWM"]}
    except (TimeoutError, RuntimeError, OSError, subprocess.SubprocessError) as e:
        result["errors"].append(str(e))
        suite.log("FAILED %s" % e)
    finally:
        if nginx:
            nginx.close()
        cluster.close()
    result["machine"] = machine.finish(desc)
    suite.write_result("http", result)
    return 0 if not result["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())

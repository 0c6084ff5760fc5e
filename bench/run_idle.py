#!/usr/bin/env python3
"""Suite `idle`: footprint of idle agents at N = 25 (LAN defaults, encryption on). After the
cluster converges and settles, two windows of 60 s: (A) no component heartbeats at all; (B) both
components of every agent heartbeating at the default interval (30 s, POST
/v1/local/heartbeat/{kind}, spread evenly over the interval). Per agent: RSS (VmRSS, anonymous,
file-backed, PSS from /proc), CPU % of one core (schedstat, ns), UDP + TCP gossip bytes sent per
second (/metrics rollcall_bytes_out_total + rollcall_stream_bytes_out_total). The bench touches
nothing during a window except the heartbeats of (B).
Writes bench/results/idle.json. Usage: run_idle.py [--n 25] [--window 60] [--settle 20]
"""
import argparse
import os
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rcbench import agents as ag  # noqa: E402
from rcbench import machine, suite  # noqa: E402

HEARTBEAT_INTERVAL_S = 30.0  # cluster config default heartbeat_interval_ms


def snapshot(cluster):
    return {a.name: {"metrics": a.metrics(), "proc": ag.read_proc(a.pid), "t": time.time()} for a in cluster.live()}


def window(cluster, seconds, label):
    s0 = snapshot(cluster)
    time.sleep(seconds)
    s1 = snapshot(cluster)
    rows = []
    for name, b in s1.items():
        a = s0[name]
        dt = b["t"] - a["t"]
        d = lambda k: b["metrics"].get(k, 0) - a["metrics"].get(k, 0)  # noqa: E731
        udp, tcp = d("rollcall_bytes_out_total") / dt, d("rollcall_stream_bytes_out_total") / dt
        rows.append({"agent": name, "window_s": round(dt, 2),
                     "udp_bytes_out_per_s": round(udp, 1), "tcp_bytes_out_per_s": round(tcp, 1),
                     "bytes_out_per_s": round(udp + tcp, 1),
                     "udp_bytes_in_per_s": round(d("rollcall_bytes_in_total") / dt, 1),
                     "packets_out_per_s": round(d("rollcall_packets_out_total") / dt, 2),
                     "anti_entropy_rounds": d("rollcall_anti_entropy_rounds_total"),
                     "state_entries_applied": d("rollcall_state_entries_applied_total"),
                     "cpu_pct": round(100.0 * (b["proc"]["cpu_s"] - a["proc"]["cpu_s"]) / dt, 4),
                     "rss_kib": b["proc"]["VmRSS"], "rss_anon_kib": b["proc"].get("RssAnon"),
                     "rss_file_kib": b["proc"].get("RssFile"), "pss_kib": b["proc"].get("Pss"),
                     "peak_rss_kib": b["proc"].get("VmHWM"), "threads": b["proc"]["threads"]})
    out = {"label": label, "agents": rows}
    for k in ("bytes_out_per_s", "udp_bytes_out_per_s", "tcp_bytes_out_per_s", "cpu_pct", "rss_kib", "rss_anon_kib",
              "pss_kib", "packets_out_per_s"):
        out[k] = suite.summary([r[k] for r in rows])
    suite.log("%s: bytes out/s per agent median %.0f (udp %.0f + tcp %.0f), cpu %.3f%%, rss %d KiB"
              % (label, out["bytes_out_per_s"]["median"], out["udp_bytes_out_per_s"]["median"],
                 out["tcp_bytes_out_per_s"]["median"], out["cpu_pct"]["median"], out["rss_kib"]["median"]))
    return out


class Heartbeats:
    """Posts a heartbeat for every (agent, kind) every `interval` s, phases spread evenly."""

    def __init__(self, cluster, interval):
        self.stop = threading.Event()
        self.sent = 0
        self.failed = 0
        pairs = [(a, k) for a in cluster.live() for k in ("web", "service")]
        self.thread = threading.Thread(target=self._run, args=(pairs, interval), daemon=True)
        self.thread.start()

    def _run(self, pairs, interval):
        t0 = time.monotonic()
        step = interval / len(pairs)
        i = 0
        while not self.stop.is_set():
            due = t0 + i * step
            if self.stop.wait(max(0.0, due - time.monotonic())):
                return
            a, kind = pairs[i % len(pairs)]
            try:
                status, _ = ag.http_request(a.http_port, "POST", "/v1/local/heartbeat/" + kind, timeout=2)
                self.sent += status == 200
                self.failed += status != 200
            except OSError:
                self.failed += 1
            i += 1

    def close(self):
        self.stop.set()
        self.thread.join(timeout=5)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=25)
    p.add_argument("--window", type=float, default=60.0)
    p.add_argument("--settle", type=float, default=20.0)
    args = p.parse_args()
    suite.install_signal_handlers()
    desc = machine.describe()
    result = {"suite": "idle", "n": args.n, "timings": ag.LAN, "encryption": True, "binary": ag.agent_binary(),
              "heartbeat_interval_s": HEARTBEAT_INTERVAL_S, "windows": [], "errors": []}
    cluster = ag.Cluster(args.n)
    try:
        cluster.start()
        cluster.wait_all_alive(cluster.agents, [a.name for a in cluster.agents], timeout=90)
        suite.log("N=%d converged; settling %.0f s" % (args.n, args.settle))
        time.sleep(args.settle)
        w = window(cluster, args.window, "no component heartbeats")
        w["loadavg"] = machine.loadavg()
        result["windows"].append(w)
        hb = Heartbeats(cluster, HEARTBEAT_INTERVAL_S)
        try:
            w = window(cluster, args.window, "two components heartbeating every 30 s")
        finally:
            hb.close()
        w["heartbeats_sent"], w["heartbeats_failed"] = hb.sent, hb.failed
        w["loadavg"] = machine.loadavg()
        result["windows"].append(w)
    except (TimeoutError, RuntimeError, OSError) as e:
        result["errors"].append(str(e))
        suite.log("FAILED %s" % e)
    finally:
        cluster.close()
    result["machine"] = machine.finish(desc)
    suite.write_result("idle", result)
    return 0 if not result["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())

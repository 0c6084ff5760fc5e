#!/usr/bin/env python3
"""Suite `loss`: false positives of N = 25 real agents (LAN defaults, encryption on) for 120 s at
0/10/20/30 % packet loss. Loss is injected with nft inside a private network namespace (created
and deleted by this script; the host's own loopback is never touched): each UDP datagram and each
TCP segment to or from a gossip port is dropped at the receiving side with the given probability
(`numgen random mod 100 < X drop` on the input hook). HTTP ports are exempt, so the bench's own
queries are not perturbed. A fresh cluster per level; loss is applied after it converged.
Counts: healthy agents declared dead (all 25 stay healthy, so every dead verdict is false), dead
verdicts (observer, subject), suspicions raised/heard, refutations, failed probes.
Writes bench/results/loss.json. Usage: run_loss.py [--n 25] [--duration 120] [--levels 0,10,20,30]
(needs root for `ip netns` and nft; re-executes itself inside the namespace).
"""
import argparse
import os
import signal
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rcbench import agents as ag  # noqa: E402
from rcbench import machine, suite  # noqa: E402

GOSSIP_BASE, HTTP_BASE = 17001, 18001
COUNTERS = ["rollcall_suspicions_raised_total", "rollcall_suspicions_heard_total", "rollcall_refutations_total",
            "rollcall_dead_declared_total", "rollcall_probes_sent_total", "rollcall_probes_failed_total",
            "rollcall_indirect_probes_total", "rollcall_nacks_received_total", "rollcall_tcp_fallback_probes_total",
            "rollcall_anti_entropy_rounds_total", "rollcall_anti_entropy_failures_total",
            "rollcall_packets_out_total", "rollcall_packets_in_total"]


def nft(*args):
    subprocess.run(["nft"] + list(args), check=True, capture_output=True, text=True, timeout=10)


def set_loss(pct):
    """Replaces the `rcbench` table of the current namespace with a `pct` % ingress drop on gossip."""
    subprocess.run(["nft", "delete", "table", "inet", "rcbench"], capture_output=True, timeout=10)
    if pct <= 0:
        return
    nft("add", "table", "inet", "rcbench")
    nft("add", "chain", "inet", "rcbench", "in", "{ type filter hook input priority 0; policy accept; }")
    rng = "%d-%d" % (GOSSIP_BASE, GOSSIP_BASE + 998)
    nft("add", "rule", "inet", "rcbench", "in", "meta", "l4proto", "udp", "numgen", "random", "mod", "100", "<",
        str(pct), "counter", "drop")
    nft("add", "rule", "inet", "rcbench", "in", "tcp", "dport", rng, "numgen", "random", "mod", "100", "<", str(pct),
        "counter", "drop")
    nft("add", "rule", "inet", "rcbench", "in", "tcp", "sport", rng, "numgen", "random", "mod", "100", "<", str(pct),
        "counter", "drop")


def dropped_packets():
    r = subprocess.run(["nft", "list", "table", "inet", "rcbench"], capture_output=True, text=True, timeout=10)
    total = 0
    for line in r.stdout.splitlines():
        if "counter packets" in line:
            total += int(line.split("counter packets")[1].split()[0])
    return total


def one_level(n, pct, duration):
    ports = []
    for i in range(n):
        ports += [GOSSIP_BASE + i, HTTP_BASE + i]
    res = {"loss_pct": pct, "n": n, "duration_s": duration, "loadavg_before": machine.loadavg()}
    cluster = ag.Cluster(n, ports=ports)
    try:
        cluster.start()
        names = [a.name for a in cluster.agents]
        cluster.wait_all_alive(cluster.agents, names, timeout=90)
        time.sleep(5)
        m0 = {a.name: a.metrics() for a in cluster.agents}
        set_loss(pct)
        t0 = time.time()
        suite.log("N=%d, %d%% loss applied; watching %.0f s" % (n, pct, duration))
        time.sleep(duration)
        t1 = time.time()
        res["packets_dropped_by_nft"] = dropped_packets() if pct > 0 else 0
        m1 = {a.name: a.metrics() for a in cluster.agents}
        set_loss(0)
        views = cluster.views(cluster.agents)
        res["counters"] = {c.replace("rollcall_", "").replace("_total", ""):
                           int(sum(m1[k].get(c, 0) - m0[k].get(c, 0) for k in m1)) for c in COUNTERS}
        pairs, subjects, suspects, alive_again = [], set(), 0, 0
        for a in cluster.agents:
            for t, kind, s in a.events():
                if t0 <= t <= t1:
                    if kind == "dead":
                        pairs.append({"observer": a.name, "subject": s, "at_s": round(t - t0, 3)})
                        subjects.add(s)
                    elif kind == "suspect":
                        suspects += 1
                    elif kind == "alive again":
                        alive_again += 1
        res["healthy_declared_dead"] = len(subjects)
        res["dead_subjects"] = sorted(subjects)
        res["dead_verdicts"] = pairs
        res["suspect_log_events"] = suspects
        res["alive_again_log_events"] = alive_again
        res["not_alive_at_end"] = sum(1 for o, v in views.items() for s, st in v.items() if st not in ("alive", "suspect"))
        c = res["counters"]
        suite.log("%d%% loss: healthy declared dead %d (%d verdicts), suspicions raised %d, refutations %d, "
                  "failed probes %d/%d" % (pct, len(subjects), len(pairs), c["suspicions_raised"], c["refutations"],
                                           c["probes_failed"], c["probes_sent"]))
    finally:
        subprocess.run(["nft", "delete", "table", "inet", "rcbench"], capture_output=True, timeout=10)
        cluster.close()
    res["loadavg_after"] = machine.loadavg()
    return res


def inner(args):
    suite.install_signal_handlers()
    desc = machine.describe()
    levels = [int(x) for x in args.levels.split(",")]
    result = {"suite": "loss", "method": "nft in a network namespace (input hook, per-packet random drop)",
              "timings": ag.LAN, "encryption": True, "binary": ag.agent_binary(), "levels": [], "errors": []}
    for pct in levels:
        try:
            result["levels"].append(one_level(args.n, pct, args.duration))
        except (TimeoutError, RuntimeError, OSError, subprocess.SubprocessError) as e:
            result["errors"].append("%d%%: %s" % (pct, e))
            suite.log("FAILED %s" % result["errors"][-1])
    result["machine"] = machine.finish(desc)
    suite.write_result("loss", result)
    return 0 if not result["errors"] else 1


def outer(args):
    suite.install_signal_handlers()
    ns = "rcbench-%d" % os.getpid()
    subprocess.run(["ip", "netns", "add", ns], check=True, timeout=10)
    child = None
    try:
        subprocess.run(["ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up"], check=True, timeout=10)
        cmd = ["ip", "netns", "exec", ns, sys.executable, os.path.abspath(__file__), "--inner",
               "--n", str(args.n), "--duration", str(args.duration), "--levels", args.levels]
        child = subprocess.Popen(cmd)
        return child.wait()
    finally:
        if child and child.poll() is None:
            child.send_signal(signal.SIGTERM)
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait()
        # Anything of ours still in the namespace (the inner run stops its agents; this is a backstop).
        pids = subprocess.run(["ip", "netns", "pids", ns], capture_output=True, text=True, timeout=10).stdout.split()
        for pid in pids:
            try:
                os.kill(int(pid), signal.SIGKILL)
            except (ProcessLookupError, ValueError):
                pass
        subprocess.run(["ip", "netns", "del", ns], timeout=10)


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--n", type=int, default=25)
    p.add_argument("--duration", type=float, default=120.0)
    p.add_argument("--levels", default="0,10,20,30")
    p.add_argument("--inner", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args()
    return inner(args) if args.inner else outer(args)


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Suite `diag`: small measurements that explain the gaps found by the other suites.
  1. Join congestion: rollcall-sim, every node starting at once (configs/sim/bootstrap.toml), N = 25
     and 50, 3 seeds each, with node state published (server info, components, keyring: what real
     agents gossip) and without (--state off): virtual time until every node sees every node.
  2. Broadcast queue depth of real agents (N = 50, cold start) when all list all, and 10 s later.
  3. Resident memory of one idle agent by mapping (/proc/<pid>/smaps): which files make up the RSS.
Writes bench/results/diag.json. Usage: run_diag.py [--sim PATH]
"""
import argparse
import collections
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rcbench import agents as ag  # noqa: E402
from rcbench import machine, suite  # noqa: E402


def sim_bootstrap(sim, sizes, seeds):
    out = []
    work = tempfile.mkdtemp(prefix="rollcall-bench-diag-")
    try:
        for n in sizes:
            for state in ("on", "off"):
                for seed in seeds:
                    d = os.path.join(work, "%d-%s-%d" % (n, state, seed))
                    r = subprocess.run([sim, "--scenario", os.path.join(machine.ROOT, "configs", "sim", "bootstrap.toml"),
                                        "--nodes", str(n), "--duration", "30s", "--state", state, "--seed", str(seed),
                                        "--quiet", "--out", d], capture_output=True, text=True, timeout=600)
                    try:
                        with open(os.path.join(d, "results.json")) as f:
                            res = json.load(f)
                        v = res["bootstrap"]["all_see_all_s"]
                    except (OSError, ValueError, KeyError):
                        v = None
                    out.append({"n": n, "state": state, "seed": seed, "all_see_all_virtual_s": v, "exit": r.returncode})
                    suite.log("sim bootstrap N=%d state %s seed %d: all see all at %s s (virtual)" % (n, state, seed, v))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return out


def queue_depth(n):
    cluster = ag.Cluster(n)
    try:
        last = cluster.start()
        cluster.wait_all_alive(cluster.agents, [a.name for a in cluster.agents], timeout=120)
        t = time.time() - last
        q0 = [a.metrics().get("rollcall_broadcast_queue_depth", 0) for a in cluster.agents]
        time.sleep(10)
        q1 = [a.metrics().get("rollcall_broadcast_queue_depth", 0) for a in cluster.agents]
    finally:
        cluster.close()
    suite.log("N=%d cold start: all list all after %.2f s; queue depth per agent median %s, 10 s later %s"
              % (n, t, suite.summary(q0)["median"], suite.summary(q1)["median"]))
    return {"n": n, "all_list_all_s": round(t, 3), "queue_depth_at_convergence": suite.summary(q0),
            "queue_depth_10s_later": suite.summary(q1)}


def rss_by_mapping():
    cluster = ag.Cluster(1)
    try:
        cluster.start()
        time.sleep(3)
        pid = cluster.agents[0].pid
        cur, agg = None, collections.Counter()
        with open("/proc/%d/smaps" % pid) as f:
            for line in f:
                parts = line.split()
                if parts and "-" in parts[0] and not parts[0].endswith(":"):
                    cur = os.path.basename(parts[5]) if len(parts) > 5 else "[anonymous]"
                elif parts and parts[0] == "Rss:":
                    agg[cur] += int(parts[1])
        proc = ag.read_proc(pid)
    finally:
        cluster.close()
    return {"total_kib": sum(agg.values()), "anon_kib": proc.get("RssAnon"), "file_kib": proc.get("RssFile"),
            "by_mapping_kib": [{"mapping": k, "kib": v} for k, v in agg.most_common(12)]}


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sim", default=os.environ.get("ROLLCALL_SIM") or os.path.join(machine.ROOT, "build-bench", "sim", "rollcall-sim"))
    args = p.parse_args()
    suite.install_signal_handlers()
    desc = machine.describe()
    result = {"suite": "diag", "errors": []}
    if os.access(args.sim, os.X_OK):
        result["sim_bootstrap"] = sim_bootstrap(args.sim, (25, 50), (1, 2, 3))
    else:
        result["errors"].append("no rollcall-sim at %s" % args.sim)
    try:
        result["queue_depth"] = queue_depth(50)
    except (TimeoutError, RuntimeError, OSError) as e:
        result["errors"].append("queue depth: %s" % e)
    try:
        result["rss"] = rss_by_mapping()
    except (TimeoutError, RuntimeError, OSError) as e:
        result["errors"].append("rss: %s" % e)
    result["machine"] = machine.finish(desc)
    suite.write_result("diag", result)
    return 0 if not result["errors"] else 1


if __name__ == "__main__":
    sys.exit(main())

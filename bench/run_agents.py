#!/usr/bin/env python3
"""Suite `agents`: real agents on 127.0.0.1 with the LAN defaults (probe 1 s, timeout 500 ms, gossip
200 ms to 3), encryption on, for N = 10, 25, 50, several repetitions each. Per repetition, on a
fresh cluster: join (cold start of all N), state change (component version bump), crash (kill -9),
graceful leave (SIGTERM); on the first repetition of each N also a 30 s idle load window.

Timestamps: member events (joined/suspect/dead/left) come from the agents' own log lines (system
clock, 1 ms resolution, written when the engine emits the event, so observation adds no load and no
polling delay); the bench's start/kill/stop instants are time.time() around the system call. The
state change is timed by the SSE stream /v1/events of every agent (see STATE_NOTE).
Writes bench/results/agents.json. Usage: run_agents.py [--sizes 10,25,50] [--reps 5] [--budget S]
"""
import argparse
import os
import random
import signal
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from rcbench import agents as ag  # noqa: E402
from rcbench import machine, suite  # noqa: E402
from rcbench.sse import SseWatcher  # noqa: E402

SSE_COALESCE_S = 0.1  # daemon/Agent.cpp schedule_broadcast(): table pushes are coalesced over 100 ms
STATE_NOTE = ("An agent pushes its table on /v1/events at most once per 100 ms: the first change arms a "
              "100 ms timer, so a push arrives 0..100 ms (in a quiet cluster: 100 ms) after the agent "
              "applied the change. raw = SSE receipt - PUT; corrected = raw - 100 ms (a lower bound; "
              "exact when no push was already pending). origin_echo_s = the origin's own push, which "
              "calibrates the coalescing delay.")


def first_event(events, kind, subject, since):
    for t, k, s in events:
        if k == kind and s == subject and t >= since:
            return t
    return None


def spurious(cluster, victims, since, until):
    """Suspicion / dead events about agents that were healthy (not in `victims`) in [since, until]."""
    sus = dead = 0
    subjects = set()
    for a in cluster.agents:
        for t, k, s in a.events():
            if since <= t <= until and s not in victims:
                if k == "suspect":
                    sus += 1
                elif k == "dead":
                    dead += 1
                    subjects.add(s)
    return {"suspect_events": sus, "dead_events": dead, "healthy_declared_dead": sorted(subjects)}


def measure_join(cluster, n, log):
    first = time.time()
    last = cluster.start()
    names = [a.name for a in cluster.agents]
    cluster.wait_all_alive(cluster.agents, names, timeout=90)
    per = []
    for a in cluster.agents:
        seen = {}
        for t, k, s in a.events():
            if k == "joined" and s not in seen:
                seen[s] = t
        others = [seen.get(x) for x in names if x != a.name]
        per.append(None if None in others else max(others) - last)
    done = max(p for p in per if p is not None)
    r = {"first_spawn_to_last_spawn_s": round(last - first, 4), "all_s": round(done, 4),
         "from_first_spawn_s": round(done + last - first, 4), "per_observer_s": [round(p, 4) for p in per if p is not None],
         "missing_log_observers": sum(1 for p in per if p is None)}
    log("N=%d join: all %d list %d alive %.3f s after the last spawn (spawns spread over %.2f s)"
        % (n, n, n, done, last - first))
    return r


def measure_state_change(cluster, rng, n, rep, log):
    origin = rng.choice(cluster.agents)
    watchers = []
    try:
        for a in cluster.live():
            watchers.append(SseWatcher(a.name, a.http_port))
        ag.wait_until(lambda: all(w.tables >= 1 for w in watchers), 30, "every SSE stream to deliver its first table",
                      interval=0.05)
        time.sleep(0.5)  # let any push armed by the connections themselves go out
        marker = "2024.4-b%dr%d" % (n, rep)
        for w in watchers:
            w.watch_for(marker)
        t0 = time.time()
        status, body = ag.http_request(origin.http_port, "PUT", "/v1/local/components/web", {"version": marker})
        if status != 200:
            raise RuntimeError("version bump answered %d: %r" % (status, body[:200]))
        ag.wait_until(lambda: all(w.seen_at for w in watchers), 30, "every agent to show version %s" % marker,
                      interval=0.05)
        per = {w.name: w.seen_at - t0 for w in watchers}
    finally:
        for w in watchers:
            w.close()
    others = [v for k, v in per.items() if k != origin.name]
    raw = max(others)
    r = {"origin": origin.name, "all_raw_s": round(raw, 4), "all_corrected_s": round(raw - SSE_COALESCE_S, 4),
         "origin_echo_s": round(per[origin.name], 4), "median_observer_raw_s": round(sorted(others)[len(others) // 2], 4),
         "per_observer_raw_s": sorted(round(v, 4) for v in others)}
    log("N=%d state change: seen by all in %.3f s raw (SSE), %.3f s corrected; origin echo %.3f s"
        % (n, raw, raw - SSE_COALESCE_S, per[origin.name]))
    return r


def measure_load(cluster, window, log):
    live = cluster.live()
    m0 = {a.name: a.metrics() for a in live}
    p0 = {a.name: ag.read_proc(a.pid) for a in live}
    t0 = time.time()
    time.sleep(window)
    m1 = {a.name: a.metrics() for a in live}
    p1 = {a.name: ag.read_proc(a.pid) for a in live}
    dt = time.time() - t0
    rows = []
    for a in live:
        d = lambda k: m1[a.name].get(k, 0) - m0[a.name].get(k, 0)  # noqa: E731
        rows.append({"agent": a.name, "udp_bytes_out_per_s": d("rollcall_bytes_out_total") / dt,
                     "tcp_bytes_out_per_s": d("rollcall_stream_bytes_out_total") / dt,
                     "packets_out_per_s": d("rollcall_packets_out_total") / dt,
                     "cpu_pct": 100.0 * (p1[a.name]["cpu_s"] - p0[a.name]["cpu_s"]) / dt,
                     "rss_kib": p1[a.name]["VmRSS"]})
    tot = [r["udp_bytes_out_per_s"] + r["tcp_bytes_out_per_s"] for r in rows]
    log("load window %.0f s: median %.0f B/s sent per agent" % (dt, sorted(tot)[len(tot) // 2]))
    return {"window_s": round(dt, 2), "agents": rows}


def measure_crash(cluster, rng, n, log):
    victim = rng.choice(cluster.agents[1:])
    survivors = [a for a in cluster.live() if a is not victim]
    t0 = time.time()
    os.kill(victim.pid, signal.SIGKILL)
    victim.proc.wait(timeout=10)
    cluster.wait_state(survivors, victim.name, ("dead",), timeout=60)
    time.sleep(0.3)  # the log line is written right after the state change; let the last ones land
    sus, dead = [], []
    for a in survivors:
        ev = a.events()
        s = first_event(ev, "suspect", victim.name, t0)
        d = first_event(ev, "dead", victim.name, t0)
        sus.append((s - t0, a.name) if s else None)
        dead.append(d - t0 if d else None)
    first_sus = min((x for x in sus if x), default=None)
    r = {"victim": victim.name, "survivors": len(survivors),
         "first_suspect_s": round(first_sus[0], 4) if first_sus else None,
         "first_suspect_by": first_sus[1] if first_sus else None,
         "all_dead_s": round(max(x for x in dead if x is not None), 4),
         "per_observer_dead_s": sorted(round(x, 4) for x in dead if x is not None),
         "missing_log_observers": sum(1 for x in dead if x is None)}
    log("N=%d crash of %s: first suspicion %.3f s, dead at all %d survivors %.3f s"
        % (n, victim.name, r["first_suspect_s"] or -1, len(survivors), r["all_dead_s"]))
    return r, victim


def measure_leave(cluster, rng, n, exclude, log):
    leaver = rng.choice([a for a in cluster.agents[1:] if a.running() and a not in exclude])
    survivors = [a for a in cluster.live() if a is not leaver]
    t0 = time.time()
    os.kill(leaver.pid, signal.SIGTERM)
    cluster.wait_state(survivors, leaver.name, ("left",), timeout=30)
    time.sleep(0.3)
    per = []
    for a in survivors:
        t = first_event(a.events(), "left", leaver.name, t0)
        per.append(t - t0 if t else None)
    try:
        leaver.proc.wait(timeout=10)
    except Exception:  # noqa: BLE001 - close() will SIGKILL it
        pass
    r = {"leaver": leaver.name, "survivors": len(survivors),
         "all_left_s": round(max(x for x in per if x is not None), 4),
         "per_observer_left_s": sorted(round(x, 4) for x in per if x is not None),
         "missing_log_observers": sum(1 for x in per if x is None),
         "exit_after_s": round(time.time() - t0, 3)}
    log("N=%d leave of %s: left at all %d survivors %.3f s" % (n, leaver.name, len(survivors), r["all_left_s"]))
    return r, leaver


def one_rep(n, rep, rng, load_window, log):
    res = {"n": n, "rep": rep, "loadavg_before": machine.loadavg()}
    cluster = ag.Cluster(n)
    try:
        t_start = time.time()
        res["join"] = measure_join(cluster, n, log)
        time.sleep(3)
        res["state_change"] = measure_state_change(cluster, rng, n, rep, log)
        if load_window:
            time.sleep(5)
            res["load"] = measure_load(cluster, load_window, log)
        time.sleep(2)
        res["crash"], victim = measure_crash(cluster, rng, n, log)
        time.sleep(1)
        res["leave"], leaver = measure_leave(cluster, rng, n, [victim], log)
        res["spurious"] = spurious(cluster, {victim.name, leaver.name}, t_start, time.time())
        if res["spurious"]["dead_events"]:
            log("N=%d: healthy agents declared dead during the rep: %s" % (n, res["spurious"]))
        rss = [ag.read_proc(a.pid)["VmRSS"] for a in cluster.live()]
        res["rss_kib_median"] = sorted(rss)[len(rss) // 2]
    finally:
        cluster.close()
    res["loadavg_after"] = machine.loadavg()
    return res


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", default="10,25,50")
    p.add_argument("--reps", type=int, default=5)
    p.add_argument("--load-window", type=float, default=30.0, help="idle load window on rep 1, s (0 = none)")
    p.add_argument("--budget", type=float, default=1200.0, help="wall-clock budget, s")
    p.add_argument("--seed", type=int, default=None)
    p.add_argument("--out", default="agents")
    args = p.parse_args()
    suite.install_signal_handlers()
    seed = args.seed if args.seed is not None else random.SystemRandom().randrange(1 << 31)
    suite.log("agents suite: sizes %s, %d reps, seed %d (victims and origins are drawn from it)"
              % (args.sizes, args.reps, seed))
    rng = random.Random(seed)
    budget = suite.Budget(args.budget)
    desc = machine.describe()
    runs, errors = [], []
    for n in [int(x) for x in args.sizes.split(",")]:
        for rep in range(args.reps):
            if budget.exceeded():
                errors.append("budget exhausted before N=%d rep %d" % (n, rep + 1))
                suite.log(errors[-1])
                break
            try:
                runs.append(one_rep(n, rep + 1, rng, args.load_window if rep == 0 else 0, suite.log))
            except (TimeoutError, RuntimeError, OSError) as e:
                errors.append("N=%d rep %d: %s" % (n, rep + 1, e))
                suite.log("FAILED " + errors[-1])
    result = {"suite": "agents", "seed": seed, "machine": machine.finish(desc), "timings": ag.LAN,
              "binary": ag.agent_binary(), "encryption": True,
              "resolution": {"member_events": "agent log timestamps, 1 ms (system clock shared by all agents on this host)",
                             "state_change": "SSE receipt, < 1 ms; see note (100 ms coalescing)",
                             "poll_interval_s": 0.25},
              "state_note": STATE_NOTE, "runs": runs, "errors": errors}
    suite.write_result(args.out, result)
    return 0 if not errors else 1


if __name__ == "__main__":
    sys.exit(main())

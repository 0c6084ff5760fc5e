"""Chaos scenarios about the network (issue 7): steady state, uniform loss, one lossy host,
flip-flopping ingress, link isolation. Each takes (res: Result, short: bool) and fills `res` with named checks and
measured numbers; `short` shortens the windows for the ctest subset."""
import time

from agentproc import wait_until
from cluster import ChaosCluster, Monitor, detection_bound, timing

N = 8


class Run:
    """Context manager: a started, converged ChaosCluster of n hosts, closed on exit (its log tails
    printed when the scenario failed)."""

    def __init__(self, res, n=N, **kw):
        self.res = res
        self.cluster = ChaosCluster(n, **kw)

    def __enter__(self):
        c = self.cluster
        try:
            c.up()
            c.start_all()
            c.wait_http()
            self.res.numbers["initial_convergence_s"] = c.wait_converged(60)
        except BaseException:  # __exit__ is not called when __enter__ raises
            c.close(failed=True)
            raise
        return c

    def __exit__(self, et, ev, tb):
        failed = et is not None or not self.res.passed
        self.cluster.close(failed=failed)
        return False


def counters(c, agents=None):
    return {"suspicions_raised": c.metric_sum("rollcall_suspicions_raised_total", agents),
            "refutations": c.metric_sum("rollcall_refutations_total", agents),
            "dead_declared": c.metric_sum("rollcall_dead_declared_total", agents)}


def delta(after, before):
    return {k: int(after[k] - before[k]) for k in after}


def sample_converged(c, window, res, every=5.0):
    """Checks convergence every `every` seconds for `window` seconds; returns failed samples."""
    bad = 0
    deadline = time.monotonic() + window
    while time.monotonic() < deadline:
        time.sleep(min(every, max(0.0, deadline - time.monotonic())))
        if not c.converged():
            bad += 1
    return bad


def steady(res, short):
    window = 30 if short else 120
    res.window = "%d s" % window
    with Run(res) as c:
        mon = Monitor(c).start()
        before, t0 = counters(c), time.time()
        bad = sample_converged(c, window, res)
        mon.stop()
        d = delta(counters(c), before)
        res.numbers.update({"suspicions_raised": d["suspicions_raised"], "refutations": d["refutations"]})
        events = [e for e in c.events(t0) if e[2] in ("suspect", "dead")]
        res.check("all 8 agents list 8 alive servers with equal digests at every 5 s sample", bad == 0,
                  "%d bad samples" % bad)
        res.check("no suspicion raised during the window", d["suspicions_raised"] == 0 and not events,
                  "%d raised, log events %s" % (d["suspicions_raised"], events[:5]))
        res.check("no state other than alive ever seen by the monitor",
                  not [t for t in mon.transitions if t[5] != "alive"], str([t[2:] for t in mon.transitions if t[5] != "alive"][:5]))


def uniform_loss(res, short, pct):
    window = 45 if short else 120
    res.window = "%d s at %d%%" % (window, pct)
    with Run(res) as c:
        mon = Monitor(c).start()
        before, t0 = counters(c), time.time()
        c.rig.set_loss_all(pct)
        time.sleep(window)
        c.rig.set_loss_all(0)
        t1 = time.time()
        d = delta(counters(c), before)
        res.numbers.update({"suspicions_raised": d["suspicions_raised"], "refutations": d["refutations"]})
        res.numbers["convergence_s"] = c.wait_converged(timing("push_pull") + 15)
        mon.stop()
        ev = c.events(t0, t1)
        dead = [e for e in ev if e[2] == "dead"]
        sus = [e for e in ev if e[2] == "suspect"]
        res.numbers["suspect_log_events"] = len(sus)
        res.check("zero healthy hosts declared dead (logs of every agent)", not dead, str(dead[:5]))
        res.check("zero dead states seen by the monitor", not mon.transitions_to("dead"),
                  str([t[2:] for t in mon.transitions_to("dead")][:5]))
        res.check("rollcall_dead_declared_total did not move", d["dead_declared"] == 0, str(d["dead_declared"]))
        res.check("converged (equal digests, all alive) after the loss is lifted",
                  res.numbers["convergence_s"] is not None)


def lossy_host(res, short):
    window = 60 if short else 120
    lossy = "h8"
    healthy = ["h%d" % i for i in range(1, 8)]
    res.window = "%d s, h8 80%% ingress loss" % window
    with Run(res) as c:
        mon = Monitor(c).start()
        hagents = [c.by_name[h] for h in healthy]
        before, t0 = counters(c, hagents), time.time()
        c.rig.set_loss(8, 80)
        time.sleep(window)
        tables = [a.table() for a in hagents]
        flags = []
        for t in tables:
            row = [s for s in t["servers"] if s["name"] == lossy][0]
            flags.append((row["heartbeat"]["state"], row["heartbeat"]["degraded"]))
        c.rig.set_loss(8, 0)
        t1 = time.time()
        d = delta(counters(c, hagents), before)
        res.numbers.update({"suspicions_raised": d["suspicions_raised"], "refutations":
                            int(c.by_name[lossy].metrics().get("rollcall_refutations_total", 0))})
        res.numbers["convergence_s"] = c.wait_converged(timing("push_pull") + 15)
        mon.stop()
        ev = [e for e in c.events(t0, t1) if e[1] in healthy]
        healthy_flaps = [e for e in ev if e[3] in healthy and e[2] in ("dead",)]
        healthy_sus = [e for e in ev if e[3] in healthy and e[2] == "suspect"]
        lossy_dead = [e for e in ev if e[3] == lossy and e[2] == "dead"]
        lossy_sus = [e for e in ev if e[3] == lossy and e[2] == "suspect"]
        res.numbers.update({"suspicions_of_h8": len(lossy_sus), "dead_of_h8": len(lossy_dead),
                            "suspicions_of_healthy": len(healthy_sus)})
        res.check("no healthy host declared dead by a healthy host", not healthy_flaps, str(healthy_flaps[:5]))
        res.check("the lossy host never declared dead by a healthy host (no alive/dead flapping)",
                  not lossy_dead, "%d dead declarations, e.g. %s" % (len(lossy_dead), lossy_dead[:3]))
        seen = {o for (o, s) in mon.degraded_seen if s == lossy and o in healthy}
        res.check("every healthy view marks h8 at the end of the window: degraded (heartbeat.degraded) or suspect, "
                  "never plain alive or dead", all(f[0] == "suspect" or f == ("alive", True) for f in flags),
                  "state/degraded per healthy view: %s" % flags)
        res.note("h8 shown degraded by %d/7 healthy views during the window" % len(seen))


def flip_flop(res, short):
    cycles, period = (3, 10) if short else (5, 20)
    res.window = "%d x (%d s cut / %d s restored)" % (cycles, period, period)
    healthy = ["h%d" % i for i in range(1, 8)]
    with Run(res) as c:
        mon = Monitor(c).start()
        before, t0 = counters(c), time.time()
        hagents = [c.by_name[h] for h in healthy]
        back, detect = [], []
        for k in range(cycles):
            c.rig.cut_ingress(8, True)
            tc = time.monotonic()
            time.sleep(period)
            dead = mon.transitions_to("dead", ["h8"], healthy, since=tc)
            detect.append(max(t[0] for t in dead) - tc if len({t[2] for t in dead}) == 7 else None)
            c.rig.cut_ingress(8, False)
            tr = time.monotonic()
            try:
                wait_until(lambda: c.all_see("h8", "alive", c.agents), 30, "h8 alive in every view", interval=0.1)
                back.append(time.monotonic() - tr)
            except AssertionError:
                back.append(None)
            if k < cycles - 1:
                time.sleep(max(0.0, period - (time.monotonic() - tr)))
        t1 = time.time()
        d = delta(counters(c), before)
        res.numbers.update({"suspicions_raised": d["suspicions_raised"], "refutations": d["refutations"]})
        res.numbers["convergence_s"] = c.wait_converged(timing("push_pull") + 15)
        mon.stop()
        res.numbers["h8_dead_after_cut_s"] = detect
        res.numbers["h8_back_after_restore_s"] = back
        res.numbers["detection_s"] = max([x for x in detect if x is not None], default=None)
        ev = [e for e in c.events(t0, t1) if e[1] in healthy and e[3] in healthy and e[2] == "dead"]
        res.check("no healthy host ever declared dead by a healthy host", not ev, str(ev[:5]))
        res.check("h8 back (alive) in every view within 5 s of its last restore",
                  back[-1] is not None and back[-1] <= 5.0, "%s s" % back[-1])
        res.check("h8 back in every view after every restore", all(b is not None for b in back), str(back))


def isolation(res, short):
    """h6's link goes down (ip link set eth0 down) for longer than detection, then up again."""
    hold = detection_bound(N) + (5 if short else 20)
    res.window = "h6 link down %.0f s" % hold
    healthy = ["h%d" % i for i in range(1, 9) if i != 6]
    with Run(res) as c:
        others = [c.by_name[h] for h in healthy]
        before, t0 = counters(c, others), time.time()
        c.rig.link(6, False)
        td = time.monotonic()
        seen = c.wait_state("h6", "dead", others, hold, since=td)
        res.numbers["detection_s"] = max(seen.values()) if len(seen) == N - 1 else None
        time.sleep(max(0.0, hold - (time.monotonic() - td)))
        c.rig.link(6, True)
        tu = time.monotonic()
        try:
            c.wait_converged(60)
            res.numbers["convergence_s"] = time.monotonic() - tu
        except AssertionError as e:
            res.numbers["convergence_s"] = None
            res.note(str(e)[:200])
        t1 = time.time()
        d = delta(counters(c, others), before)
        res.numbers.update({"suspicions_raised": d["suspicions_raised"], "refutations": d["refutations"]})
        ev = [e for e in c.events(t0, t1) if e[1] in healthy and e[3] in healthy and e[2] == "dead"]
        res.check("h6 declared dead by all 7 while its link was down", res.numbers["detection_s"] is not None,
                  "%d/7 observers" % len(seen))
        res.check("no healthy host declared dead by a healthy host", not ev, str(ev[:5]))
        res.check("after link up: all 8 alive with equal digests", res.numbers["convergence_s"] is not None)

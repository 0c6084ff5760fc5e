"""Chaos scenarios about processes and cluster state (issue 7): partition and heal with writes on
both sides, kill -9 (also under loss), SIGSTOP past the suspicion timeout, kill -9 of every agent,
key rotation with one host partitioned. Same contract as scenarios_net."""
import json
import random
import threading
import time

from agentproc import new_key, wait_until
from cluster import Monitor, detection_bound, timing
from scenarios_net import N, Run, counters, delta


def row(table, name):
    rows = [s for s in table["servers"] if s["name"] == name]
    return rows[0] if len(rows) == 1 else None


def kinds(table, name):
    r = row(table, name)
    return sorted(c["kind"] for c in r["components"]) if r else None


def member(agent, name):
    rows = [m for m in agent.members(timeout=3) if m["name"] == name]
    return rows[0] if len(rows) == 1 else None


def ok_json(resp, what):
    status, _, body = resp
    if status // 100 != 2:
        raise AssertionError("%s answered %d: %s" % (what, status, body[:300]))
    return json.loads(body)


def partition(res, short):
    hold = 20 if short else 60
    res.window = "5|3 for %d s" % hold
    a_side, b_side = list(range(1, 6)), list(range(6, 9))
    with Run(res) as c:
        A = [c.agent(i) for i in a_side]
        B = [c.agent(i) for i in b_side]
        mon = Monitor(c).start()
        before = counters(c)
        c.rig.partition(a_side, b_side)
        tp = time.monotonic()

        def split_seen():
            return all(c.all_see(b.name, "dead", A) for b in B) and all(c.all_see(a.name, "dead", B) for a in A)
        try:
            wait_until(split_seen, detection_bound(N) + 10, "each side to mark the other dead", interval=0.25)
            res.numbers["detection_s"] = time.monotonic() - tp
            res.check("each side marks the other dead", True, "after %.1f s" % res.numbers["detection_s"])
        except AssertionError as e:
            res.check("each side marks the other dead", False, str(e))
        # Writes on both sides during the partition; B writes last (wall time).
        w1 = ok_json(c.agent(1).request("PUT", "/v1/config", {"load_balancing": False}, token=c.token), "PUT on h1")
        ok_json(c.agent(2).request("DELETE", "/v1/servers/h7/components/web", token=c.token), "remove h7/web on h2")
        time.sleep(1.0)
        w2 = ok_json(c.agent(6).request("PUT", "/v1/config", {"automatic_failover": False, "heartbeat_interval_ms": 20000},
                                        token=c.token), "PUT on h6")
        ok_json(c.agent(8).request("DELETE", "/v1/servers/h2/components/service", token=c.token), "remove h2/service on h8")
        for _ in range(3):  # the owners keep heartbeating the removed components meanwhile
            c.agent(7).request("POST", "/v1/local/heartbeat/web")
            c.agent(2).request("POST", "/v1/local/heartbeat/service")
        time.sleep(max(0.0, hold - (time.monotonic() - tp)))
        c.rig.heal()
        th = time.monotonic()
        try:
            res.numbers["convergence_s"] = c.wait_converged(60)
        except AssertionError as e:
            res.numbers["convergence_s"] = None
            res.note(str(e)[:200])
        conv = res.numbers["convergence_s"]
        res.check("after the heal all 8 alive with equal digests within 10 s", conv is not None and conv <= 10.0,
                  "%s s" % (None if conv is None else round(conv, 1)))
        configs = [a.get("/v1/config") for a in c.agents]
        winner = max([w1, w2], key=lambda w: (w["lamport"], w["writer"]))
        res.check("the cluster config is identical on all 8", all(x == configs[0] for x in configs),
                  str({x["writer"] for x in configs}))
        res.check("last writer wins: the write with the highest (lamport, writer) is in effect",
                  configs[0]["lamport"] == winner["lamport"] and configs[0]["writer"] == winner["writer"],
                  "h1 wrote (%d, %s), h6 wrote (%d, %s), in effect (%d, %s)" % (
                      w1["lamport"], w1["writer"], w2["lamport"], w2["writer"], configs[0]["lamport"], configs[0]["writer"]))

        def removals_hold():
            tables = [a.table() for a in c.agents]
            return all(kinds(t, "h7") == ["service"] and kinds(t, "h2") == ["web"] for t in tables)
        try:
            wait_until(removals_hold, 15, "both removals everywhere")
            ok1 = True
        except AssertionError:
            ok1 = False
        time.sleep(timing("push_pull") + 2)  # a stale peer would have resurrected them by now
        ok2 = removals_hold()
        res.check("both removals (h7/web from side A, h2/service from side B) in every view", ok1)
        res.check("no removed component resurrected after a push-pull interval", ok2)
        st7 = c.agent(7).request("POST", "/v1/local/heartbeat/web")[0]
        res.check("the owner withdrew its removed component (heartbeat answered 409)", st7 == 409, "HTTP %d" % st7)
        mon.stop()
        d = delta(counters(c), before)
        res.numbers.update({"suspicions_raised": d["suspicions_raised"], "refutations": d["refutations"]})


def kill9(res, short, loss=0):
    res.window = "loss %d%%" % loss
    bound = detection_bound(N)
    with Run(res) as c:
        victim = c.agent(5)
        others = [a for a in c.agents if a is not victim]
        mon = Monitor(c).start()
        old = member(c.agent(1), "h5")
        if loss:
            c.rig.set_loss_all(loss)
        before = counters(c, others)
        victim.kill9()
        tk = time.monotonic()
        seen = c.wait_state("h5", "dead", others, bound + 20, since=tk)
        det = max(seen.values()) if len(seen) == 7 else None
        res.numbers["detection_s"] = det
        res.numbers["first_dead_s"] = min(seen.values()) if seen else None
        res.numbers["bound_s"] = bound
        res.check("h5 declared dead by all 7 within the bound the timings imply (%.1f s)" % bound,
                  det is not None and det <= bound, "%s s, %d/7 observers" % (None if det is None else round(det, 1), len(seen)))
        victim.start()
        tr = time.monotonic()
        back = c.wait_state("h5", "alive", c.agents, 30, since=tr)
        res.numbers["convergence_s"] = max(back.values()) if len(back) == N else None
        new = member(c.agent(1), "h5")
        tables = [a.table() for a in c.agents]
        res.check("restarted h5 is back alive everywhere", res.numbers["convergence_s"] is not None)
        res.check("same id, higher generation", new and new["id"] == old["id"] and
                  int(new["incarnation"].split(".")[0]) > int(old["incarnation"].split(".")[0]),
                  "id %s -> %s, incarnation %s -> %s" % (old["id"][:8], new and new["id"][:8], old["incarnation"],
                                                        new and new["incarnation"]))
        res.check("exactly one h5 row in every table", all(len([s for s in t["servers"] if s["name"] == "h5"]) == 1
                                                           for t in tables))
        if loss:
            c.rig.set_loss_all(0)
        mon.stop()
        d = delta(counters(c, others), before)
        res.numbers.update({"suspicions_raised": d["suspicions_raised"], "refutations": d["refutations"]})
        false_dead = [e for e in c.events(0) if e[2] == "dead" and e[3] != "h5"]
        res.check("no other host declared dead", not false_dead, str(false_dead[:5]))


def sigstop(res, short):
    bound = detection_bound(N)
    res.window = "paused %.0f s" % bound
    with Run(res) as c:
        victim = c.agent(4)
        others = [a for a in c.agents if a is not victim]
        mon = Monitor(c, observers=[a.name for a in others]).start()
        old = member(c.agent(1), "h4")
        before = counters(c)
        victim.signal(19)  # SIGSTOP
        ts = time.monotonic()
        seen = c.wait_state("h4", "dead", others, bound + 10, since=ts)
        res.numbers["detection_s"] = max(seen.values()) if len(seen) == N - 1 else None
        time.sleep(max(0.0, bound - (time.monotonic() - ts)))
        res.check("paused longer than the longest suspicion timeout and declared dead by all",
                  res.numbers["detection_s"] is not None, "%s/%d observers, last after %s s" % (
                      len(seen), N - 1, res.numbers["detection_s"]))
        victim.signal(18)  # SIGCONT
        tc = time.monotonic()
        mon.set_observers([a.name for a in c.agents])
        back = c.wait_state("h4", "alive", c.agents, 20, since=tc)
        res.numbers["convergence_s"] = max(back.values()) if len(back) == N else None
        new = member(c.agent(1), "h4")
        res.check("after SIGCONT h4 is alive in every view", res.numbers["convergence_s"] is not None,
                  "%d/%d views after %s s" % (len(back), N, res.numbers["convergence_s"]))
        res.check("it refuted (same generation, higher incarnation counter)",
                  new and new["incarnation"].split(".")[0] == old["incarnation"].split(".")[0] and
                  int(new["incarnation"].split(".")[1]) > int(old["incarnation"].split(".")[1]),
                  "%s -> %s" % (old["incarnation"], new and new["incarnation"]))
        mon.stop()
        d = delta(counters(c), before)
        res.numbers.update({"suspicions_raised": d["suspicions_raised"], "refutations": d["refutations"]})
        false_dead = [e for e in c.events(0) if e[2] == "dead" and e[3] != "h4"]
        res.check("no other host declared dead", not false_dead, str(false_dead[:5]))


def keys_state(agent):
    return ok_json(agent.request("GET", "/v1/keys"), "GET /v1/keys on " + agent.name)


def rotate(c, agents, new, old_id, res, timeout=30):
    """install new on all, use it on all (retrying 409 until every live member has it), remove old."""
    new_id = ok_json(agents[0].request("POST", "/v1/keys/install", {"key": new}, token=c.token), "install")["installed"]
    for a in agents[1:]:
        ok_json(a.request("POST", "/v1/keys/install", {"key": new}, token=c.token), "install on " + a.name)
    t0 = time.monotonic()
    for a in agents:
        wait_until(lambda a=a: a.request("POST", "/v1/keys/use", {"id": new_id}, token=c.token)[0] == 200, timeout,
                   "keys use on " + a.name, interval=0.25)
    res.numbers["use_accepted_after_s"] = time.monotonic() - t0
    for a in agents:
        ok_json(a.request("POST", "/v1/keys/remove", {"id": old_id}, token=c.token), "remove on " + a.name)
    return new_id


def restart_all(res, short):
    res.window = "kill -9 of all 8"
    with Run(res) as c:
        old_id = keys_state(c.agent(1))["primary"]
        ok_json(c.agent(1).request("PUT", "/v1/config", {"load_balancing": False, "stale_timeout_ms": 600000},
                                   token=c.token), "PUT config")
        ok_json(c.agent(2).request("DELETE", "/v1/servers/h3/components/service", token=c.token), "remove h3/service")
        new_id = rotate(c, c.agents, new_key(), old_id, res)
        cfg = c.agent(1).get("/v1/config")
        wait_until(lambda: all(a.get("/v1/config") == cfg and kinds(a.table(), "h3") == ["web"] for a in c.agents),
                   20, "config and removal everywhere")
        ids = {m["name"]: m for m in c.agent(1).members()}
        time.sleep(1.0)
        for a in c.agents:
            a.kill9()
        for a in c.agents:
            a.start()
        tr = time.monotonic()
        c.wait_http()
        try:
            res.numbers["convergence_s"] = c.wait_converged(60)
            res.numbers["convergence_s"] = time.monotonic() - tr
        except AssertionError as e:
            res.numbers["convergence_s"] = None
            res.note(str(e)[:200])
        res.check("all 8 back, alive, equal digests", res.numbers["convergence_s"] is not None)
        after = {m["name"]: m for m in c.agent(1).members()}
        res.check("same ids, generation + 1", all(after[n]["id"] == ids[n]["id"] and
                                                  int(after[n]["incarnation"].split(".")[0]) == int(ids[n]["incarnation"].split(".")[0]) + 1
                                                  for n in ids))
        cfgs = [a.get("/v1/config") for a in c.agents]
        res.check("cluster config survived on every agent", all(x == cfg for x in cfgs), str(cfgs[0]))
        res.check("removal survived (h3 has no service component in any view)",
                  all(kinds(a.table(), "h3") == ["web"] for a in c.agents))
        rings = [keys_state(a) for a in c.agents]
        res.check("rotated keyring survived (new key primary, old key gone) on every agent",
                  all(r["primary"] == new_id and r["installed"] == [new_id] for r in rings),
                  str([(r["primary"], r["installed"]) for r in rings][:3]))


def key_rotation(res, short):
    res.window = "h8 partitioned during the rotation"
    rest = list(range(1, 8))
    with Run(res) as c:
        R = [c.agent(i) for i in rest]
        mon = Monitor(c, observers=[a.name for a in R]).start()
        stop = threading.Event()
        load = {"requests": 0, "errors": 0}

        def loader():
            rng = random.Random(7)
            while not stop.is_set():
                a = rng.choice(R)
                try:
                    a.request("GET", "/v1/cluster", timeout=3)
                    a.request("POST", "/v1/local/heartbeat/" + rng.choice(["web", "service"]), timeout=3)
                    load["requests"] += 2
                except Exception:  # noqa: BLE001
                    load["errors"] += 1
                time.sleep(0.02)
        th = threading.Thread(target=loader, daemon=True)
        th.start()
        old_id = keys_state(c.agent(1))["primary"]
        c.rig.partition([8], rest)
        tp = time.monotonic()
        wait_until(lambda: c.all_see("h8", "dead", R), detection_bound(N) + 10, "h8 dead on the rest", interval=0.25)
        res.numbers["detection_s"] = time.monotonic() - tp
        new = new_key()
        t_rot = time.monotonic()
        new_id = rotate(c, R, new, old_id, res)
        res.numbers["rotation_s"] = time.monotonic() - t_rot
        time.sleep(3)
        split = [t[2:] for t in mon.transitions if t[3] != "h8" and t[5] in ("dead", "suspect")]
        res.check("the cluster never split during the rotation (no live member suspected or dead among h1..h7)",
                  not split, str(split[:5]))
        decrypt_before = c.metric_sum("rollcall_decrypt_failures_total", R)
        c.rig.heal()
        time.sleep(max(12.0, 2 * timing("reconnect")))  # several reconnect attempts by both sides
        still_out = all(c.all_see("h8", "dead", [a]) for a in R)
        decrypt_after = c.metric_sum("rollcall_decrypt_failures_total", R)
        logged = any(e[2] == "decrypt" for a in R for e in c.events(0, agents=[a]))
        res.check("h8 with only the removed key is not admitted after the heal", still_out)
        res.check("its packets are counted (rollcall_decrypt_failures_total) and logged as failed authentication",
                  decrypt_after > decrypt_before and logged, "%d new failures" % (decrypt_after - decrypt_before))
        h8 = c.agent(8)
        ok_json(h8.request("POST", "/v1/keys/install", {"key": new}, token=c.token), "install on h8")
        tu = time.monotonic()
        last = [None]

        def use_new():
            last[0] = h8.request("POST", "/v1/keys/use", {"id": new_id}, token=c.token)
            return last[0][0] == 200
        retry = 2 * timing("push_pull") + 30  # it must first hear every live member's keyring
        try:
            wait_until(use_new, retry, "keys use on h8", interval=1.0)
            res.numbers["h8_use_accepted_after_s"] = time.monotonic() - tu
            accepted = True
        except AssertionError:
            accepted = False
        res.check("h8 accepts `keys use` of the new key once installed (retried for %.0f s)" % retry, accepted,
                  "last answer HTTP %d %s" % (last[0][0], last[0][2][:200].decode("utf-8", "replace")))
        if not accepted:
            stop.set()
            mon.stop()
            return
        ok_json(h8.request("POST", "/v1/keys/remove", {"id": old_id}, token=c.token), "remove old key on h8")
        ta = time.monotonic()
        mon.set_observers([a.name for a in c.agents])
        try:
            c.wait_converged(timing("push_pull") + 15)
            res.numbers["convergence_s"] = time.monotonic() - ta
        except AssertionError as e:
            res.numbers["convergence_s"] = None
            res.note(str(e)[:200])
        res.check("after installing the new key h8 is admitted: all 8 alive, equal digests",
                  res.numbers["convergence_s"] is not None)
        stop.set()
        th.join(timeout=10)
        mon.stop()
        res.numbers["load_requests"] = load["requests"]
        res.check("the API kept answering under load", load["errors"] == 0, "%d errors / %d" % (load["errors"], load["requests"]))
        res.note("returning host with the old key: refused (auth failures counted + logged) until the new key is installed on it")

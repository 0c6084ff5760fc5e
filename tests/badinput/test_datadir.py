"""The data directory under faults (issue 7): not a directory, unreadable, locked, corrupt,
immutable (chattr +i) and full (a 1 MiB tmpfs mounted in a private mount namespace). Expected: a
start-up problem stops the agent with exit status != 0 and a message naming the directory or file;
a write failure while running is counted (rollcall_persist_failures_total) and logged, the agent
keeps serving, and the files on disk still hold the previous state, which a restart loads.
"""
import json
import os
import shutil
import signal
import subprocess
import time
import unittest

import badlib
from badlib import wait_until

PERSIST = "rollcall_persist_failures_total"


def files_of(path):
    """{name: bytes} of the regular files in `path` (LOCK excluded)."""
    out = {}
    for name in sorted(os.listdir(path)):
        p = os.path.join(path, name)
        if os.path.isfile(p) and name != "LOCK":
            with open(p, "rb") as f:
                out[name] = f.read()
    return out


class DataDirCase(unittest.TestCase):
    def setUp(self):
        why = badlib.skip_reason()
        if why:
            self.skipTest(why)
        self.sb = badlib.Sandbox(1, tag="d")
        self.holder = None
        self.immutable = []

    def tearDown(self):
        for p in self.immutable:
            subprocess.run(["chattr", "-i", p], capture_output=True)
        self.sb.close(failed=badlib.failed(self))
        if self.holder and self.holder.poll() is None:
            os.kill(self.holder.pid, signal.SIGKILL)
            self.holder.wait(timeout=10)

    def start_and_wait_exit(self, a, timeout=10):
        a.start()
        try:
            return a.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            a.kill9()
            self.fail("%s kept running" % a.name)

    def pair(self, a_kw=None):
        """A (gossip 7950, HTTP 7951) and B (7960/7961) converged; returns (A, B)."""
        a = self.sb.agent("A", **(a_kw or {})).start()
        b = self.sb.agent("B", gossip_port=7960, http_port=7961, seeds=["127.0.0.1:7950"]).start()
        for x in (a, b):
            wait_until(x.health_ok, 20, x.name + " /health")
        wait_until(lambda: a.table()["cluster"]["servers_alive"] == 2 and
                   a.table()["cluster"]["digest"] == b.table()["cluster"]["digest"], 30, "A and B to converge")
        return a, b

    def put_config(self, agent, body):
        st, _, resp = agent.request("PUT", "/v1/config", body, token=self.sb.token)
        self.assertEqual(st, 200, resp)
        return json.loads(resp)

    # --- start-up ----------------------------------------------------------------------------
    def test_data_dir_that_is_a_file(self):
        path = os.path.join(self.sb.workdir, "afile")
        with open(path, "w") as f:
            f.write("x")
        a = self.sb.agent("F", overrides={"agent": {"data_dir": path}})
        self.assertNotEqual(self.start_and_wait_exit(a), 0)
        self.assertIn("data directory", a.log_text())
        self.assertIn(path, a.log_text())

    def test_unreadable_data_dir_for_an_unprivileged_agent(self):
        top = os.path.join(self.sb.workdir, "nobody")
        os.makedirs(top)
        os.chmod(self.sb.workdir, 0o755)
        data = os.path.join(top, "data")
        os.makedirs(data)
        key = os.path.join(top, "gossip.key")
        shutil.copy(self.sb.key_file, key)
        for p in (top, key):
            os.chown(p, 65534, 65534)
        os.chmod(data, 0)
        a = self.sb.agent("U", key_file=key, token_file="", overrides={"agent": {"data_dir": data}},
                          wrap=["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "--"])
        a.dir, a.config_path, a.log_path = top, os.path.join(top, "agent.toml"), os.path.join(top, "agent.log")
        a.start()
        rc = a.proc.wait(timeout=10)
        self.assertNotEqual(rc, 0)
        self.assertIn("data directory", a.log_text())
        self.assertRegex(a.log_text(), "(?i)permission denied")

    def test_second_agent_on_a_locked_data_dir(self):
        a = self.sb.agent("A").start()
        wait_until(a.health_ok, 20, "A /health")
        b = self.sb.agent("A2", gossip_port=7960, http_port=7961, overrides={"agent": {"data_dir": a.data_dir}})
        self.assertNotEqual(self.start_and_wait_exit(b), 0)
        self.assertRegex(b.log_text(), "(?i)lock")
        self.assertTrue(a.health_ok())

    def test_corrupt_file_refuses_to_start_unless_allow_reset(self):
        a, b = self.pair()
        self.put_config(a, {"load_balancing": False})
        ident = a.members()
        a.stop()
        path = os.path.join(a.data_dir, "cluster.json")
        with open(path, "r+b") as f:
            data = f.read()
            f.seek(0)
            f.write(data[: len(data) // 2])
            f.truncate()
        self.assertNotEqual(self.start_and_wait_exit(a), 0)
        self.assertIn("cluster.json", a.log_text().split("==== start 2")[-1])
        a.start(extra_args=["--allow-reset"])
        wait_until(a.health_ok, 20, "A with --allow-reset")
        self.assertTrue(any(n.startswith("cluster.json.corrupt") for n in os.listdir(a.data_dir)))
        same = [m["id"] for m in a.members() if m["name"] == "A"]
        self.assertEqual(same, [m["id"] for m in ident if m["name"] == "A"], "identity must survive")
        wait_until(lambda: a.get("/v1/config")["load_balancing"] is False, 30, "config re-learned from B")

    # --- write failures while running ------------------------------------------------------
    def write_failure_case(self, a, b, make_unwritable, make_writable):
        self.put_config(a, {"load_balancing": False})
        wait_until(lambda: b.get("/v1/config")["load_balancing"] is False, 10, "first write on B")
        time.sleep(0.5)
        snapshot = files_of(a.data_dir)
        before = badlib.metric(a, PERSIST)
        make_unwritable()
        self.put_config(b, {"load_balancing": True, "heartbeat_interval_ms": 20000})
        st, _, _ = b.request("DELETE", "/v1/servers/A/components/service", token=self.sb.token)
        self.assertEqual(st, 200)
        wait_until(lambda: badlib.metric(a, PERSIST) > before, 10, "A to count the failed writes")
        self.assertTrue(a.health_ok(), "A must keep serving")
        self.assertEqual(a.get("/v1/config")["heartbeat_interval_ms"], 20000, "A keeps the new state in memory")
        self.assertRegex(a.log_text(), "could not save")
        after = files_of(a.data_dir)
        for name, data in snapshot.items():
            if name in ("local_state.json",):
                continue  # may legitimately have been written before the fault
            self.assertEqual(after.get(name), data, "%s changed although every write failed" % name)
        a.kill9()
        make_writable()
        a.start()
        wait_until(a.health_ok, 20, "A restarted")
        self.assertNotIn("corrupt", a.log_text().split("==== start 2")[-1])
        wait_until(lambda: a.get("/v1/config")["heartbeat_interval_ms"] == 20000, 30, "A catches up from B")

    def test_immutable_data_dir_while_running(self):
        a, b = self.pair()
        probe = subprocess.run(["chattr", "+i", a.data_dir], capture_output=True, text=True)
        if probe.returncode != 0:
            self.skipTest("chattr +i not supported here: " + probe.stderr.strip())
        subprocess.run(["chattr", "-i", a.data_dir], check=True)

        def lock():
            subprocess.run(["chattr", "+i", a.data_dir], check=True)
            self.immutable.append(a.data_dir)

        def unlock():
            subprocess.run(["chattr", "-i", a.data_dir], check=True)
        self.write_failure_case(a, b, lock, unlock)

    def test_full_data_dir_while_running_and_at_start(self):
        mnt = os.path.join(self.sb.workdir, "small")
        os.makedirs(mnt)
        self.holder = subprocess.Popen(
            ["unshare", "-m", "--propagation", "private", "sh", "-c",
             "mount -t tmpfs -o size=1m tmpfs '%s' && echo ready && exec sleep 3600" % mnt],
            stdout=subprocess.PIPE, text=True)
        self.assertEqual(self.holder.stdout.readline().strip(), "ready")
        view = "/proc/%d/root%s" % (self.holder.pid, mnt)  # the tmpfs as the holder's namespace sees it
        data = os.path.join(mnt, "data")
        enter = ["nsenter", "-t", str(self.holder.pid), "-m", "--"]
        a, b = self.pair({"prefix": enter, "overrides": {"agent": {"data_dir": data}}})
        a.data_dir = os.path.join(view, "data")  # read the files through the holder's view
        filler = os.path.join(view, "filler")

        def fill():
            with open(filler, "wb") as f:
                try:
                    while True:
                        f.write(b"\0" * 65536)
                        f.flush()
                except OSError:
                    pass
            # the last partial block too
            try:
                with open(filler + "2", "wb") as f:
                    while True:
                        f.write(b"\0")
                        f.flush()
            except OSError:
                pass

        def free():
            for p in (filler, filler + "2"):
                if os.path.exists(p):
                    os.remove(p)
        self.write_failure_case(a, b, fill, free)
        # Full at start-up: the generation cannot be written: a clear refusal, files intact.
        a.stop()
        snapshot = files_of(a.data_dir)
        fill()
        self.assertNotEqual(self.start_and_wait_exit(a), 0)
        self.assertRegex(a.log_text().split("==== start 3")[-1], "(?i)space|data directory")
        after = files_of(a.data_dir)
        for name, content in snapshot.items():
            self.assertEqual(after.get(name), content, name + " changed by the failed start")
        free()


if __name__ == "__main__":
    unittest.main()

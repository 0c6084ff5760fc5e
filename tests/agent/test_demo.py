"""Issue 4: `rollcall demo` — real agents, the manifest, the warnings the demo is meant to show
(an older version on demo-2, no product key on demo-3), heartbeats kept up, files private, and a
clean stop on SIGTERM/SIGINT (every agent gone, temporary directory removed).
Run: ROLLCALL_BIN=build/daemon/rollcall python3 -m unittest -v test_demo"""
import json
import os
import shutil
import signal
import stat
import subprocess
import tempfile
import threading
import time
import unittest

import harness
from harness import component, server_row, wait_until


def pid_alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # A zombie is gone for our purpose.
    try:
        with open("/proc/%d/stat" % pid) as f:
            return f.read().split(") ", 1)[1][0] != "Z"
    except OSError:
        return False


def read_json(path):
    with open(path) as f:
        return json.load(f)


class DemoRun:
    """`rollcall demo` as a child process with its output collected on a thread."""

    def __init__(self, agents, workdir=None):
        self.base = harness.free_port_block(2 * agents)
        argv = [harness.ROLLCALL_BIN, "demo", "--agents", str(agents), "--base-port", str(self.base)]
        if workdir:
            argv += ["--workdir", workdir]
        env = {k: v for k, v in os.environ.items() if not k.startswith("ROLLCALL_")}
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
        self.out, self.err = [], []
        self._threads = [threading.Thread(target=self._pump, args=(self.proc.stdout, self.out), daemon=True),
                         threading.Thread(target=self._pump, args=(self.proc.stderr, self.err), daemon=True)]
        for t in self._threads:
            t.start()

    @staticmethod
    def _pump(stream, sink):
        for line in stream:
            sink.append(line)

    def stdout(self):
        return "".join(self.out)

    def stderr(self):
        return "".join(self.err)

    def stop(self, sig=signal.SIGTERM, timeout=15):
        if self.proc.poll() is None:
            self.proc.send_signal(sig)
        try:
            return self.proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait(timeout=10)
            raise AssertionError("rollcall demo did not exit within %ss of %s" % (timeout, sig))
        finally:
            self.close_pipes()

    def close_pipes(self):
        for t in self._threads:
            t.join(timeout=5)
        for stream in (self.proc.stdout, self.proc.stderr):
            stream.close()


class DemoTest(unittest.TestCase):
    def setUp(self):
        harness.require_binary(self)
        self.runs = []
        self.pids = []
        self.dirs = []

    def tearDown(self):
        for r in self.runs:
            if r.proc.poll() is None:
                r.proc.send_signal(signal.SIGTERM)
                try:
                    r.proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    r.proc.kill()
                    r.proc.wait()
            if not r.proc.stdout.closed:
                r.close_pipes()
            if harness.test_failed(self):
                print("---- demo stdout ----\n%s\n---- demo stderr ----\n%s" % (r.stdout(), r.stderr()))
        for pid in self.pids:  # agents that outlived the demo (a failure already reported)
            if pid_alive(pid):
                os.kill(pid, signal.SIGKILL)
        for d in self.dirs:
            shutil.rmtree(d, ignore_errors=True)

    def start(self, agents, workdir=None):
        run = DemoRun(agents, workdir)
        self.runs.append(run)
        return run

    def test_three_agent_demo_shows_the_warnings_and_stops_cleanly(self):
        workdir = tempfile.mkdtemp(prefix="rollcall-demo-test-")
        self.dirs.append(workdir)
        run = self.start(3, workdir)
        manifest_path = os.path.join(workdir, "demo.json")

        def ready():
            if run.proc.poll() is not None:
                raise AssertionError("demo exited early: %s" % run.stderr())
            m = read_json(manifest_path)
            return m if m.get("ready") else None

        m = wait_until(ready, 60, "demo.json with ready=true")
        self.pids = [a["pid"] for a in m["agents"]]
        wait_until(lambda: "Press Ctrl-C to stop" in run.stdout(), 10, "the demo's prompt")
        out = run.stdout()
        self.assertIn("Cluster demo: 3 servers, 3 alive", out)
        for a in m["agents"]:
            self.assertIn(a["http"] + "/", out, "each agent's URL is printed")
        self.assertEqual([a["name"] for a in m["agents"]], ["demo-1", "demo-2", "demo-3"])
        self.assertEqual([a["http"] for a in m["agents"]],
                         ["http://127.0.0.1:%d" % (run.base + 2 * i + 1) for i in range(3)])
        for path in (m["admin_token_file"], m["gossip_key_file"]):
            self.assertEqual(stat.S_IMODE(os.stat(path).st_mode), 0o600, path)
        with open(m["admin_token_file"]) as f:
            token = f.read().strip()
        self.assertNotIn(token, out + run.stderr(), "the demo never prints the token")

        port = lambda i: run.base + 2 * i + 1  # noqa: E731

        def warnings_visible():
            t = harness.get_json(port(0), "/v1/cluster")
            d2, d3 = server_row(t, "demo-2"), server_row(t, "demo-3")
            codes2 = [w["code"] for w in d2["warnings"]]
            codes3 = [w["code"] for w in d3["warnings"]]
            return "VERSION_OUT_OF_SYNC" in codes2 and "KEY_NOT_SET" in codes3 and t
        t = wait_until(warnings_visible, 20, "the demo's version and key warnings")
        self.assertEqual(component(server_row(t, "demo-2"), "web")["version"], "2024.2")
        self.assertEqual(component(server_row(t, "demo-1"), "web")["version"], "2024.3")
        self.assertTrue(server_row(t, "demo-1")["key_in_sync"])
        self.assertFalse(server_row(t, "demo-3")["key_in_sync"])
        # The demo heartbeats and verifies every component: none unknown, none failing.
        wait_until(lambda: all(c["heartbeat_age_ms"] is not None and c["verification"]["result"] == "ok"
                               for s in harness.get_json(port(1), "/v1/cluster")["servers"] for c in s["components"]),
                   20, "every component heartbeating and verified")
        self.assertIn("VERSION_OUT_OF_SYNC", out, "the printed table shows the warnings")
        self.assertIn("KEY_NOT_SET", out)

        # The agents accept the generated admin token.
        status, _, body = harness.request(port(2), "PUT", "/v1/config", {"load_balancing": False},
                                          headers={"Authorization": "Bearer " + token})
        self.assertEqual(status, 200, body)

        # kill -9 of one agent: the demo reports it and keeps running.
        os.kill(self.pids[2], signal.SIGKILL)
        wait_until(lambda: "demo-3" in run.stderr(), 10, "the demo to report the lost agent")
        self.assertIsNone(run.proc.poll())

        t0 = time.monotonic()
        self.assertEqual(run.stop(signal.SIGTERM), 0)
        self.assertLess(time.monotonic() - t0, 10, "stopped within the 5 s grace + slack")
        for pid in self.pids:
            self.assertFalse(pid_alive(pid), "agent pid %d is gone" % pid)
        self.assertTrue(os.path.isdir(workdir), "a --workdir is kept")

    def test_temporary_workdir_is_removed_on_ctrl_c(self):
        run = self.start(1)
        first = wait_until(lambda: run.out and run.out[0], 20, "the demo's first line")
        self.assertIn("files in ", first)
        workdir = first.split("files in ", 1)[1].rstrip(")\n")
        self.dirs.append(workdir)
        m = wait_until(lambda: read_json(os.path.join(workdir, "demo.json")), 20, "demo.json")
        self.pids = [a["pid"] for a in m["agents"]]
        wait_until(lambda: "Press Ctrl-C to stop" in run.stdout(), 60, "the demo's prompt")
        self.assertEqual(run.stop(signal.SIGINT), 0)
        self.assertFalse(os.path.exists(workdir), "the temporary directory is removed")
        self.assertFalse(pid_alive(self.pids[0]))

    def test_agents_do_not_outlive_a_killed_demo(self):
        run = self.start(1)
        first = wait_until(lambda: run.out and run.out[0], 20, "the demo's first line")
        workdir = first.split("files in ", 1)[1].rstrip(")\n")
        self.dirs.append(workdir)
        m = wait_until(lambda: read_json(os.path.join(workdir, "demo.json")), 20, "demo.json")
        self.pids = [a["pid"] for a in m["agents"]]
        run.proc.kill()
        run.proc.wait(timeout=10)
        run.close_pipes()
        wait_until(lambda: not pid_alive(self.pids[0]), 15, "the agent to stop after its demo died")


if __name__ == "__main__":
    unittest.main()

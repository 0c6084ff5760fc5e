"""Issue 4: the `rollcall` command-line client against a real 3-agent cluster — output and exit codes
of every subcommand, errors included (0 ok, 1 refused/failed, 2 usage, 3 unreachable; docs/cli.md).
Run: ROLLCALL_BIN=build/daemon/rollcall python3 -m unittest -v test_cli"""
import base64
import json
import os
import re
import secrets
import unittest

import harness
from harness import Cluster, component, run_cli, server_row, wait_until


class CliTest(unittest.TestCase):
    N = 3
    c = None
    any_failed = False

    @classmethod
    def setUpClass(cls):
        if not harness.ROLLCALL_BIN:
            raise unittest.SkipTest("ROLLCALL_BIN not set")
        cls.c = Cluster(cls.N)
        cls.c.wait_http()
        cls.c.wait_converged(timeout=30)
        cls.c.heartbeat_all()

    @classmethod
    def tearDownClass(cls):
        if cls.c:
            cls.c.close(failed=cls.any_failed)

    def tearDown(self):
        if harness.test_failed(self):
            type(self).any_failed = True

    def cli(self, *args, agent=0, token=False, env=None, code=0, stdin=None):
        a = self.c.agents[agent]
        argv = list(args) + ["--http-addr", "127.0.0.1:%d" % a.http_port]
        if token:
            argv += ["--token-file", self.c.token_file]
        r = run_cli(argv, env_extra=env, input_text=stdin)
        self.assertEqual(r.returncode, code, "rollcall %s -> %d\nstdout:\n%s\nstderr:\n%s" % (
            " ".join(args), r.returncode, r.stdout, r.stderr))
        self.assertNotIn(self.c.token, r.stdout + r.stderr, "the admin token is never printed")
        return r

    # --- read commands -------------------------------------------------------------------------
    def test_cluster_prints_an_aligned_table_without_colour_when_piped(self):
        r = self.cli("cluster")
        out = r.stdout
        self.assertIn("Cluster %s: 3 servers, 3 alive" % self.c.name, out)
        self.assertNotIn("\x1b[", out, "no colour codes when stdout is not a terminal")
        lines = out.splitlines()
        header = [l for l in lines if "SERVER" in l and "STATE" in l]
        self.assertEqual(len(header), 1, out)
        col = header[0].index("STATE")
        for a in self.c.agents:
            row = [l for l in lines if re.search(r"\b%s\b" % re.escape(a.name), l) and "alive" in l]
            self.assertEqual(len(row), 1, out)
            # Columns line up (symbols are one column wide; compare in characters, not bytes).
            self.assertEqual(row[0].index("alive"), col, "\n" + header[0] + "\n" + row[0])
        self.assertRegex(out, r"(?m)^[✔⚠✖?] ")
        self.assertEqual(r.stderr, "")

    def test_cluster_json_is_the_api_document(self):
        r = self.cli("cluster", "--json")
        doc = json.loads(r.stdout)
        self.assertEqual(doc["cluster"]["servers"], self.N)
        self.assertEqual(sorted(s["name"] for s in doc["servers"]), sorted(a.name for a in self.c.agents))

    def test_members_table_and_json(self):
        out = self.cli("members").stdout.splitlines()
        self.assertTrue(out[0].startswith("NAME"), out)
        self.assertEqual([l.split()[0] for l in out[1:]], sorted(a.name for a in self.c.agents))
        self.assertTrue(all(" alive" in l for l in out[1:]), out)
        doc = json.loads(self.cli("members", "--json").stdout)
        self.assertEqual(len(doc), self.N)

    def test_config_get_all_one_key_and_unknown_key(self):
        out = self.cli("config", "get").stdout
        for field in ("load_balancing", "automatic_failover", "heartbeat_interval_ms", "stale_timeout_ms",
                      "web_stale_window_ms", "lamport"):
            self.assertRegex(out, r"(?m)^%s\s+\S" % field)
        value = self.cli("config", "get", "stale_timeout").stdout
        self.assertRegex(value, r"^\d+\n$")
        self.assertEqual(json.loads(self.cli("config", "get", "stale_timeout_ms", "--json").stdout), int(value))
        r = self.cli("config", "get", "no_such_key", code=2)
        self.assertIn("no_such_key", r.stderr)
        self.assertEqual(r.stdout, "")

    # --- writes --------------------------------------------------------------------------------
    def test_config_set_with_token_spreads_without_is_refused(self):
        r = self.cli("config", "set", "stale_timeout", "7m", token=True)
        self.assertIn("stale_timeout_ms set to 7m (420000 ms)", r.stdout)
        wait_until(lambda: self.cli("config", "get", "stale_timeout_ms", agent=2).stdout == "420000\n", 10,
                   "the new stale timeout on agent 3")

        r = self.cli("config", "set", "stale_timeout", "9m", code=1)
        self.assertIn("401", r.stderr)
        self.assertIn("--token-file", r.stderr)
        r = self.cli("config", "set", "stale_timeout", "9m", env={"ROLLCALL_ADMIN_TOKEN": "wrong-" + self.c.token},
                     code=1)
        self.assertIn("403", r.stderr)
        self.assertNotIn("wrong-", r.stderr)
        r = self.cli("config", "set", "stale_timeout", "9m", env={"ROLLCALL_ADMIN_TOKEN": self.c.token})
        self.assertIn("9m", r.stdout)
        # The agent validates ranges: its message names the field.
        r = self.cli("config", "set", "heartbeat_interval", "1ms", token=True, code=1)
        self.assertIn("400", r.stderr)
        self.assertIn("heartbeat_interval_ms", r.stderr)
        # Client-side usage errors: nothing is sent.
        self.assertIn("colour", self.cli("config", "set", "colour", "red", token=True, code=2).stderr)
        self.assertIn("maybe", self.cli("config", "set", "load_balancing", "maybe", token=True, code=2).stderr)
        self.cli("config", "set", "lamport", "9", token=True, code=2)

    def test_remove_component_refusals_and_success(self):
        r = self.cli("remove", "node-2", token=True, code=1)
        self.assertIn("409", r.stderr)
        r = self.cli("remove", "no-such-server", token=True, code=1)
        self.assertIn("404", r.stderr)
        r = self.cli("remove", "node-2", "service", code=1)
        self.assertIn("401", r.stderr)
        r = self.cli("remove", "node-2", "service", token=True)
        self.assertEqual(r.stdout, "removed component service of server node-2\n")
        wait_until(lambda: all(component(server_row(a.cluster_table(), "node-2"), "service") is None
                               for a in self.c.agents), 10, "the removal on every agent")

    def test_keys_list_install_use_remove(self):
        out = self.cli("keys", "list").stdout
        m = re.search(r"Primary key:\s+([0-9a-f]{8})", out)
        self.assertIsNotNone(m, out)
        primary = m.group(1)
        self.assertEqual(json.loads(self.cli("keys", "list", "--json").stdout)["primary"], primary)
        self.assertIn("base64", self.cli("keys", "install", "not-a-key", token=True, code=2).stderr)
        key = base64.b64encode(secrets.token_bytes(32)).decode()
        r = self.cli("keys", "install", key, token=True)
        m = re.fullmatch(r"installed key ([0-9a-f]{8})\n", r.stdout)
        self.assertIsNotNone(m, r.stdout)
        self.assertNotIn(key, r.stdout + r.stderr)
        r = self.cli("keys", "use", m.group(1), token=True, code=1)
        self.assertIn("409", r.stderr, "other members lack the key")
        r = self.cli("keys", "remove", primary, token=True, code=1)
        self.assertIn("409", r.stderr, "the primary cannot be removed")
        r = self.cli("keys", "remove", m.group(1), token=True)
        self.assertIn("removed key " + m.group(1), r.stdout)
        # "-" reads the key from stdin, keeping it out of the process list.
        r = self.cli("keys", "install", "-", token=True, stdin=key + "\n")
        self.assertEqual(r.stdout, "installed key %s\n" % m.group(1))
        self.cli("keys", "remove", m.group(1), token=True)

    def test_heartbeat_and_health(self):
        r = self.cli("heartbeat", "web")
        self.assertRegex(r.stdout, r"^web heartbeat \d+\n$")
        self.assertIn("404", self.cli("heartbeat", "nope", code=1).stderr)
        self.assertEqual(self.cli("health").stdout, "ok\n")

    # --- errors and local commands -----------------------------------------------------------
    def test_unreachable_agent_is_exit_code_3(self):
        port = harness.free_ports(1)[0]
        for args in (["cluster"], ["members"], ["health"], ["config", "get"], ["keys", "list"]):
            r = run_cli(args + ["--http-addr", "127.0.0.1:%d" % port])
            self.assertEqual(r.returncode, 3, (args, r.stdout, r.stderr))
            self.assertIn("cannot reach the agent at http://127.0.0.1:%d" % port, r.stderr)

    def test_usage_errors_are_exit_code_2(self):
        for args in (["cluster", "--http-addr", "127.0.0.1:99999"], ["config", "set", "load_balancing"],
                     ["no-such-command"], ["remove"], ["cluster", "--token-file", "/nonexistent/token"],
                     ["demo", "--agents", "0"]):
            r = run_cli(args)
            self.assertEqual(r.returncode, 2, (args, r.stdout, r.stderr))
            self.assertNotEqual(r.stderr, "", args)

    def test_http_addr_from_the_environment(self):
        r = run_cli(["health"], env_extra={"ROLLCALL_HTTP_ADDR": "127.0.0.1:%d" % self.c.agents[1].http_port})
        self.assertEqual((r.returncode, r.stdout), (0, "ok\n"), r.stderr)

    def test_keygen_and_version(self):
        keys = set()
        for _ in range(2):
            r = run_cli(["keygen"])
            self.assertEqual(r.returncode, 0, r.stderr)
            self.assertRegex(r.stdout, r"^[A-Za-z0-9+/]{43}=\n$")
            self.assertEqual(len(base64.b64decode(r.stdout.strip())), 32)
            keys.add(r.stdout)
        self.assertEqual(len(keys), 2, "every key is new")
        r = run_cli(["version"])
        self.assertEqual(r.returncode, 0)
        self.assertRegex(r.stdout, r"^rollcall \d+\.\d+\.\d+")

    def test_zz_leave_stops_the_agent_and_the_others_see_it_left(self):
        leaver = self.c.agents[2]
        r = self.cli("leave", agent=2)
        self.assertIn("leaving", r.stdout)
        self.assertEqual(leaver.wait_exit(15), 0, "the agent exits 0 after leaving")

        def left_everywhere():
            return all(server_row(a.cluster_table(), leaver.name)["heartbeat"]["state"] == "left"
                       for a in self.c.agents[:2])

        wait_until(left_everywhere, 10, "the others to show %s as left" % leaver.name)


if __name__ == "__main__":
    unittest.main()

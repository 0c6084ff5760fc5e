"""Issue 4 API scenarios on a real 3-agent cluster: cluster config and removals written on one agent
are seen on all, writes without the right token change nothing, a version bump through the local
API flips version_in_sync everywhere, local endpoints, and the keyring operations.
Run: ROLLCALL_BIN=build/daemon/rollcall python3 -m unittest -v test_api"""
import base64
import hashlib
import json
import secrets
import time
import unittest

import harness
from harness import Cluster, component, server_row, wait_until


class ApiTest(unittest.TestCase):
    N = 3
    c = None
    any_failed = False

    @classmethod
    def setUpClass(cls):
        if not harness.ROLLCALL_BIN:
            raise unittest.SkipTest("ROLLCALL_BIN not set")  # require_binary fails each test instead
        cls.c = Cluster(cls.N)
        cls.c.wait_http()
        cls.c.wait_converged(timeout=30)

    @classmethod
    def tearDownClass(cls):
        if cls.c:
            cls.c.close(failed=cls.any_failed)

    def tearDown(self):
        if harness.test_failed(self):
            type(self).any_failed = True

    def a(self, i):
        return self.c.agents[i]

    def configs(self):
        return [a.get("/v1/config") for a in self.c.live()]

    # --- cluster config ----------------------------------------------------------------------
    def test_config_put_on_one_agent_is_seen_on_all(self):
        before = self.a(0).get("/v1/config")
        new_interval = before["heartbeat_interval_ms"] + 1000 * secrets.randbelow(20) + 1000
        status, _, body = self.a(0).request("PUT", "/v1/config", {"heartbeat_interval_ms": new_interval,
                                                                  "automatic_failover": False}, token=self.c.token)
        self.assertEqual(status, 200, body)
        answer = json.loads(body)
        self.assertEqual(answer["heartbeat_interval_ms"], new_interval)
        self.assertGreater(answer["lamport"], before["lamport"])

        def everywhere():
            for a in self.c.agents:
                cfg = a.get("/v1/config")
                table_cfg = a.cluster_table()["cluster"]["config"]
                if cfg["heartbeat_interval_ms"] != new_interval or cfg["automatic_failover"] is not False:
                    return False
                if table_cfg != cfg:
                    return False
            return True

        wait_until(everywhere, 10, "the new config on every agent")
        writers = {json.dumps(c, sort_keys=True) for c in self.configs()}
        self.assertEqual(len(writers), 1, "identical config (lamport and writer included) everywhere")
        self.c.wait_converged(timeout=15)

    def test_writes_without_the_token_are_401_with_a_wrong_one_403_and_change_nothing(self):
        before = self.configs()
        members_before = [sorted((s["name"], [c["kind"] for c in s["components"]]) for s in a.cluster_table()["servers"])
                          for a in self.c.agents]
        writes = [("PUT", "/v1/config", {"load_balancing": False}),
                  ("DELETE", "/v1/servers/node-2/components/web", None),
                  ("DELETE", "/v1/servers/node-3", None),
                  ("POST", "/v1/keys/install", {"key": base64.b64encode(secrets.token_bytes(32)).decode()})]
        for method, path, body in writes:
            status, headers, payload = self.a(1).request(method, path, body)
            self.assertEqual(status, 401, "%s %s without a token: %r" % (method, path, payload))
            self.assertIn("code", json.loads(payload)["error"])
            status, _, payload = self.a(1).request(method, path, body, token="not-" + self.c.token)
            self.assertEqual(status, 403, "%s %s with a wrong token: %r" % (method, path, payload))
            self.assertNotIn(self.c.token, payload.decode())
            status, _, payload = self.a(1).request(method, path, body, headers={"Authorization": "Basic eDp5"})
            self.assertIn(status, (401, 403), "%s %s with another scheme: %r" % (method, path, payload))

        def unchanged():
            now = [sorted((s["name"], [c["kind"] for c in s["components"]]) for s in a.cluster_table()["servers"])
                   for a in self.c.agents]
            return self.configs() == before and now == members_before

        harness.holds_for(unchanged, 2.0, "config and table unchanged after refused writes")

    def test_invalid_config_is_400_naming_the_field_and_changes_nothing(self):
        before = self.configs()
        for body, field in (({"heartbeat_interval_ms": 5}, "heartbeat_interval_ms"),
                            ({"load_balancing": "yes"}, "load_balancing"),
                            ({"stale_timeout": 1}, "stale_timeout"),
                            ("{not json", None), ("[]", None)):
            status, _, payload = self.a(0).request("PUT", "/v1/config", body, token=self.c.token,
                                                   headers={"Content-Type": "application/json"})
            self.assertEqual(status, 400, (body, payload))
            err = json.loads(payload)["error"]
            if field:
                self.assertIn(field, err["message"])
        self.assertEqual(self.configs(), before)

    # --- removal -----------------------------------------------------------------------------
    def test_removing_a_component_is_seen_on_all_and_it_stays_removed(self):
        owner = self.a(2)
        status, _, body = self.a(0).request("DELETE", "/v1/servers/%s/components/service" % owner.name,
                                            token=self.c.token)
        self.assertEqual(status, 200, body)
        self.assertIn("removed", json.loads(body))

        def gone_everywhere():
            return all(component(server_row(a.cluster_table(), owner.name), "service") is None for a in self.c.agents)

        wait_until(gone_everywhere, 10, "the removed component gone from every table")
        # Heartbeats of the owner do not resurrect it.
        for _ in range(3):
            owner.request("POST", "/v1/local/heartbeat/web")
        harness.holds_for(gone_everywhere, 3.0, "the component staying removed")
        for a in self.c.agents:
            self.assertIsNotNone(component(server_row(a.cluster_table(), owner.name), "web"), "only service removed")

    def test_removal_refusals(self):
        status, _, body = self.a(0).request("DELETE", "/v1/servers/%s" % self.a(1).name, token=self.c.token)
        self.assertEqual(status, 409, "removing a live server is refused: %r" % body)
        status, _, body = self.a(0).request("DELETE", "/v1/servers/no-such-server", token=self.c.token)
        self.assertEqual(status, 404, body)
        status, _, body = self.a(0).request("DELETE", "/v1/servers/%s/components/nope" % self.a(1).name,
                                            token=self.c.token)
        self.assertEqual(status, 404, body)
        self.assertEqual(len(self.a(0).cluster_table()["servers"]), self.N)

    # --- local endpoints -----------------------------------------------------------------------
    def test_version_bump_via_the_local_api_shows_everywhere_and_flips_version_in_sync(self):
        bumped = self.a(1)
        status, _, body = bumped.request("PUT", "/v1/local/components/web",
                                         {"version": "2024.9", "endpoint": "http://127.0.0.1:1/"})
        self.assertEqual(status, 200, body)

        def out_of_sync_everywhere():
            for a in self.c.agents:
                row = server_row(a.cluster_table(), bumped.name)
                web = component(row, "web")
                if not web or web["version"] != "2024.9" or web["version_in_sync"] or row["version_in_sync"]:
                    return False
                if "VERSION_OUT_OF_SYNC" not in [w["code"] for w in row["warnings"]]:
                    return False
            return True

        wait_until(out_of_sync_everywhere, 25, "2024.9 on %s out of sync on every agent" % bumped.name)
        for a in self.c.agents:  # the others are in sync with the prevailing 2024.3
            row = server_row(a.cluster_table(), self.a(0).name)
            self.assertTrue(component(row, "web")["version_in_sync"])
        # Upgrade the rest: everyone in sync again, on the new version.
        for a in self.c.agents:
            if a is not bumped:
                status, _, body = a.request("PUT", "/v1/local/components/web", {"version": "2024.9"})
                self.assertEqual(status, 200, body)

        def in_sync_everywhere():
            for a in self.c.agents:
                for s in a.cluster_table()["servers"]:
                    web = component(s, "web")
                    if web is None or web["version"] != "2024.9" or not web["version_in_sync"]:
                        return False
            return True

        wait_until(in_sync_everywhere, 25, "every web component on 2024.9 and in sync")

    def test_heartbeat_counts_and_unknown_component_is_404(self):
        status, _, body = self.a(0).request("POST", "/v1/local/heartbeat/web")
        self.assertEqual(status, 200, body)
        first = json.loads(body)
        self.assertEqual(first["kind"], "web")
        status, _, body = self.a(0).request("POST", "/v1/local/heartbeat/web")
        self.assertGreater(json.loads(body)["counter"], first["counter"])
        status, _, body = self.a(0).request("POST", "/v1/local/heartbeat/nope")
        self.assertEqual(status, 404, body)

        def heard_everywhere():
            return all(component(server_row(a.cluster_table(), self.a(0).name), "web")["heartbeat_age_ms"] is not None
                       for a in self.c.agents)

        # Heartbeat counters may travel only with anti-entropy (push_pull_interval 10 s in the local
        # profile), so allow two rounds.
        wait_until(heard_everywhere, 25, "the web heartbeat of node-1 seen on every agent")

    def test_health_ready_and_unknown_paths(self):
        for a in self.c.agents:
            status, _, body = a.request("GET", "/health")
            self.assertEqual((status, json.loads(body)), (200, {"status": "ok"}))
            status, _, body = a.request("GET", "/ready")
            self.assertEqual(status, 200, body)
            self.assertTrue(json.loads(body)["ready"])
        for method, path in (("GET", "/v1/nope"), ("GET", "/nope"), ("POST", "/v1/cluster/x")):
            status, _, body = self.a(0).request(method, path)
            self.assertEqual(status, 404, (method, path, body))
            self.assertIn("error", json.loads(body))

    # --- keys ----------------------------------------------------------------------------------
    def test_key_rotation_use_needs_every_member_and_primary_cannot_be_removed(self):
        keys = self.a(0).get("/v1/keys")
        old = keys["primary"]
        self.assertIn(old, keys["installed"])
        status, _, body = self.a(0).request("POST", "/v1/keys/remove", {"id": old}, token=self.c.token)
        self.assertEqual(status, 409, "the primary cannot be removed: %r" % body)

        new_key = base64.b64encode(secrets.token_bytes(32)).decode()
        status, _, body = self.a(0).request("POST", "/v1/keys/install", {"key": new_key}, token=self.c.token)
        self.assertEqual(status, 200, body)
        self.assertNotIn(new_key, body.decode(), "the key itself is never echoed")
        installed = self.a(0).get("/v1/keys")["installed"]
        self.assertEqual(len(installed), 2)
        new_id = [k for k in installed if k != old][0]
        status, _, body = self.a(0).request("POST", "/v1/keys/use", {"id": new_id}, token=self.c.token)
        self.assertEqual(status, 409, "use is refused while other members lack the key: %r" % body)

        for a in self.c.agents[1:]:
            status, _, body = a.request("POST", "/v1/keys/install", {"key": new_key}, token=self.c.token)
            self.assertEqual(status, 200, body)

        def everyone_has_it():
            ks = self.a(0).get("/v1/keys")
            members = ks.get("members", [])
            return len(members) == self.N and all(new_id in m["installed"] for m in members)

        wait_until(everyone_has_it, 25, "every member reporting key %s installed" % new_id)
        for a in self.c.agents:
            status, _, body = a.request("POST", "/v1/keys/use", {"id": new_id}, token=self.c.token)
            self.assertEqual(status, 200, body)
        for a in self.c.agents:
            status, _, body = a.request("POST", "/v1/keys/remove", {"id": old}, token=self.c.token)
            self.assertEqual(status, 200, body)
        time.sleep(1.0)  # a few probe rounds on the new key only
        self.c.wait_converged(timeout=20)
        for a in self.c.agents:
            ks = a.get("/v1/keys")
            self.assertEqual(ks["primary"], new_id)
            self.assertEqual(ks["installed"], [new_id])


if __name__ == "__main__":
    unittest.main()

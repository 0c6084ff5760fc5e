"""Security checks of real agents (issue 7), each agent in its own network namespace on one bridge:

- KeyCase: a process without the gossip key can neither join nor change anything (another key, no
  key at all, packets forged with a wrong key); with plaintext off, bytes captured on the bridge
  contain no node name, cluster name, version, OS name or label (a plaintext cluster is the
  control: there the same capture finds them).
- AuthCase: every admin write without a token is 401, with a wrong or malformed one 403, and
  nothing changes; loopback-only endpoints refuse a client in another namespace even when HTTP is
  bound to every address.
- SecretCase: agents at trace level with known secrets (gossip key, a rotated-in key, admin token,
  two product keys) are exercised through every endpoint, the CLI, a reload, wrong-key peers and
  bad requests; no secret appears in any log line, API answer, metric, CLI output or error message.
"""
import base64
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "badinput"))

import badlib  # noqa: E402
from badlib import msg_config, msg_member, packet, wait_until  # noqa: E402

CLUSTER = "sec-cluster-q7"


def names_in(agent):
    return sorted(m["name"] for m in agent.members())


class Trio:
    """n agents, one per host of a fresh rig (gossip <host addr>:7950, HTTP 127.0.0.1:7951)."""

    def __init__(self, n=3, tag="s", **agent_kw):
        self.sb = badlib.Sandbox(n, cluster=CLUSTER, tag=tag)
        self.agents = []
        for i in range(1, n + 1):
            kw = dict(agent_kw)
            over = kw.pop("overrides", {})
            a = self.sb.agent("sec-node-%s-%d" % ("abc"[i - 1] if i <= 3 else "x", i), host=i, ip=self.sb.rig.addr(i),
                              seeds=["%s:7950" % self.sb.rig.addr(1)] if i > 1 else [],
                              overrides=badlib.agentproc.merge({"server": {"labels": {"rack": "label-r7x"}},
                                                                "component": [{"kind": "web", "version": "ver-2031.7q",
                                                                               "check": ""}]}, over), **kw)
            self.agents.append(a)

    def start(self):
        for a in self.agents:
            a.start()
        for a in self.agents:
            wait_until(a.health_ok, 20, a.name + " /health")
        wait_until(lambda: all(a.table()["cluster"]["servers_alive"] == len(self.agents) for a in self.agents) and
                   len({a.table()["cluster"]["digest"] for a in self.agents}) == 1, 30, "the agents to converge")
        return self

    def close(self, failed=False):
        self.sb.close(failed=failed)


class Capture:
    """AF_PACKET capture on every port of the bridge namespace: every frame between hosts (each
    seen twice, entering and leaving the bridge)."""

    def __init__(self, rig):
        self.sock = badlib.netns.ns_socket(rig.bridge_ns, socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
        self.sock.settimeout(0.2)
        self.frames = []
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)
        self._t.start()

    def _run(self):
        while not self._stop.is_set():
            try:
                self.frames.append(self.sock.recv(70000))
            except socket.timeout:
                continue
            except OSError:
                return

    def stop(self):
        self._stop.set()
        self._t.join(timeout=5)
        self.sock.close()
        return b"".join(self.frames)


class KeyCase(unittest.TestCase):
    def setUp(self):
        why = badlib.skip_reason()
        if why:
            self.skipTest(why)

    def test_without_the_key_nobody_joins_or_injects(self):
        t = Trio(4, tag="k")
        try:
            a, b, c, outsider = t.agents
            other = os.path.join(t.sb.workdir, "other.key")
            badlib.write_secret(other, badlib.new_key())
            outsider.key_file = other
            for x in (a, b, c):
                x.start()
            wait_until(lambda: all(x.table()["cluster"]["servers_alive"] == 3 for x in (a, b, c)), 30, "3 converge")
            cfg, dig = a.get("/v1/config"), a.table()["cluster"]["digest"]
            d0 = badlib.metric(a, "rollcall_decrypt_failures_total")
            outsider.start()
            wait_until(outsider.health_ok, 20, "outsider /health")
            # forged packets: right format, wrong key, from the outsider's host
            s = t.sb.udp(host=4)
            wrong = badlib.new_key()
            forged = [packet(msg_config(99, "ff" * 16, load_balancing=False, failover=False)),
                      packet(msg_member("ee" * 16, "intruder", t.sb.rig.addr(4), 7950, 9, 0))]
            for p in forged:
                for k in (wrong, None):
                    data = badlib.seal(p, wrong, CLUSTER) if k else b"\x00" + p  # plaintext-marked too
                    for target in (a, b, c):
                        s.sendto(data, (target.addr, 7950))
            s.close()
            time.sleep(8)  # several probe rounds and a push-pull attempt by the outsider
            for x in (a, b, c):
                self.assertEqual(names_in(x), sorted([a.name, b.name, c.name]), x.name + " lists an outsider")
                self.assertEqual(x.get("/v1/config"), cfg)
                self.assertEqual(x.table()["cluster"]["digest"], dig)
            self.assertEqual(names_in(outsider), [outsider.name], "the outsider must learn nobody")
            self.assertGreater(badlib.metric(a, "rollcall_decrypt_failures_total"), d0)
            self.assertIn("failed authentication", a.log_text())
        finally:
            t.close(failed=badlib.failed(self))

    def capture_cluster(self, plaintext):
        over = {"gossip": {"plaintext": True, "key_file": None}} if plaintext else {}
        t = Trio(3, tag="w" if plaintext else "e", overrides=over, **({"key_file": ""} if plaintext else {}))
        try:
            for a in t.agents:
                a.start()
            cap = Capture(t.sb.rig)
            for a in t.agents:
                wait_until(a.health_ok, 20, a.name + " /health")
            wait_until(lambda: all(x.table()["cluster"]["servers_alive"] == 3 for x in t.agents), 30, "converge")
            st, _, _ = t.agents[1].request("PUT", "/v1/config", {"heartbeat_interval_ms": 12345}, token=t.sb.token)
            self.assertEqual(st, 200)
            t.agents[2].request("PUT", "/v1/local/components/web", {"version": "ver-2031.8z"})
            time.sleep(12)  # > push_pull_interval (10 s): TCP anti-entropy is captured too
            data = cap.stop()
            return t, data, cap.frames
        except BaseException:
            t.close(failed=True)
            raise

    def test_nothing_readable_on_the_wire_without_plaintext(self):
        needles = [b"sec-node-", CLUSTER.encode(), b"ver-2031", b"label-r7x", b"Debian", b"rack",
                   b"load_balancing", b"encryption"]
        t, data, _ = self.capture_cluster(plaintext=True)
        try:
            self.assertGreater(len(data), 10000)
            found = [n for n in needles[:4] if n in data]
            self.assertTrue(found, "control: a plaintext cluster's capture must show its names")
        finally:
            t.close()
        t, data, frames = self.capture_cluster(plaintext=False)
        try:
            tcp = [f for f in frames if len(f) > 66 and f[12:14] == b"\x08\x00" and f[23] == 6]
            udp = [f for f in frames if len(f) > 42 and f[12:14] == b"\x08\x00" and f[23] == 17]
            print("\n[security] captured %d bytes: %d UDP and %d TCP frames" % (len(data), len(udp), len(tcp)))
            self.assertGreater(len(udp), 50, "the capture saw too little gossip")
            self.assertTrue(tcp, "no TCP (anti-entropy) frame captured")
            for n in needles:
                self.assertNotIn(n, data, "%r readable on the wire" % n)
        finally:
            t.close(failed=badlib.failed(self))


class AuthCase(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        why = badlib.skip_reason()
        if why:
            raise unittest.SkipTest(why)
        cls.t = Trio(2, tag="a", http_bind="0.0.0.0:7951")
        try:
            cls.t.start()
        except BaseException:
            cls.t.close(failed=True)
            raise
        cls.a, cls.b = cls.t.agents

    @classmethod
    def tearDownClass(cls):
        cls.t.close()

    def state(self):
        return (self.a.get("/v1/config"), self.a.table()["cluster"]["digest"], self.a.get("/v1/keys"))

    def test_admin_writes_need_the_token(self):
        tok = self.t.sb.token
        writes = [("PUT", "/v1/config", {"load_balancing": False}),
                  ("DELETE", "/v1/servers/%s" % self.b.name, None),
                  ("DELETE", "/v1/servers/%s/components/web" % self.b.name, None),
                  ("POST", "/v1/keys/install", {"key": badlib.new_key()}),
                  ("POST", "/v1/keys/use", {"id": "00000000"}),
                  ("POST", "/v1/keys/remove", {"id": "00000000"})]
        headers = [("no Authorization", {}, 401),
                   ("empty bearer", {"Authorization": "Bearer "}, 401),
                   ("Basic scheme", {"Authorization": "Basic " + base64.b64encode(b"admin:" + tok.encode()).decode()}, 401),
                   ("lower-case scheme", {"Authorization": "bearer " + tok}, 401),
                   ("wrong token", {"Authorization": "Bearer " + "0" * len(tok)}, 403),
                   ("token prefix", {"Authorization": "Bearer " + tok[:-1]}, 403),
                   ("token plus a byte", {"Authorization": "Bearer " + tok + "0"}, 403),
                   ("token in another header", {"X-Admin-Token": tok}, 401)]
        before = self.state()
        for method, path, body in writes:
            for what, hdrs, want in headers:
                with self.subTest("%s %s, %s" % (method, path, what)):
                    st, h, resp = self.a.request(method, path, body=body, headers=hdrs)
                    self.assertEqual(st, want, resp[:200])
                    if want == 401:
                        self.assertIn("www-authenticate", h)
                    self.assertNotIn(tok.encode(), resp)
                    self.assertNotIn(tok[:-1].encode(), resp)
        self.assertEqual(self.state(), before, "a refused write changed something")
        st, _, _ = self.a.request("PUT", "/v1/config", {"heartbeat_interval_ms": 40000}, token=tok)
        self.assertEqual(st, 200, "control: the right token works")

    def test_loopback_only_endpoints_refuse_other_hosts(self):
        remote_ns = self.t.sb.rig.ns(2)
        calls = [("POST", "/v1/local/heartbeat/web", None),
                 ("PUT", "/v1/local/components/web", {"version": "evil"}),
                 ("POST", "/v1/leave", None)]
        for method, path, body in calls:
            for hdrs in ({}, {"X-Forwarded-For": "127.0.0.1", "X-Real-IP": "127.0.0.1", "Host": "127.0.0.1"}):
                with self.subTest("%s %s %s" % (method, path, hdrs)):
                    st, _, resp = badlib.agentproc.http_request(remote_ns, self.a.addr, 7951, method, path, body, hdrs)
                    self.assertEqual(st, 403, resp[:200])
                    self.assertIn(b"LOCAL_ONLY", resp)
        time.sleep(1)
        self.assertTrue(self.a.running(), "a remote /v1/leave stopped the agent")
        self.assertEqual([c["version"] for r in self.a.table()["servers"] if r["name"] == self.a.name
                          for c in r["components"] if c["kind"] == "web"], ["ver-2031.7q"])
        st, _, _ = self.a.request("POST", "/v1/local/heartbeat/web")
        self.assertEqual(st, 200, "control: loopback is accepted")
        st, _, _ = badlib.agentproc.http_request(remote_ns, self.a.addr, 7951, "GET", "/v1/cluster")
        self.assertEqual(st, 200, "control: reads are served to other hosts")


class SecretCase(unittest.TestCase):
    def setUp(self):
        why = badlib.skip_reason()
        if why:
            self.skipTest(why)

    def test_no_secret_in_any_output(self):
        t = Trio(3, tag="x", log_level="trace")
        outputs = []
        try:
            sb = t.sb
            pk_file = os.path.join(sb.workdir, "license.key")
            pk2 = "file-product-secret-" + badlib.agentproc.secrets.token_hex(8)
            badlib.write_secret(pk_file, pk2)
            for a in t.agents:
                a.overrides = badlib.agentproc.merge(a.overrides, {"product.keys": [
                    {"name": "encryption", "env": "PROGET_ENCRYPTION_KEY"}, {"name": "license", "file": pk_file}]})
            json_agent = t.agents[2]
            json_agent.overrides = badlib.agentproc.merge(json_agent.overrides, {"agent": {"log_format": "json"}})
            t.start()
            a, b, c = t.agents
            k2 = badlib.new_key()
            wrong_token = badlib.agentproc.secrets.token_hex(16)

            def keep(what, resp):
                outputs.append((what, resp if isinstance(resp, bytes) else str(resp).encode()))

            for ag in t.agents:
                for path in ("/v1/cluster", "/v1/members", "/v1/config", "/v1/keys", "/metrics", "/health", "/ready",
                             "/", "/nope"):
                    keep(ag.name + " GET " + path, ag.request("GET", path)[2])
            keep("PUT config", a.request("PUT", "/v1/config", {"load_balancing": False}, token=sb.token)[2])
            keep("PUT wrong token", a.request("PUT", "/v1/config", {"load_balancing": True}, token=wrong_token)[2])
            keep("PUT bad body", a.request("PUT", "/v1/config", b'{"x":"' + sb.token.encode() + b'"}', token=sb.token)[2])
            keep("keys install bad", a.request("POST", "/v1/keys/install", {"key": k2[:-4]}, token=sb.token)[2])
            for ag in t.agents:
                keep(ag.name + " install", ag.request("POST", "/v1/keys/install", {"key": k2}, token=sb.token)[2])
            kid = json.loads(a.request("GET", "/v1/keys")[2])["installed"][-1]
            for ag in t.agents:
                wait_until(lambda ag=ag: ag.request("POST", "/v1/keys/use", {"id": kid}, token=sb.token)[0] == 200, 20,
                           "keys use on " + ag.name)
            keep("heartbeat", a.request("POST", "/v1/local/heartbeat/web")[2])
            # a peer with the wrong key, and one with the old key only
            stranger = sb.agent("stranger", host=3, ip=sb.rig.addr(3), gossip_port=7960, http_port=7961,
                                seeds=["%s:7950" % sb.rig.addr(1)], log_level="trace")
            other_key = os.path.join(sb.workdir, "stranger.key")
            badlib.write_secret(other_key, badlib.new_key())
            stranger.key_file = other_key
            stranger.start()
            # SSE for a moment
            st_events = threading.Thread(target=lambda: keep("events", self.read_events(a)), daemon=True)
            st_events.start()
            b.signal(signal.SIGHUP)  # reload at trace level
            time.sleep(5)
            st_events.join(timeout=10)
            # the CLI, run inside host 1
            env = {k: v for k, v in os.environ.items() if not k.startswith("ROLLCALL_")}
            for args in (["cluster"], ["cluster", "--json"], ["members"], ["config", "get"], ["keys", "list"],
                         ["config", "set", "load_balancing", "on", "--token-file", sb.token_file],
                         ["config", "set", "load_balancing", "on"], ["keygen"], ["version"]):
                p = subprocess.run(["ip", "netns", "exec", sb.rig.ns(1), badlib.ROLLCALL_BIN] + args, capture_output=True,
                                   timeout=20, env=env)
                keep("cli " + " ".join(args), p.stdout + p.stderr)
            p = subprocess.run(a.argv(["--print-config"]), capture_output=True, timeout=20, env=a.env())
            keep("print-config", p.stdout + p.stderr)
            self.assertIn(b"redacted", p.stdout + p.stderr)
            stranger.stop()
            for ag in t.agents:
                ag.stop()
            for ag in t.agents + [stranger]:
                keep(ag.name + " log", ag.log_text().encode())
            self.assertIn(b"failed authentication", b"".join(o for w, o in outputs if w.endswith(" log")))
            secrets_ = {"gossip key": sb.key, "rotated-in key": k2, "admin token": sb.token,
                        "wrong token sent": wrong_token, "product key (env)": sb.product_key, "product key (file)": pk2}
            for name, value in list(secrets_.items()):
                if name.endswith("key") and "product" not in name:
                    raw = base64.b64decode(value)
                    secrets_[name + " (hex)"] = raw.hex()
                    secrets_[name + " (unpadded)"] = value.rstrip("=")
            for what, out in outputs:
                for name, value in secrets_.items():
                    with self.subTest(output=what, secret=name):
                        self.assertNotIn(value.encode(), out, "%s appears in %s" % (name, what))
            for ag in t.agents:
                ring = os.path.join(ag.data_dir, "keyring")
                if os.path.exists(ring):
                    self.assertEqual(os.stat(ring).st_mode & 0o077, 0, "the persisted keyring must be owner-only")
        finally:
            t.close(failed=badlib.failed(self))

    @staticmethod
    def read_events(agent):
        s = badlib.netns.ns_socket(agent.ns, socket.AF_INET, socket.SOCK_STREAM)
        s.settimeout(4)
        buf = b""
        try:
            s.connect(("127.0.0.1", 7951))
            s.sendall(b"GET /v1/events HTTP/1.1\r\nHost: x\r\n\r\n")
            deadline = time.monotonic() + 4
            while time.monotonic() < deadline:
                try:
                    chunk = s.recv(65536)
                except socket.timeout:
                    break
                if not chunk:
                    break
                buf += chunk
        finally:
            s.close()
        return buf


if __name__ == "__main__":
    unittest.main()

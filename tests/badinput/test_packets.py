"""Malformed, forged and replayed gossip input against a real agent (issue 7, bad input).

Agents A (gossip 127.0.0.1:7950, HTTP :7951) and B (:7960/:7961) run in a private network
namespace. Each table row sends datagrams or TCP bytes to A and expects: the named counter on A's
/metrics moves (the clear error: every drop is counted; failed authentication is also logged), A
keeps answering /health, and nothing is lost or changed: A's digest, member list and B's
incarnation are exactly as before, and A and B still agree. Replays use packets captured on the
namespace's loopback with an AF_PACKET socket.
"""
import secrets
import socket
import struct
import threading
import time
import unittest

import badlib
from badlib import (ALIVE, DEAD, SUSPECT, decode, metric, msg_config, msg_member, msg_ping, msg_unknown, packet,
                    seal, wait_until)

A_PORT, B_PORT = 7950, 7960
DECRYPT = "rollcall_decrypt_failures_total"
MALFORMED = "rollcall_malformed_packets_total"
UNKNOWN = "rollcall_unknown_messages_total"


def members_view(agent):
    return sorted((m["id"], m["name"], m["state"], m["incarnation"]) for m in agent.members())


class AgentPair(unittest.TestCase):
    """A and B converged in a fresh sandbox, plus the send/check helpers."""

    @classmethod
    def setUpClass(cls):
        why = badlib.skip_reason()
        if why:
            raise unittest.SkipTest(why)
        cls.sb = badlib.Sandbox(1, tag="p")
        try:
            cls.a = cls.sb.agent("A", gossip_port=A_PORT, http_port=7951, log_level="debug").start()
            cls.b = cls.sb.agent("B", gossip_port=B_PORT, http_port=7961, seeds=["127.0.0.1:%d" % A_PORT]).start()
            for ag in (cls.a, cls.b):
                wait_until(ag.health_ok, 20, ag.name + " /health")
            wait_until(cls.converged, 30, "A and B to converge")
            cls.a_id = [m["id"] for m in cls.a.members() if m["name"] == "A"][0]
            cls.b_id = [m["id"] for m in cls.a.members() if m["name"] == "B"][0]
        except BaseException:
            cls.sb.close(failed=True)
            raise

    @classmethod
    def tearDownClass(cls):
        cls.sb.close(failed=getattr(cls, "_failed", False))

    def tearDown(self):
        if badlib.failed(self):
            type(self)._failed = True

    @classmethod
    def converged(cls):
        ta, tb = cls.a.table(), cls.b.table()
        return (ta["cluster"]["servers_alive"] == 2 and tb["cluster"]["servers_alive"] == 2
                and ta["cluster"]["digest"] == tb["cluster"]["digest"])

    # --- helpers -----------------------------------------------------------------------------
    def send_udp(self, datagrams, sock=None):
        s = sock or self.sb.udp()
        try:
            for d in datagrams:
                s.sendto(d, ("127.0.0.1", A_PORT))
        finally:
            if sock is None:
                s.close()

    def expect_dropped(self, what, datagrams, counter, count=None):
        """Sends, waits for `counter` to grow by len(datagrams) (or `count`), checks nothing changed."""
        view, dig = members_view(self.a), badlib.digest(self.a)
        before = metric(self.a, counter)
        self.send_udp(datagrams)
        want = before + (count if count is not None else len(datagrams))
        wait_until(lambda: metric(self.a, counter) >= want, 5, "%s: %s to reach %d" % (what, counter, want), 0.05)
        self.assert_unharmed(what, view, dig)

    def assert_unharmed(self, what, view, dig):
        self.assertTrue(self.a.health_ok(), what + ": A stopped answering /health")
        self.assertEqual(members_view(self.a), view, what + ": A's member list changed")
        self.assertEqual(badlib.digest(self.a), dig, what + ": A's digest changed")
        wait_until(self.converged, 10, what + ": A and B to agree again")

    def sealed(self, plain, key=None, cluster=None):
        return seal(plain, key or self.sb.key, cluster or self.sb.cluster)

    def ping_plain(self, src_port=40000):
        return packet(msg_ping(77, self.a_id, secrets.token_hex(16), "127.0.0.1", src_port))



class PacketCase(AgentPair):
    # --- the table -----------------------------------------------------------------------------
    def test_crafted_packets_are_what_the_codec_says(self):
        """Self-check of the crafting: valid rows decode, malformed rows do not (rollcall_craft)."""
        self.assertTrue(decode(self.ping_plain()).startswith("ok messages=1"), decode(self.ping_plain()))
        self.assertEqual(decode(packet(msg_unknown(), msg_ping(1, self.a_id, self.b_id, "127.0.0.1", 1))),
                         "ok messages=1 unknown=1 types=1")
        self.assertTrue(decode(bytes([2]) + self.ping_plain()[1:]).startswith("error bad_version"))
        self.assertTrue(decode(self.ping_plain()[:-3]).startswith("error malformed"))

    def test_undecryptable_datagrams_are_counted_and_change_nothing(self):
        good = self.sealed(self.ping_plain())
        flipped = bytearray(good)
        flipped[20] ^= 0x01
        table = [
            ("empty datagram", b""),
            ("one byte", b"\x01"),
            ("random garbage", secrets.token_bytes(300)),
            ("shorter than the envelope (10 bytes)", good[:10]),
            ("sealed packet truncated in the middle", good[:len(good) // 2]),
            ("sealed packet with one bit flipped", bytes(flipped)),
            ("sealed packet with 1 extra byte", good + b"\x00"),
            ("sealed for another cluster name", self.sealed(self.ping_plain(), cluster="other-cluster")),
            ("sealed with an unknown key", self.sealed(self.ping_plain(), key=badlib.new_key())),
            ("plaintext-marked packet to an encrypted agent", b"\x00" + self.ping_plain()),
            ("unknown envelope version byte", b"\x07" + good[1:]),
            ("maximum-size UDP datagram of garbage (65507 bytes)", secrets.token_bytes(65507)),
        ]
        for what, d in table:
            with self.subTest(what):
                self.expect_dropped(what, [d], DECRYPT)

    def test_authentication_failures_are_logged_rate_limited(self):
        before = self.a.log_text().count("failed authentication")
        self.send_udp([secrets.token_bytes(64) for _ in range(250)])
        wait_until(lambda: self.a.log_text().count("failed authentication") > before, 5, "a log line")
        time.sleep(0.5)
        lines = self.a.log_text().count("failed authentication") - before
        self.assertLessEqual(lines, 4, "250 bad packets must not log 250 lines")
        self.assertNotIn(self.sb.key, self.a.log_text())

    def test_authentic_but_malformed_payloads_are_counted_and_change_nothing(self):
        ping = self.ping_plain()
        table = [
            ("wrong protocol version (2)", bytes([2]) + ping[1:]),
            ("protocol version 0", bytes([0]) + ping[1:]),
            ("empty payload", b""),
            ("version byte only", bytes([1])),
            ("truncated msgpack", ping[:-3]),
            ("trailing bytes after the array", ping + b"\xc0"),
            ("top level is a map, not an array", bytes([1]) + badlib.mp({"a": 1})),
            ("array header claiming 2^32-1 messages", bytes([1]) + b"\xdd\xff\xff\xff\xff" + b"\x91\x01"),
            ("str32 claiming 4 GiB", bytes([1]) + b"\x91\x95\x05\xc4\x10" + b"\x00" * 16 + b"\xdb\xff\xff\xff\xff"),
            ("ping with a missing field", packet([1, 5, bytes(16)])),
            ("ping whose seq is a string", packet([1, "seq", bytes(16), bytes(16), badlib.address("127.0.0.1", 1)])),
            ("node id of 15 bytes", packet([3, 1, bytes(15)])),
            ("member state 9 (out of range)", packet(msg_member(secrets.token_hex(16), "x", "127.0.0.1", 1, 1, 0, state=9))),
            ("address family 5", packet([5, bytes(16), "x", [5, b"\x7f\x00\x00\x01", 1], [1, 0], 0, bytes(16)])),
            ("nesting deeper than the codec allows", bytes([1]) + b"\x91" * 40 + b"\xc0"),
            ("str claiming more bytes than follow", bytes([1]) + b"\x91\x97\x05\xc4\x10" + bytes(16) + b"\xda\xff\x00abc"),
        ]
        for what, plain in table:
            with self.subTest(what):
                verdict = decode(plain)
                self.assertTrue(verdict.startswith("error"), "%s: the codec accepted it: %s" % (what, verdict))
                self.expect_dropped(what, [self.sealed(plain)], MALFORMED)

    def test_unknown_message_types_are_skipped_and_the_rest_is_handled(self):
        rx = self.sb.udp()
        try:
            rx.bind(("127.0.0.1", 0))
            rx.settimeout(3)
            port = rx.getsockname()[1]
            view, dig = members_view(self.a), badlib.digest(self.a)
            before = metric(self.a, UNKNOWN)
            plain = packet(msg_unknown(200), msg_unknown(255),
                           msg_ping(4242, self.a_id, secrets.token_hex(16), "127.0.0.1", port))
            self.send_udp([self.sealed(plain)], sock=rx)
            wait_until(lambda: metric(self.a, UNKNOWN) >= before + 2, 5, "unknown_messages +2")
            reply = rx.recv(65536)
            opened = badlib.open_sealed(reply, self.sb.key, self.sb.cluster)
            self.assertIsNotNone(opened, "A's answer must be sealed with the cluster key")
            self.assertIn("types=3", decode(opened), "A must ack the ping that followed the unknown messages")
            self.assert_unharmed("unknown types", view, dig)
        finally:
            rx.close()

    def test_forged_claims_about_live_members_are_refuted(self):
        """Authentic (right key) but false claims: B 'dead' or 'suspect' at its current incarnation,
        or A itself dead. The subject refutes; nobody stays dead."""
        b = [m for m in self.a.members() if m["name"] == "B"][0]
        gen, cnt = (int(x) for x in b["incarnation"].split("."))
        a = [m for m in self.a.members() if m["name"] == "A"][0]
        agen, acnt = (int(x) for x in a["incarnation"].split("."))
        liar = secrets.token_hex(16)
        for what, msg in [("B dead", msg_member(self.b_id, "B", "127.0.0.1", B_PORT, gen, cnt, DEAD, liar)),
                          ("B suspect", msg_member(self.b_id, "B", "127.0.0.1", B_PORT, gen, cnt, SUSPECT, liar)),
                          ("A dead", msg_member(self.a_id, "A", "127.0.0.1", A_PORT, agen, acnt, DEAD, liar))]:
            with self.subTest(what):
                self.send_udp([self.sealed(packet(msg))])
                wait_until(self.converged, 15, "%s: both alive and agreeing again" % what)

    def test_stale_alive_claim_does_not_roll_back_an_incarnation(self):
        b = [m for m in self.a.members() if m["name"] == "B"][0]
        gen, cnt = (int(x) for x in b["incarnation"].split("."))
        view, dig = members_view(self.a), badlib.digest(self.a)
        old = msg_member(self.b_id, "B", "127.0.0.1", 1, max(0, gen - 1), 0, ALIVE)
        self.send_udp([self.sealed(packet(old))] * 20)
        time.sleep(1.0)
        self.assert_unharmed("stale alive claim", view, dig)

    def test_stale_config_item_does_not_override_the_newer_one(self):
        cfg = self.a.get("/v1/config")
        view, dig = members_view(self.a), badlib.digest(self.a)
        writer = secrets.token_hex(16)
        if cfg["lamport"] > 0:
            stale = msg_config(cfg["lamport"] - 1, writer, load_balancing=not cfg["load_balancing"])
            self.send_udp([self.sealed(packet(stale))] * 5)
            time.sleep(1.0)
            self.assertEqual(self.a.get("/v1/config"), cfg)
            self.assert_unharmed("stale config", view, dig)

    def test_garbage_on_the_gossip_tcp_port_is_closed_and_harmless(self):
        view, dig = members_view(self.a), badlib.digest(self.a)
        table = [
            ("HTTP request on the gossip port", b"GET / HTTP/1.1\r\nHost: x\r\n\r\n"),
            ("zero-length frame", b"\x00\x00\x00\x00"),
            ("frame length above the limit (4 GiB)", b"\xff\xff\xff\xff" + secrets.token_bytes(100)),
            ("frame of garbage", struct.pack(">I", 200) + secrets.token_bytes(200)),
            ("frame shorter than announced, then close", struct.pack(">I", 1000) + secrets.token_bytes(10)),
        ]
        for what, data in table:
            with self.subTest(what):
                before = metric(self.a, DECRYPT)
                s = self.sb.tcp()
                s.settimeout(10)
                try:
                    s.connect(("127.0.0.1", A_PORT))
                    s.sendall(data)
                    if what.startswith("frame shorter"):
                        s.shutdown(socket.SHUT_WR)
                    t0 = time.monotonic()
                    try:
                        got = s.recv(65536)  # b"" = closed by the agent
                    except ConnectionResetError:
                        got = b""  # closed with unread data: a reset
                    self.assertEqual(got, b"", "%s: the agent answered %r" % (what, got[:50]))
                    self.assertLess(time.monotonic() - t0, 8.0, what + ": not closed in time")
                finally:
                    s.close()
                if what == "frame of garbage":
                    wait_until(lambda: metric(self.a, DECRYPT) > before, 5, "stream decrypt failure counted")
                self.assert_unharmed(what, view, dig)

    def test_silent_tcp_connection_is_closed_by_the_stream_timeout(self):
        s = self.sb.tcp()
        s.settimeout(15)
        try:
            s.connect(("127.0.0.1", A_PORT))
            t0 = time.monotonic()
            self.assertEqual(s.recv(100), b"")
            # local profile: stream_timeout 2 s
            self.assertLess(time.monotonic() - t0, 6.0)
        finally:
            s.close()
        self.assertTrue(self.a.health_ok())

    def test_replayed_packets_do_not_roll_back_state(self):
        """Captures B's real (sealed) packets to A while B writes a config, then B writes a newer
        one and restarts (new generation); replaying every captured packet to A, many times,
        changes nothing: config, B's incarnation, members and digest stay."""
        cap = Capture(self.sb.rig.ns(1), dst_port=A_PORT, src_port=B_PORT).start()
        try:
            st, _, body = self.b.request("PUT", "/v1/config", {"load_balancing": False, "heartbeat_interval_ms": 15000},
                                         token=self.sb.token)
            self.assertEqual(st, 200, body)
            wait_until(lambda: self.a.get("/v1/config")["heartbeat_interval_ms"] == 15000, 10, "first write on A")
            time.sleep(1.5)
        finally:
            cap.stop()
        self.assertGreater(len(cap.packets), 5, "nothing captured from B")
        st, _, body = self.b.request("PUT", "/v1/config", {"load_balancing": True, "heartbeat_interval_ms": 25000},
                                     token=self.sb.token)
        self.assertEqual(st, 200, body)
        wait_until(lambda: self.a.get("/v1/config")["heartbeat_interval_ms"] == 25000, 10, "second write on A")
        old_gen = int([m for m in self.a.members() if m["name"] == "B"][0]["incarnation"].split(".")[0])
        self.b.kill9()
        self.b.start()
        wait_until(lambda: self.converged() and int([m for m in self.a.members() if m["name"] == "B"][0]
                                                   ["incarnation"].split(".")[0]) > old_gen, 30,
                   "B back after its restart with a new generation")
        cfg = self.a.get("/v1/config")
        view, dig = members_view(self.a), badlib.digest(self.a)
        for _ in range(5):
            self.send_udp(cap.packets)
            time.sleep(0.2)
        time.sleep(1.0)
        self.assertEqual(self.a.get("/v1/config"), cfg, "a replayed packet rolled the config back")
        self.assert_unharmed("replay of %d captured packets x5" % len(cap.packets), view, dig)


class NameCase(AgentPair):
    """Own agents: the members this test may inject must not disturb the table-driven cases."""

    def test_member_names_from_the_wire_are_bounded_and_printable(self):
        """An authentic update naming a member with an impossible name (60 KB; a newline that forges
        a log line; empty) must be refused like any malformed input: not listed, not logged raw.
        Server names are 1..253 printable characters everywhere else ([agent] name)."""
        forged = "2026-01-01T00:00:00.000+00:00 warn  member dead: B (00000000)"
        table = [("60 KB name", "n" * 60000), ("name with a newline", "evil\n" + forged), ("empty name", "")]
        for what, name in table:
            with self.subTest(what):
                fid = secrets.token_hex(16)
                self.send_udp([self.sealed(packet(msg_member(fid, name, "127.0.0.1", 7999, 1, 0)))])
                time.sleep(1.0)
                self.assertNotIn(fid, [m["id"] for m in self.a.members()], what + ": listed as a member")
                self.assertNotIn("\n" + forged, self.a.log_text(), what + ": a peer forged a log line")
                self.assertTrue(self.a.health_ok())


class OldKeyCase(AgentPair):
    """After a rotation (K2 installed and primary on both, K1 removed), packets sealed with the old
    key K1 — forged ones and B's real ones captured before the rotation — are refused."""

    def test_packets_sealed_with_a_removed_key_are_refused(self):
        old = self.sb.key
        cap = Capture(self.sb.rig.ns(1), dst_port=A_PORT, src_port=B_PORT).start()
        time.sleep(2.0)
        cap.stop()
        self.assertTrue(cap.packets, "nothing captured before the rotation")
        new = badlib.new_key()
        tok = self.sb.token
        for ag in (self.a, self.b):
            st, _, body = ag.request("POST", "/v1/keys/install", {"key": new}, token=tok)
            self.assertEqual(st, 200, body)
        new_id = badlib.json.loads(body)["installed"]
        old_id = badlib.json.loads(self.a.request("GET", "/v1/keys")[2])["primary"]
        for ag in (self.a, self.b):
            wait_until(lambda ag=ag: ag.request("POST", "/v1/keys/use", {"id": new_id}, token=tok)[0] == 200, 20,
                       "keys use on " + ag.name)
        for ag in (self.a, self.b):
            st, _, body = ag.request("POST", "/v1/keys/remove", {"id": old_id}, token=tok)
            self.assertEqual(st, 200, body)
        wait_until(self.converged, 15, "A and B agree after the rotation")
        cfg = self.a.get("/v1/config")
        forged = [self.sealed(packet(msg_config(cfg["lamport"] + 5, secrets.token_hex(16))), key=old),
                  self.sealed(packet(msg_member(secrets.token_hex(16), "ghost", "127.0.0.1", 7999, 1, 0)), key=old),
                  self.sealed(self.ping_plain(), key=old)]
        self.expect_dropped("forged with the removed key", forged, DECRYPT)
        self.expect_dropped("B's packets captured before the rotation", cap.packets, DECRYPT)
        self.assertEqual(self.a.get("/v1/config"), cfg)


class Capture:
    """AF_PACKET capture of UDP datagrams on the loopback of namespace `ns` (src/dst port filter)."""

    def __init__(self, ns, dst_port, src_port):
        self.sock = badlib.netns.ns_socket(ns, socket.AF_PACKET, socket.SOCK_RAW, socket.htons(0x0003))
        self.sock.bind(("lo", 0))
        self.sock.settimeout(0.2)
        self.dst, self.src = dst_port, src_port
        self.packets = []
        self._stop = threading.Event()
        self._t = threading.Thread(target=self._run, daemon=True)

    def start(self):
        self._t.start()
        return self

    def stop(self):
        self._stop.set()
        self._t.join(timeout=5)
        self.sock.close()

    def _run(self):
        while not self._stop.is_set():
            try:
                frame, meta = self.sock.recvfrom(70000)
            except socket.timeout:
                continue
            except OSError:
                return
            if meta[2] == socket.PACKET_OUTGOING:
                continue  # loopback frames are seen twice; keep the incoming copy
            ip = frame[14:]
            if len(ip) < 28 or ip[0] >> 4 != 4 or ip[9] != 17:
                continue
            ihl = (ip[0] & 0x0f) * 4
            sport, dport, length = struct.unpack(">HHH", ip[ihl:ihl + 6])
            if sport == self.src and dport == self.dst:
                self.packets.append(bytes(ip[ihl + 8:ihl + length]))


if __name__ == "__main__":
    unittest.main()

"""Issue 4: malformed HTTP against a real agent — bad request line, 1 MB header, slow client,
oversized and invalid JSON bodies, unknown paths — each answered with a 4xx (or a close after one),
and the agent keeps answering. Run: ROLLCALL_BIN=... python3 -m unittest -v test_http_abuse"""
import json
import socket
import time
import unittest

import harness
from harness import Cluster


def raw_exchange(port, data, read_timeout=5.0, send_pause=None):
    """Sends bytes on a fresh connection and returns what the server sends back until it closes
    or `read_timeout` passes. Send errors (server closed early) are tolerated."""
    s = socket.create_connection(("127.0.0.1", port), timeout=read_timeout)
    got = b""
    try:
        try:
            s.sendall(data)
        except (BrokenPipeError, ConnectionResetError):
            pass
        deadline = time.monotonic() + read_timeout
        while time.monotonic() < deadline:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            except ConnectionResetError:
                break
            if not chunk:
                break
            got += chunk
            if b"\r\n\r\n" in got and not got.startswith(b"HTTP/1.1 100"):
                head, _, rest = got.partition(b"\r\n\r\n")
                length = [int(l.split(b":", 1)[1]) for l in head.split(b"\r\n") if l.lower().startswith(b"content-length:")]
                if length and len(rest) >= length[0]:
                    break
    finally:
        s.close()
    return got


def status_of(response):
    line = response.split(b"\r\n", 1)[0]
    parts = line.split(b" ")
    return int(parts[1]) if len(parts) > 1 and line.startswith(b"HTTP/1.") else None


class HttpAbuseTest(unittest.TestCase):
    c = None
    any_failed = False

    @classmethod
    def setUpClass(cls):
        if not harness.ROLLCALL_BIN:
            raise unittest.SkipTest("ROLLCALL_BIN not set")
        cls.c = Cluster(1)
        cls.c.wait_http()
        cls.port = cls.c.agents[0].http_port

    @classmethod
    def tearDownClass(cls):
        if cls.c:
            cls.c.close(failed=cls.any_failed)

    def tearDown(self):
        if harness.test_failed(self):
            type(self).any_failed = True
        else:
            self.assert_unharmed()

    def assert_unharmed(self):
        t0 = time.monotonic()
        status, _, body = harness.request(self.port, "GET", "/health", timeout=2)
        self.assertEqual(status, 200)
        status, _, body = harness.request(self.port, "GET", "/v1/cluster", timeout=2)
        self.assertEqual(status, 200)
        json.loads(body)
        self.assertLess(time.monotonic() - t0, 2.0, "the agent answers promptly after the abuse")

    def test_bad_request_line_is_400(self):
        for junk in (b"GARBAGE\r\n\r\n", b"GET\r\n\r\n", b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03" + b"\0" * 64,
                     b"GET /health HTTP/1.1\r\nHost: x\r\nBad Header Line\r\n\r\n"):
            got = raw_exchange(self.port, junk)
            status = status_of(got)
            self.assertIsNotNone(status, "junk %r gets a 4xx, not a silent close: %r" % (junk[:20], got[:80]))
            self.assertTrue(400 <= status < 500, "junk %r answered %r" % (junk[:20], got[:80]))

    def test_one_megabyte_header_is_431(self):
        big = b"GET /health HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * (1 << 20) + b"\r\n\r\n"
        got = raw_exchange(self.port, big)
        self.assertEqual(status_of(got), 431, got[:200])

    def test_slow_client_gets_408_within_the_header_timeout(self):
        # The harness configures header_timeout = "2s".
        s = socket.create_connection(("127.0.0.1", self.port), timeout=10)
        try:
            t0 = time.monotonic()
            s.sendall(b"GET /health HTTP/1.1\r\nHo")
            got = b""
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    break
                got += chunk
            elapsed = time.monotonic() - t0
        finally:
            s.close()
        self.assertIn(status_of(got), (408, None), got[:200])
        self.assertLess(elapsed, 6.0, "closed within the 2 s header timeout (+ slack)")
        self.assertGreater(elapsed, 1.0, "not before the header timeout")

    def test_trickling_slowloris_is_cut_off(self):
        s = socket.create_connection(("127.0.0.1", self.port), timeout=10)
        t0 = time.monotonic()
        closed = False
        try:
            s.sendall(b"GET /health HTTP/1.1\r\n")
            for _ in range(40):  # one header byte every 200 ms would take 8 s
                try:
                    s.sendall(b"X")
                except (BrokenPipeError, ConnectionResetError):
                    closed = True
                    break
                s.settimeout(0.2)
                try:
                    if s.recv(4096) == b"":
                        closed = True
                        break
                    closed = True  # an answer (408) before the headers completed
                    break
                except socket.timeout:
                    pass
        finally:
            s.close()
        self.assertTrue(closed, "the trickling client was answered or disconnected")
        self.assertLess(time.monotonic() - t0, 6.0)

    def test_bad_json_and_oversized_bodies(self):
        token = self.c.token
        for body in ("{", "[1,2", "\xff\xfe", "null", "42"):
            status, _, payload = harness.request(self.port, "PUT", "/v1/config", body=body.encode("latin-1"),
                                                 headers={"Authorization": "Bearer " + token,
                                                          "Content-Type": "application/json"})
            self.assertEqual(status, 400, (body, payload))
            self.assertIn("error", json.loads(payload))
        status, _, payload = harness.request(self.port, "PUT", "/v1/local/components/web", body=b"{oops")
        self.assertEqual(status, 400, payload)
        got = raw_exchange(self.port, b"PUT /v1/config HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + token.encode() +
                           b"\r\nContent-Length: 4000000\r\n\r\n" + b"{" * 65536)
        self.assertEqual(status_of(got), 413, got[:200])

    def test_unknown_paths_and_methods_are_4xx(self):
        for method, path in (("GET", "/v2/cluster"), ("GET", "/v1/members/x"), ("DELETE", "/v1/cluster"),
                             ("GET", "/../../etc/passwd"), ("GET", "/%00"), ("BREW", "/v1/cluster")):
            status, _, payload = harness.request(self.port, method, path)
            self.assertTrue(400 <= status < 500, (method, path, status, payload[:100]))

    def test_pipelined_requests_are_answered_in_order(self):
        reqs = b"".join(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n" for _ in range(5)) + \
            b"GET /v1/config HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        s = socket.create_connection(("127.0.0.1", self.port), timeout=5)
        got = b""
        try:
            s.sendall(reqs)
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                got += chunk
        finally:
            s.close()
        self.assertEqual(got.count(b"HTTP/1.1 200"), 6, got[:400])
        self.assertIn(b"heartbeat_interval_ms", got.rsplit(b"HTTP/1.1 200", 1)[1])


if __name__ == "__main__":
    unittest.main()

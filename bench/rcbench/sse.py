"""Watches GET /v1/events (server-sent events) of many agents at once and records, per agent, the
wall time at which a cluster table containing a given marker string first arrived. Used by the
state-change benchmark; one reader thread per agent, raw sockets (the stream is not chunked)."""
import socket
import threading
import time


class SseWatcher:
    def __init__(self, name, port):
        self.name = name
        self.port = port
        self.tables = 0            # complete `cluster` events received
        self.marker = None
        self.seen_at = None        # wall time of the first event holding the marker
        self._lock = threading.Lock()
        self._sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self._sock.sendall(b"GET /v1/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n")
        self._sock.settimeout(None)
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def watch_for(self, marker):
        with self._lock:
            self.marker = marker.encode()
            self.seen_at = None

    def _run(self):
        buf = b""
        try:
            while True:
                chunk = self._sock.recv(1 << 16)
                now = time.time()
                if not chunk:
                    return
                buf += chunk
                while True:
                    end = buf.find(b"\n\n")
                    if end < 0:
                        break
                    event, buf = buf[:end], buf[end + 2:]
                    if not event.startswith(b"event: cluster"):
                        continue
                    with self._lock:
                        self.tables += 1
                        if self.marker and self.seen_at is None and self.marker in event:
                            self.seen_at = now
        except OSError:
            return

    def close(self):
        try:
            self._sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self._sock.close()
        self._thread.join(timeout=5)

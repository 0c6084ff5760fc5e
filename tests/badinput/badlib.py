"""Shared pieces of the bad-input and security tests: a private network namespace (so fixed ports
never clash with other tests and captures see only our traffic), real agents inside it, a minimal
MessagePack encoder and builders for the gossip messages documented in gossip/wire/Codec.h, and
sealing through rollcall_craft (the real AES-256-GCM envelope). Python 3 standard library only.
"""
import json  # noqa: F401 - re-exported for the tests
import os
import socket
import struct
import subprocess
import sys
import shutil
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "chaos"))

import agentproc  # noqa: E402
import netns  # noqa: E402
from agentproc import Agent, new_key, wait_until, write_secret  # noqa: E402,F401

ROLLCALL_BIN = os.environ.get("ROLLCALL_BIN", "")
CRAFT = os.environ.get("ROLLCALL_CRAFT", "")
agentproc.ROLLCALL_BIN = ROLLCALL_BIN


def sanitized():
    """True if the agent binary is built with AddressSanitizer (RSS is then larger and freed memory
    is held in a quarantine, so memory bounds are scaled by ASAN_SCALE)."""
    try:
        out = subprocess.run(["ldd", ROLLCALL_BIN], capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return False
    return "libasan" in out


ASAN_SCALE = 4 if ROLLCALL_BIN and sanitized() else 1


def skip_reason():
    if not ROLLCALL_BIN or not os.access(ROLLCALL_BIN, os.X_OK):
        return "ROLLCALL_BIN does not name the rollcall binary: %r" % ROLLCALL_BIN
    return netns.require_tools()


# --- MessagePack (the subset the protocol uses) -----------------------------------------------------
def mp(v):
    if v is None:
        return b"\xc0"
    if v is True:
        return b"\xc3"
    if v is False:
        return b"\xc2"
    if isinstance(v, int):
        if 0 <= v < 0x80:
            return bytes([v])
        if 0 <= v <= 0xff:
            return b"\xcc" + bytes([v])
        if 0 <= v <= 0xffff:
            return b"\xcd" + struct.pack(">H", v)
        if 0 <= v <= 0xffffffff:
            return b"\xce" + struct.pack(">I", v)
        if v >= 0:
            return b"\xcf" + struct.pack(">Q", v)
        if v >= -32:
            return struct.pack(">b", v)
        return b"\xd3" + struct.pack(">q", v)
    if isinstance(v, str):
        b = v.encode()
        if len(b) < 32:
            return bytes([0xa0 | len(b)]) + b
        if len(b) <= 0xff:
            return b"\xd9" + bytes([len(b)]) + b
        if len(b) <= 0xffff:
            return b"\xda" + struct.pack(">H", len(b)) + b
        return b"\xdb" + struct.pack(">I", len(b)) + b
    if isinstance(v, (bytes, bytearray)):
        if len(v) <= 0xff:
            return b"\xc4" + bytes([len(v)]) + bytes(v)
        if len(v) <= 0xffff:
            return b"\xc5" + struct.pack(">H", len(v)) + bytes(v)
        return b"\xc6" + struct.pack(">I", len(v)) + bytes(v)
    if isinstance(v, (list, tuple)):
        n = len(v)
        head = bytes([0x90 | n]) if n < 16 else (b"\xdc" + struct.pack(">H", n) if n <= 0xffff else
                                                 b"\xdd" + struct.pack(">I", n))
        return head + b"".join(mp(x) for x in v)
    if isinstance(v, dict):
        n = len(v)
        head = bytes([0x80 | n]) if n < 16 else b"\xde" + struct.pack(">H", n)
        return head + b"".join(mp(k) + mp(x) for k, x in v.items())
    raise TypeError(type(v))


# --- gossip messages (Codec.h layout) ---------------------------------------------------------------
PROTOCOL_VERSION = 1
ALIVE, SUSPECT, DEAD, LEFT = 0, 1, 2, 3


def node_id(hex_or_bytes):
    return bytes.fromhex(hex_or_bytes) if isinstance(hex_or_bytes, str) else bytes(hex_or_bytes)


def address(ip, port):
    return [4, socket.inet_aton(ip), port]


def packet(*messages, version=PROTOCOL_VERSION):
    """A plaintext packet: version byte + msgpack array of already-built message lists."""
    return bytes([version]) + mp(list(messages))


def msg_ping(seq, target, source, src_ip, src_port):
    return [1, seq, node_id(target), node_id(source), address(src_ip, src_port)]


def msg_member(mid, name, ip, port, generation, counter, state=ALIVE, origin=None):
    return [5, node_id(mid), name, address(ip, port), [generation, counter], state, node_id(origin or mid)]


def msg_config(lamport, writer, load_balancing=False, failover=False, heartbeat_ms=30000, stale_ms=300000,
               web_ms=86400000):
    return [7, ["config", lamport, node_id(writer), 0, [load_balancing, failover, heartbeat_ms, stale_ms, web_ms]]]


def msg_unknown(type_id=200):
    return [type_id, 1, "future field"]


def craft(cmd, data, key=None, cluster=None, frames=False):
    """Runs rollcall_craft; returns (exit status, stdout bytes)."""
    args = [CRAFT, cmd] + (["--cluster", cluster] if cluster else []) + (["--frames"] if frames else [])
    env = dict(os.environ)
    if key:
        env["CRAFT_KEY"] = key
    p = subprocess.run(args, input=data, capture_output=True, env=env, timeout=60)
    return p.returncode, p.stdout


def seal(plain, key, cluster):
    rc, out = craft("seal", plain, key=key, cluster=cluster)
    assert rc == 0, "rollcall_craft seal failed (%d)" % rc
    return out


def seal_many(plains, key, cluster):
    data = b"".join(struct.pack(">I", len(p)) + p for p in plains)
    rc, out = craft("seal", data, key=key, cluster=cluster, frames=True)
    assert rc == 0, "rollcall_craft seal --frames failed (%d)" % rc
    res, i = [], 0
    while i < len(out):
        n = struct.unpack(">I", out[i:i + 4])[0]
        res.append(out[i + 4:i + 4 + n])
        i += 4 + n
    return res


def decode(plain):
    """rollcall_craft decode: the codec's verdict on a plaintext packet ("ok ..." / "error ...")."""
    _, out = craft("decode", plain)
    return out.decode().strip()


def open_sealed(sealed, key, cluster):
    rc, out = craft("open", sealed, key=key, cluster=cluster)
    return out if rc == 0 else None


# --- a sandbox with agents ------------------------------------------------------------------------
class Sandbox:
    """A Rig of `hosts` namespaces plus a work directory with a gossip key, admin token and product
    key; agents are created with agent(). close() stops them and deletes everything."""

    def __init__(self, hosts=1, cluster="badinput", tag="b"):
        netns.install_handlers()
        netns.sweep_stale()
        self.rig = netns.Rig(hosts, tag=tag).up()
        self.cluster = cluster
        self.workdir = tempfile.mkdtemp(prefix="rollcall-badinput-")
        self.key = new_key()
        self.key_file = os.path.join(self.workdir, "gossip.key")
        self.token = agentproc.secrets.token_hex(16)
        self.token_file = os.path.join(self.workdir, "admin.token")
        self.product_key = agentproc.secrets.token_hex(16)
        write_secret(self.key_file, self.key)
        write_secret(self.token_file, self.token)
        self.agents = []

    def agent(self, name, host=1, gossip_port=7950, http_port=7951, ip="127.0.0.1", seeds=(), **kw):
        kw.setdefault("key_file", self.key_file)
        kw.setdefault("token_file", self.token_file)
        kw.setdefault("product_key", self.product_key)
        a = Agent(self.workdir, name, cluster=kw.pop("cluster", self.cluster), ns=self.rig.ns(host), addr=ip,
                  gossip_port=gossip_port, http_bind=kw.pop("http_bind", "127.0.0.1:%d" % http_port),
                  seeds=list(seeds), **kw)
        self.agents.append(a)
        return a

    def udp(self, host=1):
        return netns.ns_socket(self.rig.ns(host), socket.AF_INET, socket.SOCK_DGRAM)

    def tcp(self, host=1):
        return netns.ns_socket(self.rig.ns(host), socket.AF_INET, socket.SOCK_STREAM)

    def close(self, failed=False):
        agentproc.stop_all(self.agents)
        self.rig.close()
        if failed:
            for a in self.agents:
                tail = a.log_text().splitlines()[-20:]
                sys.stderr.write("---- %s log tail ----\n%s\n" % (a.name, "\n".join(tail)))
        shutil.rmtree(self.workdir, ignore_errors=True)


def failed(testcase):
    outcome = getattr(testcase, "_outcome", None)
    return outcome is not None and not getattr(outcome, "success", True)


def digest(agent):
    return agent.table()["cluster"]["digest"]


def metric(agent, name):
    return agent.metrics().get(name, 0.0)

"""Network-namespace rig for chaos tests: K "hosts" (network namespaces) on one bridge that lives in
its own namespace, with faults made by nftables rules and link state inside the host namespaces.

Python 3 standard library only; needs root, `ip` (iproute2) and `nft` (nftables). Nothing is
created in the root namespace: the veth pairs are created in the bridge namespace with their peer
moved straight into the host namespace, and the test subnet (default 10.213.0.0/24) exists only
there. Every namespace is named with a per-run prefix `rc<pid>-`; close() deletes them (which
removes their links and rules), and it runs from try/finally, atexit and SIGINT/SIGTERM/SIGHUP
handlers. sweep_stale() removes leftovers of earlier runs whose process no longer exists.

Sockets inside a namespace: ns_socket() switches the calling thread into the namespace with
setns(2) just long enough to create the socket (a socket stays in the namespace it was created
in), so the harness can talk HTTP to 127.0.0.1 inside any host without spawning processes.
"""
import atexit
import ctypes
import os
import re
import signal
import socket
import subprocess
import threading

CLONE_NEWNET = 0x40000000
NETNS_DIR = "/var/run/netns"

_libc = ctypes.CDLL(None, use_errno=True)
_ns_lock = threading.Lock()
_live_rigs = []
_handlers_installed = False


class RigError(RuntimeError):
    pass


def run(cmd, input_text=None, check=True, timeout=20):
    """Runs a command; raises RigError with its stderr when it fails and `check` is set."""
    p = subprocess.run(cmd, input=input_text, capture_output=True, text=True, timeout=timeout)
    if check and p.returncode != 0:
        raise RigError("%s failed (%d): %s" % (" ".join(cmd), p.returncode, (p.stderr or p.stdout).strip()))
    return p


def require_tools():
    """None if the rig can run here, else the reason (not root, tool missing, no netns support)."""
    if os.geteuid() != 0:
        return "chaos rig needs root (network namespaces, nftables)"
    for tool in ("ip", "nft"):
        if subprocess.run(["which", tool], capture_output=True).returncode != 0:
            return "%s is not installed (scripts/bootstrap installs iproute2 and nftables)" % tool
    return None


def ns_socket(ns, family=socket.AF_INET, type=socket.SOCK_STREAM, proto=0):
    """A socket created inside network namespace `ns` (None = the current one)."""
    if ns is None:
        return socket.socket(family, type, proto)
    with _ns_lock:
        orig = os.open("/proc/thread-self/ns/net", os.O_RDONLY)
        target = os.open(os.path.join(NETNS_DIR, ns), os.O_RDONLY)
        try:
            if _libc.setns(target, CLONE_NEWNET) != 0:
                e = ctypes.get_errno()
                raise OSError(e, "setns(%s): %s" % (ns, os.strerror(e)))
            try:
                return socket.socket(family, type, proto)
            finally:
                if _libc.setns(orig, CLONE_NEWNET) != 0:  # never leave this thread in the namespace
                    os._exit(99)
        finally:
            os.close(target)
            os.close(orig)


def _pid_alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False
    except PermissionError:
        return True


def sweep_stale():
    """Deletes namespaces rc<pid>-* left by chaos runs whose process is gone. Returns their names."""
    removed = []
    try:
        names = os.listdir(NETNS_DIR)
    except FileNotFoundError:
        return removed
    for name in names:
        m = re.match(r"^rc(\d+)-", name)
        if m and int(m.group(1)) != os.getpid() and not _pid_alive(int(m.group(1))):
            run(["ip", "netns", "del", name], check=False)
            removed.append(name)
    return removed


def _cleanup_all():
    for rig in list(_live_rigs):
        rig.close()


def _on_signal(signum, frame):
    # Turn the signal into an exception so every try/finally runs; atexit is the backstop.
    raise KeyboardInterrupt("signal %d" % signum)


def install_handlers():
    global _handlers_installed
    if _handlers_installed:
        return
    _handlers_installed = True
    atexit.register(_cleanup_all)
    if threading.current_thread() is threading.main_thread():
        for s in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(s, _on_signal)


class Rig:
    """K hosts h1..hK on one bridge. Host i (1-based) is namespace `<prefix>h<i>` with eth0 =
    <subnet>.<i+10>/24. Faults per host are kept as a desired state and applied atomically as one
    nft table `inet chaos` (input and output chains; only eth0 traffic is ever matched, so loopback
    HTTP inside a host keeps working)."""

    def __init__(self, hosts, subnet="10.213.0", tag=""):
        self.n = hosts
        self.subnet = subnet
        self.prefix = "rc%d-%s" % (os.getpid(), tag)
        self.bridge_ns = self.prefix + "br"
        self.created = []
        self.faults = {i: {"loss_in": 0, "cut_in": False, "cut_out": False, "drop_from": set()}
                       for i in range(1, hosts + 1)}
        self.closed = False

    # --- names ---------------------------------------------------------------------------------
    def ns(self, i):
        return "%sh%d" % (self.prefix, i)

    def addr(self, i):
        return "%s.%d" % (self.subnet, 10 + i)

    def hosts(self):
        return list(range(1, self.n + 1))

    # --- lifecycle -----------------------------------------------------------------------------
    def up(self):
        install_handlers()
        _live_rigs.append(self)
        try:
            self._add_ns(self.bridge_ns)
            run(["ip", "-n", self.bridge_ns, "link", "add", "br0", "type", "bridge"])
            run(["ip", "-n", self.bridge_ns, "link", "set", "br0", "up"])
            for i in self.hosts():
                ns = self.ns(i)
                self._add_ns(ns)
                port = "p%d" % i
                run(["ip", "-n", self.bridge_ns, "link", "add", port, "type", "veth", "peer", "name", "eth0",
                     "netns", ns])
                run(["ip", "-n", self.bridge_ns, "link", "set", port, "master", "br0"])
                run(["ip", "-n", self.bridge_ns, "link", "set", port, "up"])
                run(["ip", "-n", ns, "addr", "add", self.addr(i) + "/24", "dev", "eth0"])
                run(["ip", "-n", ns, "link", "set", "eth0", "up"])
                self.apply(i)
        except BaseException:
            self.close()
            raise
        return self

    def _add_ns(self, name):
        run(["ip", "netns", "add", name])
        self.created.append(name)
        run(["ip", "-n", name, "link", "set", "lo", "up"])

    def close(self):
        """Deletes every namespace this rig made (their links and nft rules go with them)."""
        if self.closed:
            return
        self.closed = True
        for name in reversed(self.created):
            run(["ip", "netns", "del", name], check=False)
        self.created = []
        if self in _live_rigs:
            _live_rigs.remove(self)

    def __enter__(self):
        return self.up()

    def __exit__(self, *exc):
        self.close()

    # --- faults --------------------------------------------------------------------------------
    def apply(self, i):
        f = self.faults[i]
        rules_in, rules_out = [], []
        if f["cut_in"]:
            rules_in.append('iifname "eth0" drop')
        if f["cut_out"]:
            rules_out.append('oifname "eth0" drop')
        if f["drop_from"]:
            addrs = ", ".join(sorted(f["drop_from"]))
            rules_in.append('iifname "eth0" ip saddr { %s } drop' % addrs)
        if f["loss_in"]:
            rules_in.append('iifname "eth0" numgen random mod 100 < %d drop' % int(f["loss_in"]))
        script = "\n".join([
            "table inet chaos",
            "delete table inet chaos",
            "table inet chaos {",
            "  chain in { type filter hook input priority 0; policy accept;",
            *("    " + r for r in rules_in),
            "  }",
            "  chain out { type filter hook output priority 0; policy accept;",
            *("    " + r for r in rules_out),
            "  }",
            "}",
        ]) + "\n"
        run(["ip", "netns", "exec", self.ns(i), "nft", "-f", "-"], input_text=script)

    def set_loss(self, i, pct):
        """Drops pct% of everything host i receives on eth0."""
        self.faults[i]["loss_in"] = pct
        self.apply(i)

    def set_loss_all(self, pct):
        for i in self.hosts():
            self.set_loss(i, pct)

    def cut_ingress(self, i, cut=True):
        """Host i receives nothing on eth0 (it still sends: a one-way cut)."""
        self.faults[i]["cut_in"] = cut
        self.apply(i)

    def partition(self, side_a, side_b):
        """Hosts in side_a and side_b stop exchanging packets in both directions (each side drops
        what it receives from the other, so senders see timeouts, as on a real network)."""
        for a in side_a:
            self.faults[a]["drop_from"] |= {self.addr(b) for b in side_b}
            self.apply(a)
        for b in side_b:
            self.faults[b]["drop_from"] |= {self.addr(a) for a in side_a}
            self.apply(b)

    def heal(self):
        """Removes every partition and cut (loss stays)."""
        for i in self.hosts():
            f = self.faults[i]
            f["drop_from"] = set()
            f["cut_in"] = f["cut_out"] = False
            self.apply(i)

    def clear(self, i=None):
        for h in ([i] if i else self.hosts()):
            self.faults[h] = {"loss_in": 0, "cut_in": False, "cut_out": False, "drop_from": set()}
            self.apply(h)

    def link(self, i, up):
        """Isolation by link state: takes host i's eth0 down or up."""
        run(["ip", "-n", self.ns(i), "link", "set", "eth0", "up" if up else "down"])
        if up:
            run(["ip", "-n", self.ns(i), "route", "replace", self.subnet + ".0/24", "dev", "eth0"], check=False)

    def rules_text(self, i):
        return run(["ip", "netns", "exec", self.ns(i), "nft", "list", "table", "inet", "chaos"]).stdout

    def exec_cmd(self, i):
        """The argv prefix that runs a command inside host i."""
        return ["ip", "netns", "exec", self.ns(i)]

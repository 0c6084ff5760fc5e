#!/usr/bin/env python3
"""Builds the Debian package from a build tree with CPack and checks it (run by ctest).

  check_package.py SOURCE_DIR BUILD_DIR ROLLCALL_BINARY

1. `cpack -G DEB` from BUILD_DIR's CPackConfig.cmake (fails clearly if cmake/Packaging.cmake is
   not included from the root CMakeLists.txt).
2. Control data: Depends covers the package of every shared library the binary needs (the same
   rule as scripts/docker-steps.sh check) plus passwd; conffiles lists agent.toml; postinst,
   prerm and postrm are there and executable.
3. Contents: binary, default config, systemd unit (whose ExecStart names the packaged binary),
   sysusers.d and tmpfiles.d snippets, data directory.
4. From the unpacked package: `rollcall version` prints the package version, and a one-node
   `rollcall agent` on 127.0.0.1 answers /health, `rollcall health` exits 0 while it runs, and
   SIGTERM ends it with exit code 0 (graceful leave).
Installing the package on a clean Debian 12 root is scripts/deb-smoke.sh (CI).
"""
import base64
import glob
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

SRC, BUILD, BINARY = (os.path.abspath(a) for a in sys.argv[1:4])
failures = []


def check(cond, what):
    print(("ok    " if cond else "FAIL  ") + what)
    if not cond:
        failures.append(what)
    return cond


def run(cmd, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, **kw)


def cpack_var(config, name):
    m = re.search(r'set\(%s "([^"]*)"\)' % re.escape(name), config)
    return m.group(1) if m else None


def free_port(kind):
    s = socket.socket(socket.AF_INET, kind)
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def needed_packages(binary):
    """Debian packages owning the shared libraries the binary links (NEEDED entries)."""
    out = run(["objdump", "-p", binary]).stdout
    cache = run(["ldconfig", "-p"]).stdout
    pkgs = {}
    for lib in re.findall(r"NEEDED\s+(\S+)", out):
        paths = [ln.split(" => ")[-1].strip() for ln in cache.splitlines()
                 if ln.strip().startswith(lib + " ") and ("x86-64" in ln or "64bit" in ln)]
        owner = None
        for p in paths[:1]:
            for cand in (p, os.path.realpath(p)):
                r = run(["dpkg", "-S", cand])
                if r.returncode == 0:
                    owner = r.stdout.split(":")[0]
                    break
        pkgs[lib] = owner
    return pkgs


def main():
    config_path = os.path.join(BUILD, "CPackConfig.cmake")
    if not check(os.path.exists(config_path),
                 "CPackConfig.cmake exists (root CMakeLists.txt includes cmake/Packaging.cmake)"):
        return
    check(os.path.exists(BINARY), f"the rollcall binary is built ({BINARY})")
    if failures:
        return
    config = open(config_path).read()
    prefix = cpack_var(config, "CPACK_PACKAGING_INSTALL_PREFIX") or "/usr"
    version = cpack_var(config, "CPACK_PACKAGE_VERSION")
    etc = "/etc" if prefix == "/usr" else prefix + "/etc"
    var = "/var" if prefix == "/usr" else prefix + "/var"

    with tempfile.TemporaryDirectory(prefix="rollcall-deb-") as tmp:
        r = run(["cpack", "-G", "DEB", "-B", tmp, "--config", config_path])
        if not check(r.returncode == 0, "cpack -G DEB succeeds"):
            print(r.stdout[-3000:], r.stderr[-3000:])
            return
        debs = glob.glob(os.path.join(tmp, "*.deb"))
        if not check(len(debs) == 1, f"one .deb produced ({[os.path.basename(d) for d in debs]})"):
            return
        deb = debs[0]
        print(f"package: {os.path.basename(deb)}")
        fields = {f: run(["dpkg-deb", "-f", deb, f]).stdout.strip() for f in ("Package", "Version", "Depends")}
        check(fields["Package"] == "rollcall", "Package: rollcall")
        check(fields["Version"] == version, f"Version: {fields['Version']} == {version}")
        depends = {d.strip().split(" ")[0] for d in fields["Depends"].split(",")}
        print(f"Depends: {fields['Depends']}")
        check("passwd" in depends, "Depends: passwd (useradd in postinst)")
        check("procps" in depends, "Depends: procps (/bin/kill for the unit's ExecReload)")
        for lib, pkg in needed_packages(BINARY).items():
            provided = {pkg} | ({f"{pkg}-fmt9"} if pkg and pkg.startswith("libspdlog") else set())
            check(pkg is not None and bool(provided & depends), f"Depends covers {lib} ({pkg})")

        ctl = os.path.join(tmp, "control")
        run(["dpkg-deb", "-e", deb, ctl])
        for script in ("postinst", "prerm", "postrm"):
            check(os.access(os.path.join(ctl, script), os.X_OK), f"control: {script} executable")
        conffiles = open(os.path.join(ctl, "conffiles")).read().split() if os.path.exists(
            os.path.join(ctl, "conffiles")) else []
        check(f"{etc}/rollcall/agent.toml" in conffiles, f"conffiles: {etc}/rollcall/agent.toml")

        root = os.path.join(tmp, "root")
        run(["dpkg-deb", "-x", deb, root])
        rel = lambda p: os.path.join(root, p.lstrip("/"))  # noqa: E731
        binary = f"{prefix}/bin/rollcall"
        unit = f"{prefix}/lib/systemd/system/rollcall.service"
        for path in (binary, f"{etc}/rollcall/agent.toml", unit, f"{prefix}/lib/sysusers.d/rollcall.conf",
                     f"{prefix}/lib/tmpfiles.d/rollcall.conf"):
            check(os.path.isfile(rel(path)), f"contains {path}")
        check(os.path.isdir(rel(f"{var}/lib/rollcall")), f"contains {var}/lib/rollcall/")
        if os.path.isfile(rel(unit)):
            check(f"ExecStart={binary} agent --config {etc}/rollcall/agent.toml" in open(rel(unit)).read(),
                  "unit's ExecStart names the packaged binary and config")
        if failures:
            return

        r = run([rel(binary), "version"], timeout=20)
        check(r.returncode == 0 and version in (r.stdout + r.stderr),
              f"`rollcall version` exits 0 and prints {version} (got {r.returncode}: {(r.stdout + r.stderr).strip()[:200]})")
        smoke_agent(rel(binary), rel(f"{etc}/rollcall/agent.toml"), tmp)


def smoke_agent(binary, config, tmp):
    """A one-node agent from the unpacked package, on 127.0.0.1 only."""
    http_port, gossip_port = free_port(socket.SOCK_STREAM), free_port(socket.SOCK_DGRAM)
    data = os.path.join(tmp, "data")
    os.makedirs(data)
    env = dict(os.environ,
               ROLLCALL_AGENT_NAME="deb-smoke",
               ROLLCALL_AGENT_DATA_DIR=data,
               ROLLCALL_GOSSIP_BIND=f"127.0.0.1:{gossip_port}",
               ROLLCALL_HTTP_BIND=f"127.0.0.1:{http_port}",
               ROLLCALL_GOSSIP_KEY=base64.b64encode(os.urandom(32)).decode(),
               ROLLCALL_ADMIN_TOKEN=base64.b64encode(os.urandom(24)).decode())
    log = open(os.path.join(tmp, "agent.log"), "w+")
    proc = subprocess.Popen([binary, "agent", "--config", config], env=env, stdout=log, stderr=subprocess.STDOUT)
    print(f"agent pid {proc.pid}, http 127.0.0.1:{http_port}, gossip 127.0.0.1:{gossip_port}")
    try:
        deadline, healthy = time.monotonic() + 20, False
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{http_port}/health", timeout=2) as resp:
                    healthy = resp.status == 200
                    break
            except OSError:
                time.sleep(0.1)
        check(healthy, "one-node agent answers /health 200 within 20 s")
        if healthy:
            r = run([binary, "health", "--http-addr", f"127.0.0.1:{http_port}"], timeout=20)
            check(r.returncode == 0, f"`rollcall health` exits 0 against a running agent (got {r.returncode})")
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                rc = proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                rc = proc.wait()
            check(rc == 0, f"SIGTERM -> graceful leave, exit code 0 (got {rc})")
        else:
            check(False, f"agent exited early with {proc.returncode}")
        log.seek(0)
        text = log.read()
        if failures:
            print("---- agent log ----\n" + text[-4000:])
        for secret in (env["ROLLCALL_GOSSIP_KEY"], env["ROLLCALL_ADMIN_TOKEN"]):
            check(secret not in text, "no secret in the agent's log")


if __name__ == "__main__":
    main()
    print(f"{len(failures)} failure(s)" if failures else "package ok")
    sys.exit(1 if failures else 0)

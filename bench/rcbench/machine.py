"""Machine description recorded with every benchmark result: CPU, cores, memory, kernel, load
average, git revision. Called by each suite before and after its runs (the machine is shared, so
the load average is part of every figure). Python 3 standard library only."""
import os
import platform
import subprocess
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def _cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _mem_total_mib():
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    return round(int(line.split()[1]) / 1024)
    except OSError:
        pass
    return None


def git_revision():
    def git(*args):
        try:
            return subprocess.run(["git", "-C", ROOT] + list(args), capture_output=True, text=True,
                                  timeout=10).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            return ""
    rev = git("rev-parse", "HEAD")
    dirty = bool(git("status", "--porcelain", "--untracked-files=no", "--", "membership", "gossip", "daemon"))
    return {"commit": rev or "unknown", "engine_sources_dirty": dirty}


def loadavg():
    return [round(x, 2) for x in os.getloadavg()]


def binary_info():
    path = os.environ.get("ROLLCALL_BIN") or os.path.join(ROOT, "build-bench", "daemon", "rollcall")
    try:
        st = os.stat(path)
    except OSError:
        return None
    return {"path": path, "bytes": st.st_size,
            "built_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(st.st_mtime))}


def describe():
    """Static description plus the load average now."""
    return {
        "agent_binary": binary_info(),
        "nproc": os.cpu_count(),
        "cpu_model": _cpu_model(),
        "mem_total_mib": _mem_total_mib(),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "git": git_revision(),
        "started_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "loadavg_before": loadavg(),
    }


def finish(desc):
    desc["loadavg_after"] = loadavg()
    desc["finished_at"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    return desc

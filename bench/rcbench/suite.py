"""Shared plumbing of the bench suites: SIGTERM/SIGINT turn into SystemExit (so `finally` blocks
stop every agent a suite started), a wall-clock budget, summary statistics and writing
bench/results/<suite>.json. Called by bench/run_*.py."""
import json
import os
import signal
import statistics
import sys
import time

from . import machine

RESULTS_DIR = os.path.join(machine.ROOT, "bench", "results")


def _exit_on_signal(signum, _frame):
    raise SystemExit(128 + signum)


def install_signal_handlers():
    signal.signal(signal.SIGTERM, _exit_on_signal)
    signal.signal(signal.SIGINT, _exit_on_signal)
    signal.signal(signal.SIGHUP, _exit_on_signal)


def log(msg):
    sys.stderr.write("[bench %s] %s\n" % (time.strftime("%H:%M:%S"), msg))
    sys.stderr.flush()


def summary(values):
    """median/min/max/count of the non-None values (None when there are none)."""
    vals = sorted(v for v in values if v is not None)
    if not vals:
        return None
    return {"median": round(statistics.median(vals), 4), "min": round(vals[0], 4), "max": round(vals[-1], 4),
            "n": len(vals)}


def percentile(values, p):
    vals = sorted(values)
    if not vals:
        return None
    k = (len(vals) - 1) * p / 100.0
    lo = int(k)
    hi = min(lo + 1, len(vals) - 1)
    return vals[lo] + (vals[hi] - vals[lo]) * (k - lo)


def write_result(name, data):
    os.makedirs(RESULTS_DIR, exist_ok=True)
    path = os.path.join(RESULTS_DIR, name + ".json")
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(data, f, indent=1, sort_keys=False)
        f.write("\n")
    os.replace(tmp, path)
    log("wrote %s" % os.path.relpath(path, machine.ROOT))
    return path


class Budget:
    """A wall-clock budget for a suite: remaining() and exceeded()."""

    def __init__(self, seconds):
        self.deadline = time.monotonic() + seconds

    def remaining(self):
        return self.deadline - time.monotonic()

    def exceeded(self):
        return self.remaining() <= 0

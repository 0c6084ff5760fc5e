#!/usr/bin/env python3
"""Runs chaos scenarios against real agents in network namespaces and writes a markdown report.

  run_chaos.py --all [--report PATH]        every scenario, full windows (about 30 minutes)
  run_chaos.py --only steady,partition --short
  run_chaos.py --list
Exit status: 0 all passed, 1 a scenario failed, 2 usage, 77 the rig cannot run here (not root,
no ip/nft). The binary comes from --bin or env ROLLCALL_BIN.
"""
import argparse
import os
import sys
import time
import traceback

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import agentproc  # noqa: E402
import cluster  # noqa: E402
import netns  # noqa: E402
import scenarios_faults as F  # noqa: E402
import scenarios_net as S  # noqa: E402
from result import Result, markdown  # noqa: E402

# name -> (title, function(res, short))
SCENARIOS = [
    ("steady", "steady state, 8 hosts", S.steady),
    ("loss10", "uniform loss 10%", lambda r, s: S.uniform_loss(r, s, 10)),
    ("loss20", "uniform loss 20%", lambda r, s: S.uniform_loss(r, s, 20)),
    ("loss30", "uniform loss 30%", lambda r, s: S.uniform_loss(r, s, 30)),
    ("lossy80", "one host with 80% ingress loss", S.lossy_host),
    ("flipflop", "flip-flop ingress cut", S.flip_flop),
    ("isolation", "link down past detection, link up", S.isolation),
    ("partition", "partition 5|3, heal, writes on both sides", F.partition),
    ("kill9", "kill -9 of one host, restart", F.kill9),
    ("kill9loss", "kill -9 under 10% loss, restart", lambda r, s: F.kill9(r, s, loss=10)),
    ("sigstop", "SIGSTOP past the suspicion timeout, SIGCONT", F.sigstop),
    ("restartall", "kill -9 of every agent, restart all", F.restart_all),
    ("keyrotation", "key rotation under load, one host partitioned", F.key_rotation),
]

def run_one(name, title, fn, short):
    res = Result(name, title)
    print("==== %s: %s%s" % (name, title, " (short)" if short else ""), flush=True)
    try:
        fn(res, short)
    except KeyboardInterrupt:
        res.error = "interrupted"
        raise
    except Exception as e:  # noqa: BLE001 - a broken scenario is a failed scenario
        res.error = "%s: %s" % (type(e).__name__, e)
        traceback.print_exc()
    finally:
        res.seconds = time.monotonic() - res.started
        print(res.summary(), flush=True)
    return res


def main(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--all", action="store_true", help="run every scenario")
    p.add_argument("--only", default="", help="comma-separated scenario names")
    p.add_argument("--short", action="store_true", help="shortened windows (the ctest subset)")
    p.add_argument("--report", default="", help="write the markdown report here")
    p.add_argument("--bin", default=os.environ.get("ROLLCALL_BIN", ""), help="the rollcall binary")
    p.add_argument("--profile", default=cluster.PROFILE, choices=sorted(cluster.PROFILES),
                   help="timing profile of the agents (default lan, or env ROLLCALL_CHAOS_PROFILE)")
    p.add_argument("--set", action="append", default=[], metavar="SECTION.KEY=VALUE",
                   help="config override for every agent, e.g. gossip.suspicion_mult=4 (integers and "
                        "true/false are typed, anything else is a string)")
    p.add_argument("--list", action="store_true")
    args = p.parse_args(argv)
    if args.list:
        for name, title, _ in SCENARIOS:
            print("%-12s %s" % (name, title))
        return 0
    names = [n for n, _, _ in SCENARIOS] if args.all else [x for x in args.only.split(",") if x]
    unknown = [n for n in names if n not in {s[0] for s in SCENARIOS}]
    if not names or unknown:
        print("run_chaos: give --all or --only NAME[,NAME] (unknown: %s); --list shows them" % unknown, file=sys.stderr)
        return 2
    if not args.bin or not os.access(args.bin, os.X_OK):
        print("run_chaos: no rollcall binary (--bin or ROLLCALL_BIN): %r" % args.bin, file=sys.stderr)
        return 2
    agentproc.ROLLCALL_BIN = os.path.abspath(args.bin)
    cluster.PROFILE = args.profile
    for item in args.set:
        key, _, value = item.partition("=")
        section, _, name = key.partition(".")
        if not section or not name or not _:
            print("run_chaos: --set expects SECTION.KEY=VALUE, got %r" % item, file=sys.stderr)
            return 2
        typed = int(value) if value.lstrip("-").isdigit() else {"true": True, "false": False}.get(value, value)
        cluster.EXTRA.setdefault(section, {})[name] = typed
    why = netns.require_tools()
    if why:
        print("run_chaos: SKIP: " + why, file=sys.stderr)
        return 77
    netns.install_handlers()
    stale = netns.sweep_stale()
    if stale:
        print("run_chaos: removed %d namespaces left by earlier runs" % len(stale))
    started_at = time.strftime("%Y-%m-%d %H:%M:%S")
    results = []
    try:
        for name, title, fn in SCENARIOS:
            if name in names:
                results.append(run_one(name, title, fn, args.short))
    except KeyboardInterrupt:
        print("run_chaos: interrupted; cleaning up", file=sys.stderr)
        return 130
    finally:
        if args.report and results:
            with open(args.report, "w") as f:
                f.write(markdown(results, cluster.describe_timings(), started_at, "short windows" if args.short else "full windows"))
            print("report: " + args.report)
    failed = [r.name for r in results if not r.passed]
    print("chaos: %d passed, %d failed%s" % (len(results) - len(failed), len(failed),
                                             (": " + ", ".join(failed)) if failed else ""))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

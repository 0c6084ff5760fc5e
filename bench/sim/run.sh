#!/usr/bin/env bash
# Simulator benchmark (issue 5 targets). Runs rollcall-sim and writes bench/results/sim.json:
#   - simulated messages per wall / CPU second, steady state, encryption off (median of 3);
#   - 2,000-node bootstrap: virtual time until every node sees every node;
#   - 2,000 and 10,000 nodes x 10 virtual minutes of crash-one in steady state (warm start: every
#     node starts knowing the converged cluster, so the join storm is not part of it; the cold
#     bootstrap is measured separately above): wall time, CPU time, peak RSS, bytes per node pair;
#   - messages per node per second in steady state (warm) for N = 100, 1,000, 5,000.
# Usage: bench/sim/run.sh            (BUILD=<build dir with sim/rollcall-sim>, default build-sim)
# Env: SIM_BENCH_TIMEOUT (s per large run, default 3600), SIM_BENCH_SKIP_LARGE=1 (skip 10k/5k),
#      TP_NODES (throughput bench size, default 500), TP_WINDOW (measured virtual window, default
#      600s: several push-pull rounds), TP_RUNS (seeds for the median, default 5), TP_CURVE (sizes
#      of the throughput-by-N runs, default "100 200 500 1000"),
#      LOAD_SIZES (default "100 1000 5000"),
#      SIM_BENCH_MEM_GB (address-space cap per run, default 22, so a too-big run fails alone instead
#      of pushing the machine into the OOM killer), SIM_BENCH_WORK (work dir; steps already done
#      there are reused, so an interrupted benchmark resumes).
# Runs of 2,000 nodes and more publish no node state (--state off): replicated server/component
# entries cost several hundred bytes per (node, member) pair on top of the member table.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
BUILD=${BUILD:-$ROOT/build-sim}
SIM=$BUILD/sim/rollcall-sim
OUT=$ROOT/bench/results/sim.json
TIMEOUT=${SIM_BENCH_TIMEOUT:-3600}
TP_NODES=${TP_NODES:-500}
MEM_GB=${SIM_BENCH_MEM_GB:-22}
TP_WINDOW=${TP_WINDOW:-600s}
TP_RUNS=${TP_RUNS:-5}
TP_CURVE=${TP_CURVE:-"100 200 500 1000"}
LOAD_SIZES=${LOAD_SIZES:-"100 1000 5000"}
WORK=${SIM_BENCH_WORK:-$(mktemp -d /tmp/rollcall-simbench.XXXXXX)}
mkdir -p "$WORK"
mkdir -p "$(dirname "$OUT")"
[ -x "$SIM" ] || { echo "build rollcall-sim first (cmake --build $BUILD --target rollcall-sim)" >&2; exit 2; }
echo "[bench/sim] work dir $WORK" >&2

# run NAME -- rollcall-sim args... : /usr/bin/time -v around one run, bounded by TIMEOUT.
run() {
  local name=$1; shift
  local dir=$WORK/$name
  if [ -f "$dir/rc" ]; then echo "[bench/sim] $name: reusing $dir" >&2; return; fi
  mkdir -p "$dir"
  echo "[bench/sim] $name: rollcall-sim $*" >&2
  set +e
  (ulimit -v $((MEM_GB * 1024 * 1024)); exec timeout --signal=KILL "$TIMEOUT" /usr/bin/time -v -o "$dir/time.txt" \
    "$SIM" "$@" --out "$dir") >"$dir/stdout.txt" 2>"$dir/stderr.txt"
  echo $? >"$dir/rc"
  set -e
  tail -n 3 "$dir/stderr.txt" >&2 || true
}

# 1. Throughput, median of TP_RUNS seeds, then one run per size of TP_CURVE (the same number of
#    messages each: the window shrinks as N grows).
for s in $(seq 1 "$TP_RUNS"); do
  [ -s "$WORK/throughput-$s.json" ] && continue
  echo "[bench/sim] throughput seed $s ($TP_NODES nodes)" >&2
  "$SIM" --bench-throughput --nodes "$TP_NODES" --warmup 90s --duration "$TP_WINDOW" --seed "$s" >"$WORK/throughput-$s.tmp"
  mv "$WORK/throughput-$s.tmp" "$WORK/throughput-$s.json"
  cat "$WORK/throughput-$s.json" >&2
done

for n in $TP_CURVE; do
  [ -s "$WORK/throughput-n$n.json" ] && continue
  echo "[bench/sim] throughput at $n nodes" >&2
  "$SIM" --bench-throughput --nodes "$n" --warmup 90s --duration "$(( (300000 + n - 1) / n ))s" --seed 1 >"$WORK/throughput-n$n.tmp"
  mv "$WORK/throughput-n$n.tmp" "$WORK/throughput-n$n.json"
done

# 2. 2,000-node bootstrap (all nodes start at once, one seed).
run bootstrap-2000 --scenario "$ROOT/configs/sim/bootstrap.toml" --nodes 2000 --duration 60s --encrypt off --state off

# 3. 10 virtual minutes with one crash, 2,000 and 10,000 nodes.
run crash-2000 --scenario "$ROOT/configs/sim/crash-one.toml" --nodes 2000 --duration 600s --encrypt off --state off --warm on
if [ "${SIM_BENCH_SKIP_LARGE:-0}" != 1 ]; then
  run crash-10000 --scenario "$ROOT/configs/sim/crash-one.toml" --nodes 10000 --duration 600s --encrypt off --state off --warm on
fi

# 4. Steady-state load per node for several N.
for n in $LOAD_SIZES; do
  if [ "$n" -ge 5000 ] && [ "${SIM_BENCH_SKIP_LARGE:-0}" = 1 ]; then continue; fi
  run "steady-$n" --scenario "$ROOT/configs/sim/steady.toml" --nodes "$n" --duration 300s --encrypt off --state off --warm on
done

python3 - "$WORK" "$OUT" "$TP_NODES" "$TP_RUNS" "$TP_CURVE" <<'EOF'
import json, os, re, statistics, sys
work, out, tp_nodes, tp_runs = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
tp_curve = [int(n) for n in sys.argv[5].split()]

def timing(name):
    d = os.path.join(work, name)
    if not os.path.isdir(d):
        return None
    r = {"name": name}
    r["exit_code"] = int(open(os.path.join(d, "rc")).read().strip() or -1)
    r["completed"] = os.path.exists(os.path.join(d, "results.json"))
    err = open(os.path.join(d, "stderr.txt")).read()
    prog = re.findall(r"t=([\d.]+)/", err)
    r["virtual_s_reached"] = float(prog[-1]) if prog else None
    if "bad_alloc" in err or "Cannot allocate" in err:
        r["note"] = "out of memory (address-space cap)"
    t = open(os.path.join(d, "time.txt")).read() if os.path.exists(os.path.join(d, "time.txt")) else ""
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", t)
    r["peak_rss_mib"] = round(int(m.group(1)) / 1024, 1) if m else None
    m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): ([\d:.]+)", t)
    if m:
        parts = [float(p) for p in m.group(1).split(":")]
        r["wall_s"] = round(sum(p * 60 ** i for i, p in enumerate(reversed(parts))), 1)
    mu = re.search(r"User time \(seconds\): ([\d.]+)", t)
    ms = re.search(r"System time \(seconds\): ([\d.]+)", t)
    if mu and ms:
        r["cpu_s"] = round(float(mu.group(1)) + float(ms.group(1)), 1)
    if r["completed"]:
        res = json.load(open(os.path.join(d, "results.json")))
        r["results"] = res
        r["virtual_s_reached"] = res["duration_s"]
    elif r["exit_code"] == 137 and "note" not in r:
        r["note"] = "killed by the timeout"
    return r

tp = [json.load(open(os.path.join(work, f"throughput-{s}.json"))) for s in range(1, tp_runs + 1)]
curve = [json.load(open(os.path.join(work, f"throughput-n{n}.json"))) for n in tp_curve]
result = {
    "machine": {"cpus": os.cpu_count(), "loadavg_at_end": os.getloadavg()[0]},
    "throughput": {
        "nodes": tp_nodes,
        "encryption": False,
        "msgs_per_wall_s_median": statistics.median(t["msgs_per_wall_s"] for t in tp),
        "msgs_per_cpu_s_median": statistics.median(t["msgs_per_cpu_s"] for t in tp),
        "events_per_wall_s_median": statistics.median(t["events_per_wall_s"] for t in tp),
        "events_per_cpu_s_median": statistics.median(t["events_per_cpu_s"] for t in tp),
        "runs": tp,
        "target_msgs_per_s": 1_000_000,
    },
    "throughput_by_nodes": [{"nodes": c["nodes"], "msgs_per_cpu_s": c["msgs_per_cpu_s"], "messages": c["messages"],
                             "huge_pages": c.get("huge_pages")} for c in curve],
}
b = timing("bootstrap-2000")
if b:
    res = b.pop("results", None)
    b["all_see_all_virtual_s"] = res["bootstrap"]["all_see_all_s"] if res else None
    if res:
        # Fraction of (observer, member) pairs known alive, from the series (works for old outputs too).
        s, n = res["series"], res["nodes"]
        def first(q):
            for t, a, live in zip(s["t_s"], s["alive"], s["live_nodes"]):
                if live == n and a * live >= q * n * n:
                    return t
            return None
        b["pairs_99_percent_virtual_s"] = first(0.99)
        b["pairs_99_9_percent_virtual_s"] = first(0.999)
        b["pairs_known_at_end"] = s["alive"][-1] / n
    b["target_virtual_s"] = 20
    result["bootstrap_2000"] = b
for n in (2000, 10000):
    c = timing(f"crash-{n}")
    if c:
        res = c.pop("results", None)
        if res:
            c["dead_everywhere_s"] = res["failure_detection"]["dead_everywhere_s"]
            c["false_dead"] = res["false_positives"]["false_dead"]
            c["all_see_all_virtual_s"] = res["bootstrap"]["all_see_all_s"]
            c["msgs_out_per_node_s"] = res["load"]["msgs_out_per_node_s"]
        c["virtual_s"] = 600
        c["warm_start"] = True
        if c.get("peak_rss_mib"):
            c["bytes_per_node_pair"] = round(c["peak_rss_mib"] * 2**20 / (n * n))
        if n == 2000:
            c["target_wall_s"] = 60
        result[f"crash_one_{n}_x_10min"] = c
# Memory: the engine's footprint grows with N^2 (every node holds every member and its broadcast
# items); extrapolate 10,000 nodes from the largest run that completed.
big = [(n, result.get(f"crash_one_{n}_x_10min")) for n in (2000, 10000)]
per_pair = [r["peak_rss_mib"] * 1024 * 1024 / (n * n) for n, r in big if r and r.get("peak_rss_mib")]
if per_pair:
    ppb = max(per_pair)
    result["memory_model"] = {"bytes_per_node_pair": round(ppb), "estimate_10000_nodes_gib": round(ppb * 1e8 / 2**30, 1),
                              "estimate_5000_nodes_gib": round(ppb * 25e6 / 2**30, 1), "machine_gib": 24}
if "crash_one_10000_x_10min" not in result:
    result["crash_one_10000_x_10min"] = {"skipped": True, "reason": "SIM_BENCH_SKIP_LARGE=1, see memory_model"}
load = []
for n in (100, 1000, 2000, 5000):
    c = timing(f"steady-{n}")
    if not c:
        continue
    res = c.pop("results", None)
    if res:
        c["msgs_out_per_node_s"] = res["load"]["msgs_out_per_node_s"]
        c["last_minute_msgs_out_per_node_s"] = res["load"].get("tail_msgs_out_per_node_s")
        c["bytes_out_per_node_s"] = res["load"]["bytes_out_per_node_s"]
        c["load_window_s"] = res["load"]["window_s"]
        c["all_see_all_virtual_s"] = res["bootstrap"]["all_see_all_s"]
    c["nodes"] = n
    c["warm_start"] = True
    load.append(c)
result["load_per_node"] = load
json.dump(result, open(out, "w"), indent=1)
print(json.dumps({k: v for k, v in result.items() if k != "throughput"} | {"throughput": {k: v for k, v in result["throughput"].items() if k != "runs"}}, indent=1))
EOF
echo "[bench/sim] wrote $OUT" >&2

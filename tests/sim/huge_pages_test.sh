#!/usr/bin/env bash
# rollcall-sim re-executes itself with transparent huge pages for malloc (sim/main.cpp). This
# checks that it does (the throughput bench records the setting), that ROLLCALL_SIM_HUGE_PAGES=0
# and an explicit GLIBC_TUNABLES opt out, and that huge pages change nothing simulated:
# results.json is the same byte for byte either way.
# usage: huge_pages_test.sh ROLLCALL_SIM SCENARIO_DIR
set -euo pipefail
sim=$1; scenarios=$2
work=$(mktemp -d /tmp/rollcall-sim-hp.XXXXXX)
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

bench() { "$sim" --bench-throughput --nodes 20 --warmup 5s --duration 5s --seed 3 2>/dev/null | tail -n 1; }
state=$(env -u GLIBC_TUNABLES "$sim" --bench-throughput --nodes 20 --warmup 5s --duration 5s --seed 3 2>/dev/null | tail -n 1)
case "$state" in *'"huge_pages":"on '*) ;; *) fail "default run did not enable huge pages: $state" ;; esac
state=$(ROLLCALL_SIM_HUGE_PAGES=0 bench)
case "$state" in *'"huge_pages":"off '*) ;; *) fail "ROLLCALL_SIM_HUGE_PAGES=0 did not opt out: $state" ;; esac
state=$(GLIBC_TUNABLES=glibc.malloc.hugetlb=0 bench)
case "$state" in *'"huge_pages":"off '*) ;; *) fail "an explicit tunable was overridden: $state" ;; esac

for sc in crash-one partition-and-heal; do
  env -u GLIBC_TUNABLES "$sim" --quiet --nodes 24 --scenario "$scenarios/$sc.toml" --seed 11 --duration 90s \
    --out "$work/on-$sc" >/dev/null 2>&1 || true
  ROLLCALL_SIM_HUGE_PAGES=0 "$sim" --quiet --nodes 24 --scenario "$scenarios/$sc.toml" --seed 11 --duration 90s \
    --out "$work/off-$sc" >/dev/null 2>&1 || true
  [ -s "$work/on-$sc/results.json" ] && [ -s "$work/off-$sc/results.json" ] || fail "$sc: no results.json"
  cmp -s "$work/on-$sc/results.json" "$work/off-$sc/results.json" || fail "$sc: results differ with huge pages"
  echo "ok: $sc results.json identical with and without huge pages"
done
echo "ok: huge pages on by default, opt-outs respected"

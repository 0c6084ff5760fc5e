#!/usr/bin/env bash
# Fails if membership/ or gossip/ include Asio or spdlog, read a clock, use a global RNG, or spawn threads.
set -u
root=${1:-.}
status=0
check() {
  local pattern=$1 what=$2
  local hits
  hits=$(grep -rnE "$pattern" "$root/membership" "$root/gossip" --include='*.h' --include='*.cpp' || true)
  if [ -n "$hits" ]; then
    echo "FORBIDDEN ($what):"; echo "$hits"; status=1
  fi
}
check '#include *[<"](asio|boost/asio|spdlog)' "Asio/spdlog include"
check '(steady_clock|system_clock|high_resolution_clock)::now|[^_a-z]time\(|gettimeofday|clock_gettime' "clock read"
check 'std::random_device|[^a-z_]rand\(\)|srand\(' "global RNG"
check 'std::thread|std::async|pthread_create' "thread"
check '#include *[<"](iostream|cstdio)' "console I/O"
if [ $status = 0 ]; then echo "layers clean"; fi
exit $status

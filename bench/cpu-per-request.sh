#!/usr/bin/env bash
# CPU per request of each process of a running stack: runs wrk once with the given arguments and
# divides the CPU time (user + system, from /proc/<pid>/stat) each service JVM and MariaDB used
# during the run by the number of requests wrk completed. A profile that does not disturb what it
# measures (a JFR recording cost this machine up to half its throughput), and steadier than
# requests/s on a shared machine. Start a stack first (./run.sh, or STACK_SERVICES=... for a part).
#
#   bench/cpu-per-request.sh <label> <wrk arguments...>
#   e.g. bench/cpu-per-request.sh polls -H "Queue-Token: $TOKEN" http://127.0.0.1:8080/api/v1/queue/status
set -euo pipefail
label=$1; shift
ticks=$(getconf CLK_TCK)
declare -A name before
for pid in $(pgrep -f 'target/(aot/)?[a-z-]+\.jar') $(pgrep -x mariadbd || true); do
  name[$pid]=$(tr '\0' ' ' < /proc/$pid/cmdline | grep -oE '[a-z-]+\.jar|mariadbd' | head -1)
  before[$pid]=$(awk '{print $14 + $15}' /proc/$pid/stat)
done
out=$(wrk -t2 -c"${BENCH_CONNECTIONS:-32}" -d"${BENCH_DURATION:-15s}" "$@")
requests=$(echo "$out" | awk '/requests in/ {print $1}')
echo "$label: $(echo "$out" | awk '/Requests\/sec/ {print $2}') requests/s, $requests requests"
for pid in "${!name[@]}"; do
  [ -r /proc/$pid/stat ] || continue
  after=$(awk '{print $14 + $15}' /proc/$pid/stat)
  awk -v n="${name[$pid]}" -v d=$((after - ${before[$pid]})) -v r="$requests" -v t="$ticks" \
    'BEGIN {printf "  %-24s %.3f ms CPU per request\n", n, d * 1000 / t / r}'
done | sort

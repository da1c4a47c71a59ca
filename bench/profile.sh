#!/usr/bin/env bash
# Where the CPU of a hold attempt goes, through the gateway and straight to reservation-service (a measurement, not
# a test). Starts the holds stack (bench/holds-stack.sh: JDK 25 with the AOT cache), admits BENCH_CLIENTS users and
# warms it with their hold attempts through the gateway for BENCH_WARMUP seconds. Then, for each path, on a quiet
# machine, BENCH_DURATION seconds of the same load (wrk, one connection per client) with every thread's CPU time read
# from /proc/<pid>/task before and after: CPU per answered attempt per process and per kind of thread (request
# threads, collector, JIT compilers, Kafka, the rest). Last, another run through the gateway with a JFR recording
# of the gateway (settings=profile, execution samples every 10 ms), whose samples bench/jfr-summary.py splits
# into the parts of the gateway's path, in µs of its request threads' CPU per attempt. The CPU figures come from
# the runs without the recording. Figures go to target/bench/profile.md.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=target/bench
RUN=$OUT/profile
CLIENTS=${BENCH_CLIENTS:-1000}
WARMUP=${BENCH_WARMUP:-180}
DURATION=${BENCH_DURATION:-30}
JDK25=${BENCH_JDK25:-$(bin/java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.home = //p')}
rm -rf "$RUN"; mkdir -p "$RUN"
if [ "${SKIP_BUILD:-}" != "1" ]; then ./mvnw -B -q -DskipTests package; fi
command -v wrk > /dev/null || { echo "installing wrk (Debian package)"; apt-get install -y -q wrk > /dev/null; }
. bench/holds-stack.sh
TICKS=$(getconf CLK_TCK)

# One line per thread of the stack's processes: process, kind of thread, CPU ticks so far.
threads() {
  local module pid
  for module in gateway reservation-service queue-service concert-service; do
    pid=$(pid_of "$module")
    for task in /proc/"$pid"/task/*; do
      awk -v m="$module" '{
          match($0, /\(.*\)/); name = substr($0, RSTART + 1, RLENGTH - 2); rest = substr($0, RSTART + RLENGTH + 1)
          split(rest, f, " ")
          kind = "other threads"
          if (name ~ /^(reactor-http|http-nio|parallel|boundedElastic)/) kind = "request threads"
          else if (name ~ /^(VM Thread|GC Thread|VM Periodic)/) kind = "collector (serial: the VM thread)"
          else if (name ~ /^C[12] CompilerThre/) kind = "JIT compilers"
          else if (name ~ /^kafka|^org\.springfram/) kind = "Kafka clients"
          else if (name ~ /^(outbox|relay)/) kind = "outbox relay"
          print m "|" kind "|" f[12] + f[13] }' "$task/stat" 2> /dev/null || true
    done
  done
  for pid in $(pgrep -x mariadbd); do echo "MariaDB|all|$(awk '{print $14 + $15}' "/proc/$pid/stat")"; done
}
# $1 = name: the thread CPU of the run between $RUN/$1.before and $RUN/$1.after, per answered attempt, in µs.
per_attempt() {
  local requests; requests=$(awk '/requests in/ {print $1}' "$RUN/$1.txt")
  awk -F'|' -v r="$requests" -v t="$TICKS" '
    FILENAME ~ /before$/ { before[$1 "|" $2] += $3; next }
    { after[$1 "|" $2] += $3 }
    END { for (k in after) printf "%s|%.0f\n", k, (after[k] - before[k]) * 1e6 / t / r }' "$RUN/$1.before" "$RUN/$1.after" | sort
}
measure() { # $1 = name, $2 = base URL, $3 = direct (1) or not (0)
  settle 60 > /dev/null
  threads > "$RUN/$1.before"
  holds "$RUN/$1.txt" "$DURATION" "$2" "$3"
  threads > "$RUN/$1.after"
  per_attempt "$1" > "$RUN/$1.cpu"
  echo "$1: $(awk '/Requests\/sec/ {printf "%.0f", $2}' "$RUN/$1.txt") attempts/s"
}

echo "warming the stack: ${WARMUP}s of holds through the gateway"
holds "$RUN/warmup.txt" "$WARMUP" "$GW" 0
measure gateway "$GW" 0
measure direct http://127.0.0.1:8083 1
settle 60 > /dev/null
GATEWAY_PID=$(pid_of gateway)
"$JDK25/bin/jcmd" "$GATEWAY_PID" JFR.start name=profile settings=profile filename="$PWD/$RUN/gateway.jfr" > /dev/null
holds "$RUN/recorded.txt" "$DURATION" "$GW" 0
"$JDK25/bin/jcmd" "$GATEWAY_PID" JFR.stop name=profile > /dev/null

cell() { awk -F'|' -v k="$2|$3" '$1 "|" $2 == k {print $3}' "$RUN/$1.cpu"; }
REQUEST_US=$(cell gateway gateway "request threads")
{
  echo "# Where a hold attempt's CPU goes, $(date -u +%FT%TZ)"
  echo
  echo "$(nproc) cores; $("$JDK25/bin/java" -version 2>&1 | head -1), AOT cache; $CLIENTS clients (wrk connections) on the 50 seats"
  echo "of schedule $SCHEDULE, holds of $RESERVATION_HOLD_TTL, after ${WARMUP}s of warm-up; ${DURATION}s per path."
  echo "Through the gateway $(awk '/Requests\/sec/ {printf "%.0f", $2}' "$RUN/gateway.txt") attempts/s, straight to"
  echo "reservation-service $(awk '/Requests\/sec/ {printf "%.0f", $2}' "$RUN/direct.txt") attempts/s (with the JFR recording: $(awk '/Requests\/sec/ {printf "%.0f", $2}' "$RUN/recorded.txt")/s)."
  echo
  echo "CPU per answered attempt, µs:"
  echo
  echo "| process | threads | through the gateway | straight to the service |"
  echo "|---|---|---|---|"
  cut -d'|' -f1,2 "$RUN/gateway.cpu" "$RUN/direct.cpu" | sort -u | while IFS='|' read -r process kind; do
    echo "| $process | $kind | $(cell gateway "$process" "$kind") | $(cell direct "$process" "$kind") |"
  done
  echo "| all | | $(awk -F'|' '{s += $3} END {print s}' "$RUN/gateway.cpu") | $(awk -F'|' '{s += $3} END {print s}' "$RUN/direct.cpu") |"
  echo
  echo "The gateway's request threads, $REQUEST_US µs per attempt, split by the JFR recording's samples (bench/jfr-summary.py):"
  echo
  JFR=$JDK25/bin/jfr python3 bench/jfr-summary.py "$RUN/gateway.jfr" "$REQUEST_US"
} | tee "$OUT/profile.md"

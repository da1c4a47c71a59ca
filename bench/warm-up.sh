#!/usr/bin/env bash
# Warm-up benchmark (a measurement, not a test): how fast a NEW instance, added to a warm stack in the middle of a
# sell-out, serves the holds load from its own process start, on JDK 17, on JDK 25 and on JDK 25 with the AOT cache,
# in one run.
#
# Starts queue-service, concert-service, reservation-service and the gateway on JDK 25 with the AOT cache (as ./run.sh
# does; the first start after a build trains the caches), admits BENCH_CLIENTS users and warms the stack with their
# hold attempts on the 50 seats of one date (bench/hold.lua, wrk with one connection per client) for BENCH_WARMUP
# seconds. The warm rate is then measured on the stack's own instances, in 3 steps of 10 s each: through the gateway,
# and straight to reservation-service with the identity headers the gateway sets (the median step).
# Then, for each JVM, a new instance of each of the two services is started beside the warm one, as an operator's
# scale-up does: the same command line and environment as the running instance (read from /proc), other ports, and
# only the JVM changed (the same extracted jar for all three, so only the JVM and the cache differ). As soon as it is
# ready it gets the whole holds load (a new gateway proxies to the warm reservation-service; a new
# reservation-service gets the attempts straight), in BENCH_STEPS steps of 10 s, each reported with its window in
# seconds from the process start. The instance is stopped (SIGTERM) before the next. BENCH_VARIANTS chooses the JVMs
# (default all of: jdk17 jdk25 jdk25-aot jdk25-aot-virtual; the last is reservation-service with Spring's virtual
# threads, spring.threads.virtual.enabled, on JDK 25 with the cache).
# Figures go to target/bench/warm-up.md. See docs/performance.md, "Java 25 and the AOT cache".
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=target/bench
RUN=$OUT/warm-up
CLIENTS=${BENCH_CLIENTS:-1000}
WARMUP=${BENCH_WARMUP:-180}
STEPS=${BENCH_STEPS:-9}
VARIANTS=${BENCH_VARIANTS:-jdk17 jdk25 jdk25-aot jdk25-aot-virtual}
JDK17=${BENCH_JDK17:-/usr/lib/jvm/java-17-openjdk-amd64}
JDK25=${BENCH_JDK25:-$(bin/java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.home = //p')}
[ -x "$JDK17/bin/java" ] && [ -x "$JDK25/bin/java" ] || { echo "needs a JDK 17 ($JDK17) and a JDK 25 ($JDK25)"; exit 1; }
rm -rf "$RUN"; mkdir -p "$RUN"

if [ "${SKIP_BUILD:-}" != "1" ]; then ./mvnw -B -q -DskipTests package; fi
command -v wrk > /dev/null || { echo "installing wrk (Debian package)"; apt-get install -y -q wrk > /dev/null; }

. bench/holds-stack.sh
. bench/instance.sh
rate() { awk '/Requests\/sec/ {printf "%.0f", $2}' "$1"; }
# Answers other than 201 and 409 (5xx, timeouts, socket errors) from a wrk report: "-" when there were none.
others() {
  awk '/^statuses/ {for (i = 2; i <= NF; i++) {split($i, s, "="); if (s[1] != 201 && s[1] != 409) n += s[2]}}
       /Socket errors/ {gsub(/,/, ""); n += $4 + $6 + $8 + $10} END {print n ? n : "-"}' "$1"
}
median() { sort -n | awk '{v[NR] = $1} END {print v[int((NR + 1) / 2)]}'; }

echo "warming the stack: ${WARMUP}s of holds through the gateway"
holds "$RUN/warmup.txt" "$WARMUP" "$GW" 0
settle 60
for i in 1 2 3; do
  holds "$RUN/warm-gateway.$i.txt" 10 "$GW" 0
  holds "$RUN/warm-reservation-service.$i.txt" 10 http://127.0.0.1:8083 1
done
WARM_GATEWAY=$(for i in 1 2 3; do rate "$RUN/warm-gateway.$i.txt"; echo; done | median)
WARM_RESERVATION=$(for i in 1 2 3; do rate "$RUN/warm-reservation-service.$i.txt"; echo; done | median)
echo "warm: gateway $WARM_GATEWAY/s, reservation-service $WARM_RESERVATION/s"

# $1 = module, $2 = variant (jdk17, jdk25, jdk25-aot, jdk25-aot-virtual: the same with Spring's virtual threads):
# starts a new instance of the module beside the stack's own on ports 18080/19080 (bench/instance.sh), measures its
# curve, stops it. Appends "module|variant|ready s|step;step;..." to $RUN/curves, each step "from-to:rate:others" in
# seconds from the process start.
curve() {
  local module=$1 variant=$2 home=$JDK25 options=(aot=drop)
  case $variant in
    jdk17) home=$JDK17 ;;
    jdk25-aot) options=(aot=keep) ;;
    jdk25-aot-virtual) options=(aot=keep SPRING_THREADS_VIRTUAL_ENABLED=true) ;;
  esac
  local log=$RUN/$module-$variant.log ready
  new_instance "$(pid_of "$module")" "$home" 18080 19080 "$log" "${options[@]}"
  ready=$(ready_instance 19080) || { echo "$module on $variant exited:"; tail -30 "$log"; exit 1; }
  local direct=1; [ "$module" = gateway ] && direct=0
  local steps="" from to report
  for i in $(seq 1 "$STEPS"); do
    report=$RUN/$module-$variant.$i.txt
    from=$(since "$NEW_T0")
    holds "$report" 10 http://127.0.0.1:18080 "$direct"
    to=$(since "$NEW_T0")
    steps="$steps;$(printf '%.0f-%.0f' "$from" "$to"):$(rate "$report"):$(others "$report")"
    if ! kill -0 "$NEW_PID" 2> /dev/null; then # a step against a dead process would count its refused connections
      steps="$steps;$(printf '%.0f' "$to"):exited, $(grep -m1 -E 'Terminating due to|OutOfMemoryError|Exception' "$log" | cut -c1-120 | tr ':;|' '   '):-"
      break
    fi
  done
  stop_instance
  echo "$module|$variant|$ready|${steps#;}" | tee -a "$RUN/curves"
  settle 60
}
since() { awk -v t0="$1" -v now="$(date +%s.%N)" 'BEGIN {printf "%.1f", now - t0}'; }

for variant in $VARIANTS; do
  [ "$variant" = jdk25-aot-virtual ] || curve gateway "$variant" # a reactive gateway has no request threads to make virtual
  curve reservation-service "$variant"
done

# One row per new instance: its steps, the share of the warm rate in each, and when it first reached 80 %.
{
  echo "# A new instance under the holds load, $(date -u +%FT%TZ)"
  echo
  echo "$(nproc) cores; $("$JDK17/bin/java" -version 2>&1 | head -1); $("$JDK25/bin/java" -version 2>&1 | head -1);"
  echo "stack on JDK 25 with the AOT cache, warmed ${WARMUP}s; $CLIENTS clients (wrk connections) on the 50 seats of schedule $SCHEDULE, holds of $RESERVATION_HOLD_TTL;"
  echo "warm rate (median of 3 steps of 10 s on the stack's own instance): gateway $WARM_GATEWAY/s, reservation-service $WARM_RESERVATION/s (straight)."
  echo "Each step: seconds from the new process's start, attempts answered per second, % of the warm rate; answers other than 201/409 (errors, timeouts) in brackets."
  echo
  echo "| new instance | JVM | ready after, s | steps of 10 s under load | first step at 80 % of warm ends at, s |"
  echo "|---|---|---|---|---|"
  while IFS='|' read -r module variant ready steps; do
    warm=$WARM_RESERVATION; [ "$module" = gateway ] && warm=$WARM_GATEWAY
    echo "$steps" | tr ';' '\n' | awk -F: -v w="$warm" -v m="$module" -v v="$variant" -v r="$ready" '
      $2 ~ /^exited/ { cells = cells sprintf("%s s: %s<br>", $1, $2); next }
      { split($1, t, "-"); pct = $2 * 100 / w
        cells = cells sprintf("%s s: %s/s %d%%%s<br>", $1, $2, pct, $3 == "-" ? "" : " (" $3 ")")
        if (!reached && pct >= 80) reached = t[2] }
      END { printf "| %s | %s | %s | %s | %s |\n", m, v, r, cells, reached ? reached : "not within the run" }'
  done < "$RUN/curves"
} | tee "$OUT/warm-up.md"

#!/usr/bin/env bash
# Overload benchmark (a measurement, not a test): what one gateway does when hold attempts ARRIVE faster than it
# serves them, as a sell-out's crowd does: clients that send whether or not earlier answers came back, over
# connections opened as needed (Gatling's open model, load-tests' HoldsSimulation with HOLDS_RATE).
#
# Starts the holds stack (bench/holds-stack.sh: gateway, queue-, concert- and reservation-service on JDK 25 with the
# AOT cache, short holds, rate limits off), admits BENCH_CLIENTS users, warms it through the gateway for
# BENCH_WARMUP seconds with one wrk connection per client (its rate is the closed-loop rate printed), then for each
# rate of BENCH_RATES (arrivals per second, default "750 1200 1500") runs BENCH_OPEN_SECONDS (30) of arrivals at
# that rate through the gateway, sampling every second the client connections the gateway holds, its connections
# to reservation-service, its requests in progress and those it shed (gateway_requests_in_flight,
# gateway_requests_shed_total), its old generation (jstat) and whether it is still alive.
# GATEWAY_MAX_IN_FLIGHT sets the gateway's limit of requests in progress (its default, read from its application.yml,
# otherwise).
# Figures go to target/bench/overload.md. See docs/performance.md, "Shedding load at the gateway".
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=target/bench
RUN=$OUT/overload
CLIENTS=${BENCH_CLIENTS:-1000}
WARMUP=${BENCH_WARMUP:-120}
RATES=${BENCH_RATES:-750 1200 1500}
OPEN_SECONDS=${BENCH_OPEN_SECONDS:-30}
JDK25=${BENCH_JDK25:-$(bin/java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.home = //p')}
rm -rf "$RUN"; mkdir -p "$RUN"

if [ "${SKIP_BUILD:-}" != "1" ]; then ./mvnw -B -q -DskipTests install; fi
command -v wrk > /dev/null || { echo "installing wrk (Debian package)"; apt-get install -y -q wrk > /dev/null; }

# The gateway's own default limit unless the caller sets one (bench/holds-stack.sh would raise it).
export GATEWAY_MAX_IN_FLIGHT=${GATEWAY_MAX_IN_FLIGHT:-$(sed -nE 's/.*\$\{GATEWAY_MAX_IN_FLIGHT:([0-9]+)\}.*/\1/p' gateway/src/main/resources/application.yml)}
. bench/holds-stack.sh
GATEWAY=$(pid_of gateway)
# Gatling's clients: "<userId> <token>" per line.
paste -d' ' <(cut -d' ' -f1 "$IDS") "$TOKENS" > "$RUN/clients.txt"
holds "$RUN/warm-up.txt" "$WARMUP" $GW 0
# Attempts answered 201 or 409 a second (bench/hold.lua's status counts): refusals by the limit left out.
closed=$(awk -v s="$WARMUP" '/^statuses/ {for (i = 2; i <= NF; i++) {split($i, a, "="); if (a[1] == "201" || a[1] == "409") n += a[2]}} END {printf "%.0f", n / s}' "$RUN/warm-up.txt")

metric() { # Prometheus name: its value on the gateway's management port, "-" when it does not answer
  curl -s -m 2 localhost:9080/actuator/prometheus | awk -v m="$1" '$1 ~ "^" m "({|$)" {v = $2} END {print (v == "" ? "-" : v)}'
}
sample() { # until the file $1.stop exists: one line a second
  while [ ! -e "$1.stop" ]; do
    local old=-
    kill -0 "$GATEWAY" 2>/dev/null && old=$(jstat -gc "$GATEWAY" 2>/dev/null | awk 'NR == 2 {printf "%.0f", $8 / 1024}')
    echo "$(date +%T) alive=$(kill -0 "$GATEWAY" 2>/dev/null && echo yes || echo no)" \
      "clients=$(ss -tnH state established '( sport = :8080 )' | wc -l)" \
      "to-reservation=$(ss -tnH state established '( dport = :8083 )' | wc -l)" \
      "in-flight=$(metric gateway_requests_in_flight) shed=$(metric gateway_requests_shed_total) old-gen-MB=$old"
    sleep 1
  done > "$1"
}
PATH=$JDK25/bin:$PATH # jstat of the gateway's JDK
for rate in $RATES; do
  kill -0 "$GATEWAY" 2>/dev/null || { echo "the gateway is gone (see $STACK_KEEP_LOGS after the run)"; break; }
  sample "$RUN/open-$rate.samples" & sampler=$!
  env HOLDS_TOKENS="$PWD/$RUN/clients.txt" HOLDS_RATE="$rate" HOLDS_SECONDS="${OPEN_SECONDS}s" HOLDS_SCHEDULE="$SCHEDULE" \
    ./mvnw -B -q -pl load-tests gatling:test -Dgatling.simulationClass=dev.ticketing.load.HoldsSimulation \
    -Dgatling.runDescription="overload-$rate" > "$RUN/open-$rate.txt" 2>&1 || true
  touch "$RUN/open-$rate.samples.stop"; wait $sampler
  echo "arrivals $rate/s done"
  sleep 20
done

stat() { # report, column (3 = OK, 4 = KO), label of Gatling's "Global Information"
  awk -F'|' -v label="$3" -v col="$2" 'index($1, label) {gsub(/[ ,]/, "", $col); print $col}' "$1" | tail -1
}
{
  echo "# Overload: hold attempts arriving faster than the gateway serves them"
  echo
  echo "$(date -u +%FT%TZ); $(nproc) cores; $("$JDK25/bin/java" -version 2>&1 | head -1); the gateway's limit of requests in progress:" \
    "$GATEWAY_MAX_IN_FLIGHT; warm-up: a closed loop of $CLIENTS wrk connections through the gateway for ${WARMUP}s, $closed attempts/s answered 201 or 409."
  echo
  echo "| arrivals/s | answered 201/409 per s | p50 / p99 of those, ms | refused 503 at once (shed) | p50 / p99 of all failed requests (the refusals and the rest), ms | other failures (5 s time limit, Gatling's 60 s, refused connections) | most client connections | most in progress | old generation at most, MB | gateway alive at the end |"
  echo "|---|---|---|---|---|---|---|---|---|---|"
  for rate in $RATES; do
    r=$RUN/open-$rate.txt s=$RUN/open-$rate.samples
    [ -e "$r" ] || continue
    ok=$(stat "$r" 3 "request count")
    shed_seen=$(awk '{for (i = 1; i <= NF; i++) if ($i ~ /^shed=/) {split($i, a, "="); if (a[2] != "-") {if (first == "") first = a[2]; last = a[2]}}} END {printf "%.0f", last - first}' "$s")
    failed=$(stat "$r" 4 "request count"); failed=${failed//-/0}
    most() { awk -v k="$1" '{for (i = 1; i <= NF; i++) if (index($i, k "=") == 1) {split($i, a, "="); if (a[2] != "-" && a[2] + 0 > m) m = a[2] + 0}} END {printf "%.0f", m}' "$s"; }
    echo "| $rate | $(( ${ok:-0} / OPEN_SECONDS )) | $(stat "$r" 3 "50th percentile") / $(stat "$r" 3 "99th percentile") | $shed_seen | $(stat "$r" 4 "50th percentile") / $(stat "$r" 4 "99th percentile") | $(( ${failed:-0} - shed_seen > 0 ? ${failed:-0} - shed_seen : 0 )) | $(most clients) | $(most in-flight) | $(most old-gen-MB) | $(tail -1 "$s" | grep -q alive=yes && echo yes || echo '**no**') |"
  done
  echo
  echo "Samples per second: $RUN/open-<rate>.samples; Gatling's reports: load-tests/target/gatling/; the services' logs: $STACK_KEEP_LOGS."
} > "$OUT/overload.md"
cat "$OUT/overload.md"

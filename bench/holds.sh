#!/usr/bin/env bash
# Hold benchmark (a measurement, not a test): starts queue-service, concert-service,
# reservation-service and the gateway on the embedded infrastructure, admits 1,000 users, and has
# them compete for the 50 seats of one schedule through the gateway with Gatling (load-tests'
# HoldsSimulation: 1,000 virtual users, one keep-alive connection each, one or two random seats per
# attempt; holds last 2 s so seats keep cycling), then straight to reservation-service. Next to it,
# in the same run on the same MariaDB, the bare database operation: a JDBC loop doing the same
# insert. After a long warm-up the three are measured in rounds taken in turns, each figure the
# median of its rounds. Last, an open loop on each path: attempts arriving at half its median rate for
# BENCH_OPEN_SECONDS (30), with their latency percentiles. Figures go to target/bench/holds.md, Gatling's HTML reports under
# target/bench/gatling/.
# See docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${BENCH_DURATION:-20s}
# Each measured run first loads for RAMP seconds that are not counted: every Gatling run is a new
# JVM that compiles its own code and opens 1,000 connections, and for its first 10-15 s the rate
# climbs (through the gateway from about 1,600 to 2,400/s in a run of 2026-12-04).
RAMP=${BENCH_RAMP:-15}
CLIENTS=${BENCH_CLIENTS:-1000}
OUT=target/bench
mkdir -p "$OUT"

if [ "${SKIP_BUILD:-}" != "1" ]; then ./mvnw -B -q -DskipTests install; fi

export STACK_SERVICES=queue-service,concert-service,reservation-service,gateway
export RATE_LIMIT_ENABLED=false          # the benchmark measures throughput, not the limiter
# Nor the gateway's shedding: its limit of requests in progress (500 by default) is raised above the 1,000 clients.
export GATEWAY_MAX_IN_FLIGHT=${GATEWAY_MAX_IN_FLIGHT:-2000}
export QUEUE_ADMIT_PER_SECOND=2000 QUEUE_MAX_ACTIVE=100000
export RESERVATION_HOLD_TTL=${RESERVATION_HOLD_TTL:-2s} RESERVATION_EXPIRY_GRACE=0s
# The clients' tokens must stay ACTIVE for the whole run: with the default 10 minutes a long warm-up
# would leave the last rounds measuring refusals of expired tokens.
export QUEUE_ACTIVE_TTL=${QUEUE_ACTIVE_TTL:-60m}
DB_PORT=${DB_PORT:-3306}
. bench/stack.sh
start_stack "$OUT/holds-stack.log"

GW=http://127.0.0.1:8080
TOKENS=$OUT/holds-tokens.txt
# One printf per client: each line is written whole, however the 16 parallel joins interleave.
seq 1 "$CLIENTS" | xargs -P 16 -I{} sh -c "printf '%s %s\n' {} \"\$(curl -s -X POST -H 'Content-Type: application/json' \
  -d '{\"userId\": {}}' $GW/api/v1/queue/tokens | sed -E 's/.*\"token\":\"([^\"]+)\".*/\\1/')\"" > "$TOKENS"
[ "$(awk 'NF == 2' "$TOKENS" | wc -l)" = "$CLIENTS" ] || { echo "could not get $CLIENTS tokens"; exit 1; }
LAST=$(tail -1 "$TOKENS" | cut -d' ' -f2)
for _ in $(seq 1 60); do # admission runs every second
  curl -s -H "Queue-Token: $LAST" $GW/api/v1/queue/status | grep -q '"ACTIVE"' && break
  sleep 1
done
sleep 2 # the last line need not be the last to join: give admission another tick or two
SCHEDULE=$(curl -s -H "Queue-Token: $LAST" $GW/api/v1/concerts/1/schedules \
  | python3 -c 'import json,sys; print(next(s["scheduleId"] for s in json.load(sys.stdin)["schedules"] if s["totalSeats"] == 50))')

REPORTS=$PWD/$OUT/gatling
mkdir -p "$REPORTS"
gatling() { # name, then VAR=value settings for HoldsSimulation; the report lands in $REPORTS/<name>
  local name=$1; shift
  env "$@" HOLDS_SCHEDULE="$SCHEDULE" ./mvnw -B -q -pl load-tests gatling:test \
    -Dgatling.simulationClass=dev.ticketing.load.HoldsSimulation \
    -Dgatling.runDescription="$name" > "$OUT/$name.txt" 2>&1 || { tail -40 "$OUT/$name.txt"; exit 1; }
  local report
  report=$(ls -td load-tests/target/gatling/holdssimulation-* | head -1)
  rm -rf "${REPORTS:?}/$name"
  mv "$report" "$REPORTS/$name"
  echo "gatling report: $REPORTS/$name/index.html" >> "$OUT/$name.txt"
}
export HOLDS_TOKENS=$PWD/$TOKENS
# The same attempts straight to reservation-service, with the identity headers the gateway sets.
IDS=$OUT/holds-ids.txt
python3 -c 'import base64,json,sys
for line in open(sys.argv[1]):
    user, jwt = line.split(); p = jwt.split(".")[1]
    print(user, json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)))["jti"])' "$TOKENS" > "$IDS"
DIRECT=(HOLDS_TOKENS="$PWD/$IDS" HOLDS_DIRECT=1 LOAD_BASE_URL=http://127.0.0.1:8083)
DRIVER=$(find ~/.m2/repository/com/mysql/mysql-connector-j -name 'mysql-connector-j-*.jar' | sort | tail -1)
bare() { # report name: the yardstick, the same insert in a JDBC loop on the same MariaDB
  java -cp "$DRIVER" bench/BareHoldInserts.java \
    "jdbc:mysql://127.0.0.1:$DB_PORT/?sslMode=DISABLED&allowPublicKeyRetrieval=true" 10 "${DURATION%s}" "$RAMP" > "$OUT/$1.txt"
}

answered() { # report name[, seconds counted]: attempts answered 201 or 409 per second counted (a round: DURATION)
  grep '^outcomes' "$OUT/$1.txt" | awk -v s="${2:-${DURATION%s}}" '{split($2,a,"="); split($3,b,"="); split($4,c,"="); printf "%.0f", (a[2]+b[2]+c[2])/s}'
}

# JIT warm-up, both paths. A freshly started gateway and service need minutes of load before their
# CPU per request settles: at 1,000 clients the compiler threads get a small share of the 2 cores,
# and 50-80 methods stayed queued for compilation in the gateway and in reservation-service for the
# first two to three minutes, while the rate through the gateway rose from about 500 to 2,300/s
# (docs/performance.md, Holds). So the warm-up goes on in steps until the compilers have caught up:
# no more than 5 methods queued in the two together, sampled twice during a step, after at least
# BENCH_WARMUP_MIN and at most BENCH_WARMUP_MAX seconds.
STEP=${BENCH_WARMUP_STEP:-60}
WARMUP_MIN=${BENCH_WARMUP_MIN:-240}
WARMUP_MAX=${BENCH_WARMUP_MAX:-720}
compile_queue() { # methods waiting for the JIT in the gateway and reservation-service right now
  local pid queued=0
  for pid in $(pgrep -f 'target/(aot/)?(gateway|reservation-service)\.jar'); do
    queued=$((queued + $(jcmd "$pid" Compiler.queue 2>/dev/null | grep -cE '^[0-9]+ ' || true)))
  done
  echo "$queued"
}
WARMUP=0 WARMUP_STEPS=()
while :; do
  step=holds-warmup.$((${#WARMUP_STEPS[@]} + 1))
  # Sampled while Gatling's load runs (it starts some seconds after the call, once Maven has).
  (sleep $((STEP / 2)); compile_queue; sleep $((STEP / 3)); compile_queue) > "$OUT/$step.queue" &
  gatling "$step" HOLDS_SECONDS="${STEP}s"
  wait $! || true
  queued=$(sort -n "$OUT/$step.queue" | tail -1)
  WARMUP=$((WARMUP + STEP)) WARMUP_STEPS+=("$(answered "$step" "$STEP")/s ($queued queued)")
  echo "warm-up through the gateway: ${WARMUP}s, last ${STEP}s ${WARMUP_STEPS[-1]}"
  [ "$WARMUP" -ge "$WARMUP_MAX" ] && break
  [ "$WARMUP" -ge "$WARMUP_MIN" ] && [ "$queued" -le 5 ] && break
done
gatling holds-direct-warmup HOLDS_SECONDS=20s "${DIRECT[@]}"

# Then rounds taken in turns (gateway, direct, bare), each figure the median of its rounds: the
# services keep getting faster for a while, and whichever path ran later would otherwise gain.
ROUNDS=${BENCH_ROUNDS:-3}
# Each measured run starts on a quiet machine (bench/stack.sh, settle): the bare loop's rate moved
# between 749 and 2,821/s across rounds when it began while the stack was still busy with the round
# before it (docs/performance.md, Holds).
quiet() { settle 60 > "$OUT/$1.settle"; }
for round in $(seq 1 "$ROUNDS"); do
  measured=(HOLDS_SECONDS=$((RAMP + ${DURATION%s}))s HOLDS_MEASURE_AFTER="${RAMP}s")
  quiet "holds.$round"; gatling "holds.$round" "${measured[@]}"
  quiet "holds-direct.$round"; gatling "holds-direct.$round" "${measured[@]}" "${DIRECT[@]}"
  quiet "holds-bare.$round"; bare "holds-bare.$round"
done

stat() { # report name, label of a line of Gatling's "Global Information": its Total column
  awk -F'|' -v label="$2" 'index($1, label) {gsub(/[ ,]/, "", $2); print $2}' "$OUT/$1.txt" | tail -1
}
bare_rate() { sed -E 's/.*rate=([0-9]+).*/\1/' "$OUT/$1.txt"; }
median() { sort -n | awk '{v[NR]=$1} END {printf "%.0f\n", (NR % 2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }
rounds_of() { # function, report name prefix: that figure of every round, one per line
  for round in $(seq 1 "$ROUNDS"); do "$1" "$2.$round"; echo; done | grep .
}
through=$(rounds_of answered holds | median)
straight=$(rounds_of answered holds-direct | median)
bare_median=$(rounds_of bare_rate holds-bare | median)
# Open loop: attempts arriving at half the measured rate of each path whatever the answers' latency (Gatling's
# constantUsersPerSec, connections shared), each run OPEN_SECONDS long: what a buyer waits at that rate. A closed
# loop of 1,000 clients cannot show it (at 2,800 answers/s they wait about 360 ms on average, Little's law).
OPEN_SECONDS=${BENCH_OPEN_SECONDS:-30}
quiet holds-open; gatling holds-open HOLDS_RATE=$((through / 2)) HOLDS_SECONDS="${OPEN_SECONDS}s"
quiet holds-direct-open; gatling holds-direct-open HOLDS_RATE=$((straight / 2)) HOLDS_SECONDS="${OPEN_SECONDS}s" "${DIRECT[@]}"
row() { # label, report name[, seconds counted]
  echo "| $1 | $(stat "$2" "mean throughput (rps)") | $(answered "$2" "${3:-}") | $(stat "$2" "50th percentile")ms | $(stat "$2" "99th percentile")ms | $(grep '^outcomes' "$OUT/$2.txt" | cut -d' ' -f2-) | $(cat "$OUT/$2.settle") |"
}
{
  echo "# Hold benchmark, $(date -u +%FT%TZ)"
  echo
  echo "Gatling $CLIENTS virtual users, $ROUNDS rounds per path in turns, each counting the attempts answered in $DURATION after a ${RAMP}s ramp"
  echo "(Gatling's requests/s and percentiles cover the whole run, ramp included), after a ${WARMUP}s warm-up through the gateway"
  echo "(${STEP}s steps: $(IFS=,; echo "${WARMUP_STEPS[*]}" | sed 's/,/, /g'); attempts answered, most methods queued for the JIT)"
  echo "and 20s straight to the service;"
  echo "schedule $SCHEDULE (50 seats), hold TTL $RESERVATION_HOLD_TTL, token active TTL $QUEUE_ACTIVE_TTL;"
  echo "JVM flags ${STACK_JVM_OPTS:-per service (local-stack defaults)}; rate limits off; $(nproc) cores; $(bin/java -version 2>&1 | head -1)"
  echo
  echo "| run | requests/s | answered 201/409 per s | p50 | p99 | outcomes | before it |"
  echo "|---|---|---|---|---|---|---|"
  for round in $(seq 1 "$ROUNDS"); do
    row "round $round: R1 through the gateway, $CLIENTS clients" "holds.$round"
    row "round $round: R1 straight to reservation-service, $CLIENTS clients" "holds-direct.$round"
    echo "| round $round: bare JDBC insert loop, 10 connections | $(bare_rate "holds-bare.$round") | $(bare_rate "holds-bare.$round") | - | - | $(cut -d' ' -f2-3 "$OUT/holds-bare.$round.txt") | $(cat "$OUT/holds-bare.$round.settle") |"
  done
  echo
  echo "Medians of the rounds, attempts answered 201 or 409 per second:"
  echo
  echo "| path | answered per s | / bare |"
  echo "|---|---|---|"
  echo "| R1 through the gateway | $through | $(awk -v a="$through" -v b="$bare_median" 'BEGIN {printf "%.2f", a/b}') |"
  echo "| R1 straight to reservation-service | $straight | $(awk -v a="$straight" -v b="$bare_median" 'BEGIN {printf "%.2f", a/b}') |"
  echo "| bare JDBC insert loop | $bare_median | 1 |"
  echo
  echo "Open loop, attempts arriving at half the median rate of each path for ${OPEN_SECONDS}s:"
  echo
  echo "| run | requests/s | answered 201/409 per s | p50 | p99 | outcomes | before it |"
  echo "|---|---|---|---|---|---|---|"
  row "R1 through the gateway, $((through / 2)) arrivals/s" holds-open "$OPEN_SECONDS"
  row "R1 straight to reservation-service, $((straight / 2)) arrivals/s" holds-direct-open "$OPEN_SECONDS"
  echo
  echo "(outcomes other than created, seat_unavailable and reservation_limit are mostly 503 SERVICE_UNAVAILABLE, see docs/performance.md)"
  echo "Gatling reports: $REPORTS/holds.<round>/index.html, $REPORTS/holds-direct.<round>/index.html"
} | tee "$OUT/holds.md"

#!/usr/bin/env bash
# Hold benchmark (a measurement, not a test): starts queue-service, concert-service,
# reservation-service and the gateway on the embedded infrastructure, admits 1,000 users, and has
# them compete for the 50 seats of one schedule through the gateway with Gatling (load-tests'
# HoldsSimulation: 1,000 virtual users, one keep-alive connection each, one or two random seats per
# attempt; holds last 2 s so seats keep cycling), then straight to reservation-service. Next to it,
# in the same run on the same MariaDB, the bare database operation: a JDBC loop doing the same
# insert. Figures go to target/bench/holds.md, Gatling's HTML reports under target/bench/gatling/.
# See docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${BENCH_DURATION:-20s}
CLIENTS=${BENCH_CLIENTS:-1000}
OUT=target/bench
mkdir -p "$OUT"

if [ "${SKIP_BUILD:-}" != "1" ]; then ./mvnw -B -q -DskipTests install; fi

export STACK_SERVICES=queue-service,concert-service,reservation-service,gateway
export RATE_LIMIT_ENABLED=false          # the benchmark measures throughput, not the limiter
export QUEUE_ADMIT_PER_SECOND=2000 QUEUE_MAX_ACTIVE=100000
export RESERVATION_HOLD_TTL=${RESERVATION_HOLD_TTL:-2s} RESERVATION_EXPIRY_GRACE=0s
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
gatling holds-warmup HOLDS_SECONDS="${BENCH_WARMUP:-30s}"
gatling holds HOLDS_SECONDS="$DURATION"

# The same attempts straight to reservation-service, with the identity headers the gateway sets.
IDS=$OUT/holds-ids.txt
python3 -c 'import base64,json,sys
for line in open(sys.argv[1]):
    user, jwt = line.split(); p = jwt.split(".")[1]
    print(user, json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)))["jti"])' "$TOKENS" > "$IDS"
gatling holds-direct HOLDS_SECONDS="$DURATION" HOLDS_TOKENS="$PWD/$IDS" HOLDS_DIRECT=1 LOAD_BASE_URL=http://127.0.0.1:8083

DRIVER=$(find ~/.m2/repository/com/mysql/mysql-connector-j -name 'mysql-connector-j-*.jar' | sort | tail -1)
SECONDS_BARE=${DURATION%s}
java -cp "$DRIVER" bench/BareHoldInserts.java \
  "jdbc:mysql://127.0.0.1:$DB_PORT/?sslMode=DISABLED&allowPublicKeyRetrieval=true" 10 "$SECONDS_BARE" > "$OUT/holds-bare.txt"

stat() { # run name, label of a line of Gatling's "Global Information": its Total column
  awk -F'|' -v label="$2" 'index($1, label) {gsub(/[ ,]/, "", $2); print $2}' "$OUT/$1.txt" | tail -1
}
row() { # label, report name: attempts/s, answered (201 or 409) per second, p50, p99, outcomes
  local rps p50 p99 outcomes answered secs
  rps=$(stat "$2" "mean throughput (rps)")
  p50=$(stat "$2" "50th percentile")ms
  p99=$(stat "$2" "99th percentile")ms
  outcomes=$(grep '^outcomes' "$OUT/$2.txt" | cut -d' ' -f2-)
  secs=${DURATION%s}
  answered=$(echo "$outcomes" | awk -v s="$secs" '{split($1,a,"="); split($2,b,"="); split($3,c,"="); printf "%.0f", (a[2]+b[2]+c[2])/s}')
  echo "| $1 | $rps | $answered | $p50 | $p99 | $outcomes |"
}
rps=$(stat holds-direct "mean throughput (rps)")
bare=$(sed -E 's/.*rate=([0-9]+).*/\1/' "$OUT/holds-bare.txt")
bare_detail=$(cut -d' ' -f2-3 "$OUT/holds-bare.txt")
{
  echo "# Hold benchmark, $(date -u +%FT%TZ)"
  echo
  echo "Gatling $CLIENTS virtual users for $DURATION after a ${BENCH_WARMUP:-30s} warm-up, schedule $SCHEDULE (50 seats), hold TTL $RESERVATION_HOLD_TTL;"
  echo "JVM flags ${STACK_JVM_OPTS:-per service (local-stack defaults)}; rate limits off; $(nproc) cores; $(java -version 2>&1 | head -1)"
  echo
  echo "| scenario | requests/s | answered 201/409 per s | p50 | p99 | outcomes |"
  echo "|---|---|---|---|---|---|"
  row "R1 through the gateway, $CLIENTS clients" holds
  row "R1 straight to reservation-service, $CLIENTS clients" holds-direct
  echo "| bare JDBC insert loop, 10 connections | $bare | $bare | - | - | $bare_detail |"
  echo
  echo "straight-to-service/bare ratio: $(awk -v g="$rps" -v d="$bare" 'BEGIN {printf "%.2f", g/d}')"
  echo "(other = neither 201 nor 409: 503 SERVICE_UNAVAILABLE, see docs/performance.md)"
  echo "Gatling reports: $REPORTS/holds/index.html, $REPORTS/holds-direct/index.html"
} | tee "$OUT/holds.md"

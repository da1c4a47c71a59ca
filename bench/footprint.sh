#!/usr/bin/env bash
# Footprint benchmark (a measurement, not a test): starts the whole suite on the embedded
# infrastructure with the services' JVM flags (local-stack's per-service defaults, or STACK_JVM_OPTS), and reports the time until every
# service is ready, each service's resident memory (RSS) once idle, and again at the end of a
# minute of load through the gateway (status polls and seat maps with wrk, at once).
# Figures go to target/bench/footprint.md.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=target/bench
IDLE_SECONDS=${BENCH_IDLE_SECONDS:-30}
LOAD=${BENCH_LOAD_DURATION:-60s}
mkdir -p "$OUT"

command -v wrk >/dev/null || { echo "installing wrk (Debian package)"; apt-get install -y -q wrk >/dev/null; }
if [ "${SKIP_BUILD:-}" != "1" ]; then ./mvnw -B -q -DskipTests install; fi

unset STACK_SERVICES
export RATE_LIMIT_ENABLED=false QUEUE_ADMIT_PER_SECOND=1000 QUEUE_MAX_ACTIVE=100000
. bench/stack.sh
LOG=$OUT/footprint-stack.log
start_stack "$LOG"
UP=$(sed -nE 's/.*The suite is up after ([0-9]+) s.*/\1/p' "$LOG")

# module pid, from the launcher's "Started <module> (pid N)" lines
PIDS=$(sed -nE 's/.*Started ([a-z-]+) \(pid ([0-9]+)\).*/\1 \2/p' "$LOG")
rss_mb() { awk '/^VmRSS/ {printf "%.0f", $2/1024}' "/proc/$1/status"; }
sample() { echo "$PIDS" | while read -r module pid; do echo "$module $(rss_mb "$pid")"; done; }

sleep "$IDLE_SECONDS" # let start-up garbage be collected and the schedulers settle
IDLE=$(sample)

GW=http://127.0.0.1:8080
TOKEN=$(curl -s -X POST -H 'Content-Type: application/json' -d '{"userId": 1}' $GW/api/v1/queue/tokens | sed -E 's/.*"token":"([^"]+)".*/\1/')
for _ in $(seq 1 30); do
  curl -s -H "Queue-Token: $TOKEN" $GW/api/v1/queue/status | grep -q '"ACTIVE"' && break
  sleep 1
done
SCHEDULE=$(curl -s -H "Queue-Token: $TOKEN" $GW/api/v1/concerts/1/schedules \
  | python3 -c 'import json,sys; print(json.load(sys.stdin)["schedules"][0]["scheduleId"])')
wrk -t1 -c16 -d"$LOAD" -H "Queue-Token: $TOKEN" $GW/api/v1/queue/status > "$OUT/footprint-polls.txt" 2>&1 &
POLLS=$!
wrk -t1 -c16 -d"$LOAD" -H "Queue-Token: $TOKEN" "$GW/api/v1/concerts/1/schedules/$SCHEDULE/seats" > "$OUT/footprint-seats.txt" 2>&1 &
SEATS=$!
wait $POLLS $SEATS
LOADED=$(sample)

{
  echo "# Footprint, $(date -u +%FT%TZ)"
  echo
  echo "JVM flags ${STACK_JVM_OPTS:-per service (local-stack defaults)}, AOT cache (STACK_AOT) ${STACK_AOT:-on from Java 25}; $(nproc) cores; $(bin/java -version 2>&1 | head -1)"
  echo
  echo "Stack healthy (database, broker and five services ready) after $UP s (goal: within 30 s, issue 28)."
  echo
  echo "| service | RSS idle, MB (after ${IDLE_SECONDS} s) | RSS after $LOAD of load, MB | goal idle |"
  echo "|---|---|---|---|"
  join <(echo "$IDLE" | sort) <(echo "$LOADED" | sort) | while read -r module idle loaded; do
    echo "| $module | $idle | $loaded | under 300 |"
  done
  echo
  echo "Load: wrk -t1 -c16 status polls and wrk -t1 -c16 seat maps through the gateway, at once:"
  echo "$(awk '/Requests\/sec/ {print $2}' "$OUT/footprint-polls.txt") polls/s and $(awk '/Requests\/sec/ {print $2}' "$OUT/footprint-seats.txt") seat maps/s."
} | tee "$OUT/footprint.md"

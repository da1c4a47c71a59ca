#!/usr/bin/env bash
# Scale benchmark (a measurement, not a test): for each instance count in BENCH_REPLICAS (default
# "1 2"), starts the whole suite with that many instances of every service (HAProxy in front of
# several gateways, as an Ingress), drives the same loads through the gateway's port, and reports
# per load the requests answered per second and the CPU time each service spent per request, all of
# its instances together (user + system, /proc/<pid>/stat), with MariaDB, the broker (in the
# launcher's JVM) and HAProxy beside them. CPU per request is what carries from this 2-core machine
# to a cluster: throughput cannot double on 2 cores, whatever the instance count.
#
# Loads, each a warm-up (BENCH_WARMUP, not counted) then a measured run (BENCH_DURATION), wrk with
# BENCH_CONNECTIONS connections, rate limits off:
# - joins: Q1 with a new user each (bench/join.lua);
# - polls: Q2 by 2,000 waiting users, each request a token of its own (bench/poll.lua);
# - seat map: C3 of one date with an admitted token (the ACTIVE status comes from the gateway's cache);
# - holds: R1 by 1,000 admitted users on the 50 seats of one date, one or two seats each, holds of
#   10 s so seats keep coming free (bench/hold.lua): mostly 409, some 201;
# - purchases: whole journeys (join, charge, wait for admission, hold one seat, pay) started at
#   BENCH_SAGA_RATE per second by bench/SagaLatency.java, BENCH_SAGA_JOURNEYS of them after
#   BENCH_SAGA_WARMUP journeys that are not counted, with every
#   consumer's work (seat map, pending payment, confirmation, token end) in the CPU counted.
# First, what each kind of process burns with no load at all (BENCH_IDLE_SECONDS, 30): relay polls, consumer
# polls, health checks, ticks. The CPU per request is given as measured and net of that idle rate over the
# measured seconds: on 2 cores, eleven JVMs idling is a real share of a load's CPU, and in a cluster that idle
# cost is paid once per pod, not per request.
# With each load, the database rows it wrote, updated and deleted and the transactions it committed,
# per request (MariaDB's own counters, bench/DbStatus.java), counted once its events were consumed.
# Figures go to target/bench/scale.md (BENCH_REPORT_ONLY=1 writes it again from the runs kept under
# target/bench/scale-<n>). See docs/scaling.md.
set -euo pipefail
cd "$(dirname "$0")/.."
REPLICAS=${BENCH_REPLICAS:-"1 2"}
WARMUP=${BENCH_WARMUP:-60s}
DURATION=${BENCH_DURATION:-30s}
CONNECTIONS=${BENCH_CONNECTIONS:-64}
SAGA_RATE=${BENCH_SAGA_RATE:-20}
SAGA_JOURNEYS=${BENCH_SAGA_JOURNEYS:-300}
SAGA_WARMUP=${BENCH_SAGA_WARMUP:-200}
OUT=target/bench
mkdir -p "$OUT"

if [ "${SKIP_BUILD:-}" != "1" ]; then ./mvnw -B -q -DskipTests install; fi
command -v wrk > /dev/null || { echo "installing wrk (Debian package)"; apt-get install -y -q wrk > /dev/null; }
if [ "$REPLICAS" != "1" ] && ! [ -x /usr/sbin/haproxy ]; then
  echo "installing haproxy (Debian package)"; apt-get install -y -q haproxy > /dev/null
fi

unset STACK_SERVICES
export RATE_LIMIT_ENABLED=false                       # the benchmark measures the services, not the limiter
export QUEUE_ADMIT_PER_SECOND=5000 QUEUE_MAX_ACTIVE=1000000
export QUEUE_ACTIVE_TTL=60m QUEUE_WAITING_TIMEOUT=60m # nobody is let go while the loads run
# Holds end soon, so seats keep coming free for the hold attempts; long enough, with the usual grace, for every
# purchase to be paid in time (with 3 s and no grace, payments late under load were refunded and never confirmed).
export RESERVATION_HOLD_TTL=10s RESERVATION_EXPIRY_GRACE=5s
DB_PORT=${DB_PORT:-3306}
GW=http://127.0.0.1:8080
QUEUE_ADMIN=http://127.0.0.1:9081/actuator/queue
TICKS=$(getconf CLK_TCK)
. bench/stack.sh

# One line per process of the stack: pid, what it is, CPU ticks used so far.
cpu_snapshot() {
  local pid what
  for pid in $(pgrep -f 'target/(aot/)?[a-z-]+\.jar') $(pgrep -x mariadbd || true) $(pgrep -x haproxy || true); do
    what=$(tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -oE '[a-z-]+-exec\.jar|[a-z-]+\.jar|mariadbd|haproxy' | head -1) || continue
    case $what in
      local-stack-exec.jar) what="kafka (in the launcher)" ;;
      *.jar) what=${what%.jar} ;;
    esac
    echo "$pid $what $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)"
  done
}

# $1 = load name, $2 = requests answered, $3/$4 = snapshots before/after, $5 = seconds between them: one line
# per process kind: name|kind|processes|CPU ms per request, all its instances together|the same net of what the
# kind burns when idle over those seconds ($RUN/idle: relay polls, consumer polls, health checks, ticks).
cpu_rows() {
  local name=$1 requests=$2 before=$3 after=$4 seconds=$5
  awk -v name="$name" -v r="$requests" -v t="$TICKS" -v s="$seconds" '
    FILENAME ~ /idle$/ { split($0, f, "|"); idle[f[1]] = f[2]; next }
    FILENAME == ARGV[2] { start[$1] = $NF; next }
    ($1 in start) { kind = $2; for (i = 3; i < NF; i++) kind = kind " " $i; used[kind] += $NF - start[$1]; n[kind]++ }
    END { for (k in used) {
            gross = used[k] / t; net = gross - idle[k] * s; if (net < 0) net = 0
            printf "%s|%s|%d|%.3f|%.3f\n", name, k, n[k], gross * 1000 / r, net * 1000 / r } }' \
    "$RUN/idle" "$before" "$after" | sort
}

since() { awk -v t0="$1" -v t1="$(date +%s.%N)" 'BEGIN {printf "%.3f", t1 - t0}'; } # seconds since $1 (date +%s.%N)

# What each process kind burns with no load at all, in cores: $RUN/idle, kind|cores.
idle() {
  settle 60 > /dev/null
  cpu_snapshot > "$RUN/idle.cpu-before"
  local t0; t0=$(date +%s.%N)
  sleep "${BENCH_IDLE_SECONDS:-30}"
  cpu_snapshot > "$RUN/idle.cpu-after"
  awk -v t="$TICKS" -v s="$(since "$t0")" '
    NR == FNR { start[$1] = $NF; next }
    ($1 in start) { kind = $2; for (i = 3; i < NF; i++) kind = kind " " $i; used[kind] += $NF - start[$1] }
    END { for (k in used) printf "%s|%.4f\n", k, used[k] / t / s }' "$RUN/idle.cpu-before" "$RUN/idle.cpu-after" | sort > "$RUN/idle"
}

DRIVER=$(find ~/.m2/repository/com/mysql/mysql-connector-j -name 'mysql-connector-j-*.jar' | sort | tail -1)
db_status() { java -cp "$DRIVER" bench/DbStatus.java "jdbc:mysql://127.0.0.1:$DB_PORT"; }

# $1 = load name, $2 = requests, $3/$4 = database counters before/after: rows inserted, updated, deleted and
# commits per request.
db_row() {
  read -r i0 u0 d0 c0 < "$3"; read -r i1 u1 d1 c1 < "$4"
  awk -v n="$1" -v r="$2" -v i=$((i1 - i0)) -v u=$((u1 - u0)) -v d=$((d1 - d0)) -v c=$((c1 - c0)) \
    'BEGIN {printf "%s|%.2f|%.2f|%.2f|%.2f\n", n, i / r, u / r, d / r, c / r}' >> "$RUN/db"
}

# $1 = load name, then wrk arguments: a warm-up run, then the measured run with the CPU and database rows it
# cost (work left over from the warm-up is let finish first: settle).
load() {
  local name=$1; shift
  wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" "$@" > "$RUN/$name.warmup.txt" 2>&1
  settle 30 > /dev/null
  db_status > "$RUN/$name.db-before"
  cpu_snapshot > "$RUN/$name.cpu-before"
  local t0; t0=$(date +%s.%N)
  wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$@" > "$RUN/$name.txt" 2>&1
  cpu_snapshot > "$RUN/$name.cpu-after"
  local seconds; seconds=$(since "$t0")
  settle 30 > /dev/null # the events of the run are consumed: their rows belong to it
  db_status > "$RUN/$name.db-after"
  local requests rps non2xx p99
  requests=$(awk '/requests in/ {print $1}' "$RUN/$name.txt")
  db_row "$name" "$requests" "$RUN/$name.db-before" "$RUN/$name.db-after"
  rps=$(awk '/Requests\/sec/ {printf "%.0f", $2}' "$RUN/$name.txt")
  non2xx=$(awk '/Non-2xx/ {print $5}' "$RUN/$name.txt"); non2xx=${non2xx:-0}
  p99=$(awk '$1 == "99%" {print $2}' "$RUN/$name.txt")
  echo "$name|$rps|$p99|$non2xx" >> "$RUN/rates"
  cpu_rows "$name" "$requests" "$RUN/$name.cpu-before" "$RUN/$name.cpu-after" "$seconds" >> "$RUN/cpu"
}

join_one() { # $1 = user id: prints its token. A join answered 503 (a busy machine missing the gateway's join
  # time limit) is made again, as a client would, up to 5 times.
  local token
  for _ in 1 2 3 4 5; do
    token=$(curl -s -X POST -H 'Content-Type: application/json' -d "{\"userId\": $1}" "$GW/api/v1/queue/tokens" \
      | grep -o '"token":"[^"]*"' | cut -d'"' -f4)
    [ -n "$token" ] && { echo "$token"; return 0; }
    sleep 1
  done
}
export -f join_one
export GW
join_users() { # $1 = first user id, $2 = how many: prints one token a line
  seq "$1" $(($1 + $2 - 1)) | xargs -P 16 -I{} bash -c 'join_one {}'
}

measure() { # $1 = instances of every service: the loads on a stack of that many, into $OUT/scale-$1
  local replicas=$1
  RUN=$OUT/scale-$replicas
  rm -rf "$RUN"; mkdir -p "$RUN"
  export STACK_REPLICAS=$replicas
  start_stack "$RUN/stack.log"
  echo "== $replicas instance(s) of every service: $(grep -o 'The suite is up after [0-9]* s' "$RUN/stack.log")"
  idle

  load joins -s bench/join.lua $GW

  curl -s -X POST -H 'Content-Type: application/json' -d '{"paused": true}' $QUEUE_ADMIN > /dev/null
  join_users 2000000000001 2000 > "$RUN/poll-tokens.txt"
  [ "$(wc -l < "$RUN/poll-tokens.txt")" = 2000 ] || { echo "could not get 2000 tokens for the polls"; exit 1; }
  POLL_TOKENS=$PWD/$RUN/poll-tokens.txt load polls -s bench/poll.lua $GW
  curl -s -X POST -H 'Content-Type: application/json' -d '{"paused": false}' $QUEUE_ADMIN > /dev/null

  join_users 3000000000001 1000 > "$RUN/hold-tokens.txt"
  [ "$(wc -l < "$RUN/hold-tokens.txt")" = 1000 ] || { echo "could not get 1000 tokens for the holds"; exit 1; }
  TOKEN=$(tail -1 "$RUN/hold-tokens.txt")
  for _ in $(seq 1 60); do
    curl -s -H "Queue-Token: $TOKEN" $GW/api/v1/queue/status | grep -q '"ACTIVE"' && break
    sleep 1
  done
  sleep 2
  load seat-map -H "Queue-Token: $TOKEN" $GW/api/v1/concerts/1/schedules/1/seats
  HOLD_TOKENS=$PWD/$RUN/hold-tokens.txt HOLD_SCHEDULE=1 load holds -s bench/hold.lua $GW

  # Warm-up journeys first, in a run of their own (the payment and consumer paths are cold until now: without it,
  # a purchase cost three times the CPU it costs warm, and some charges and payments missed their time limits).
  timeout 900 java -cp "$DRIVER" bench/SagaLatency.java $GW "jdbc:mysql://127.0.0.1:$DB_PORT" "$SAGA_RATE" 0 "$SAGA_WARMUP" journeys \
    "$SAGA_RATE" 1 "$SAGA_RATE" > "$RUN/purchases.warmup.txt" 2>&1 || { tail -20 "$RUN/purchases.warmup.txt"; exit 1; }
  settle 60 > /dev/null
  db_status > "$RUN/purchases.db-before"
  cpu_snapshot > "$RUN/purchases.cpu-before"
  start=$(date +%s.%N)
  timeout 900 java -cp "$DRIVER" bench/SagaLatency.java $GW "jdbc:mysql://127.0.0.1:$DB_PORT" "$SAGA_RATE" 0 "$SAGA_JOURNEYS" journeys \
    "$SAGA_RATE" 1 "$SAGA_RATE" > "$RUN/purchases.txt" 2>&1 || { tail -20 "$RUN/purchases.txt"; exit 1; }
  cpu_snapshot > "$RUN/purchases.cpu-after"
  seconds=$(since "$start")
  settle 30 > /dev/null
  db_status > "$RUN/purchases.db-after"
  # "measured (...): <paid> of <started> paid in ..."
  paid=$(sed -nE 's/^measured .*\): ([0-9]+) of [0-9]+ paid.*/\1/p' "$RUN/purchases.txt")
  [ -n "$paid" ] && [ "$paid" -gt 0 ] || { echo "no purchase was paid"; cat "$RUN/purchases.txt"; exit 1; }
  echo "purchases|$(awk -v p="$paid" -v s="$seconds" 'BEGIN {printf "%.1f", p / s}')|-|-" >> "$RUN/rates"
  cpu_rows purchases "$paid" "$RUN/purchases.cpu-before" "$RUN/purchases.cpu-after" "$seconds" >> "$RUN/cpu"
  db_row purchases "$paid" "$RUN/purchases.db-before" "$RUN/purchases.db-after"

  kill -TERM $STACK; wait $STACK 2>/dev/null || true
  trap - EXIT
}

if [ "${BENCH_REPORT_ONLY:-}" != "1" ]; then
  for replicas in $REPLICAS; do
    measure "$replicas"
  done
fi

# One table row per load: $1 = the loads' file name in each run directory, $2 = an awk program printing the
# cells of the row's line ($0, fields split on |) for one instance count.
per_load() {
  local file=$1 cells=$2 name r
  for name in joins polls seat-map holds purchases; do
    printf '| %s |' "$name"
    for r in $REPLICAS; do
      awk -F'|' -v n="$name" "\$1 == n {$cells}" "$OUT/scale-$r/$file"
    done
    echo
  done
}
columns() { # the header's instance columns, $1 = what each holds
  echo "$(for r in $REPLICAS; do printf '%s instance(s)%s | ' "$r" "$1"; done)"
  echo "|---|$(for r in $REPLICAS; do printf -- '---|'; done)"
}

{
  echo "# Scale benchmark, $(date -u +%FT%TZ)"
  echo
  echo "Instances of every service: $REPLICAS. wrk -t2 -c$CONNECTIONS, $WARMUP warm-up then $DURATION measured per load;"
  echo "purchases: $SAGA_JOURNEYS whole journeys started at $SAGA_RATE/s after $SAGA_WARMUP not counted (their rate: paid per second"
  echo "of the run, including its wait for the last sagas to settle); rate limits off; $(nproc) cores; $(bin/java -version 2>&1 | head -1)"
  echo
  echo "## Requests answered per second (p99, non-2xx answers)"
  echo
  echo "| load | $(columns "" | head -1)"; columns "" | tail -1
  per_load rates 'printf " %s/s (p99 %s, %s non-2xx) |", $2, $3, $4'
  echo
  echo "## Idle: cores each kind of process burns with no load (all its instances)"
  echo
  echo "| process | $(columns "" | head -1)"; columns "" | tail -1
  cut -d'|' -f1 "$OUT"/scale-*/idle | sort -u | while read -r what; do
    printf '| %s |' "$what"
    for r in $REPLICAS; do
      awk -F'|' -v w="$what" '$1 == w {printf " %s |", $2; found = 1} END {if (!found) printf " - |"}' "$OUT/scale-$r/idle"
    done
    echo
  done
  echo
  echo "## CPU ms per request, per service (all its instances together): measured / net of idle (processes)"
  echo
  echo "| load | process | $(columns "" | head -1)"; echo "|---$(columns "" | tail -1)"
  cut -d'|' -f1,2 "$OUT"/scale-*/cpu | sort -u | while IFS='|' read -r name what; do
    printf '| %s | %s |' "$name" "$what"
    for r in $REPLICAS; do
      awk -F'|' -v n="$name" -v w="$what" '$1 == n && $2 == w {printf " %s / %s (%s) |", $4, $5, $3; found = 1} END {if (!found) printf " - |"}' "$OUT/scale-$r/cpu"
    done
    echo
  done
  echo
  echo "## Database rows written and commits per request (all schemas; the purchases include every consumer's)"
  echo
  echo "Handler counters (MariaDB 11 keeps no InnoDB row counters): writes include internal temporary tables."
  echo
  echo "| load | $(columns ": written / updated / deleted / commits" | head -1)"; columns "" | tail -1
  per_load db 'printf " %s / %s / %s / %s |", $2, $3, $4, $5'
} | tee "$OUT/scale.md"
echo "written to $OUT/scale.md"

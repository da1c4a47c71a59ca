#!/usr/bin/env bash
# Saga latency benchmark (a measurement, not a test): starts the whole suite on the embedded
# infrastructure and runs complete journeys (join, charge, admitted, reserve one seat, pay) through
# the gateway; then reports, per payment, the time from its 201 until the reservation is
# CONFIRMED, the seat SOLD in concert-service and the token EXPIRED (p50, p90, p99, max), and runs
# the invariant checker over every schema. Figures go to target/bench/saga.md.
#
# First BENCH_WARMUP_JOURNEYS journeys at BENCH_WARMUP_RATE per second warm the JVMs up. Then
# BENCH_ROUNDS rounds of BENCH_JOURNEYS measured journeys each, either (BENCH_MODE=payments, the
# default) taken up to their hold at BENCH_PREPARE_RATE per second and then paid at BENCH_RATE
# payments per second, or (BENCH_MODE=journeys) started whole at BENCH_RATE per second. Every round
# gets a line; the last, on JVMs that have run the saga's paths for a while, is the figure reported
# with its time by step. The first shows what a stack that has just started gives. See
# docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
RATE=${BENCH_RATE:-50}
MODE=${BENCH_MODE:-payments}
WARMUP=${BENCH_WARMUP_JOURNEYS:-300}
WARMUP_RATE=${BENCH_WARMUP_RATE:-4}
MEASURED=${BENCH_JOURNEYS:-600}
ROUNDS=${BENCH_ROUNDS:-4}
PREPARE_RATE=${BENCH_PREPARE_RATE:-15}
OUT=target/bench
mkdir -p "$OUT"

if [ "${SKIP_BUILD:-}" != "1" ]; then ./mvnw -B -q -DskipTests install; fi

unset STACK_SERVICES
export RATE_LIMIT_JOIN_PER_SECOND=1000 RATE_LIMIT_JOIN_BURST=1000  # every journey joins from this one address
export QUEUE_ADMIT_PER_SECOND=200 QUEUE_MAX_ACTIVE=100000
DB_PORT=${DB_PORT:-3306}
. bench/stack.sh
start_stack "$OUT/saga-stack.log"

DRIVER=$(find ~/.m2/repository/com/mysql/mysql-connector-j -name 'mysql-connector-j-*.jar' | sort | tail -1)
java -cp "$DRIVER" bench/SagaLatency.java http://127.0.0.1:8080 "jdbc:mysql://127.0.0.1:$DB_PORT" \
  "$RATE" "$WARMUP" "$MEASURED" "$MODE" "$WARMUP_RATE" "$ROUNDS" "$PREPARE_RATE" | tee "$OUT/saga.txt"

CHECK_DB_URL="jdbc:mysql://127.0.0.1:$DB_PORT" java -jar invariant-checker/target/invariant-checker-exec.jar \
  > "$OUT/saga-invariants.txt" 2>&1 && verdict="all hold" || verdict="BREACHED (exit $?)"
cat "$OUT/saga-invariants.txt"

{
  echo "# Saga latency benchmark, $(date -u +%FT%TZ)"
  echo
  echo "mode $MODE at $RATE/s through the gateway; $WARMUP warm-up journeys at $WARMUP_RATE/s, then $ROUNDS rounds of $MEASURED"
  echo "(taken up to their hold at $PREPARE_RATE/s in payments mode), the last round reported;"
  echo "JVM flags ${STACK_JVM_OPTS:-per service (local-stack defaults)}; $(nproc) cores; $(bin/java -version 2>&1 | head -1)"
  echo
  echo '```'
  cat "$OUT/saga.txt"
  echo '```'
  echo
  echo "Invariant checker: $verdict"
  echo
  echo '```'
  cat "$OUT/saga-invariants.txt"
  echo '```'
} > "$OUT/saga.md"
echo "written to $OUT/saga.md"

#!/usr/bin/env bash
# Every benchmark of the suite, one after the other, on this machine (measurements, not tests):
# builds once (unless SKIP_BUILD=1), then runs the outbox relay, queue and gateway (with the direct and nginx yardsticks),
# holds (against the bare JDBC insert), saga latency (with the invariant checker) and footprint
# scenarios, each starting and stopping its own stack, and gathers their Markdown reports into
# target/bench/summary.md, headed by one table of every figure, its yardstick, the ratio and the
# goal (bench/goals.py). Takes about 20 minutes after the build. See docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=target/bench
mkdir -p "$OUT"
if [ "${SKIP_BUILD:-}" != "1" ]; then ./mvnw -B -q -DskipTests install; fi
export SKIP_BUILD=1

./mvnw -B -q -pl common-messaging -Prelay-benchmark -DskipTests verify 2>&1 | tee "$OUT/relay.txt"
bench/queue-gateway.sh
bench/holds.sh
bench/saga.sh
bench/footprint.sh

{
  echo "# Benchmarks of the suite, $(date -u +%FT%TZ)"
  echo
  echo "$(nproc) cores, $(free -g | awk '/^Mem/ {print $2}') GiB; $(bin/java -version 2>&1 | head -1). Each section is one scenario's report;"
  echo "raw load-tool output is beside this file, Gatling's HTML reports under gatling/. What limits each figure: docs/performance.md."
  echo
  echo "## Every figure against its yardstick and goal"
  echo
  python3 bench/goals.py "$OUT"
  echo
  echo "## Outbox relay"
  echo
  echo '```'
  sed -n '/== Outbox relay benchmark ==/,/^$/p' "$OUT/relay.txt"
  echo '```'
  for part in queue-gateway holds saga footprint; do
    echo
    sed 's/^# /## /' "$OUT/$part.md"
  done
} > "$OUT/summary.md"
echo "written to $OUT/summary.md"

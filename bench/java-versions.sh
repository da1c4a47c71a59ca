#!/usr/bin/env bash
# Java 17, Java 25 and Java 25 with the AOT cache, side by side in one run (a measurement, not a test).
# For each: starts the whole suite as ./run.sh does (bench/stack.sh; STACK_JAVA_HOME chooses the JDK,
# STACK_AOT the cache), reads the time to a healthy stack, then puts seat maps through the gateway at once
# from the moment it is ready (wrk -c16, six steps of 10 s: the warm-up curve of fresh processes), then
# reads each service's RSS after 30 s at rest. With the AOT cache the stack is started twice: the first
# start after a build trains the caches (its time is reported), the second is measured.
# Figures go to target/bench/java-versions.md.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=target/bench
mkdir -p "$OUT"
JDK17=${BENCH_JDK17:-/usr/lib/jvm/java-17-openjdk-amd64}
JDK25=${BENCH_JDK25:-$(bin/java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.home = //p')}
command -v wrk > /dev/null || { echo "installing wrk (Debian package)"; apt-get install -y -q wrk > /dev/null; }
if [ "${SKIP_BUILD:-}" != "1" ]; then ./mvnw -B -q -DskipTests package; fi
unset STACK_SERVICES
export RATE_LIMIT_ENABLED=false QUEUE_ADMIT_PER_SECOND=1000 QUEUE_MAX_ACTIVE=100000
. bench/stack.sh
GW=http://127.0.0.1:8080

# $1 label: starts the stack, measures, stops it; appends one line per figure to $OUT/java-versions.tsv
measure() {
  local label=$1 log=$OUT/java-versions-$1.log
  ( start_stack "$log"
    up=$(sed -nE 's/.*The suite is up after ([0-9]+) s \(services ready ([0-9]+) s.*/\1 \2/p' "$log")
    trained=$(sed -nE 's/.*Training done after ([0-9]+) s.*/\1/p' "$log")
    token=$(curl -s -X POST -H 'Content-Type: application/json' -d '{"userId": 1}' $GW/api/v1/queue/tokens | sed -E 's/.*"token":"([^"]+)".*/\1/')
    for _ in $(seq 1 30); do
      curl -s -H "Queue-Token: $token" $GW/api/v1/queue/status | grep -q '"ACTIVE"' && break
      sleep 0.2
    done
    schedule=$(curl -s -H "Queue-Token: $token" $GW/api/v1/concerts/1/schedules \
      | python3 -c 'import json,sys; print(json.load(sys.stdin)["schedules"][0]["scheduleId"])')
    curve=""
    for step in 1 2 3 4 5 6; do
      rate=$(wrk -t1 -c16 -d10s -H "Queue-Token: $token" "$GW/api/v1/concerts/1/schedules/$schedule/seats" | awk '/Requests\/sec/ {printf "%.0f", $2}')
      curve="$curve $rate"
    done
    sleep 30
    rss=$(sed -nE 's/.*Started ([a-z-]+) \(pid ([0-9]+)\).*/\1 \2/p' "$log" | while read -r module pid; do
      awk -v m="$module" '/^VmRSS/ {r=$2} /^RssAnon/ {a=$2} END {printf "%s=%.0f/%.0f ", m, r/1024, a/1024}' "/proc/$pid/status"
    done)
    printf '%s\t%s\t%s\t%s\t%s\n' "$label" "$up" "${trained:--}" "$curve" "$rss" >> "$OUT/java-versions.tsv"
  )
}

rm -f "$OUT/java-versions.tsv"
STACK_JAVA_HOME=$JDK17 STACK_AOT=false measure jdk17
STACK_JAVA_HOME=$JDK25 STACK_AOT=false measure jdk25
rm -rf ./*/target/aot
STACK_JAVA_HOME=$JDK25 STACK_AOT=true measure jdk25-aot-training
STACK_JAVA_HOME=$JDK25 STACK_AOT=true measure jdk25-aot
# Compact object headers (JEP 519): 8-byte headers instead of 12; a cache is made per set of flags.
STACK_JAVA_HOME=$JDK25 STACK_AOT=true STACK_JVM_EXTRA_OPTS=-XX:+UseCompactObjectHeaders measure jdk25-aot-coh-training
STACK_JAVA_HOME=$JDK25 STACK_AOT=true STACK_JVM_EXTRA_OPTS=-XX:+UseCompactObjectHeaders measure jdk25-aot-coh

{
  echo "# Java 17, 25 and 25 with the AOT cache, $(date -u +%FT%TZ)"
  echo
  echo "$(nproc) cores; $("$JDK17/bin/java" -version 2>&1 | head -1); $("$JDK25/bin/java" -version 2>&1 | head -1); services with local-stack's per-service JVM flags."
  echo
  echo "| run | stack healthy, s | services ready after launch, s | AOT training, s | seat maps/s through the gateway, 10 s steps from ready | RSS after 30 s at rest, MB (total/anonymous) |"
  echo "|---|---|---|---|---|---|"
  while IFS=$'\t' read -r label up trained curve rss; do
    read -r stack services <<< "$up"
    echo "| $label | $stack | $services | $trained | ${curve# } | ${rss% } |"
  done < "$OUT/java-versions.tsv"
} | tee "$OUT/java-versions.md"

#!/usr/bin/env bash
# Memory at rest, and where it goes (a measurement, not a test). Starts the whole suite as ./run.sh does (JDK 25
# with the AOT cache where there is one), and after BENCH_IDLE_SECONDS at rest reads each service's RSS (total and
# anonymous: the rest is mapped files, the AOT cache among them). Then, one service at a time, starts another
# instance of it beside the stack's (bench/instance.sh: same command line and environment, other ports) with the
# JVM's native memory tracking on, and reads after the same rest, from the same process:
#   1. its RSS and the JVM's own account (jcmd VM.native_memory summary: heap, classes, threads, code, GC...);
#   2. the same after a full collection (jcmd GC.run), i.e. what the heap keeps committed only because nothing
#      has collected the old generation since the start-up;
#   3. the same after glibc returns its free native memory (jcmd System.trim_native_heap);
# and the part of the RSS that is the AOT cache's mapping (resident, and anonymous: pages the JVM wrote when it
# relocated the cache to another address). Then one more instance per set of options in BENCH_MEMORY_OPTIONS
# (sets separated by ";", each VAR=value for its environment and -X... JVM flags; default MALLOC_ARENA_MAX=2, glibc's
# per-thread allocation arenas capped at two), and its RSS at rest. Figures go to target/bench/memory.md. See
# docs/performance.md, "Memory at rest".
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=target/bench
RUN=$OUT/memory
IDLE=${BENCH_IDLE_SECONDS:-30}
IFS=';' read -r -a OPTION_SETS <<< "${BENCH_MEMORY_OPTIONS:-MALLOC_ARENA_MAX=2}"
rm -rf "$RUN"; mkdir -p "$RUN"
if [ "${SKIP_BUILD:-}" != "1" ]; then ./mvnw -B -q -DskipTests package; fi

unset STACK_SERVICES
. bench/stack.sh
. bench/instance.sh
start_stack "$RUN/stack.log"
HOME_25=$(bin/java -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.home = //p')
rss() { awk '/^VmRSS/ {r = $2} /^RssAnon/ {a = $2} END {printf "%.0f/%.0f", r / 1024, a / 1024}' "/proc/$1/status"; }
# The committed MB of the categories of a VM.native_memory summary (jcmd's text), as "name=MB ...".
nmt() {
  jcmd "$1" VM.native_memory summary scale=MB 2> /dev/null | awk '
    /^Total:/ { match($0, /committed=[0-9]+/); printf "total=%s ", substr($0, RSTART + 10, RLENGTH - 10) }
    /^-  *[A-Z][A-Za-z ]+ \(reserved=/ {
      name = $0; sub(/^- */, "", name); sub(/ *\(reserved.*/, "", name); gsub(/ /, "_", name)
      match($0, /committed=[0-9]+/); mb = substr($0, RSTART + 10, RLENGTH - 10)
      if (mb > 0) printf "%s=%s ", name, mb }'
}

# The AOT cache's mapping in a process: resident and anonymous MB ("-" without one).
aot_mapping() {
  awk '/^[0-9a-f]+-[0-9a-f]+ / {f = ($NF ~ /\.aot$/)} f && /^Rss:/ {r += $2} f && /^Anonymous:/ {a += $2}
       END {if (r) printf "%.0f/%.0f", r / 1024, a / 1024; else printf "-"}' "/proc/$1/smaps"
}

sleep "$IDLE"
PIDS=$(sed -nE 's/.*Started ([a-z-]+) \(pid ([0-9]+)\).*/\1 \2/p' "$RUN/stack.log")
echo "$PIDS" | while read -r module pid; do echo "$module|$(rss "$pid")"; done > "$RUN/stack-rss"

port=18080
echo "$PIDS" | while read -r module pid; do
  new_instance "$pid" "$HOME_25" $port $((port + 1000)) "$RUN/$module-nmt.log" -XX:NativeMemoryTracking=summary
  ready=$(ready_instance $((port + 1000))) || { echo "$module's new instance exited"; tail -30 "$RUN/$module-nmt.log"; exit 1; }
  sleep "$IDLE"
  rest="$(rss "$NEW_PID")|$(nmt "$NEW_PID")|$(aot_mapping "$NEW_PID")"
  jcmd "$NEW_PID" GC.run > /dev/null; sleep 5
  collected="$(rss "$NEW_PID")|$(nmt "$NEW_PID")"
  jcmd "$NEW_PID" System.trim_native_heap > /dev/null; sleep 5
  trimmed="$(rss "$NEW_PID")"
  stop_instance
  optioned=""
  for i in "${!OPTION_SETS[@]}"; do
    read -r -a options <<< "${OPTION_SETS[$i]}"
    new_instance "$pid" "$HOME_25" $port $((port + 1000)) "$RUN/$module-options-$i.log" "${options[@]}"
    ready_instance $((port + 1000)) > /dev/null || { echo "$module's new instance exited"; tail -30 "$RUN/$module-options-$i.log"; exit 1; }
    sleep "$IDLE"
    optioned="$optioned $(rss "$NEW_PID")"
    stop_instance
  done
  echo "$module|$ready|$rest|$collected|$trimmed|${optioned# }" | tee -a "$RUN/instances"
done

{
  echo "# Memory at rest, $(date -u +%FT%TZ)"
  echo
  echo "$(nproc) cores; $(bin/java -version 2>&1 | head -1); AOT cache: ${STACK_AOT:-default}; ${IDLE}s at rest before each reading; MB."
  echo
  columns=""; separators=""
  for options in "${OPTION_SETS[@]}"; do columns="$columns new instance with $options: RSS |"; separators="$separators---|"; done
  echo "| service | the stack's instance, RSS total/anon | new instance (NMT on): RSS | its AOT cache mapping, resident/anon | after a full GC | after trimming native memory |$columns"
  echo "|---|---|---|---|---|---|$separators"
  while IFS='|' read -r module rest_rss rest_nmt mapping collected_rss collected_nmt trimmed optioned; do
    stack=$(awk -F'|' -v m="$module" '$1 == m {print $2}' "$RUN/stack-rss")
    echo "| $module | $stack | $rest_rss | $mapping | $collected_rss | $trimmed |${optioned:+ ${optioned// / | } |}"
  done < <(cut -d'|' -f1,3- "$RUN/instances")
  echo
  echo "The JVM's account of the new instance at rest, then after the full GC (committed MB per category):"
  echo
  while IFS='|' read -r module ready rest_rss rest_nmt mapping collected_rss collected_nmt rest; do
    echo "- $module (ready after ${ready}s): $rest_nmt; after the GC: $collected_nmt"
  done < "$RUN/instances"
} | tee "$OUT/memory.md"

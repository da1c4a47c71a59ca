# Sourced by the benchmark scripts: starts local-stack in the background with the caller's
# STACK_* settings, stops it when the script exits, and returns once every service is up.
# $1 = log file.
start_stack() {
  STACK_LOG=$1
  # The services' logs live in the stack's temporary directory, which it deletes when it stops:
  # it copies them beside the stack's own log first.
  export STACK_KEEP_LOGS; STACK_KEEP_LOGS=$(realpath -m "${STACK_LOG%.log}-logs")
  rm -rf "$STACK_KEEP_LOGS"
  bin/java -Xmx512m -jar local-stack/target/local-stack-exec.jar > "$STACK_LOG" 2>&1 &
  STACK=$!
  # SIGTERM, not SIGINT: a background job of a script ignores SIGINT.
  trap 'kill -TERM $STACK 2>/dev/null; wait $STACK 2>/dev/null || true' EXIT
  for _ in $(seq 1 600); do # the first start after a build on Java 25 trains the AOT caches first
    grep -q "The suite is up" "$STACK_LOG" && return 0
    kill -0 $STACK 2>/dev/null || { cat "$STACK_LOG"; exit 1; }
    sleep 1
  done
  echo "stack not up"; tail -50 "$STACK_LOG"; exit 1
}

cpu_busy_total() { # prints the machine's busy and total CPU ticks so far (from /proc/stat)
  awk '/^cpu / {busy = $2 + $3 + $4 + $7 + $8 + $9; print busy, busy + $5 + $6; exit}' /proc/stat
}
# Waits until the machine is quiet (at most 20 % of its CPU busy over a second, twice in a row),
# for at most $1 seconds (default 60), and prints how long it waited. Work left over from a round
# (the relay and consumers catching up, InnoDB purging, JIT compiles) otherwise lands in the next
# round, whichever path that measures.
settle() {
  local limit=${1:-60} quiet=0 waited=0 b0 t0 b1 t1
  read -r b0 t0 < <(cpu_busy_total)
  while [ "$waited" -lt "$limit" ] && [ "$quiet" -lt 2 ]; do
    sleep 1
    waited=$((waited + 1))
    read -r b1 t1 < <(cpu_busy_total)
    if [ $(((b1 - b0) * 100)) -le $(((t1 - t0) * 20)) ]; then quiet=$((quiet + 1)); else quiet=0; fi
    b0=$b1 t0=$t1
  done
  echo "settled in ${waited}s$([ "$quiet" -lt 2 ] && echo ' (still busy)')"
}

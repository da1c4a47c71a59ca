# Sourced by the benchmark scripts: starts local-stack in the background with the caller's
# STACK_* settings, stops it when the script exits, and returns once every service is up.
# $1 = log file.
start_stack() {
  local log=$1
  java -Xmx512m -jar local-stack/target/local-stack-exec.jar > "$log" 2>&1 &
  STACK=$!
  # SIGTERM, not SIGINT: a background job of a script ignores SIGINT.
  trap 'kill -TERM $STACK 2>/dev/null; wait $STACK 2>/dev/null || true' EXIT
  for _ in $(seq 1 300); do
    grep -q "The suite is up" "$log" && return 0
    kill -0 $STACK 2>/dev/null || { cat "$log"; exit 1; }
    sleep 1
  done
  echo "stack not up"; tail -50 "$log"; exit 1
}

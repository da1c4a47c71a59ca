# Sourced by the benchmark scripts: starts another instance of a service of a running local stack, as an operator's
# scale-up adds one: the command line and environment of the stack's own instance (read from /proc), its own
# ports and name, and only what the caller changes.
#
#   new_instance <pid of the stack's instance> <JDK home> <port> <management port> <log> [options...]
#     options: aot=keep|drop (the -XX:AOTCache flag; default keep), then any VAR=value for its environment
#     and -X... flags added to its JVM's.
# Sets NEW_PID and NEW_T0 (the start, seconds since the epoch) and returns as soon as the process has
# started; ready_instance <management port> waits until it is ready and prints the seconds since NEW_T0.
new_instance() {
  local pid=$1 home=$2 port=$3 management=$4 log=$5 aot=keep flags=() environment=() command=() extra_env=() a
  shift 5
  mapfile -d '' flags < "/proc/$pid/cmdline"
  mapfile -d '' environment < "/proc/$pid/environ"
  local extra_flags=()
  for a in "$@"; do
    case $a in
      aot=*) aot=${a#aot=} ;;
      -*) extra_flags+=("$a") ;;
      *=*) extra_env+=("$a") ;;
    esac
  done
  command=("$home/bin/java")
  for a in "${flags[@]:1}"; do
    case $a in
      -XX:AOTCache=*) [ "$aot" = keep ] && command+=("$a") ;;
      -jar) command+=("${extra_flags[@]}" "$a") ;; # JVM flags go before the jar
      *) command+=("$a") ;;
    esac
  done
  NEW_T0=$(date +%s.%N)
  (cd "$(readlink "/proc/$pid/cwd")" && exec env -i "${environment[@]}" SERVER_PORT="$port" MANAGEMENT_PORT="$management" \
    INSTANCE_NAME="new-$port" "${extra_env[@]}" "${command[@]}") > "$log" 2>&1 &
  NEW_PID=$!
}

ready_instance() {
  until curl -sf -o /dev/null "http://127.0.0.1:$1/actuator/health/readiness"; do
    kill -0 "$NEW_PID" 2> /dev/null || return 1
    sleep 0.1
  done
  awk -v t0="$NEW_T0" -v now="$(date +%s.%N)" 'BEGIN {printf "%.1f", now - t0}'
}

stop_instance() { kill -TERM "$NEW_PID" 2> /dev/null || true; wait "$NEW_PID" 2> /dev/null || true; }

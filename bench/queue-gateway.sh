#!/usr/bin/env bash
# Queue and gateway benchmark (a measurement, not a test): starts queue-service, concert-service
# and the gateway on the embedded infrastructure, then drives them with wrk and prints
# joins/s, status polls/s, and an admitted GET through the gateway against two yardsticks: the same
# GET sent straight to the service, and sent through nginx (Debian package) proxying the service.
# Figures go to target/bench/queue-gateway.md. See docs/performance.md.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${BENCH_DURATION:-20s}
CONNECTIONS=${BENCH_CONNECTIONS:-32}
OUT=target/bench
mkdir -p "$OUT"
rm -f "$OUT"/admitted-*.txt "$OUT"/joins.*txt "$OUT"/polls.*txt

command -v wrk >/dev/null || { echo "installing wrk (Debian package)"; apt-get install -y -q wrk >/dev/null; }
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { echo "installing nginx (Debian package)"; apt-get install -y -q nginx-light >/dev/null 2>&1 || apt-get install -y -q nginx >/dev/null; }
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
if [ "${SKIP_BUILD:-}" != "1" ]; then ./mvnw -B -q -DskipTests package; fi

export STACK_SERVICES=queue-service,concert-service,gateway
export RATE_LIMIT_ENABLED=false          # the benchmark measures throughput, not the limiter
export QUEUE_ADMIT_PER_SECOND=${QUEUE_ADMIT_PER_SECOND:-1000}
export QUEUE_MAX_ACTIVE=${QUEUE_MAX_ACTIVE:-100000}
. bench/stack.sh
start_stack "$OUT/queue-gateway-stack.log"

GW=http://127.0.0.1:8080
token_of() { sed -E 's/.*"token":"([^"]+)".*/\1/'; }
TOKEN=$(curl -s -X POST -H 'Content-Type: application/json' -d '{"userId": 1}' $GW/api/v1/queue/tokens | token_of)
for _ in $(seq 1 30); do # admission runs every second
  curl -s -H "Queue-Token: $TOKEN" $GW/api/v1/queue/status | grep -q '"ACTIVE"' && break
  sleep 1
done
# The nginx yardstick: a plain reverse proxy in front of concert-service, keep-alive to the upstream,
# as many workers as cores, no logging; started here, stopped when the script ends.
NGINX_PORT=${BENCH_NGINX_PORT:-8090}
NGINX_DIR=$PWD/$OUT/nginx
mkdir -p "$NGINX_DIR/logs"
cat > "$NGINX_DIR/nginx.conf" <<CONF
worker_processes auto;
pid $NGINX_DIR/nginx.pid;
error_log $NGINX_DIR/logs/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  upstream concert { server 127.0.0.1:8082; keepalive 64; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location / {
      proxy_pass http://concert;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
    }
  }
}
CONF
"$NGINX" -p "$NGINX_DIR" -c "$NGINX_DIR/nginx.conf" -g 'daemon off;' &
NGINX_PID=$!
trap 'kill -TERM $NGINX_PID 2>/dev/null; kill -TERM $STACK 2>/dev/null; wait $STACK 2>/dev/null || true' EXIT

TOKEN_ID=$(python3 -c 'import base64,json,sys; p=sys.argv[1].split(".")[1]; print(json.loads(base64.urlsafe_b64decode(p+"="*(-len(p)%4)))["jti"])' "$TOKEN")

WARMUP=${BENCH_WARMUP:-30s}
# Joins run on JVMs that have compiled the GET's path but not theirs: the signature and the join's
# write path took about two minutes of load to reach their steady CPU cost per join (docs/performance.md).
JOIN_WARMUP=${BENCH_JOIN_WARMUP:-120s}
# The admitted GET through the gateway is the only scenario here that the gateway proxies (it answers
# joins and polls itself, from batched calls). After a 30 s warm-up its three rounds still rose
# 1,196 -> 1,565 -> 2,394/s while the direct ones stayed within 2,636-3,558/s (docs/performance.md):
# warmed as long as the joins' path, it compares warm with warm.
GATEWAY_WARMUP=${BENCH_GATEWAY_WARMUP:-120s}
ROUNDS=${BENCH_ROUNDS:-3}
ROUND=${BENCH_ROUND:-10s}

summary() { # name, then wrk output files: "name rps p99 non-2xx", the median of each over the files
  local name=$1; shift
  local rps p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' "$@" | sort -n | awk '{v[NR]=$1} END {print v[int((NR+1)/2)]}')
  p99=$(awk '$1=="99%" {v=$2; m=1; if (v ~ /us$/) m=0.001; else if (v ~ /ms$/) m=1; else if (v ~ /s$/) m=1000; else if (v ~ /m$/) m=60000;
                         sub(/[a-z]+$/, "", v); printf "%.2f\n", v*m}' "$@" | sort -n | awk '{v[NR]=$1} END {if (NR) print v[int((NR+1)/2)] "ms"}')
  errors=$(awk '/Non-2xx/ {s+=$5} END {print s+0}' "$@")
  echo "$name $rps ${p99:-?} ${errors:-0}"
}

run() { # name, warm-up, then wrk arguments: a discarded run warms the JIT of every JVM involved, then
  # ROUNDS measured runs of DURATION; the figures are their medians
  local name=$1 warmup=$2; shift 2
  wrk -t2 -c"$CONNECTIONS" -d"$warmup" "$@" > "$OUT/$name.warmup.txt" 2>&1
  for round in $(seq 1 "$ROUNDS"); do
    wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$@" > "$OUT/$name.$round.txt" 2>&1
  done
  summary "$name" "$OUT/$name".[0-9]*.txt
}

# The admitted GET three ways. Each path is warmed first; then the three take turns for
# COMPARE_ROUNDS rounds, each on a quiet machine (settle), and each figure is the median of its rounds,
# so a drift of the machine weighs on all three alike instead of on whichever ran last. It runs before
# joins and polls: they leave some 300,000 waiting tokens behind, which queue-service drops 5 minutes
# later (waiting-timeout) at 500 a second with an event each, and that work landed on the comparison
# (gateway/direct 0.47-0.49 then, against 0.54-0.76 on a stack with nothing else to do; docs/performance.md).
COMPARE_ROUNDS=${BENCH_COMPARE_ROUNDS:-5}
compare() {
  local gateway=(-H "Queue-Token: $TOKEN" $GW/api/v1/concerts/1/schedules)
  local direct=(-H "X-User-Id: 1" -H "X-Queue-Token-Id: $TOKEN_ID" http://127.0.0.1:8082/api/v1/concerts/1/schedules)
  local nginx=(-H "X-User-Id: 1" -H "X-Queue-Token-Id: $TOKEN_ID" http://127.0.0.1:$NGINX_PORT/api/v1/concerts/1/schedules)
  wrk -t2 -c"$CONNECTIONS" -d"$GATEWAY_WARMUP" "${gateway[@]}" > "$OUT/admitted-gateway.warmup.txt" 2>&1
  wrk -t2 -c"$CONNECTIONS" -d"$WARMUP" "${direct[@]}" > "$OUT/admitted-direct.warmup.txt" 2>&1
  wrk -t2 -c"$CONNECTIONS" -d10s "${nginx[@]}" > "$OUT/admitted-nginx.warmup.txt" 2>&1
  for round in $(seq 1 "$COMPARE_ROUNDS"); do
    settle 30 > /dev/null
    wrk -t2 -c"$CONNECTIONS" -d"$ROUND" --latency "${gateway[@]}" > "$OUT/admitted-gateway.$round.txt" 2>&1
    settle 30 > /dev/null
    wrk -t2 -c"$CONNECTIONS" -d"$ROUND" --latency "${direct[@]}" > "$OUT/admitted-direct.$round.txt" 2>&1
    settle 30 > /dev/null
    wrk -t2 -c"$CONNECTIONS" -d"$ROUND" --latency "${nginx[@]}" > "$OUT/admitted-nginx.$round.txt" 2>&1
  done
}
echo "admitted GET: $COMPARE_ROUNDS rounds per path (gateway, direct, nginx) after the warm-ups"
compare

# The crowd that polls: POLLERS users of their own (ids from 10^12 up, clear of the joins' ids), each
# joined once; their tokens go to bench/poll.lua.
POLLERS=${BENCH_POLLERS:-2000}
seq 1000000000001 $((1000000000000 + POLLERS)) | xargs -P 16 -I{} curl -s -X POST -H 'Content-Type: application/json' \
  -d '{"userId": {}}' $GW/api/v1/queue/tokens | grep -o '"token":"[^"]*"' | cut -d'"' -f4 > "$OUT/poll-tokens.txt"
[ "$(wc -l < "$OUT/poll-tokens.txt")" = "$POLLERS" ] || { echo "could not get $POLLERS tokens for the polls"; exit 1; }
export POLL_TOKENS=$PWD/$OUT/poll-tokens.txt

{
  echo "# Queue and gateway benchmark, $(date -u +%FT%TZ)"
  echo
  echo "wrk -t2 -c$CONNECTIONS; joins in $ROUNDS rounds of $DURATION after a $JOIN_WARMUP warm-up, polls in $ROUNDS rounds of $DURATION after a $WARMUP warm-up, medians; the admitted GET first, in $COMPARE_ROUNDS rounds of $ROUND per path (each after the machine settled) after a warm-up of $GATEWAY_WARMUP through the gateway and $WARMUP straight, medians; JVM flags ${STACK_JVM_OPTS:-per service (local-stack defaults)}; rate limits off; $(nproc) cores; $(bin/java -version 2>&1 | head -1)"
  echo
  echo "| scenario | requests/s | p99 | non-2xx |"
  echo "|---|---|---|---|"
  run joins "$JOIN_WARMUP" -s bench/join.lua $GW | awk '{printf "| Q1 joins through the gateway (new user each) | %s | %s | %s |\n", $2, $3, $4}'
  run polls "$WARMUP" -s bench/poll.lua $GW | awk '{printf "| Q2 status polls through the gateway | %s | %s | %s |\n", $2, $3, $4}'
  G=$(summary admitted-gateway "$OUT"/admitted-gateway.[0-9]*.txt)
  D=$(summary admitted-direct "$OUT"/admitted-direct.[0-9]*.txt)
  N=$(summary admitted-nginx "$OUT"/admitted-nginx.[0-9]*.txt)
  echo "$G" | awk '{printf "| C2 admitted GET through the gateway | %s | %s | %s |\n", $2, $3, $4}'
  echo "$D" | awk '{printf "| C2 the same GET straight to concert-service | %s | %s | %s |\n", $2, $3, $4}'
  echo "$N" | awk '{printf "| C2 the same GET through nginx proxying concert-service | %s | %s | %s |\n", $2, $3, $4}'
  echo
  ratio() { awk -v a="$(echo "$1" | cut -d' ' -f2)" -v b="$(echo "$2" | cut -d' ' -f2)" 'BEGIN {printf "%.2f", a/b}'; }
  echo "gateway/direct ratio: $(ratio "$G" "$D") (goal at least 0.6)"
  echo "gateway/nginx ratio: $(ratio "$G" "$N") (goal at least 0.8)"
  echo
  echo "per round, requests/s: joins $(awk '/Requests\/sec/ {printf "%s ", $2}' "$OUT"/joins.[0-9]*.txt)/ polls $(awk '/Requests\/sec/ {printf "%s ", $2}' "$OUT"/polls.[0-9]*.txt)"
  echo
  echo "per round, requests/s (gateway / direct / nginx):"
  for round in $(seq 1 "$COMPARE_ROUNDS"); do
    echo "- round $round: $(for p in gateway direct nginx; do awk '/Requests\/sec/ {printf "%s ", $2}' "$OUT/admitted-$p.$round.txt"; done)"
  done
} | tee "$OUT/queue-gateway.md"

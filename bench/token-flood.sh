#!/usr/bin/env bash
# Forged-token flood benchmark (a measurement, not a test): do real users keep being served while a flood
# of forged queue tokens (real key id, made-up signature, each different) hits the gateway? Starts
# queue-service and the gateway on the embedded infrastructure, with the gateway trusting one
# X-Forwarded-For hop so that the benchmark can say which address each request comes from. Real users
# poll Q2 with genuine tokens (bench/poll.lua, each request from an address of its own); the flood
# (bench/flood.lua) runs beside them in three ways: none, from one address (the failed-check allowance
# cuts it off after 20 checks), from 10,000 addresses (each gets its allowance: every forged token is
# checked, as every one was before the allowance existed). Figures go to target/bench/token-flood.md.
set -euo pipefail
cd "$(dirname "$0")/.."
DURATION=${BENCH_DURATION:-20s}
USERS=${BENCH_CONNECTIONS:-16}
FLOODERS=${BENCH_FLOOD_CONNECTIONS:-16}
OUT=target/bench
mkdir -p "$OUT"
command -v wrk >/dev/null || { echo "installing wrk (Debian package)"; apt-get install -y -q wrk >/dev/null; }
if [ "${SKIP_BUILD:-}" != "1" ]; then ./mvnw -B -q -DskipTests package; fi

export STACK_SERVICES=queue-service,gateway
export RATE_LIMIT_TRUSTED_PROXY_HOPS=1
export RATE_LIMIT_JOIN_PER_SECOND=100000 RATE_LIMIT_JOIN_BURST=100000 # the 2,000 users join from one address here
export QUEUE_ADMIT_PER_SECOND=${QUEUE_ADMIT_PER_SECOND:-1000}
export QUEUE_MAX_ACTIVE=${QUEUE_MAX_ACTIVE:-100000}
. bench/stack.sh
start_stack "$OUT/token-flood-stack.log"
GW=http://127.0.0.1:8080

POLLERS=${BENCH_POLLERS:-2000}
seq 2000000000001 $((2000000000000 + POLLERS)) | xargs -P 16 -I{} curl -s -X POST -H 'Content-Type: application/json' \
  -d '{"userId": {}}' $GW/api/v1/queue/tokens | grep -o '"token":"[^"]*"' | cut -d'"' -f4 > "$OUT/flood-poll-tokens.txt"
[ "$(wc -l < "$OUT/flood-poll-tokens.txt")" = "$POLLERS" ] || { echo "could not get $POLLERS tokens"; exit 1; }
export POLL_TOKENS=$PWD/$OUT/flood-poll-tokens.txt
export FLOOD_TOKEN; FLOOD_TOKEN=$(head -1 "$POLL_TOKENS")
checks() { curl -s "http://127.0.0.1:9080/actuator/prometheus" | awk -v o="$1" '$1 ~ "^gateway_token_checks_total" && $1 ~ "outcome=\""o"\"" {print int($2)}'; }
rps() { awk '/Requests\/sec/ {print $2}' "$1"; }
p99() { awk '$1=="99%" {print $2}' "$1"; }
non2xx() { awk '/Non-2xx/ {print $5}' "$1" | grep . || echo 0; }

# Warm both paths (genuine polls, and the signature check of forged tokens) before measuring.
wrk -t1 -c"$USERS" -d30s -s bench/poll.lua $GW > "$OUT/flood-warmup-users.txt" 2>&1 &
USERS_WRK=$!
FLOOD_ADDRESSES=100000 wrk -t1 -c"$FLOODERS" -d30s -s bench/flood.lua $GW > "$OUT/flood-warmup-flood.txt" 2>&1
wait $USERS_WRK
{
  echo "# Forged-token flood, $(date -u +%FT%TZ)"
  echo
  echo "Real users: wrk -t1 -c$USERS Q2 polls with 2,000 genuine tokens; flood: wrk -t1 -c$FLOODERS forged tokens on Q2; $DURATION each; one gateway and one queue-service on $(nproc) cores; after a 30 s warm-up of both."
  echo
  echo "| flood | real users' polls/s | their p99 | their non-2xx | flood requests/s | flood answers non-2xx | signature checks made (refused) |"
  echo "|---|---|---|---|---|---|---|"
  for mode in none 1 10000; do
    settle 30 > /dev/null
    before=$(checks refused)
    if [ "$mode" = none ]; then
      wrk -t1 -c"$USERS" -d"$DURATION" --latency -s bench/poll.lua $GW > "$OUT/flood-users-$mode.txt" 2>&1
      echo "| none | $(rps "$OUT/flood-users-$mode.txt") | $(p99 "$OUT/flood-users-$mode.txt") | $(non2xx "$OUT/flood-users-$mode.txt") | - | - | $(( $(checks refused) - before )) |"
    else
      wrk -t1 -c"$USERS" -d"$DURATION" --latency -s bench/poll.lua $GW > "$OUT/flood-users-$mode.txt" 2>&1 &
      USERS_WRK=$!
      FLOOD_ADDRESSES=$mode wrk -t1 -c"$FLOODERS" -d"$DURATION" -s bench/flood.lua $GW > "$OUT/flood-flood-$mode.txt" 2>&1
      wait $USERS_WRK
      echo "| from $mode address(es) | $(rps "$OUT/flood-users-$mode.txt") | $(p99 "$OUT/flood-users-$mode.txt") | $(non2xx "$OUT/flood-users-$mode.txt") | $(rps "$OUT/flood-flood-$mode.txt") | $(non2xx "$OUT/flood-flood-$mode.txt") | $(( $(checks refused) - before )) |"
    fi
  done
} | tee "$OUT/token-flood.md"

# Sourced by the scripts that put the holds load on a stack with wrk (bench/warm-up.sh, bench/profile.sh): starts
# gateway, queue-, concert- and reservation-service on JDK 25 with the AOT cache (bench/stack.sh) with short holds and
# no rate limits, admits CLIENTS users, and defines holds(). Needs RUN (a directory), CLIENTS and JDK25.
export STACK_SERVICES=queue-service,concert-service,reservation-service,gateway
export STACK_JAVA_HOME=$JDK25 STACK_AOT=true
export RATE_LIMIT_ENABLED=false QUEUE_ADMIT_PER_SECOND=2000 QUEUE_MAX_ACTIVE=100000
export RESERVATION_HOLD_TTL=2s RESERVATION_EXPIRY_GRACE=0s QUEUE_ACTIVE_TTL=60m
# The closed loops here measure what 1,000 clients get served, not the gateway's shedding: its limit of requests in
# progress (500 by default) is raised above the clients unless the caller sets it (bench/overload.sh does).
export GATEWAY_MAX_IN_FLIGHT=${GATEWAY_MAX_IN_FLIGHT:-2000}
. bench/stack.sh
start_stack "$RUN/stack.log"
GW=http://127.0.0.1:8080
pid_of() { sed -nE "s/.*Started $1 \(pid ([0-9]+)\).*/\1/p" "$RUN/stack.log" | head -1; }

# The clients: their signed tokens (TOKENS, one a line) and "<userId> <token id>" (IDS) for the direct path.
TOKENS=$RUN/tokens.txt IDS=$RUN/ids.txt
# One printf per client: each line is written whole, however the 16 parallel joins interleave.
seq 1 "$CLIENTS" | xargs -P 16 -I{} sh -c "printf '%s\n' \"\$(curl -s -X POST -H 'Content-Type: application/json' \
  -d '{\"userId\": {}}' $GW/api/v1/queue/tokens | sed -E 's/.*\"token\":\"([^\"]+)\".*/\\1/')\"" > "$TOKENS"
[ "$(grep -c . "$TOKENS")" = "$CLIENTS" ] || { echo "could not get $CLIENTS tokens"; exit 1; }
python3 -c 'import base64,json,sys
for jwt in open(sys.argv[1]):
    p = jwt.strip().split(".")[1]; claims = json.loads(base64.urlsafe_b64decode(p + "=" * (-len(p) % 4)))
    print(claims["sub"], claims["jti"])' "$TOKENS" > "$IDS"
LAST=$(tail -1 "$TOKENS")
for _ in $(seq 1 60); do
  curl -s -H "Queue-Token: $LAST" $GW/api/v1/queue/status | grep -q '"ACTIVE"' && break
  sleep 1
done
sleep 2 # the last line need not be the last to join: another admission tick or two
SCHEDULE=$(curl -s -H "Queue-Token: $LAST" $GW/api/v1/concerts/1/schedules \
  | python3 -c 'import json,sys; print(next(s["scheduleId"] for s in json.load(sys.stdin)["schedules"] if s["totalSeats"] == 50))')
export HOLD_SCHEDULE=$SCHEDULE HOLD_STATUSES=1

holds() { # $1 = report file, $2 = seconds, $3 = base URL, $4 = direct (1) or through a gateway (0): the holds load
  local tokens=$PWD/$TOKENS
  [ "$4" = 1 ] && tokens=$PWD/$IDS
  HOLD_TOKENS=$tokens HOLD_DIRECT=$4 wrk -t2 -c"$CLIENTS" -d"$2s" --timeout 10s -s bench/hold.lua "$3" > "$1" 2>&1 || true
}

#!/usr/bin/env bash
# Smoke test of the distributed mode against servers that are already running:
#
#   AUTOPLANE_AXONSERVER_SERVERS=localhost:8124 \
#   AUTOPLANE_DB_URL=jdbc:postgresql://localhost:5432/autoplane AUTOPLANE_DB_USER=autoplane AUTOPLANE_DB_PASSWORD=autoplane \
#   AUTOPLANE_MONGODB_URI=mongodb://localhost:27017/autoplane_smoke \
#   docker/smoke.sh
#
# Starts two command sides and one query side from the built jars (./mvnw -DskipTests package),
# runs the README walkthrough against them (writes to the command sides, reads from the query side,
# as the gateway routes), sets a 1 s schedule, kill -9s the command side handling that automation,
# and checks that every occurrence fired exactly once with no gap. Prints "N passed, M failed",
# stops everything it started, and exits non-zero when anything failed. See docker/README.md.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
: "${AUTOPLANE_AXONSERVER_SERVERS:?set AUTOPLANE_AXONSERVER_SERVERS (host:grpc-port of a running Axon Server)}"
: "${AUTOPLANE_DB_URL:?set AUTOPLANE_DB_URL (jdbc:postgresql://... of a running PostgreSQL)}"
: "${AUTOPLANE_MONGODB_URI:?set AUTOPLANE_MONGODB_URI (mongodb://... of a running MongoDB)}"
AUTOPLANE_DB_USER=${AUTOPLANE_DB_USER:-autoplane}
AUTOPLANE_DB_PASSWORD=${AUTOPLANE_DB_PASSWORD:-autoplane}
BASE_PORT=${SMOKE_BASE_PORT:-18080}        # command sides on BASE_PORT and +1, the query side on +2
WATCH_SECONDS=${SMOKE_WATCH_SECONDS:-12}   # how long the 1 s schedule is watched after the kill
START_SECONDS=${SMOKE_START_SECONDS:-180}  # how long a process may take to become healthy (two start at once)

COMMAND_JAR=$(ls "$ROOT"/command-side/target/command-side-*-exec.jar 2>/dev/null | head -1)
QUERY_JAR=$(ls "$ROOT"/query-side/target/query-side-*-exec.jar 2>/dev/null | head -1)
if [[ -z "$COMMAND_JAR" || -z "$QUERY_JAR" ]]; then
  echo "build the jars first: ./mvnw -q -B -DskipTests package" >&2
  exit 2
fi
for tool in curl java sed; do
  command -v "$tool" >/dev/null || { echo "smoke.sh needs $tool" >&2; exit 2; }
done

WORK=$(mktemp -d "${TMPDIR:-/tmp}/autoplane-smoke.XXXXXX")
HASH_KEY=$(head -c 32 /dev/urandom | base64)
PIDS=()
PASSED=0
FAILED=0

stop_all() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null; done
}
trap 'stop_all' EXIT
trap 'exit 130' INT TERM

pass() { PASSED=$((PASSED + 1)); echo "  ok   $1"; }
fail() { FAILED=$((FAILED + 1)); echo "  FAIL $1${2:+ — $2}"; }

# start NAME JAR PORT: one process with its own data directory and log
start() {
  local name=$1 jar=$2 port=$3
  mkdir -p "$WORK/$name"
  # one data directory for all three (the admin token, the keys the first start writes); one hash key;
  # dimensional Axon metrics, so each node's FireJobCommand count is visible at /actuator/prometheus
  env AUTOPLANE_STORAGE=distributed SERVER_PORT="$port" AUTOPLANE_DATA_DIR="$WORK/shared-data" \
      AUTOPLANE_AXONSERVER_SERVERS="$AUTOPLANE_AXONSERVER_SERVERS" AUTOPLANE_MONGODB_URI="$AUTOPLANE_MONGODB_URI" \
      AUTOPLANE_DB_URL="$AUTOPLANE_DB_URL" AUTOPLANE_DB_USER="$AUTOPLANE_DB_USER" AUTOPLANE_DB_PASSWORD="$AUTOPLANE_DB_PASSWORD" \
      AUTOPLANE_SECRETS_HASH_KEY="$HASH_KEY" AXONIQ_UPDATE_CHECKER_DISABLED=true AXON_METRICS_MICROMETER_DIMENSIONAL=true \
      java -Xmx512m -jar "$jar" >"$WORK/$name.log" 2>&1 &
  local pid=$!
  PIDS+=("$pid")
  eval "PID_${name//-/_}=$pid"
}

healthy() { # PORT SECONDS
  local deadline=$((SECONDS + $2))
  while ((SECONDS < deadline)); do
    curl -fs "http://localhost:$1/actuator/health" >/dev/null 2>&1 && return 0
    sleep 1
  done
  return 1
}

echo "smoke: Axon Server $AUTOPLANE_AXONSERVER_SERVERS, PostgreSQL $AUTOPLANE_DB_URL, MongoDB $AUTOPLANE_MONGODB_URI"
echo "smoke: logs and data in $WORK"
mkdir -p "$WORK/shared-data"
start command-a "$COMMAND_JAR" "$BASE_PORT"
healthy "$BASE_PORT" "$START_SECONDS" && pass "command side A is healthy" || { fail "command side A is healthy" "see $WORK/command-a.log"; exit 1; }
start command-b "$COMMAND_JAR" $((BASE_PORT + 1))
start query "$QUERY_JAR" $((BASE_PORT + 2))
healthy $((BASE_PORT + 1)) "$START_SECONDS" && pass "command side B is healthy" || fail "command side B is healthy" "see $WORK/command-b.log"
healthy $((BASE_PORT + 2)) "$START_SECONDS" && pass "query side is healthy" || { fail "query side is healthy" "see $WORK/query.log"; exit 1; }

CMD_A=http://localhost:$BASE_PORT
CMD_B=http://localhost:$((BASE_PORT + 1))
QUERY=http://localhost:$((BASE_PORT + 2))
TOKEN=$(cat "$WORK/shared-data/admin-token" 2>/dev/null)
WS=00000000-0000-7000-8000-000000000001

# call METHOD PATH [BODY] [TOKEN]: as the gateway routes, reads to the query side and writes to a
# command side (alternating, so both serve commands); sets STATUS and BODY
TURN=0
call() {
  local method=$1 path=$2 body=${3:-} token=${4:-$TOKEN} base
  if [[ $method == GET ]]; then base=$QUERY; else base=$([[ $((TURN++ % 2)) == 0 ]] && echo "$CMD_A" || echo "$CMD_B"); fi
  local args=(-s -o "$WORK/body" -w '%{http_code}' -X "$method" -H "Authorization: Bearer $token")
  [[ -n $body ]] && args+=(-H 'Content-Type: application/json' -d "$body")
  STATUS=$(curl "${args[@]}" "$base/api/v1$path")
  BODY=$(cat "$WORK/body")
}
expect() { # DESCRIPTION STATUS [PATTERN]
  if [[ $STATUS == "$2" && ( -z ${3:-} || $BODY =~ $3 ) ]]; then pass "$1"; else fail "$1" "HTTP $STATUS ${BODY:0:300}"; fi
}
field() { sed -E "s/.*\"$1\":\"([^\"]+)\".*/\1/" <<<"$BODY"; }
# reads are eventually consistent: retry a read until it matches (at most 10 s)
eventually() { # DESCRIPTION PATH PATTERN [TOKEN]
  local deadline=$((SECONDS + 10))
  while :; do
    call GET "$2" "" "${4:-$TOKEN}"
    [[ $STATUS == 200 && $BODY =~ $3 ]] && { pass "$1"; return; }
    ((SECONDS < deadline)) || { fail "$1" "HTTP $STATUS ${BODY:0:300}"; return; }
    sleep 0.5
  done
}

echo "smoke: the README walkthrough"
[[ -n $TOKEN ]] && pass "the bootstrap wrote the admin token" || fail "the bootstrap wrote the admin token"
call POST "/workspaces/$WS/automations" '{"name": "Weekly digest '"$RANDOM"'", "kind": "scheduled",
  "config": {"cron": "0 9 * * MON", "channel": "general"},
  "triggers": [{"type": "cron", "config": {"schedule": "0 9 * * 1-5", "timezone": "America/New_York"}}],
  "scopes": ["automation.read", "run.read"]}'
expect "create answers 201 with the automation and its secret once" 201 '"secret":"ap_sk_'
ID=$(sed -E 's/.*"automation":\{"id":"([^"]+)".*/\1/' <<<"$BODY")
SECRET=$(field secret)
call POST "/workspaces/$WS/automations/$ID/submit"
expect "submit answers pending_approval" 200 '"status":"pending_approval"'
call PUT "/workspaces/$WS/members/alice" '{"role": "approver"}'
expect "an approver is added" 200
call POST "/tokens" '{"name": "alice laptop", "user_id": "alice"}'
expect "a token for the approver" 201
ALICE=$(field token)
call POST "/workspaces/$WS/automations/$ID/approve" "" "$ALICE"
expect "approve answers active and published 1.0 (from the aggregate, never stale)" 200 '"status":"active".*"latest_published_version":"1.0"'
eventually "the query side shows it active" "/workspaces/$WS/automations/$ID" '"status":"active"'
eventually "list with a CEL filter" "/workspaces/$WS/automations?page_size=10&filter=status%20%3D%3D%20%22active%22" "$ID"
eventually "the published revision" "/workspaces/$WS/automations/$ID/revisions/latest" '"1.0"'
eventually "the history" "/workspaces/$WS/automations/$ID/history" 'AutomationApproved'
call PUT "/workspaces/$WS/automations/$ID/schedule" '{"cron": "*/5 * * * *", "timezone": "Europe/Berlin", "catch_up_policy": "fire_once"}'
expect "set a schedule" 200 '"next_run_times"'
call POST "/workspaces/$WS/automations/$ID/trigger" '{"inputs": {"dry_run": true}}'
expect "a manual run" 202 '"status":"scheduled"'
eventually "the run is listed" "/workspaces/$WS/runs?automation_id=$ID" '"source":"manual"'
AT=$(curl -s "$CMD_A/api/v1/oauth/token" -d grant_type=client_credentials -d client_id="$ID" -d client_secret="$SECRET" \
     | sed -E 's/.*"access_token":"([^"]+)".*/\1/')
eventually "the automation reads itself with its access token" "/workspaces/$WS/automations/$ID" "\"id\":\"$ID\"" "$AT"
call POST "/workspaces/$WS/automations/$ID/pause" "" "$AT"
expect "and may not pause itself" 403
call POST "/workspaces/$WS/automations" '{"name": " ", "kind": "cron_job"}'
expect "a bad body is a problem with field errors" 400 '"errors"'

echo "smoke: a 1 s schedule, and kill -9 of the command side handling it"
call POST "/workspaces/$WS/automations" '{"name": "every second '"$RANDOM"'", "kind": "scheduled", "status": "active"}'
expect "an active automation" 201
EVERY=$(sed -E 's/.*"automation":\{"id":"([^"]+)".*/\1/' <<<"$BODY")
call PUT "/workspaces/$WS/automations/$EVERY/schedule" '{"interval": "1s", "catch_up_policy": "fire_all"}'
expect "a 1 s schedule" 200
sleep 5
# the node that handles the automation's fires counts them in its command metrics (Axon's micrometer monitor)
# (only the handled-command counter: the other FireJobCommand series are timers, quantiles, maxima and a capacity gauge)
fires() { curl -s "$1/actuator/prometheus" | grep -E '^commandBus_(success|failure)Counter_total\{payloadType="FireJobCommand"' | awk '{s += $NF} END {print s + 0}'; }
A1=$(fires "$CMD_A"); B1=$(fires "$CMD_B"); sleep 3; A2=$(fires "$CMD_A"); B2=$(fires "$CMD_B")
if (( $(awk "BEGIN {print (($B2 - $B1) <= 0 && ($A2 - $A1) <= 0)}") )); then
  fail "a command side handles the 1 s schedule's fires" "no FireJobCommand counted on either node; see $WORK/command-*.log"
fi
if (( $(awk "BEGIN {print (($B2 - $B1) > ($A2 - $A1))}") )); then VICTIM=command-b; SURVIVOR=$CMD_A; else VICTIM=command-a; SURVIVOR=$CMD_B; fi
echo "  ..   the fires are handled by $VICTIM (FireJobCommand A: $A1→$A2, B: $B1→$B2); kill -9"
VICTIM_PID_VAR=PID_${VICTIM//-/_}
kill -9 "${!VICTIM_PID_VAR}"
KILLED_AT=$(date -u +%s)
sleep "$WATCH_SECONDS"
curl -fs "$SURVIVOR/actuator/health" >/dev/null && pass "the other command side is still healthy" || fail "the other command side is still healthy"

# every occurrence from the first fire until the end of the watch: fired exactly once, consecutive seconds
sleep 3 # let the query side catch up
call GET "/workspaces/$WS/automations/$EVERY/occurrences?page_size=1000"
expect "the occurrences are readable" 200
SCHEDULED=$(grep -oE '"scheduled_at":"[^"]+","recorded_at":"[^"]+","outcome":"[a-z_]+"' <<<"$BODY" \
  | sed -E 's/"scheduled_at":"([^"]+)".*"outcome":"([a-z_]+)"/\1 \2/' | sort)
if [[ -z $SCHEDULED ]]; then
  # field order may differ: fall back to the two fields separately
  SCHEDULED=$(tr '{' '\n' <<<"$BODY" | grep '"scheduled_at"' | sed -E 's/.*"scheduled_at":"([^"]+)".*"outcome":"([a-z_]+)".*/\1 \2/' | sort)
fi
TOTAL=$(grep -c . <<<"$SCHEDULED")
NOT_FIRED=$(grep -vc ' fired$' <<<"$SCHEDULED")
DUPLICATES=$(cut -d' ' -f1 <<<"$SCHEDULED" | uniq -d | grep -c .)
GAPS=0
PREV=
LAST=0
while read -r at _; do
  [[ -z $at ]] && continue
  t=$(date -u -d "$at" +%s 2>/dev/null || echo 0)
  [[ -n $PREV && $((t - PREV)) -gt 1 ]] && GAPS=$((GAPS + 1))
  PREV=$t
  LAST=$t
done <<<"$SCHEDULED"
((TOTAL > WATCH_SECONDS)) && pass "the schedule fired $TOTAL occurrences" || fail "the schedule fired enough occurrences" "$TOTAL"
((NOT_FIRED == 0)) && pass "every occurrence fired (none missed or skipped)" || fail "every occurrence fired" "$NOT_FIRED not fired"
((DUPLICATES == 0)) && pass "no occurrence fired twice" || fail "no occurrence fired twice" "$DUPLICATES duplicates"
((GAPS == 0)) && pass "no gap between occurrences" || fail "no gap between occurrences" "$GAPS gaps"
((LAST >= KILLED_AT + WATCH_SECONDS - 4)) && pass "it kept firing after the kill" || fail "it kept firing after the kill" "last $LAST, killed $KILLED_AT"

echo "$PASSED passed, $FAILED failed"
((FAILED == 0))

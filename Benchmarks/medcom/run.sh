#!/usr/bin/env bash
# MedCom benchmark (issue 18). Not part of the test command: `bash Benchmarks/medcom/run.sh [messages] [clients]`.
#
# Against a release build with its embedded PostgreSQL: HospitalNotifications (the official STIN example, each
# made unique) posted to /v1/integrations/medcom, and as the baseline in the same run the same admissions posted
# as Indgang JSON to /v1/events, both with CLIENTS concurrent clients (default 8). Prints messages/s for each and
# the ratio: what parsing, the sender check, the episode history and the stored acknowledgement cost on top of
# the ingest itself.
set -euo pipefail
cd "$(dirname "$0")/../.."
COUNT=${1:-4000}
CLIENTS=${2:-8}
EXAMPLE=${MEDCOM_EXAMPLE:-../shared/medcom/HospitalNotification_Ex_STIN_G.json}
[ -f "$EXAMPLE" ] || { echo "needs the MedCom examples: $EXAMPLE"; exit 1; }
swift build -c release --product indgang >/dev/null
BIN=$(swift build -c release --show-bin-path)/indgang
WORK=$(mktemp -d /tmp/indgang-medcom-XXXX)
chmod 755 "$WORK"
PORT=$((20000 + RANDOM % 20000))
ADMIN=bench-admin-$(od -An -tx8 -N8 /dev/urandom | tr -d ' ')
cleanup() { [ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

INDGANG_ADMIN_KEY=$ADMIN INDGANG_DATA_DIR=$WORK/data LOG_LEVEL=warning "$BIN" serve --port $PORT 2>"$WORK/server.log" &
SERVER=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.5; done
api() { curl -sf "http://127.0.0.1:$PORT/v1/$1" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' -d "$2"; }
api actors '{"slug":"bench-hospital","name":"Bench Hospital","kind":"hospital","sor_code":"265161000016000"}' >/dev/null
KEY=$(api actors/bench-hospital/keys '{"role":"integration"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')

echo "== $COUNT admissions as JSON and as MedCom, $CLIENTS clients, alternating rounds" >&2
python3 Benchmarks/medcom/load.py $PORT "$KEY" "$COUNT" "$CLIENTS" "$EXAMPLE" > "$WORK/result.json"
python3 - "$WORK/result.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
print(f"{'run':40} {'messages/s':>11} {'ratio':>7}")
print(f"{'POST /v1/events (Indgang JSON, baseline)':40} {r['json_per_second']:11.0f} {1:7.2f}")
print(f"{'POST /v1/integrations/medcom':40} {r['medcom_per_second']:11.0f} {r['ratio']:7.2f}")
PY

#!/usr/bin/env bash
# Webhook benchmark (issue 5). Not part of the test command: `bash Benchmarks/webhooks/run.sh [count] [rate]`.
# A release server with its embedded PostgreSQL delivers COUNT notifications (default 10,000), created at RATE
# per second (default 1,000), to a local receiver. Prints deliveries/s, p50/p99 time from the notification's
# creation (the state change) to its arrival, and the ratio to a baseline measured in the same run: the same
# number of posts sent straight to the receiver. Target: p99 < 1 s at 1,000 notifications/s.
set -euo pipefail
cd "$(dirname "$0")/../.."
COUNT=${1:-10000}
RATE=${2:-1000}
swift build -c release --product indgang >/dev/null
BIN=$(swift build -c release --show-bin-path)/indgang
WORK=$(mktemp -d /tmp/indgang-webhooks-XXXX)
chmod 755 "$WORK"
PORT=$((20000 + RANDOM % 20000)); RECEIVER=$((PORT + 1))
ADMIN=bench-admin-$(od -An -tx8 -N8 /dev/urandom | tr -d ' ')
cleanup() { kill ${SERVER:-} ${SINK:-} 2>/dev/null || true; wait 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT

python3 Benchmarks/webhooks/receiver.py $RECEIVER "$WORK/baseline.log" & SINK=$!
sleep 1
python3 Benchmarks/webhooks/baseline.py $RECEIVER "$COUNT" > "$WORK/baseline.json"
kill $SINK; wait $SINK 2>/dev/null || true

python3 Benchmarks/webhooks/receiver.py $RECEIVER "$WORK/received.log" & SINK=$!
INDGANG_ADMIN_KEY=$ADMIN INDGANG_DATA_DIR=$WORK/data INDGANG_WEBHOOK_ALLOW_PRIVATE=1 LOG_LEVEL=warning \
    "$BIN" serve --port $PORT 2>"$WORK/server.log" & SERVER=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.5; done
api() { curl -sf "http://127.0.0.1:$PORT/v1/$1" -H "Authorization: Bearer $2" -H 'Content-Type: application/json' -d "$3"; }
api actors "$ADMIN" '{"slug":"bench-hospital","name":"Bench Hospital","kind":"hospital"}' >/dev/null
api actors "$ADMIN" '{"slug":"bench-kommune","name":"Bench Kommune","kind":"municipality","municipality_code":"101"}' >/dev/null
INGEST=$(api actors/bench-hospital/keys "$ADMIN" '{"role":"integration"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')
HOOKS=$(api actors/bench-kommune/keys "$ADMIN" '{"role":"integration"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')
api subscriptions "$HOOKS" "{\"url\":\"http://127.0.0.1:$RECEIVER/hook\",\"kinds\":[\"handoff.requested\"]}" >/dev/null
# Each citizen also needs a municipality to be handed to; the municipality (keeper of the register) reports the moves.
python3 - "$PORT" "$HOOKS" "$COUNT" <<'PY'
import http.client, json, sys
port, key, count = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
def cpr(n):
    return f"{1 + n % 28:02d}{1 + (n // 28) % 12:02d}{40 + (n // 336) % 16:02d}-{1000 + (n // 5376) % 2999:04d}"
for start in range(0, count, 1000):
    lines = [json.dumps({"source": "webhook-bench", "id": f"moved-{n}", "type": "citizen.moved", "occurred_at": "2020-01-01T00:00:00Z",
                         "cpr": cpr(n), "attributes": {"municipality_code": "101"}}) for n in range(start, min(start + 1000, count))]
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    c.request("POST", "/v1/events/batch", body="\n".join(lines).encode(), headers={"Content-Type": "application/x-ndjson", "Authorization": f"Bearer {key}"})
    c.getresponse().read()
PY
python3 Benchmarks/webhooks/load.py $PORT "$INGEST" "$COUNT" "$RATE"
for _ in $(seq 1 600); do [ "$(wc -l < "$WORK/received.log")" -ge "$COUNT" ] && break; sleep 0.5; done

python3 - "$WORK" "$COUNT" <<'PY'
import json, sys
work, count = sys.argv[1], int(sys.argv[2])
rows = [line.split() for line in open(f"{work}/received.log") if line.strip()]
ids = {r[0] for r in rows}
latency = sorted(float(r[2]) - float(r[1]) for r in rows)
span = max(float(r[2]) for r in rows) - min(float(r[2]) for r in rows)
rate = len(rows) / span if span > 0 else float("nan")
baseline = json.load(open(f"{work}/baseline.json"))["per_second"]
print(f"{'run':38} {'per s':>9} {'p50 s':>7} {'p99 s':>7} {'ratio':>6}")
print(f"{'baseline: posts straight to receiver':38} {baseline:9.0f} {'':>7} {'':>7} {1:6.2f}")
print(f"{'Indgang webhook deliveries':38} {rate:9.0f} {latency[len(latency) // 2]:7.3f} {latency[int(len(latency) * 0.99)]:7.3f} {rate / baseline:6.2f}")
print(f"delivered {len(ids)} of {count} notifications ({len(rows) - len(ids)} repeated attempts); "
      f"target p99 < 1 s at the offered rate: {'met' if latency[int(len(latency) * 0.99)] < 1 else 'NOT met'}")
PY

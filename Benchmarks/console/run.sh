#!/usr/bin/env bash
# Console benchmark (issue 16). Not part of the test command: `bash Benchmarks/console/run.sh [citizens] [seconds]`.
#
# A release server with its embedded PostgreSQL and a simulated population (default 100,000 citizens; the
# target is stated for 1,000,000: `bash Benchmarks/console/run.sh 1000000`, which loads for a long while). With
# 100 concurrent console sessions (wrk, 100 connections, each request in one of 100 logged-in sessions) it
# measures the caseworker's inbox and case page, and as the baseline in the same run the JSON routes that read
# the same data with the same key: GET /v1/handoffs?direction=incoming&limit=25 and GET /v1/cases/{id}. Prints req/s,
# p95 and the ratio of p95s (page / JSON). Target: inbox and case page p95 < 50 ms at 100 sessions, each session a
# person who reads a page for THINK_MS (default 1 s, ± half) before the next — already a fast reader.
#
# CONSOLE_DATA=/path runs on a data folder loaded before (e.g. the outcomes benchmark's OUTCOMES_DATA, whose
# handoffs have five years of decisions) instead of loading a new population.
set -euo pipefail
cd "$(dirname "$0")/../.."
CITIZENS=${1:-100000}
DURATION=${2:-20}
# Think time of a person between pages (ms); the target is stated for sessions, i.e. people, not for connections
# that ask again the instant they are answered (that saturation run is printed too, for reference).
THINK_MS=${THINK_MS:-1000}
THINK_SESSIONS=$THINK_MS
command -v wrk >/dev/null || { apt-get install -y -qq wrk >/dev/null || { echo "needs wrk (apt-get install wrk)"; exit 1; }; }
swift build -c release --product indgang >/dev/null
BIN=$(swift build -c release --show-bin-path)/indgang
WORK=$(mktemp -d /tmp/indgang-console-bench-XXXX)
chmod 755 "$WORK"
PORT=$((20000 + RANDOM % 20000))
ADMIN=bench-admin-$(od -An -tx8 -N8 /dev/urandom | tr -d ' ')
BASE=http://127.0.0.1:$PORT
cleanup() { [ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

DATA=${CONSOLE_DATA:-$WORK/data}
INDGANG_ADMIN_KEY=$ADMIN INDGANG_DATA_DIR=$DATA INDGANG_CONSOLE_INSECURE_COOKIE=1 LOG_LEVEL=warning \
    "$BIN" serve --port $PORT 2>"$WORK/server.log" & SERVER=$!
for _ in $(seq 1 600); do curl -sf "$BASE/readyz" >/dev/null && break; sleep 0.5; done
if [ -z "${CONSOLE_DATA:-}" ]; then
    echo "== loading $CITIZENS simulated citizens" >&2
    INDGANG_DATA_DIR=$DATA "$BIN" simulate --citizens "$CITIZENS" >&2
else
    echo "== on the population loaded in $CONSOLE_DATA" >&2
fi
KEY=$(curl -sf "$BASE/v1/actors/hillerod/keys" -H "Authorization: Bearer $ADMIN" -H 'Content-Type: application/json' \
    -d '{"role":"caseworker"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])')
CASE=$(curl -sf "$BASE/v1/handoffs?direction=incoming&limit=1" -H "Authorization: Bearer $KEY" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["case_id"])')

# 100 console sessions: the login page's pre-session cookie and token, then the key.
python3 - "$BASE" "$KEY" > "$WORK/sessions" <<'PY'
import http.client, re, sys, urllib.parse
base, key = sys.argv[1], sys.argv[2]
host = base.split("//")[1]
for _ in range(100):
    connection = http.client.HTTPConnection(host)
    connection.request("GET", "/console/login")
    page = connection.getresponse()
    presession = page.getheader("Set-Cookie").split(";")[0]
    token = re.search(r'name="csrf_token" value="([^"]+)"', page.read().decode()).group(1)
    body = urllib.parse.urlencode({"api_key": key, "csrf_token": token})
    connection.request("POST", "/console/login", body=body, headers={
        "Content-Type": "application/x-www-form-urlencoded", "Cookie": presession, "Sec-Fetch-Site": "same-origin"})
    answer = connection.getresponse()
    answer.read()
    session = [c for c in answer.headers.get_all("Set-Cookie") if c.startswith("indgang_session=")][0].split(";")[0]
    print(session)
PY

run() {  # name, path, script, extra wrk arguments
  wrk -t2 -c100 -d"${DURATION}s" --latency -s "Benchmarks/console/$3" "${@:4}" "$BASE$2" > "$WORK/$1.txt" &
  local load=$!
  # PROFILE=1: where the server's CPU goes while the inbox saturates (perf, flat by symbol).
  if [ -n "${PROFILE:-}" ] && [ "$1" = inbox_0 ] && command -v perf >/dev/null; then
    sleep 3
    perf record -q -F 499 -p "$SERVER" -o "$WORK/perf.data" -- sleep $((DURATION / 2)) 2>/dev/null
    perf report -q -i "$WORK/perf.data" --no-children --sort dso,symbol --percent-limit 0.8 2>/dev/null | cut -c1-140 | head -40 >&2
    perf report -q -i "$WORK/perf.data" --no-children --sort dso --percent-limit 1 2>/dev/null | cut -c1-100 >&2
  fi
  wait $load
}
for THINK in $THINK_MS 0; do
  export THINK_MS=$THINK
  echo "== 100 sessions, think time ${THINK} ms, ${DURATION}s each: inbox, case page, and the JSON routes" >&2
  SESSIONS=$WORK/sessions run "inbox_$THINK" /console/inbox sessions.lua
  SESSIONS=$WORK/sessions run "case_$THINK" "/console/cases/$CASE" sessions.lua
  # The page shows 25 incoming handoffs (InboxPaging.pageSize) beside the outgoing and rejected ones: the JSON
  # baseline reads the same 25 (it read 200 until 2026-12-04, which made the page look cheaper than it was).
  run "inbox_json_$THINK" "/v1/handoffs?direction=incoming&limit=25" bearer.lua -H "Authorization: Bearer $KEY"
  run "case_json_$THINK" "/v1/cases/$CASE" bearer.lua -H "Authorization: Bearer $KEY"
done

python3 - "$WORK" "$THINK_SESSIONS" <<'PY'
import re, sys
work, think = sys.argv[1], sys.argv[2]
def read(name):
    text = open(f"{work}/{name}.txt").read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    p95 = float(re.search(r"p95_ms ([\d.]+)", text).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    return rps, p95, int(errors.group(1)) if errors else 0
for t, label in [(think, f"100 sessions, think {think} ms"), ("0", "100 connections, no think time (saturation)")]:
    print(f"{'run (' + label + ')':58} {'req/s':>8} {'p95 ms':>8} {'ratio':>7}")
    for page, json_route in [("inbox", "inbox_json"), ("case", "case_json")]:
        base_rps, base_p95, _ = read(f"{json_route}_{t}")
        rps, p95, errors = read(f"{page}_{t}")
        print(f"{json_route + ' (baseline)':58} {base_rps:8.0f} {base_p95:8.1f} {1:7.2f}")
        verdict = f"   p95 < 50 ms: {'met' if p95 < 50 else 'NOT met'}" if t != "0" else ""
        print(f"{'/console ' + page:58} {rps:8.0f} {p95:8.1f} {p95 / base_p95 if base_p95 else 0:7.2f}{verdict}"
              + (f"  ({errors} non-2xx)" if errors else ""))
PY

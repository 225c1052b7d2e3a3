#!/usr/bin/env bash
# Audited reads benchmark (issue 20). Not part of the test command: `bash Benchmarks/reads/run.sh [seconds] [cases]`.
#
# A release server with its embedded PostgreSQL (durable settings) and CASES cases opened through the API by one
# hospital. In the same run, 32 clients each:
#   (a) the baseline: pgbench running the SQL of an audited case read — the same SELECT and the same audit INSERT
#       in one transaction per read, the same durability (baseline_case_read.sql);
#   (b) GET /v1/cases/{id} (wrk) over random cases, with the hospital's caseworker key;
#   (c) GET /v1/cases/{id}/timeline likewise (reference; no baseline of its own).
# For each it prints reads/s, p50/p99, the ratio to the baseline, and per read: commits, WAL bytes and WAL
# flushes (pg_stat_database, pg_stat_wal), and CPU time of the Indgang process and of PostgreSQL (from /proc),
# plus the server's RSS. Targets: case read ≥ 0.50 of the baseline, p99 < 50 ms; RSS < 300 MB.
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${1:-20}
CASES=${2:-2000}
CLIENTS=32

command -v wrk >/dev/null || { apt-get install -y -qq wrk >/dev/null || { echo "needs wrk (apt-get install wrk)"; exit 1; }; }
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
swift build -c release --product indgang >/dev/null
BIN=$(swift build -c release --show-bin-path)/indgang

WORK=$(mktemp -d /tmp/indgang-reads-XXXX)
chmod 755 "$WORK"
PORT=$((20000 + RANDOM % 20000))
ADMIN=bench-admin-$(od -An -tx8 -N8 /dev/urandom | tr -d ' ')
cleanup() { [ -n "${SERVER:-}" ] && kill "$SERVER" 2>/dev/null && wait "$SERVER" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

INDGANG_ADMIN_KEY=$ADMIN INDGANG_DATA_DIR=$WORK/data LOG_LEVEL=warning "$BIN" serve --port $PORT 2>"$WORK/server.log" &
SERVER=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$PORT/readyz" >/dev/null && break; sleep 0.5; done
SOCKET=$WORK/data/cluster/run
PSQL=("$PGBIN/psql" -h "$SOCKET" -U indgang -d indgang -q -v ON_ERROR_STOP=1)

echo "== opening $CASES cases" >&2
python3 - "$PORT" "$ADMIN" "$CASES" "$WORK" <<'PY'
import http.client, json, sys
port, admin, cases, work = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
connection = http.client.HTTPConnection("127.0.0.1", port)
def call(path, key, body):
    connection.request("POST", path, body=json.dumps(body), headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    answer = connection.getresponse()
    data = json.loads(answer.read() or b"{}")
    assert answer.status in (200, 201), (path, answer.status, data)
    return data
call("/v1/actors", admin, {"slug": "bench-hospital", "name": "Bench Hospital", "kind": "hospital"})
call("/v1/actors", admin, {"slug": "bench-kommune", "name": "Bench Kommune", "kind": "municipality", "municipality_code": "101"})
key = call("/v1/actors/bench-hospital/keys", admin, {"role": "caseworker"})
ids = []
for n in range(cases):
    # Distinct citizens born 1920–1959 (the 7th digit 0–3 places them in the 1900s).
    cpr = f"{n % 28 + 1:02d}{(n // 28) % 12 + 1:02d}{20 + (n // 336) % 40:02d}-{n // 13440:01d}{n % 1000:03d}"
    ids.append(call("/v1/cases", key["key"], {"cpr": cpr, "pathway": "subacute-elderly", "summary": "bench"})["id"])
open(f"{work}/case_ids", "w").write("\n".join(ids) + "\n")
open(f"{work}/key", "w").write(key["key"])
open(f"{work}/key_id", "w").write(key["id"])
PY
KEY=$(cat "$WORK/key")
ACTOR=$("${PSQL[@]}" -Atc "SELECT id FROM actors WHERE slug = 'bench-hospital'")
"${PSQL[@]}" -c "CREATE TABLE bench_case_ids (n serial PRIMARY KEY, id uuid NOT NULL)" \
    -c "\\copy bench_case_ids (id) FROM '$WORK/case_ids'" -c "VACUUM ANALYZE"

# Counters before and after each run: commits, WAL, CPU of the server process and of every postgres process.
snapshot() {
  python3 - "$SERVER" "$SOCKET" "$PGBIN" <<'PY'
import json, os, subprocess, sys
server, socket, pgbin = sys.argv[1:4]
tick = os.sysconf("SC_CLK_TCK")
def fields(pid):
    return open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
def cpu(pid, children=False):
    f = fields(pid)  # utime, stime at 11, 12; cutime, cstime (reaped children) at 13, 14
    return (int(f[11]) + int(f[12]) + (int(f[13]) + int(f[14]) if children else 0)) / tick
# PostgreSQL: the postmaster with every backend it has reaped (pgbench's end with the run), plus the live ones.
postmaster = int(open(f"{socket}/../pgdata/postmaster.pid").readline())
postgres = cpu(postmaster, children=True)
for pid in os.listdir("/proc"):
    if pid.isdigit():
        try:
            if int(fields(pid)[1]) == postmaster: postgres += cpu(pid)
        except (OSError, IndexError, ValueError):
            pass
query = ("SELECT (SELECT xact_commit FROM pg_stat_database WHERE datname = 'indgang'), wal_bytes, wal_sync FROM pg_stat_wal")
row = subprocess.run([f"{pgbin}/psql", "-h", socket, "-U", "indgang", "-d", "indgang", "-Atc", query], capture_output=True, text=True).stdout.strip().split("|")
rss = int([l for l in open(f"/proc/{server}/status") if l.startswith("VmRSS")][0].split()[1]) // 1024
print(json.dumps({"server_cpu": cpu(server), "postgres_cpu": postgres, "commits": int(row[0]), "wal_bytes": int(row[1]), "wal_syncs": int(row[2]), "rss_mb": rss}))
PY
}

echo "== baseline: pgbench, $CLIENTS clients, ${DURATION}s" >&2
snapshot > "$WORK/snap-baseline.before"
(cd "$WORK" && "$PGBIN/pgbench" -h "$SOCKET" -U indgang -n -c $CLIENTS -j 2 -T "$DURATION" -D cases="$CASES" -D actor="$ACTOR" \
    -D key="$(cat "$WORK/key_id")" -f "$OLDPWD/Benchmarks/reads/baseline_case_read.sql" -l --log-prefix=pgbench-log indgang > "$WORK/pgbench.txt" 2>&1) \
    || { cat "$WORK/pgbench.txt"; exit 1; }
snapshot > "$WORK/snap-baseline.after"
for name in case timeline; do
  suffix=""; [ $name = timeline ] && suffix=/timeline
  echo "== GET /v1/cases/{id}$suffix: $CLIENTS connections, ${DURATION}s" >&2
  snapshot > "$WORK/snap-$name.before"
  CASE_IDS=$WORK/case_ids KEY=$KEY SUFFIX=$suffix wrk -t2 -c$CLIENTS -d"${DURATION}s" --latency -s Benchmarks/reads/random_case.lua \
      "http://127.0.0.1:$PORT" > "$WORK/$name.txt" &
  WRK=$!
  # PROFILE=1: where the server's CPU goes during the case reads (perf, flat by symbol; not part of the figures' run).
  if [ -n "${PROFILE:-}" ] && [ $name = case ] && command -v perf >/dev/null; then
    sleep 3
    perf record -q -F 499 -p "$SERVER" -o "$WORK/perf.data" -- sleep $((DURATION / 2)) 2>/dev/null
    perf report -q -i "$WORK/perf.data" --no-children --sort dso,symbol --percent-limit 0.7 2>/dev/null | head -45 >&2
  fi
  wait $WRK
  snapshot > "$WORK/snap-$name.after"
done

python3 - "$WORK" <<'PY'
import glob, json, re, sys
work = sys.argv[1]
def delta(name):
    before, after = (json.load(open(f"{work}/snap-{name}.{edge}")) for edge in ("before", "after"))
    return {k: after[k] - before[k] for k in before if k != "rss_mb"} | {"rss_mb": after["rss_mb"]}
pg = open(f"{work}/pgbench.txt").read()
base_tps = float(re.search(r"tps = ([\d.]+)", pg).group(1))
lat = sorted(int(line.split()[2]) / 1000 for f in glob.glob(f"{work}/pgbench-log.*") for line in open(f) if line.strip())
rows = [("baseline: pgbench, same SQL", base_tps, lat[len(lat) // 2], lat[int(len(lat) * 0.99)], delta("baseline"), int(re.search(r"number of transactions actually processed: (\d+)", pg).group(1)))]
for name, label in [("case", "GET /v1/cases/{id}"), ("timeline", "GET /v1/cases/{id}/timeline")]:
    text = open(f"{work}/{name}.txt").read()
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", text).group(1))
    done = int(re.search(r"(\d+) requests in", text).group(1))
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
    if bad: print(f"!! {label}: {bad.group(1)} non-2xx answers")
    rows.append((label, rps, float(re.search(r"p50_ms ([\d.]+)", text).group(1)), float(re.search(r"p99_ms ([\d.]+)", text).group(1)), delta(name), done))
print(f"{'run (32 clients)':34} {'reads/s':>8} {'p50 ms':>7} {'p99 ms':>7} {'ratio':>6} {'commits/read':>12} {'WAL B/read':>10} {'flushes/read':>12} {'Swift µs/read':>13} {'PG µs/read':>10} {'RSS MB':>7}")
for label, rate, p50, p99, d, n in rows:
    n = max(n, 1)
    print(f"{label:34} {rate:8.0f} {p50:7.1f} {p99:7.1f} {rate / base_tps:6.2f} {d['commits'] / n:12.2f} {d['wal_bytes'] / n:10.0f} {d['wal_syncs'] / n:12.2f} "
          f"{d['server_cpu'] * 1e6 / n:13.0f} {d['postgres_cpu'] * 1e6 / n:10.0f} {d['rss_mb'] if not label.startswith('baseline') else '':>7}")
PY

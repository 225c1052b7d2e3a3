#!/usr/bin/env bash
# Failover demonstration (issue 19). Not part of the test command: `bash Benchmarks/failover/run.sh`.
# On this one machine, loopback only: etcd, two Patroni-managed PostgreSQL 15 nodes (primary + synchronous
# standby), haproxy with the three fronts of Deploy/ha/haproxy.cfg, and three `indgang serve` replicas behind it.
# Under a bounded load (about 40 events/s, a live stream, outcome queries) it kills a replica, kills the primary's
# postmaster, switches over on purpose and pauses the standby's replay, then checks that no acknowledged write was
# lost, nothing was duplicated, the live streams had no gap or repeat, no handoff was escalated twice, and that
# outcome answers left the lagging standby. Prints a table; exits 1 if an invariant broke. About 3 minutes.
#
#   INDGANG_BIN=path        the binary to run (default: `swift build -c release --product indgang`)
#   EXPECT_READ_FALLBACK=0  report, but do not require, that outcomes read from the standby and fall back
#   FAILOVER_LOGS=dir       where the logs of the run are kept (default /tmp/indgang-failover-logs)
#   KEEP=1                  keep the whole work folder (data directories too)
set -euo pipefail
cd "$(dirname "$0")/../.."
REPO=$(pwd)
HERE=$REPO/Benchmarks/failover
LOGS=${FAILOVER_LOGS:-/tmp/indgang-failover-logs}
PGBIN=/usr/lib/postgresql/15/bin
export EXPECT_READ_FALLBACK=${EXPECT_READ_FALLBACK:-1}
[ "$(id -u)" = 0 ] || { echo "run as root (PostgreSQL and Patroni run as the postgres user)" >&2; exit 2; }

# What the demo needs, installed only when missing (Debian packages).
missing=()
command -v patroni >/dev/null || missing+=(patroni)
command -v etcd >/dev/null || missing+=(etcd-server)
command -v haproxy >/dev/null || missing+=(haproxy)
[ -x $PGBIN/postgres ] || missing+=(postgresql-15)
command -v psql >/dev/null || missing+=(postgresql-client-15)
if [ ${#missing[@]} -gt 0 ]; then
    echo "installing ${missing[*]}"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

if [ -n "${INDGANG_BIN:-}" ]; then
    BIN=$INDGANG_BIN
else
    swift build -c release --product indgang >/dev/null
    BIN=$(swift build -c release --show-bin-path)/indgang
fi
[ -x "$BIN" ] || { echo "no indgang binary at $BIN" >&2; exit 2; }

WORK=$(mktemp -d /tmp/indgang-failover-XXXX)
chmod 755 "$WORK"
mkdir -p "$WORK/pids" "$WORK/logs" "$WORK/pathways"
echo "work folder $WORK"

# Stops one process we started (its pid file), politely first.
stop() {
    local file=$1 wait=${2:-10} pid
    [ -f "$file" ] || return 0
    pid=$(cat "$file")
    if kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 $((wait * 5))); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$file"
}
cleanup() {
    local rc=$?
    set +e
    trap - EXIT INT TERM
    echo "stopping what the demo started"
    local stoppers=()
    for f in "$WORK"/pids/app*.pid; do stop "$f" 10 & stoppers+=($!); done
    [ ${#stoppers[@]} -gt 0 ] && wait "${stoppers[@]}"
    stop "$WORK/pids/haproxy.pid" 5
    stoppers=()
    for node in pg1 pg2; do stop "$WORK/pids/$node.pid" 30 & stoppers+=($!); done
    wait "${stoppers[@]}"
    # A postmaster left behind by a killed Patroni (its pid is in its own data directory).
    for node in pg1 pg2; do
        pm=$(head -1 "$WORK/$node/data/postmaster.pid" 2>/dev/null)
        if [ -n "$pm" ] && [ "$(readlink "/proc/$pm/exe" 2>/dev/null)" = "$PGBIN/postgres" ]; then
            kill -QUIT "$pm" 2>/dev/null
        fi
    done
    stop "$WORK/pids/etcd.pid" 5
    rm -rf "$LOGS"
    mkdir -p "$LOGS"
    cp -r "$WORK/logs/." "$LOGS/" 2>/dev/null
    if [ "${KEEP:-0}" = 1 ]; then echo "kept $WORK"; else rm -rf "$WORK"; fi
    echo "logs in $LOGS"
    exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Free loopback ports and the run's secrets.
PORTS=$(python3 - <<'PY'
import json, socket
names = ["etcd_client", "etcd_peer", "pg1_pg", "pg1_rest", "pg2_pg", "pg2_rest", "rw", "ro", "http", "stats", "app1", "app2", "app3"]
socks = []
for _ in names:
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
print(json.dumps({n: s.getsockname()[1] for n, s in zip(names, socks)}))
PY
)
port() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$PORTS" "$1"; }
secret() { od -An -tx1 -N16 /dev/urandom | tr -d ' \n'; }
DB_PASSWORD=$(secret)
python3 - "$WORK/secrets.json" "$DB_PASSWORD" "$(secret)" "$(secret)" "$(secret)" "$(secret)" <<'PY'
import json, sys
json.dump(dict(zip(["indgang_db", "superuser", "replication", "rewind", "patroni_rest"], sys.argv[2:])), open(sys.argv[1], "w"))
PY
chmod 600 "$WORK/secrets.json"
RW=$(port rw); RO=$(port ro); HTTP=$(port http)

install -m 755 "$REPO/Deploy/ha/indgang-post-bootstrap.sh" "$WORK/indgang-post-bootstrap.sh"
/usr/bin/python3 "$HERE/render.py" "$REPO/Deploy/ha" "$WORK" "$PORTS"
for node in pg1 pg2; do
    install -d -m 700 -o postgres -g postgres "$WORK/$node"
    chown postgres:postgres "$WORK/$node.yml"; chmod 600 "$WORK/$node.yml"
done

# etcd (one member: the demo's DCS; Deploy/ha/README.md runs three).
EC=$(port etcd_client); EP=$(port etcd_peer)
etcd --name demo --data-dir "$WORK/etcd" \
    --listen-client-urls "http://127.0.0.1:$EC" --advertise-client-urls "http://127.0.0.1:$EC" \
    --listen-peer-urls "http://127.0.0.1:$EP" --initial-advertise-peer-urls "http://127.0.0.1:$EP" \
    --initial-cluster "demo=http://127.0.0.1:$EP" >"$WORK/logs/etcd.log" 2>&1 &
echo $! >"$WORK/pids/etcd.pid"
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$EC/health" >/dev/null && break; sleep 0.2; done

start_patroni() {
    local node=$1
    touch "$WORK/logs/$node.log"; chown postgres "$WORK/logs/$node.log"
    # runuser forks; the shell it starts execs Patroni, so the pid file holds Patroni's own pid.
    runuser -u postgres -- env INDGANG_DB_PASSWORD="$DB_PASSWORD" sh -c \
        'echo $$ > "$1"; exec patroni "$2" >>"$3" 2>&1' sh "$WORK/$node/patroni.pid" "$WORK/$node.yml" "$WORK/logs/$node.log" &
    for _ in $(seq 1 50); do [ -s "$WORK/$node/patroni.pid" ] && break; sleep 0.1; done
    cp "$WORK/$node/patroni.pid" "$WORK/pids/$node.pid"
}
rest() { curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$(port "$1_rest")/$2"; }
echo "bootstrapping the PostgreSQL pair under Patroni"
start_patroni pg1
for _ in $(seq 1 300); do [ "$(rest pg1 primary)" = 200 ] && break; sleep 0.2; done
[ "$(rest pg1 primary)" = 200 ] || { echo "pg1 did not become primary" >&2; tail -30 "$WORK/logs/pg1.log" >&2; exit 1; }
start_patroni pg2
sync_ready() {
    curl -sf "http://127.0.0.1:$(port pg1_rest)/cluster" | python3 -c '
import json, sys
members = json.load(sys.stdin)["members"]
sys.exit(0 if any(m["role"] == "sync_standby" and m["state"] in ("running", "streaming") for m in members) else 1)'
}
for _ in $(seq 1 300); do sync_ready && break; sleep 0.2; done
sync_ready || { echo "no synchronous standby" >&2; tail -30 "$WORK/logs/pg2.log" >&2; exit 1; }

haproxy -f "$WORK/haproxy.cfg" -db >"$WORK/logs/haproxy.log" 2>&1 &
echo $! >"$WORK/pids/haproxy.pid"
# haproxy counts a server as up until its first check has failed: until then the read-write address may lead to
# the standby (a migration sent there fails: "read-only transaction"). Wait for the checks to have run.
haproxy_states() {
    python3 - "$WORK/haproxy.sock" <<'PY' 2>/dev/null
import socket, sys
s = socket.socket(socket.AF_UNIX); s.settimeout(2); s.connect(sys.argv[1]); s.sendall(b"show stat\n")
data = b""
while chunk := s.recv(65536):
    data += chunk
rows = [line.split(",") for line in data.decode().lstrip("# ").splitlines()]
status = rows[0].index("status")
print(" ".join(f"{r[0]}/{r[1]}={r[status].replace(' ', '_')};" for r in rows[1:] if len(r) > status))
PY
}
for _ in $(seq 1 100); do
    states=$(haproxy_states || true)
    case "$states" in
        *postgres_rw/pg1=UP\;*) case "$states" in *postgres_rw/pg2=DOWN\;*postgres_ro/pg1=DOWN\;*postgres_ro/pg2=UP\;*) break ;; esac ;;
    esac
    sleep 0.2
done
DATABASE_URL="postgres://indgang:$DB_PASSWORD@127.0.0.1:$RW/indgang?sslmode=disable"
READ_URL="postgres://indgang:$DB_PASSWORD@127.0.0.1:$RO/indgang?sslmode=disable"
for _ in $(seq 1 50); do PGPASSWORD=$DB_PASSWORD psql -X -qAt -h 127.0.0.1 -p "$RW" -U indgang -d indgang -c 'SELECT 1' >/dev/null 2>&1 && break; sleep 0.2; done

echo "indgang migrate through the read-write address"
DATABASE_URL=$DATABASE_URL LOG_LEVEL=warning "$BIN" migrate >"$WORK/logs/migrate.log" 2>&1

# The escalation actor comes from a municipality variant, as a municipality would deploy it (API.md, variants).
cat >"$WORK/pathways/failover-demo.yaml" <<'YAML'
id: failover-demo-subacute
title: Sub-akut forløb med visitation (failover demo)
extends: subacute-elderly
version: 1
municipalities: ["101"]
valid_from: 2020-01-01
overrides:
  escalation_actor: fo-visitation
YAML
ADMIN_KEY=fo-admin-$(secret)
cat >"$WORK/app.env" <<ENV
DATABASE_URL=$DATABASE_URL
INDGANG_READ_DATABASE_URL=$READ_URL
INDGANG_READ_MAX_LAG=5
INDGANG_DATA_KEY=$(head -c 32 /dev/urandom | base64)
INDGANG_ADMIN_KEY=$ADMIN_KEY
INDGANG_SCHEDULER_INTERVAL=1
INDGANG_STREAM_HEARTBEAT=2
INDGANG_PATHWAYS_DIR=$WORK/pathways
LOG_LEVEL=warning
ENV
chmod 600 "$WORK/app.env"
# Starts (or restarts) replica N; the driver calls it again after killing one.
cat >"$WORK/start-app.sh" <<SH
#!/usr/bin/env bash
set -a; . "$WORK/app.env"; set +a
n=\$1; port=\$(python3 -c "import json,sys; print(json.loads(sys.argv[1])['app'+sys.argv[2]])" '$PORTS' "\$n")
echo "--- start \$(date -u +%FT%T.%3NZ)" >>"$WORK/logs/app\$n.log"
"$BIN" serve --port "\$port" >>"$WORK/logs/app\$n.log" 2>&1 &
echo \$! >"$WORK/pids/app\$n.pid"
SH
chmod 700 "$WORK/start-app.sh"
for n in 1 2 3; do bash "$WORK/start-app.sh" $n; done
for n in 1 2 3; do
    for _ in $(seq 1 150); do curl -sf "http://127.0.0.1:$(port app$n)/readyz" >/dev/null && break; sleep 0.2; done
    curl -sf "http://127.0.0.1:$(port app$n)/readyz" >/dev/null || { echo "replica $n not ready" >&2; tail -20 "$WORK/logs/app$n.log" >&2; exit 1; }
done
for _ in $(seq 1 50); do curl -sf "http://127.0.0.1:$HTTP/readyz" >/dev/null && break; sleep 0.2; done

echo "driving load and faults"
python3 "$HERE/drive.py" "$WORK" "$PORTS" "$ADMIN_KEY" "$DB_PASSWORD" 2>&1 | tee "$WORK/logs/drive.log"
exit "${PIPESTATUS[0]}"

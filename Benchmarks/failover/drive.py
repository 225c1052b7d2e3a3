"""Load, faults and checks of the failover demonstration (started by run.sh; standard library only).

    drive.py WORK PORTS_JSON ADMIN_KEY DB_PASSWORD

Everything goes through haproxy's HTTP front except the per-replica probes (one write and one /readyz a second
to each replica's own port, to tell which replica misbehaves). Times are wall-clock seconds since the start.
"""

import csv
import datetime as dt
import http.client
import json
import os
import socket
import subprocess
import sys
import threading
import time
import urllib.request

WORK, PORTS, ADMIN, DB_PASSWORD = sys.argv[1], json.loads(sys.argv[2]), sys.argv[3], sys.argv[4]
EXPECT_FALLBACK = os.environ.get("EXPECT_READ_FALLBACK", "1") != "0"
RATE = float(os.environ.get("FAILOVER_RATE", "40"))  # events per second offered
MAX_LAG = 5  # INDGANG_READ_MAX_LAG of the replicas (run.sh)
WORKERS = 10
T0 = time.time()
LOGDIR = os.path.join(WORK, "logs")
REPLICAS = ["app1", "app2", "app3"]
stop_load = threading.Event()
stop_all = threading.Event()


def rel(t):
    return t - T0


def log(message):
    print(f"[{rel(time.time()):7.2f}] {message}", flush=True)


def iso(t):
    return dt.datetime.fromtimestamp(t, dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text):
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def request(port, method, path, key=None, body=None, headers=None, timeout=15, conn=None):
    """One HTTP exchange; returns (status, body bytes). A given connection is reused (keep-alive)."""
    own = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    h = dict(headers or {})
    if key:
        h["Authorization"] = f"Bearer {key}"
    data = None
    if body is not None:
        data = json.dumps(body).encode()
        h["Content-Type"] = "application/json"
    try:
        conn.request(method, path, body=data, headers=h)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        if own:
            conn.close()


FRONT = PORTS["http"]


# ---------------------------------------------------------------------------------------------------- records
class Records:
    def __init__(self):
        self.lock = threading.Lock()
        self.attempts = []   # (sent, done, status or error name, kind)
        self.acks = []       # (actor, source, id, first_sent, ack_sent, ack_time, attempts, status)
        self.given_up = []   # (actor, source, id, last status)
        self.probes = []     # (replica, sent, done, ready_status, write_status, kind)
        self.stream = {}     # name -> list of (time, sse_id, notification_id, kind)
        self.stream_events = []  # (time, name, what, detail)
        self.outcomes = []   # (sent, done, status, as_of or None)
        self.timeline = []   # (time, text)
        self.faults = []     # (time, label)
        self.replay = {}     # pause facts
        self.scenario_error = None

    def add(self, name, row):
        with self.lock:
            getattr(self, name).append(row)

    def mark(self, text):
        with self.lock:
            self.timeline.append((time.time(), text))
        log(text)


R = Records()


# ---------------------------------------------------------------------------------------------------- setup
def api(path, body, key=ADMIN):
    for _ in range(40):
        try:
            status, data = request(FRONT, "POST", path, key, body)
            if status in (200, 201):
                return json.loads(data)
            if status == 409:
                return None
        except OSError:
            pass
        time.sleep(0.25)
    raise SystemExit(f"setup call {path} failed")


def setup():
    for actor in [{"slug": "fo-hospital", "name": "Failover Hospital", "kind": "hospital"},
                  {"slug": "fo-kommune", "name": "Failover Kommune", "kind": "municipality", "municipality_code": "101"},
                  {"slug": "fo-visitation", "name": "Failover Visitation", "kind": "other"},
                  {"slug": "fo-statistik", "name": "Failover Statistik", "kind": "other"}]:
        api("/v1/actors", actor)
    keys = {}
    for name, slug, role in [("hospital", "fo-hospital", "integration"), ("register", "fo-kommune", "integration"),
                             ("kommune", "fo-kommune", "caseworker"), ("visitation", "fo-visitation", "caseworker"),
                             ("coordinator", "fo-statistik", "coordinator")]:
        keys[name] = api(f"/v1/actors/{slug}/keys", {"role": role, "label": "failover demo"})["key"]
    return keys


def cpr(n):
    # Born 1940-1955 (7th digit 1-3: 1900s), so every citizen is on the sub-acute elderly pathway.
    return f"{1 + n % 28:02d}{1 + (n // 28) % 12:02d}{40 + (n // 336) % 16:02d}-{1000 + (n // 5376) % 2999:04d}"


# ---------------------------------------------------------------------------------------------------- load
class RateLimit:
    def __init__(self, rate):
        self.lock, self.next, self.gap = threading.Lock(), time.time(), 1.0 / rate

    def wait(self):
        with self.lock:
            t = max(self.next, time.time())
            self.next = t + self.gap
        time.sleep(max(0.0, t - time.time()))


def post_until_ack(conn_box, key, actor, event, kind="event", port=FRONT, give_up_after=120):
    """Posts one event, retrying under the same (source, id) until a 2xx; returns the status or None."""
    first = time.time()
    attempts = 0
    last = None
    while True:
        attempts += 1
        sent = time.time()
        try:
            if conn_box[0] is None:
                conn_box[0] = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
            status, _ = request(port, "POST", "/v1/events", key, event, conn=conn_box[0])
            last = status
        except (OSError, http.client.HTTPException) as error:
            if conn_box[0]:
                conn_box[0].close()
            conn_box[0] = None
            status, last = None, type(error).__name__
        done = time.time()
        R.add("attempts", (sent, done, last, kind))
        if status in (200, 201):
            R.add("acks", (actor, event["source"], event["id"], first, sent, done, attempts, status))
            return status
        if status is not None and 400 <= status < 500 and status not in (408, 429):
            R.add("given_up", (actor, event["source"], event["id"], status))
            log(f"event {event['source']}/{event['id']} refused with {status}; not retried")
            return None
        if time.time() - first > give_up_after:
            R.add("given_up", (actor, event["source"], event["id"], last))
            return None
        time.sleep(0.25)


class Load:
    def __init__(self, keys):
        self.keys = keys
        self.next = 0
        self.lock = threading.Lock()
        self.limit = RateLimit(RATE)

    def citizen(self):
        with self.lock:
            n = self.next
            self.next += 1
        return n

    def worker(self):
        conn = [None]
        while not stop_load.is_set():
            n = self.citizen()
            now = time.time()
            person, episode = cpr(n), f"fo-ep-{n}"
            events = [
                ("register", "fo-kommune", {"source": "fo-cpr", "id": f"moved-{n}", "type": "citizen.moved",
                                            "occurred_at": iso(now - 40 * 86400), "cpr": person,
                                            "attributes": {"municipality_code": "101"}}),
                ("hospital", "fo-hospital", {"source": "fo-epj", "id": f"adm-{n}", "type": "hospital.admitted",
                                             "occurred_at": iso(now - 27 * 3600), "cpr": person,
                                             "attributes": {"episode_id": episode, "admission": "acute", "actor": "fo-hospital"}}),
                # Discharged "24 h ago less 8 s": the pathway's handoff to the municipality is due in 8 s, and then
                # overdue and escalated to the variant's escalation actor by one of the replicas' sweeps.
                ("hospital", "fo-hospital", {"source": "fo-epj", "id": f"dis-{n}", "type": "hospital.discharged",
                                             "occurred_at": iso(now - 24 * 3600 + 8), "cpr": person,
                                             "attributes": {"episode_id": episode, "discharged_to": "home", "actor": "fo-hospital"}}),
            ]
            for key, actor, event in events:
                self.limit.wait()
                post_until_ack(conn, self.keys[key], actor, event)


# ---------------------------------------------------------------------------------------------------- probes
def probe(replica, key):
    """Once a second: /readyz and one write, straight to one replica."""
    port = PORTS[replica]
    seq = 0
    conn = [None]
    base = {"app1": 2_000_000, "app2": 3_000_000, "app3": 4_000_000}[replica]
    while not stop_all.is_set():
        started = time.time()
        try:
            ready, _ = request(port, "GET", "/readyz", timeout=2)
        except (OSError, http.client.HTTPException) as error:
            ready = type(error).__name__
        seq += 1
        event = {"source": "fo-probe", "id": f"{replica}-{seq}", "type": "citizen.moved",
                 "occurred_at": iso(T0 - 50 * 86400), "cpr": cpr(base + seq), "attributes": {"municipality_code": "101"}}
        sent = time.time()
        try:
            if conn[0] is None:
                conn[0] = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            status, _ = request(port, "POST", "/v1/events", key, event, conn=conn[0])
        except (OSError, http.client.HTTPException) as error:
            if conn[0]:
                conn[0].close()
            conn[0] = None
            status = type(error).__name__
        done = time.time()
        R.add("probes", (replica, sent, done, ready, status))
        if status in (200, 201):
            R.add("acks", ("fo-kommune", "fo-probe", event["id"], sent, sent, done, 1, status))
        stop_all.wait(max(0.0, 1.0 - (time.time() - started)))


# ---------------------------------------------------------------------------------------------------- streams
class Stream:
    def __init__(self, name, key):
        self.name, self.key = name, key
        self.last_id = None
        self.connected = threading.Event()
        R.stream[name] = []

    def run(self):
        while not stop_all.is_set():
            headers = {"Accept": "text/event-stream"}
            if self.last_id:
                headers["Last-Event-ID"] = self.last_id
            conn = http.client.HTTPConnection("127.0.0.1", FRONT, timeout=8)  # heartbeats every 2 s
            try:
                conn.request("GET", "/v1/notifications/stream", headers={**headers, "Authorization": f"Bearer {self.key}"})
                response = conn.getresponse()
                if response.status != 200:
                    R.add("stream_events", (time.time(), self.name, "refused", response.status))
                    response.read()
                    time.sleep(0.5)
                    continue
                R.add("stream_events", (time.time(), self.name, "connected", self.last_id))
                self.connected.set()
                fields = {}
                while not stop_all.is_set():
                    line = response.readline()
                    if not line:
                        raise EOFError("stream ended")
                    line = line.decode().rstrip("\r\n")
                    if line == "":
                        if "data" in fields:
                            data = json.loads(fields["data"])
                            R.stream[self.name].append((time.time(), fields.get("id"), data.get("id"), fields.get("event")))
                            if fields.get("id"):
                                self.last_id = fields["id"]
                        fields = {}
                    elif not line.startswith(":"):
                        field, _, value = line.partition(":")
                        fields[field] = value[1:] if value.startswith(" ") else value
            except (OSError, EOFError, http.client.HTTPException, ValueError) as error:
                if not stop_all.is_set():
                    R.add("stream_events", (time.time(), self.name, "disconnected", f"{type(error).__name__}: {error}"))
                time.sleep(0.3)
            finally:
                conn.close()


# ---------------------------------------------------------------------------------------------------- outcomes
outcome_interval = [2.0]


def outcomes(key):
    while not stop_all.is_set():
        sent = time.time()
        as_of = None
        try:
            status, body = request(FRONT, "GET", "/v1/outcomes/readmissions?pathway=subacute-elderly", key, timeout=10)
            if status == 200:
                definition = json.loads(body)["definition"]
                as_of = parse_time(definition.get("as_of") or definition["parameters"]["as_of"])
        except (OSError, http.client.HTTPException, ValueError, KeyError) as error:
            status = type(error).__name__
        R.add("outcomes", (sent, time.time(), status, as_of))
        stop_all.wait(max(0.0, outcome_interval[0] - (time.time() - sent)))


# ---------------------------------------------------------------------------------------------------- cluster
def rest(node, path, timeout=2):
    with urllib.request.urlopen(f"http://127.0.0.1:{PORTS[node + '_rest']}{path}", timeout=timeout) as r:
        return json.loads(r.read() or b"{}")


def cluster():
    for node in ("pg1", "pg2"):
        try:
            return {m["name"]: m for m in rest(node, "/cluster")["members"]}
        except (OSError, ValueError):
            continue
    return {}


def roles():
    members = cluster()
    leader = next((n for n, m in members.items() if m["role"] == "leader" and m["state"] == "running"), None)
    sync = next((n for n, m in members.items() if m["role"] == "sync_standby" and m["state"] in ("running", "streaming")), None)
    return leader, sync


def haproxy_status():
    try:
        with socket.socket(socket.AF_UNIX) as s:
            s.settimeout(2)
            s.connect(os.path.join(WORK, "haproxy.sock"))
            s.sendall(b"show stat\n")
            data = b""
            while chunk := s.recv(65536):
                data += chunk
        rows = list(csv.reader(data.decode().lstrip("# ").splitlines()))
        head = rows[0]
        return {f"{r[0]}/{r[1]}": r[head.index("status")] for r in rows[1:] if len(r) > 1 and r[1] not in ("FRONTEND", "BACKEND")}
    except OSError:
        return {}


def monitor():
    seen = {}
    while not stop_all.is_set():
        state = {f"haproxy {k}": v for k, v in haproxy_status().items() if k.split("/")[0] != "stats"}
        for name, member in cluster().items():
            state[f"patroni {name}"] = f"{member['role']}/{member['state']}"
        for key, value in sorted(state.items()):
            if any(c.isdigit() for c in value):
                continue  # haproxy's "UP 1/2": a check half-way to changing the state
            if seen.get(key) != value:
                if key in seen:
                    R.mark(f"{key}: {seen[key]} -> {value}")
                seen[key] = value
        stop_all.wait(0.5)


def wait_healthy(limit=90):
    """Until Patroni has a leader and a streaming synchronous standby, haproxy routes to both, and every replica is ready."""
    deadline = time.time() + limit
    while time.time() < deadline:
        leader, sync = roles()
        proxy = haproxy_status()
        ready = all(ok(PORTS[r]) for r in REPLICAS)
        if leader and sync and proxy.get(f"postgres_rw/{leader}") == "UP" and proxy.get(f"postgres_ro/{sync}") == "UP" and ready:
            return leader, sync
        time.sleep(0.5)
    raise RuntimeError("the cluster did not become healthy again")


def ok(port):
    try:
        return request(port, "GET", "/readyz", timeout=2)[0] == 200
    except (OSError, http.client.HTTPException):
        return False


def psql(sql, port=None, node=None, timeout=60):
    """Through haproxy's read-write address as `indgang`, or on a node's own socket as the postgres superuser."""
    if node:
        command = ["runuser", "-u", "postgres", "--", "psql", "-X", "-qAt", "-F", "\t", "-v", "ON_ERROR_STOP=1",
                   "-h", os.path.join(WORK, node), "-p", str(PORTS[node + "_pg"]), "-d", "postgres", "-f", "-"]
    else:
        command = ["psql", "-X", "-qAt", "-F", "\t", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", str(port or PORTS["rw"]),
                   "-U", "indgang", "-d", "indgang", "-f", "-"]
    result = subprocess.run(command, input=sql, capture_output=True, text=True, timeout=timeout, env={**os.environ, "PGPASSWORD": DB_PASSWORD})
    if result.returncode != 0:
        raise RuntimeError(f"psql failed: {result.stderr.strip()}")
    return [line.split("\t") for line in result.stdout.splitlines() if line]


def evidence(label):
    """What the replicas' connections and the database sessions look like (kept with the logs)."""
    path = os.path.join(LOGDIR, f"evidence-{label}.txt")
    with open(path, "w") as f:
        pids = {}
        for replica in REPLICAS:
            try:
                pids[replica] = pid_of(replica)
            except (OSError, ValueError):
                pass
        f.write(f"# {label} at t={rel(time.time()):.2f}\n\n## ss -tnp of this run's replicas {pids}\n")
        try:
            f.write("\n".join(line for line in subprocess.run(["ss", "-tnp"], capture_output=True, text=True, timeout=10).stdout.splitlines()
                              if line.startswith("State") or any(f"pid={pid}," in line for pid in pids.values())) + "\n")
        except (OSError, subprocess.SubprocessError) as error:
            f.write(f"ss failed: {error}\n")
        f.write("\n## pg_stat_activity (through the read-write address)\n")
        try:
            for row in psql("SELECT pid, client_port, state, coalesce(wait_event_type,'') || ':' || coalesce(wait_event,''),"
                            " round(extract(epoch FROM now() - state_change)::numeric, 1), left(regexp_replace(query, '\\s+', ' ', 'g'), 70)"
                            " FROM pg_stat_activity WHERE datname = 'indgang' ORDER BY client_port", timeout=10):
                f.write("\t".join(row) + "\n")
        except (RuntimeError, subprocess.SubprocessError) as error:
            f.write(f"unavailable: {error}\n")
        f.write("\n## patroni\n" + json.dumps(cluster(), indent=1) + "\n## haproxy\n" + json.dumps(haproxy_status(), indent=1) + "\n")


def pid_of(replica):
    return int(open(os.path.join(WORK, "pids", f"{replica}.pid")).read())


def fault(label):
    R.add("faults", (time.time(), label))
    R.mark(f"FAULT {label}")


# ---------------------------------------------------------------------------------------------------- scenario
def await_new_roles(label, what, settle):
    """After a fault that moves the primary: evidence while it settles, the new roles, evidence after."""
    time.sleep(settle)
    evidence(f"{label}-during")
    leader, sync = wait_healthy(120)
    R.mark(f"{what} done: leader {leader}, synchronous standby {sync}")
    evidence(f"{label}-after")
    time.sleep(12)


def scenario():
    time.sleep(15)
    leader, sync = wait_healthy()

    # (a) kill -9 one replica; restart it after a while.
    victim = "app2"
    os.kill(pid_of(victim), 9)
    fault("a: kill -9 indgang replica app2")
    time.sleep(5)
    evidence("a")
    time.sleep(10)
    subprocess.run(["bash", os.path.join(WORK, "start-app.sh"), "2"], check=True)
    restarted = time.time()
    while not ok(PORTS[victim]) and time.time() - restarted < 60:
        time.sleep(0.2)
    R.mark(f"app2 restarted, ready after {time.time() - restarted:.1f} s")
    time.sleep(10)
    leader, sync = wait_healthy()

    # (b) kill -9 the primary's postmaster: Patroni fails over to the synchronous standby.
    postmaster = int(open(os.path.join(WORK, leader, "data", "postmaster.pid")).readline())
    os.kill(postmaster, 9)
    fault(f"b: kill -9 postmaster of primary {leader} (pid {postmaster})")
    await_new_roles("b", "failover", settle=5)

    # (c) a planned switchover back.
    leader, sync = wait_healthy()
    fault(f"c: patronictl switchover {leader} -> {sync}")
    result = subprocess.run(["patronictl", "-c", os.path.join(WORK, f"{leader}.yml"), "switchover", "--leader", leader,
                             "--candidate", sync, "--force"], capture_output=True, text=True, timeout=90)
    with open(os.path.join(LOGDIR, "switchover.txt"), "w") as f:
        f.write(result.stdout + result.stderr)
    R.mark(f"patronictl switchover exited {result.returncode}")
    await_new_roles("c", "switchover", settle=3)

    # (d) pause replay on the standby for 3 x INDGANG_READ_MAX_LAG, then resume. Patroni resumes a paused replay
    # at its next loop (it takes the pause for PostgreSQL 14+'s pause on a parameter change), so the cluster goes
    # into Patroni's maintenance mode first, as an operator pausing replay on purpose would have to.
    leader, sync = wait_healthy()
    ctl = ["patronictl", "-c", os.path.join(WORK, f"{leader}.yml")]
    subprocess.run(ctl + ["pause", "--wait"], capture_output=True, text=True, timeout=60, check=True)
    R.mark("patronictl pause (maintenance mode)")
    outcome_interval[0] = 0.5
    time.sleep(1)
    psql("SELECT pg_wal_replay_pause()", node=sync)
    fault(f"d: pg_wal_replay_pause() on standby {sync} for {3 * MAX_LAG} s")
    time.sleep(0.5)
    frozen = psql("SELECT extract(epoch FROM pg_last_xact_replay_timestamp())", node=sync)[0][0]
    R.replay = {"paused_at": R.faults[-1][0], "replay_ts": float(frozen)}
    time.sleep(3 * MAX_LAG - 0.5)
    frozen_end = psql("SELECT extract(epoch FROM pg_last_xact_replay_timestamp())", node=sync)[0][0]
    psql("SELECT pg_wal_replay_resume()", node=sync)
    R.replay.update({"resumed_at": time.time(), "replay_ts_end": float(frozen_end)})
    R.mark("replay resumed")
    subprocess.run(ctl + ["resume", "--wait"], capture_output=True, text=True, timeout=60, check=True)
    R.mark("patronictl resume")
    outcome_interval[0] = 2.0
    time.sleep(10)


# ---------------------------------------------------------------------------------------------------- checks
def window_of(t):
    label = None
    for start, name in R.faults:
        if t >= start:
            label = name
    return label


def analyse():
    faults = R.faults
    names = [name for _, name in faults]
    per = {name: {} for name in names}
    ends = [t for t, _ in faults[1:]] + [time.time()]
    failures = []

    # RTO: from the fault to the first acknowledged write after the write pause it caused (the longest stretch
    # without an acknowledgement in the minute after the fault; with none over 1 s, the first acknowledgement).
    acks = sorted(R.acks, key=lambda a: a[5])
    load_acks = [a for a in acks if a[1] != "fo-probe"]
    for (start, name), end in zip(faults, ends):
        horizon = min(end, start + 60)
        times = [start] + [a[5] for a in load_acks if start <= a[5] < horizon and a[4] >= start - 30]
        gaps = [(b - a, b) for a, b in zip(times, times[1:])]
        longest = max(gaps, default=(None, None))
        after = [a[5] for a in load_acks if a[5] >= start]
        if longest[0] is not None and longest[0] > 1.0:
            per[name]["rto"] = longest[1] - start
        else:
            per[name]["rto"] = (after[0] - start) if after else None
        per[name]["gap"] = longest[0]
        bad = [a for a in R.attempts if start <= a[1] < end and a[2] not in (200, 201)]
        per[name]["errors"] = len(bad)
        per[name]["errors_until"] = (max(a[1] for a in bad) - start) if bad else 0.0
        per[name]["statuses"] = sorted({str(a[2]) for a in bad})
        per[name]["outcome_statuses"] = sorted({str(o[2]) for o in R.outcomes if start <= o[0] < end and o[2] != 200})
        if not after:
            failures.append(f"{name}: no write acknowledged after the fault")

    # Lost and duplicated writes, on the final primary.
    acked_file = os.path.join(WORK, "acked.csv")
    with open(acked_file, "w", newline="") as f:
        writer = csv.writer(f)
        for a in R.acks:
            writer.writerow([a[0], a[1], a[2], f"{a[5]:.3f}"])
    lost_rows = psql(f"""CREATE TEMP TABLE acked (actor text, source text, id text, at double precision);
\\copy acked FROM '{acked_file}' (FORMAT csv)
SELECT a.at FROM acked a WHERE NOT EXISTS (SELECT 1 FROM events e JOIN actors x ON x.id = e.posting_actor_id
    WHERE x.slug = a.actor AND e.source = a.source AND e.external_id = a.id);""")
    lost = [float(r[0]) for r in lost_rows]
    for name in names:
        per[name]["lost"] = 0
    for t in lost:
        per[window_of(t) or names[0]]["lost"] += 1
    duplicates = psql("SELECT count(*) FROM (SELECT 1 FROM events GROUP BY posting_actor_id, source, external_id HAVING count(*) > 1) d")[0][0]
    duplicate_rows = psql("""SELECT extract(epoch FROM min(received_at)) FROM events GROUP BY posting_actor_id, source, external_id HAVING count(*) > 1""")
    for name in names:
        per[name]["dup"] = 0
    for row in duplicate_rows:
        per[window_of(float(row[0])) or names[0]]["dup"] += 1
    extra = psql("""SELECT
        (SELECT count(*) FROM (SELECT citizen_id FROM cases WHERE pathway = 'subacute-elderly' GROUP BY citizen_id HAVING count(*) > 1) c),
        (SELECT count(*) FROM (SELECT case_id FROM handoffs GROUP BY case_id HAVING count(*) > 1) h),
        (SELECT count(*) FROM events), (SELECT count(*) FROM cases), (SELECT count(*) FROM handoffs),
        (SELECT count(*) FROM handoffs WHERE status = 'pending' AND due_at < now() - interval '15 seconds'),
        (SELECT count(*) FROM handoffs WHERE status = 'overdue')""")[0]
    dup_cases, dup_handoffs, n_events, n_cases, n_handoffs, missed_overdue, n_overdue = map(int, extra)

    # Escalations: one `escalated` timeline row and one handoff.overdue notification per actor and handoff.
    double = psql("""SELECT extract(epoch FROM min(at)), count(*) FROM case_timeline WHERE kind = 'escalated'
        GROUP BY data->>'handoff_id' HAVING count(*) > 1""")
    double += psql("""SELECT extract(epoch FROM min(at)), count(*) FROM case_timeline WHERE kind = 'handoff_overdue'
        GROUP BY data->>'handoff_id' HAVING count(*) > 1""")
    double_notes = psql("""SELECT extract(epoch FROM min(created_at)), count(*) FROM notifications WHERE kind = 'handoff.overdue'
        GROUP BY actor_id, handoff_id HAVING count(*) > 1""")
    n_escalated = int(psql("SELECT count(*) FROM case_timeline WHERE kind = 'escalated'")[0][0])
    for name in names:
        per[name]["double_esc"] = 0
    for row in double + double_notes:
        per[window_of(float(row[0])) or names[0]]["double_esc"] += 1

    # Live streams: every notification of the actor, once (gaps: in the table, never received; dups: received twice).
    stream_report = {}
    for name in names:
        per[name].update({"gaps": 0, "sdup": 0, "reconnects": 0})
    for stream, actor in (("kommune", "fo-kommune"), ("visitation", "fo-visitation")):
        rows = psql(f"""SELECT n.id, extract(epoch FROM n.created_at) FROM notifications n JOIN actors a ON a.id = n.actor_id
            WHERE a.slug = '{actor}'""")
        expected = {r[0]: float(r[1]) for r in rows}
        received = {}
        dups = []
        for t, _, nid, _ in R.stream[stream]:
            if nid in received:
                dups.append(t)
            received.setdefault(nid, t)
        missing = [expected[n] for n in expected if n not in received]
        unknown = [n for n in received if n not in expected]
        for t in missing:
            per[window_of(t) or names[0]]["gaps"] += 1
        for t in dups:
            per[window_of(t) or names[0]]["sdup"] += 1
        reconnects = [e for e in R.stream_events if e[1] == stream and e[2] == "disconnected"]
        for e in reconnects:
            if window_of(e[0]):
                per[window_of(e[0])]["reconnects"] += 1
        stream_report[stream] = {"expected": len(expected), "received": len(received), "missing": len(missing),
                                 "duplicates": len(dups), "unknown": len(unknown), "disconnects": len(reconnects)}

    # Outcomes: never staler than the allowed lag; from the standby while it is fresh; from the primary while it lags.
    stale = [o for o in R.outcomes if o[3] is not None and o[3] < o[0] - MAX_LAG - 2]
    for (start, name), end in zip(faults, ends):
        window = [o for o in R.outcomes if start <= o[0] < end]
        per[name]["outcome_err"] = sum(1 for o in window if o[2] != 200)
    fallback = {}
    if R.replay:
        paused, frozen, resumed = R.replay["paused_at"], R.replay["replay_ts"], R.replay["resumed_at"]
        fresh = [o for o in R.outcomes if paused + 1.5 <= o[0] and o[1] <= paused + MAX_LAG - 1 and o[3] is not None]
        lagging = [o for o in R.outcomes if paused + MAX_LAG + 3 <= o[0] and o[1] <= resumed and o[3] is not None]
        from_standby = [o for o in fresh if abs(o[3] - frozen) <= 1.0]
        from_primary = [o for o in lagging if o[3] >= o[0] - 2.0]
        fallback = {"frozen_replay_lag_at_resume": resumed - frozen, "fresh": len(fresh), "fresh_from_standby": len(from_standby),
                    "lagging": len(lagging), "lagging_from_primary": len(from_primary),
                    "answers_during_pause": [(round(o[0] - paused, 1), round(o[3] - paused, 1) if o[3] else o[2])
                                             for o in R.outcomes if paused - 1 <= o[0] <= resumed + 1],
                    "replay_frozen_at": round(frozen - paused, 2), "replay_at_resume": round(R.replay["replay_ts_end"] - paused, 2)}
        if abs(R.replay["replay_ts_end"] - frozen) > 0.5:
            failures.append(f"replay was not paused (replay time moved {R.replay['replay_ts_end'] - frozen:.1f} s): fallback not measured")
        used_standby = bool(fresh) and len(from_standby) == len(fresh)
        fell_back = bool(lagging) and len(from_primary) == len(lagging)
        if used_standby and fell_back:
            verdict = "yes: standby while fresh, primary while lagging"
        elif fell_back:
            verdict = "no fallback: as_of is always now (outcomes never read the standby)"
        elif used_standby:
            verdict = "NO: stayed on the lagging standby"
        else:
            verdict = "undetermined (no answers in the windows)"
        fallback["verdict"] = verdict
        per[faults[-1][1]]["fallback"] = verdict
        if EXPECT_FALLBACK and not (used_standby and fell_back):
            failures.append(f"outcome read fallback: {verdict}")
    if stale:
        failures.append(f"{len(stale)} outcome answers older than INDGANG_READ_MAX_LAG")

    # Per-replica probes: when each replica took writes again, and whether /readyz said 200 while writes failed or hung.
    probe_report = {}
    for (start, name), end in zip(faults, ends):
        rows = {}
        for replica in REPLICAS:
            mine = [p for p in R.probes if p[0] == replica and start <= p[1] < end]
            bad = [p for p in mine if p[4] not in (200, 201)]
            first_ok = next((p[2] - start for p in mine if p[4] in (200, 201)), None)
            lying = [p for p in mine if p[3] == 200 and (p[4] not in (200, 201) or p[2] - p[1] > 5)]
            unready = [p for p in mine if p[3] != 200]
            rows[replica] = {"failed": len(bad), "first_ok_s": None if first_ok is None else round(first_ok, 2),
                             "max_latency_s": round(max((p[2] - p[1] for p in mine), default=0), 2),
                             "ready_but_write_failed_or_slow": len(lying),
                             "readyz_not_200": len(unready),
                             "readyz_not_200_span_s": [round(unready[0][1] - start, 1), round(unready[-1][1] - start, 1)] if unready else None,
                             "errors": sorted({str(p[4]) for p in bad})}
        probe_report[name] = rows

    if R.scenario_error:
        failures.append(f"the scenario stopped early: {R.scenario_error}")
    total_lost = len(lost)
    if total_lost:
        failures.append(f"{total_lost} acknowledged writes missing on the final primary")
    if int(duplicates) or dup_cases or dup_handoffs:
        failures.append(f"duplicates: {duplicates} events, {dup_cases} citizens with two cases, {dup_handoffs} cases with two handoffs")
    if double or double_notes:
        failures.append(f"{len(double) + len(double_notes)} handoffs escalated or notified overdue more than once")
    if missed_overdue:
        failures.append(f"{missed_overdue} handoffs past due for 15 s and never marked overdue")
    for stream, s in stream_report.items():
        if s["missing"] or s["duplicates"] or s["unknown"]:
            failures.append(f"live stream {stream}: {s['missing']} missing, {s['duplicates']} repeated, {s['unknown']} unknown")
    if R.given_up:
        failures.append(f"{len(R.given_up)} events never acknowledged: {R.given_up[:3]}")

    totals = {"events_acknowledged": len(R.acks), "events_in_db": n_events, "cases": n_cases, "handoffs": n_handoffs,
              "overdue_handoffs": n_overdue, "escalations": n_escalated, "retried_acks_replayed_200":
              sum(1 for a in R.acks if a[6] > 1 and a[7] == 200), "attempts": len(R.attempts)}
    return per, names, failures, stream_report, fallback, probe_report, totals


def report(per, names, failures, stream_report, fallback, probe_report, totals):
    def f(v, fmt="{:.2f}"):
        return "-" if v is None else fmt.format(v)
    print()
    print("fault                                                    RTO s  write pause s  errors (until s)  lost  dup  "
          "stream gaps  stream dups  reconnects  double esc  outcome err")
    for name in names:
        p = per[name]
        print(f"{name[:55]:55} {f(p['rto']):>6} {f(p['gap']):>14} {p['errors']:>7} ({f(p['errors_until'], '{:.1f}'):>6})"
              f" {p['lost']:>5} {p['dup']:>4} {p['gaps']:>12} {p['sdup']:>12} {p['reconnects']:>11} {p['double_esc']:>11}"
              f" {p['outcome_err']:>12}")
    for name in names:
        if per[name]["statuses"] or per[name]["outcome_statuses"]:
            print(f"  {name[:2]} failed writes through the front: {', '.join(per[name]['statuses']) or '-'}; "
                  f"failed outcome queries: {', '.join(per[name]['outcome_statuses']) or '-'}")
    print(f"\noutcome read fallback (fault d): {fallback.get('verdict', 'not measured')}")
    if fallback:
        print(f"  {json.dumps({k: v for k, v in fallback.items() if k != 'verdict'})}")
    print("\nper-replica probes (straight to each replica: failed writes, first ok write after the fault, max latency, "
          "/readyz 200 while a write failed or took > 5 s)")
    for name in names:
        for r, v in probe_report[name].items():
            unready = f" (+{v['readyz_not_200_span_s'][0]}..+{v['readyz_not_200_span_s'][1]} s)" if v["readyz_not_200"] else ""
            print(f"  {name[:2]} {r}: {v['failed']} failed writes {v['errors'] or ''}, first ok write +{f(v['first_ok_s'])} s, "
                  f"max latency {v['max_latency_s']} s, /readyz 200 while a write failed or took > 5 s: "
                  f"{v['ready_but_write_failed_or_slow']}, /readyz not 200: {v['readyz_not_200']}{unready}")
    print(f"\nlive streams: {json.dumps(stream_report)}")
    print(f"totals: {json.dumps(totals)}")
    print("\ntimeline:")
    for t, text in R.timeline:
        print(f"  {rel(t):7.2f}  {text}")
    with open(os.path.join(LOGDIR, "result.json"), "w") as out:
        json.dump({"per_fault": per, "failures": failures, "streams": stream_report, "fallback": fallback,
                   "probes": probe_report, "totals": totals,
                   "timeline": [(round(rel(t), 2), x) for t, x in R.timeline]}, out, indent=1, default=str)
    with open(os.path.join(LOGDIR, "raw.json"), "w") as out:  # every request, in seconds since the start
        json.dump({"faults": [(round(rel(t), 3), x) for t, x in R.faults],
                   "attempts": [(round(rel(a), 3), round(b - a, 3), c, k) for a, b, c, k in R.attempts],
                   "probes": [(r, round(rel(a), 3), round(b - a, 3), ready, status) for r, a, b, ready, status in R.probes],
                   "outcomes": [(round(rel(a), 3), round(b - a, 3), c, None if d is None else round(rel(d), 3)) for a, b, c, d in R.outcomes],
                   "stream_events": [(round(rel(t), 3), n, w, str(d)) for t, n, w, d in R.stream_events]}, out)
    print()
    if failures:
        print("INVARIANTS BROKEN:")
        for failure in failures:
            print(f"  - {failure}")
    else:
        print("all invariants held")


def main():
    keys = setup()
    log("actors and keys created")
    threading.Thread(target=monitor, daemon=True).start()
    streams = [Stream("kommune", keys["kommune"]), Stream("visitation", keys["visitation"])]
    for s in streams:
        threading.Thread(target=s.run, daemon=True).start()
    for s in streams:
        if not s.connected.wait(20):
            raise SystemExit(f"live stream {s.name} did not connect")
    threading.Thread(target=outcomes, args=(keys["coordinator"],), daemon=True).start()
    for replica in REPLICAS:
        threading.Thread(target=probe, args=(replica, keys["register"]), daemon=True).start()
    load = Load(keys)
    workers = [threading.Thread(target=load.worker, daemon=True) for _ in range(WORKERS)]
    for w in workers:
        w.start()
    R.mark(f"load started: {RATE:.0f} events/s, {WORKERS} workers")
    try:
        scenario()
    except Exception as error:  # a scenario step that could not be done is a failed run, after the checks below
        R.scenario_error = f"{type(error).__name__}: {error}"
        R.mark(f"SCENARIO ERROR: {R.scenario_error}")
        evidence("scenario-error")
    stop_load.set()
    R.mark("load stopped; waiting for retries to finish")
    for w in workers:
        w.join(timeout=130)
    # Let the last handoffs fall due and be escalated, then let the streams catch up.
    time.sleep(12)
    deadline = time.time() + 30
    while time.time() < deadline:
        try:
            count = {r[0]: int(r[1]) for r in psql("""SELECT a.slug, count(*) FROM notifications n JOIN actors a ON a.id = n.actor_id
                WHERE a.slug IN ('fo-kommune', 'fo-visitation') GROUP BY 1""")}
        except RuntimeError:
            count = {}
        got = {"fo-kommune": len({x[2] for x in R.stream["kommune"]}), "fo-visitation": len({x[2] for x in R.stream["visitation"]})}
        if count and all(got[k] >= v for k, v in count.items()):
            break
        time.sleep(1)
    stop_all.set()
    time.sleep(0.5)
    result = analyse()
    report(*result)
    sys.exit(1 if result[2] else 0)


if __name__ == "__main__":
    main()

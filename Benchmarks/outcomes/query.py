"""Times each outcome query over HTTP and the raw-history baseline over psql; prints the table."""
import http.client, re, subprocess, sys, time

port, key, psql, socket, rounds, load, sizes = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], int(sys.argv[5]), sys.argv[6], sys.argv[7]
citizens, events, episodes, handoffs = sizes.split()
load_fields = dict(zip(load.split()[::2], load.split()[1::2]))
print(f"database: {int(citizens):,} citizens, {int(events):,} events, {int(episodes):,} outcome facts, {int(handoffs):,} handoffs")
print(f"load (indgang simulate, direct): {int(load_fields['events']):,} events in {load_fields['seconds']} s = "
      f"{int(load_fields['events_per_second']):,} events/s")

windows = {"1 year": ("2025-01-01", "2025-12-31"), "all 5 years": ("2021-01-01", "2026-12-31")}
baseline_types = {"readmissions": "hospital.discharged", "recidivism": "prison.released", "handoffs": "hospital.discharged"}


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p * (len(values) - 1))))]


def http_times(path):
    connection = http.client.HTTPConnection("127.0.0.1", int(port), timeout=120)
    times = []
    for i in range(rounds + 3):
        start = time.perf_counter()
        connection.request("GET", path, headers={"Authorization": f"Bearer {key}"})
        response = connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise SystemExit(f"{path}: {response.status} {body[:300]}")
        if i >= 3:  # warm-up
            times.append((time.perf_counter() - start) * 1000)
    return times


def baseline_times(event_type, start, end):
    sql = (f"EXPLAIN (ANALYZE, TIMING OFF) SELECT count(*) FROM events WHERE type = '{event_type}' "
           f"AND occurred_at >= '{start}' AND occurred_at < date '{end}' + 1")
    times = []
    for _ in range(5):
        out = subprocess.run([psql, "-h", socket, "-U", "indgang", "-d", "indgang", "-At", "-c", sql], capture_output=True, text=True, check=True).stdout
        times.append(float(re.search(r"Execution Time: ([\d.]+) ms", out).group(1)))
    return times


print(f"{'query':52} {'p50 ms':>8} {'p95 ms':>8} {'baseline p95':>13} {'ratio':>6}  target p95 < 200 ms")
worst = 0.0
for label, (start, end) in windows.items():
    for route in ["readmissions", "recidivism", "handoffs"]:
        base = percentile(baseline_times(baseline_types[route], start, end), 0.95)
        for grouping in ["", "&group_by=month"]:
            path = f"/v1/outcomes/{route}?from={start}&to={end}{grouping}"
            times = http_times(path)
            p50, p95 = percentile(times, 0.5), percentile(times, 0.95)
            worst = max(worst, p95)
            name = f"{route} {label}{' by month' if grouping else ''}"
            print(f"{name:52} {p50:8.1f} {p95:8.1f} {base:13.1f} {p95 / base:6.2f}  {'met' if p95 < 200 else 'NOT met'}")
print(f"worst p95: {worst:.1f} ms ({'target met' if worst < 200 else 'target NOT met'}); "
      "baseline = counting the window's raw events in the events table (psql, execution time only)")

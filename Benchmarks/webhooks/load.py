"""Creates notifications at a steady rate through the events API: each discharge hands a case to the
municipality, which notifies it (handoff.requested) and so queues one webhook delivery."""
import http.client
import json
import sys
import time

port, key, count, rate = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), float(sys.argv[4])


def event(kind, n):
    day, month, year, serial = 1 + n % 28, 1 + (n // 28) % 12, 40 + (n // 336) % 16, 1000 + (n // 5376) % 2999
    attributes = {"episode_id": str(n), "actor": "bench-hospital"}
    attributes.update({"admission": "acute"} if kind == "hospital.admitted" else {"discharged_to": "home"})
    return json.dumps({"source": "webhook-bench", "id": f"{kind}-{n}", "type": kind,
                       "occurred_at": "2026-01-01T10:00:00Z" if kind == "hospital.admitted" else "2026-01-03T10:00:00Z",
                       "cpr": f"{day:02d}{month:02d}{year:02d}-{serial:04d}", "attributes": attributes})


def post(lines):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
    connection.request("POST", "/v1/events/batch", body="\n".join(lines).encode(),
                       headers={"Content-Type": "application/x-ndjson", "Authorization": f"Bearer {key}"})
    answer = json.loads(connection.getresponse().read())
    if answer["rejected"]:
        sys.exit(f"rejected: {str(answer['rejected'])[:300]}")


for start in range(0, count, 1000):  # admissions first: they open cases but notify nobody
    post([event("hospital.admitted", n) for n in range(start, min(start + 1000, count))])
batch = max(1, int(rate / 10))
began = time.perf_counter()
for start in range(0, count, batch):
    post([event("hospital.discharged", n) for n in range(start, min(start + batch, count))])
    pause = began + (start + batch) / rate - time.perf_counter()
    if pause > 0:
        time.sleep(pause)
print(f"posted {count} discharges in {time.perf_counter() - began:.1f}s", file=sys.stderr)

"""Posts NDJSON batches of 1,000 new events to /v1/events/batch from concurrent clients (4 unless a fourth argument
says otherwise, as issue 20 measured) and reports events per second. One client alone leaves the database idle
while the server reads its next body."""
import http.client
import json
import sys
import threading
import time

port, key, batches = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
clients = int(sys.argv[4]) if len(sys.argv) > 4 else 4


def event(n):
    day, month, year, serial = 1 + n % 28, 1 + (n // 28) % 12, 40 + (n // 336) % 16, 4000 + (n // 5376) % 999
    # Serial 4000–4998 with year 40–55 means 1940–1955 (7th digit 4, year > 36): elderly, distinct from the wrk run.
    return json.dumps({
        "source": "batch", "id": str(n), "type": "hospital.admitted", "occurred_at": "2026-01-02T10:00:00Z",
        "cpr": f"{day:02d}{month:02d}{year:02d}-{serial:04d}",
        "attributes": {"episode_id": str(n), "admission": "acute", "actor": "bench-hospital"},
    })


bodies = ["\n".join(event(b * 1000 + i) for i in range(1000)).encode() for b in range(batches)]
latencies = []
accepted = 0
failures = []
lock = threading.Lock()


def post(mine):
    global accepted
    for body in mine:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=300)
        t0 = time.perf_counter()
        connection.request("POST", "/v1/events/batch", body=body,
                           headers={"Content-Type": "application/x-ndjson", "Authorization": f"Bearer {key}"})
        response = connection.getresponse()
        answer = json.loads(response.read())
        with lock:
            latencies.append(time.perf_counter() - t0)
            if response.status != 200 or answer["rejected"]:
                failures.append(f"{response.status} {str(answer)[:500]}")
                return
            accepted += answer["accepted"]


threads = [threading.Thread(target=post, args=(bodies[n::clients],)) for n in range(clients)]
start = time.perf_counter()
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
elapsed = time.perf_counter() - start
if failures:
    sys.exit(f"batch failed: {failures[0]}")
print(json.dumps({"events": accepted, "seconds": elapsed, "events_per_second": accepted / elapsed, "clients": clients,
                  "batch_p50_ms": sorted(latencies)[len(latencies) // 2] * 1000}))

"""Baseline: the same number of signed-size JSON posts sent straight to the receiver by 8 threads,
i.e. what the receiver and loopback can take on this machine in this run."""
import http.client
import json
import sys
import threading
import time

port, count = int(sys.argv[1]), int(sys.argv[2])
body = json.dumps({"type": "handoff.requested", "timestamp": "2026-01-01T00:00:00.000Z",
                   "data": {"case_id": "0" * 36, "handoff_id": "0" * 36, "notification_id": "0" * 36, "actor": "bench"}}).encode()


def worker(n):
    connection = http.client.HTTPConnection("127.0.0.1", port)
    for _ in range(n):
        connection.request("POST", "/baseline", body=body, headers={"content-type": "application/json", "webhook-id": "baseline"})
        connection.getresponse().read()


threads = [threading.Thread(target=worker, args=(count // 8,)) for _ in range(8)]
began = time.perf_counter()
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
print(json.dumps({"per_second": (count // 8 * 8) / (time.perf_counter() - began)}))

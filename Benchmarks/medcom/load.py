"""Posts MedCom HospitalNotifications (the official STIN example, made unique per message: MessageHeader and
Bundle ids, episode and CPR) and the same admissions as Indgang JSON events to POST /v1/events, with the same
number of concurrent clients, alternating rounds so that both meet the database at the same size. Prints JSON
with messages per second for each and their ratio: the MedCom adapter's cost."""
import http.client
import json
import sys
import threading
import time
import uuid

port, key, count, clients, example = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
template = open(example).read()
bundle = json.loads(template)
header = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "MessageHeader")
encounter = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Encounter")
episode = encounter["episodeOfCare"][0]["identifier"]["value"]
ids = [bundle["id"], header["id"], episode]


def cpr(n):
    # 7th digit 4 with year 40-55 is 1940-1955: elderly, so no message is minimised away.
    return f"{1 + n % 28:02d}{1 + (n // 28) % 12:02d}{40 + (n // 336) % 16:02d}{4000 + (n // 5376) % 999:04d}"


def medcom(n):
    text = template.replace("2509479989", cpr(n))
    for old in ids:
        text = text.replace(old, str(uuid.uuid4()))
    return "/v1/integrations/medcom", "application/fhir+json", text.encode()


def indgang(n):
    c = cpr(n)
    body = {"source": "json", "id": str(n), "type": "hospital.admitted", "occurred_at": "2023-03-01T12:00:00+01:00",
            "cpr": f"{c[:6]}-{c[6:]}", "attributes": {"episode_id": str(uuid.uuid4()), "admission": "unknown",
                                                        "setting": "inpatient", "actor": "bench-hospital"}}
    return "/v1/events", "application/json", json.dumps(body).encode()


def run(make, numbers):
    requests = [make(n) for n in numbers]
    failures = []

    def client(part):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        for path, content_type, body in part:
            connection.request("POST", path, body=body, headers={"Content-Type": content_type, "Authorization": f"Bearer {key}"})
            response = connection.getresponse()
            text = response.read()
            if response.status not in (200, 201) or (b'"code":"ok"' not in text and path.endswith("medcom")):
                failures.append(f"{response.status} {text[:300]!r}")

    threads = [threading.Thread(target=client, args=(requests[i::clients],)) for i in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if failures:
        sys.exit(f"{len(failures)} failed, e.g. {failures[0]}")
    return time.perf_counter() - start


half = count // 2
seconds = {"json": 0.0, "medcom": 0.0}
for round_ in range(2):
    # Distinct citizens for every message of every run.
    seconds["json"] += run(indgang, range(round_ * half, (round_ + 1) * half))
    seconds["medcom"] += run(medcom, range(count + round_ * half, count + (round_ + 1) * half))
json_rate, medcom_rate = 2 * half / seconds["json"], 2 * half / seconds["medcom"]
print(json.dumps({"messages": 2 * half, "json_per_second": json_rate, "medcom_per_second": medcom_rate, "ratio": medcom_rate / json_rate}))

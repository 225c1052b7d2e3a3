"""Renders the demo's Patroni and haproxy configuration from Deploy/ha/ (the files an operator deploys), changing
only what one machine needs: loopback addresses and free ports, folders under the run's work directory, no TLS,
and short Patroni timings so a failover takes seconds. Run with Debian's /usr/bin/python3 (PyYAML comes with
Patroni).

    render.py DEPLOY_HA_DIR WORK_DIR PORTS_JSON
"""

import json
import os
import re
import sys

import yaml

deploy, work, ports = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
secrets = json.load(open(os.path.join(work, "secrets.json")))


def patroni(node: str) -> dict:
    config = yaml.safe_load(open(os.path.join(deploy, "patroni.yml")))
    config["scope"] = "indgang-failover-demo"
    config["name"] = node
    rest = f"127.0.0.1:{ports[node + '_rest']}"
    config["restapi"] = {"listen": rest, "connect_address": rest,
                         "authentication": {"username": "patroni", "password": secrets["patroni_rest"]}}
    config["ctl"] = {"insecure": True}
    config["etcd3"] = {"hosts": [f"127.0.0.1:{ports['etcd_client']}"]}
    config["log"] = {"level": "INFO"}
    bootstrap = config["bootstrap"]
    # Demo timings: a lost leader is noticed within seconds (Patroni's minimums: ttl 20, loop_wait 1, retry 3).
    bootstrap["dcs"].update({"ttl": 20, "loop_wait": 2, "retry_timeout": 5})
    parameters = bootstrap["dcs"]["postgresql"]["parameters"]
    for name in ("ssl", "ssl_cert_file", "ssl_key_file"):
        parameters.pop(name, None)
    parameters.update({"wal_keep_size": "256MB", "max_connections": 100, "shared_buffers": "128MB"})
    bootstrap["post_bootstrap"] = os.path.join(work, "indgang-post-bootstrap.sh")
    pg = config["postgresql"]
    address = f"127.0.0.1:{ports[node + '_pg']}"
    pg.update({"listen": address, "connect_address": address, "data_dir": os.path.join(work, node, "data"),
               "pgpass": os.path.join(work, node, "pgpass")})
    pg["parameters"]["unix_socket_directories"] = os.path.join(work, node)
    pg["authentication"]["superuser"]["password"] = secrets["superuser"]
    pg["authentication"]["replication"]["password"] = secrets["replication"]
    pg["authentication"]["rewind"]["password"] = secrets["rewind"]
    # Same lines as deployed, on loopback and without TLS.
    pg["pg_hba"] = [re.sub(r"\s+\d+\.\d+\.\d+\.\d+/\d+\s+", " 127.0.0.1/32 ", re.sub(r"^hostssl\b", "host", line))
                    for line in pg["pg_hba"]]
    return config


def haproxy() -> str:
    binds = {"postgres_rw": "rw", "postgres_ro": "ro", "indgang_http": "http", "stats": "stats"}
    servers = {"pg1": ("pg1_pg", "pg1_rest"), "pg2": ("pg2_pg", "pg2_rest"),
               "app1": ("app1", None), "app2": ("app2", None), "app3": ("app3", None)}
    out, section = [], None
    for line in open(os.path.join(deploy, "haproxy.cfg")):
        stripped = line.strip()
        head = re.match(r"^(global|defaults|listen|frontend|backend)\b\s*(\S*)", line)
        if head:
            section = head.group(2) or head.group(1)
        if section == "global" and re.match(r"(log|user|group|daemon|server-state-file)\b", stripped):
            continue  # no syslog here; runs in the foreground as the demo's child, and is never reloaded
        if stripped.startswith("load-server-state-from-file"):
            continue
        if stripped.startswith("stats socket"):
            line = f"    stats socket {work}/haproxy.sock mode 600 level admin\n"
        bind = re.match(r"^(\s*bind\s+)\S+(.*)$", line)
        if bind and section in binds:
            line = f"{bind.group(1)}127.0.0.1:{ports[binds[section]]}{bind.group(2)}\n"
        server = re.match(r"^(\s*server\s+(\S+)\s+)\S+(.*)$", line)
        if server and server.group(2) in servers:
            data, check = servers[server.group(2)]
            rest = server.group(3)
            if check:
                rest = re.sub(r"\bport\s+\d+", f"port {ports[check]}", rest)
            line = f"{server.group(1)}127.0.0.1:{ports[data]}{rest}\n"
        out.append(line)
    return "".join(out)


for node in ("pg1", "pg2"):
    path = os.path.join(work, f"{node}.yml")
    with open(path, "w") as f:
        yaml.safe_dump(patroni(node), f, sort_keys=False)
with open(os.path.join(work, "haproxy.cfg"), "w") as f:
    f.write(haproxy())

#!/usr/bin/env bash
# Photographs the console for the README from a running demo (`indgang serve --demo`: simulated organisations
# and citizens) in headless Chromium: bash docs/console-screenshots.sh
# Needs what `.ci/run` installs: chromium, chromium-driver and selenium.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product indgang >/dev/null
work=$(mktemp -d /tmp/indgang-screenshots-XXXX)
chmod 755 "$work"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$(swift build --show-bin-path)/indgang" serve --demo --demo-citizens 2000 --port "$port" --data-dir "$work/data" > "$work/demo.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 300); do grep -q "log in with" "$work/demo.log" && break; sleep 1; done
caseworker=$(grep "caseworker, Hillerød" "$work/demo.log" | awk '{print $NF}')
coordinator=$(grep "  coordinator" "$work/demo.log" | awk '{print $NF}')
SE_AVOID_STATS=true python3 docs/console-screenshots.py "http://127.0.0.1:$port" "$caseworker" "$coordinator"
ls -l docs/screenshots

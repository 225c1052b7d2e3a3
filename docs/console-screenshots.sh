#!/usr/bin/env bash
# Renders the console's main pages with ordinary data (the IndgangConsole view models and templates, no server)
# and photographs them in headless Chromium for the README: bash docs/console-screenshots.sh
# Needs: apt-get install chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
CONSOLE_SCREENSHOTS="$work" swift test --filter ReadmeScreenshots >/dev/null
mkdir -p "$work/console/assets"
cp Sources/IndgangConsole/Assets/console.css Sources/IndgangConsole/Assets/console.js "$work/console/assets/"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory "$work" >/dev/null 2>&1 &
server=$!
sleep 1
for page in inbox case outcome; do
  chromium --headless=new --no-sandbox --disable-gpu --hide-scrollbars --window-size=1200,1000 \
    --screenshot="docs/screenshots/$page.png" "http://127.0.0.1:$port/$page.html" 2>/dev/null
done
ls -l docs/screenshots

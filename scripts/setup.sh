#!/bin/sh
# Installs what the tests need beyond npm: real browsers, Redis, PostgreSQL, nginx and
# python-socketio (Socket.IO written apart from socket.io's JavaScript), all Debian packages.
# Run before the tests by `npm test`; does nothing when everything is already there.
set -e
PACKAGES="chromium firefox-esr redis-server postgresql nginx python3-socketio python3-websocket python3-requests python3-aiohttp"
missing=""
command -v chromium >/dev/null 2>&1 || [ -x /usr/bin/chromium ] || missing="$missing chromium"
command -v firefox-esr >/dev/null 2>&1 || [ -x /usr/bin/firefox-esr ] || missing="$missing firefox-esr"
command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ] || missing="$missing redis-server"
# PostgreSQL's binaries are not on PATH in Debian: test/support/postgres.ts looks here too.
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$missing postgresql"
[ -x /usr/sbin/nginx ] || command -v nginx >/dev/null 2>&1 || missing="$missing nginx"
# Debian's own python3, whatever python3 comes first on PATH.
/usr/bin/python3 -c "import socketio, websocket, requests, aiohttp" >/dev/null 2>&1 || missing="$missing python3-socketio python3-websocket python3-requests python3-aiohttp"
[ -z "$missing" ] && exit 0

echo "setup: missing Debian packages:$missing"
if [ "$(id -u)" != "0" ]; then
  echo "setup: not root, so not installing them. Run this once, then npm test again:" >&2
  echo "  sudo sh -c 'apt-get update && apt-get install -y $PACKAGES'" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update
apt-get install -y --no-install-recommends $PACKAGES

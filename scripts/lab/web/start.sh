#!/bin/sh
# Entry point of berth-demo/web.
#   GET /                 -> {"host":"<container hostname>","version":"<image version>"}
#   GET /health           -> 200 "ok"; 404 when DEMO_UNHEALTHY=1 (or after `rm /www/health`)
#   GET /cgi-bin/slow?ms=N -> same JSON as GET / after sleeping N ms (see slow.cgi)
#   ws://:8081/           -> WebSocket echo: each text message comes back as "<hostname>: <text>"
# The pages are written at start, so each container answers with its own hostname
# (Docker sets it to the short container id unless --hostname is given).
set -eu

host=$(hostname)
version=${DEMO_VERSION:-unknown}
port=${DEMO_PORT:-8080}
ws_port=${DEMO_WS_PORT:-8081}

printf '{"host":"%s","version":"%s"}\n' "$host" "$version" >/www/index.html
if [ "${DEMO_UNHEALTHY:-0}" = 1 ]; then
	rm -f /www/health
else
	echo ok >/www/health
fi

# httpd runs as a child rather than as PID 1: PID 1 gets no default signal handlers, and
# `docker stop` would then wait its full timeout. The trap makes stop immediate.
httpd -f -p "$port" -h /www -c /etc/httpd.conf &
pid=$!
# One ws.sh per connection (-ll: keep listening after each).
nc -ll -p "$ws_port" -e /ws.sh &
ws_pid=$!
trap 'kill "$pid" "$ws_pid" 2>/dev/null; exit 0' TERM INT
wait "$pid"

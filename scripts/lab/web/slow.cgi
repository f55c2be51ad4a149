#!/bin/sh
# GET /cgi-bin/slow?ms=N : sleeps N milliseconds (0..60000), then answers
# {"host":"...","version":"...","slept_ms":N}. Used by load-balancer and timeout tests.
ms=0
old_ifs=$IFS
IFS='&'
for pair in ${QUERY_STRING:-}; do
	case $pair in
	ms=*) ms=${pair#ms=} ;;
	esac
done
IFS=$old_ifs

case $ms in
'' | *[!0-9]* | ??????*)
	# busybox httpd passes a CGI's own status line through unchanged.
	printf 'HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\n\r\n'
	echo "ms must be a whole number from 0 to 60000"
	exit 0
	;;
esac
[ "$ms" -le 60000 ] || ms=60000

[ "$ms" -eq 0 ] || usleep $((ms * 1000))
printf 'Content-Type: application/json\r\n\r\n'
printf '{"host":"%s","version":"%s","slept_ms":%s}\n' "$(hostname)" "${DEMO_VERSION:-unknown}" "$ms"

#!/bin/sh
# Entry point of berth-demo/cpu: runs BURN_PROCS busy loops (default 1, at most 64; 0 = idle).
set -eu

n=${BURN_PROCS:-1}
case $n in
'' | *[!0-9]*)
	echo "burn: BURN_PROCS must be a whole number, got '$n'" >&2
	exit 2
	;;
esac
[ "$n" -le 64 ] || n=64

pids=""
i=0
while [ "$i" -lt "$n" ]; do
	while :; do :; done &
	pids="$pids $!"
	i=$((i + 1))
done
echo "burn: $n busy loop(s) running"

# PID 1 has no default signal handlers: stop the loops ourselves so `docker stop` is immediate.
# shellcheck disable=SC2086 # $pids is a list of numbers, split on purpose
trap 'kill $pids 2>/dev/null; exit 0' TERM INT
# Sleep in short waits so the trap runs as soon as a signal arrives.
while :; do
	sleep 3600 &
	wait $! || true
done

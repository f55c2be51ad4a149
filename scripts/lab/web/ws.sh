#!/bin/sh
# WebSocket echo on one connection (stdin and stdout are the socket; `nc -ll -e` runs it per
# connection). Does the RFC 6455 handshake, then answers each text frame (masked, as clients
# send them, payload up to 65535 bytes) with an unmasked text frame "<hostname>: <text>",
# each ping with a pong, and a close with a close. A plain GET gets 426.
guid=258EAFA5-E914-47DA-95CA-C5AB0DC85B11
host=$(hostname)
key=''
upgrade=''
while IFS= read -r line; do
	line=${line%"$(printf '\r')"}
	[ -z "$line" ] && break
	name=$(printf '%s' "${line%%:*}" | tr 'A-Z' 'a-z')
	value=${line#*:}
	value=${value# }
	case $name in
	sec-websocket-key) key=$value ;;
	upgrade) upgrade=$(printf '%s' "$value" | tr 'A-Z' 'a-z') ;;
	esac
done
if [ -z "$key" ] || [ "$upgrade" != websocket ]; then
	body="WebSocket echo: connect with Upgrade: websocket"
	printf 'HTTP/1.1 426 Upgrade Required\r\nContent-Type: text/plain\r\n'
	printf 'Content-Length: %s\r\nConnection: close\r\n\r\n%s' "${#body}" "$body"
	exit 0
fi
accept=$(printf '%s%s' "$key" "$guid" | sha1sum | cut -d' ' -f1 | xxd -r -p | base64)
printf 'HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n'
printf 'Sec-WebSocket-Accept: %s\r\n\r\n' "$accept"

# N bytes from the socket as decimal numbers, one read(2) of one byte at a time so nothing
# past the frame is consumed.
bytes() {
	dd bs=1 count="$1" 2>/dev/null | od -An -tu1 -v
}

# One byte as a printf escape.
octal() {
	printf '\\%03o' "$1"
}

# Writes a frame: opcode byte, then the payload given as decimal byte values.
send() {
	opcode=$1
	shift
	length=$#
	out=$(octal "$opcode")
	if [ "$length" -lt 126 ]; then
		out="$out$(octal "$length")"
	else
		out="$out$(octal 126)$(octal $((length >> 8)))$(octal $((length & 255)))"
	fi
	for b in "$@"; do
		out="$out$(octal "$b")"
	done
	printf "$out"
}

while :; do
	set -- $(bytes 2)
	[ $# -eq 2 ] || exit 0
	opcode=$(($1 & 15))
	length=$(($2 & 127))
	if [ "$length" -eq 126 ]; then
		set -- $(bytes 2)
		length=$((($1 << 8) | $2))
	elif [ "$length" -eq 127 ]; then
		send 136 3 241 # close 1009: too big
		exit 0
	fi
	set -- $(bytes 4)
	m0=$1 m1=$2 m2=$3 m3=$4
	payload=''
	i=0
	for b in $(bytes "$length"); do
		case $((i % 4)) in
		0) m=$m0 ;; 1) m=$m1 ;; 2) m=$m2 ;; *) m=$m3 ;;
		esac
		payload="$payload $((b ^ m))"
		i=$((i + 1))
	done
	case $opcode in
	1) send 129 $(printf '%s: ' "$host" | od -An -tu1 -v) $payload ;;
	8) send 136 $payload; exit 0 ;;
	9) send 138 $payload ;;
	esac
done

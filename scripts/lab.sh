#!/usr/bin/env bash
# Berth local lab: N real Docker engines ("nodes") on this machine, for tests and demos.
#
#   scripts/lab.sh up [N]        start nodes 1..N (default 3, at most 9) and build demo images
#   scripts/lab.sh tls K         start node K with mutual TLS on port 2376 (certificates made once)
#   scripts/lab.sh down          stop every node (engine, containerd, containers), drop bridges
#   scripts/lab.sh kill-node K   real failure of node K: kill -9 all of its processes
#   scripts/lab.sh revive K      start node K again (in its recorded mode) and wait until it answers
#   scripts/lab.sh status        one line per node
#   scripts/lab.sh images        (re)build the demo images on every node that is up
#   scripts/lab.sh env           BERTH_LAB_NODE_K=tcp://... (and BERTH_LAB_TLS_DIR_K=...) lines
#   scripts/lab.sh purge         down, then delete the nodes' data roots and recorded modes
#
# Node K listens on tcp://127.0.0.(K+1):2375 and unix:///run/docker-nK.sock, and has its own
# bridge br-nK (10.213.K.1/24), data root /var/lib/docker-nK, exec root /run/docker-nK,
# containerd, container cgroup parent /berth-lab-nK and log /var/log/docker-nK.log. Ports
# published by tests must be bound to the node's loopback address
# (-p 127.0.0.(K+1):HOST:CONTAINER): the network rule of this project allows traffic to
# 127.0.0.0/8 only, never to bridge addresses.
#
# A node started with `tls K` listens on tcp://127.0.0.(K+1):2376 instead (never on 2375) and
# accepts only clients with a certificate from its own CA. Files in /var/lib/berth-lab/tls/nK:
# ca.pem, cert.pem and key.pem for clients (DOCKER_CERT_PATH layout), ca-key.pem,
# server-cert.pem, server-key.pem, and rogue/ (ca.pem, cert.pem, key.pem from an unrelated CA,
# which the node must refuse). Its mode is recorded in /run/docker-nK.mode: up, down, revive
# and kill-node keep it; only purge forgets it (certificates are kept even then).
set -euo pipefail

readonly MAX_NODES=9
readonly DEFAULT_NODES=3
readonly START_TIMEOUT=30 # seconds for an engine to answer after start
readonly STOP_TIMEOUT=20  # seconds for a graceful engine stop (containers included)
readonly API_PORT=2375
readonly TLS_PORT=2376
readonly TLS_ROOT=/var/lib/berth-lab/tls # node K's certificates: $TLS_ROOT/nK
readonly TLS_CA_DAYS=3650
readonly TLS_CERT_DAYS=825
readonly TLS_RENEW_DAYS=30 # certificates expiring sooner than this are made again
readonly BRIDGE_NET=10.213     # node K's bridge: 10.213.K.1/24
readonly POOL_NET=10.214       # node K's user-defined networks: 10.214.(16K).0/20
readonly BUSYBOX=/bin/busybox  # must be the static one (Debian package busybox-static)
readonly DEMO_LABEL=org.berth.demo
readonly HASH_LABEL=org.berth.demo.context
readonly LOCK_FILE=/run/berth-lab.lock

LAB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/lab"
readonly LAB_DIR

# The lab always names its engine with -H; inherited settings must not redirect or break it.
unset DOCKER_HOST DOCKER_CONTEXT DOCKER_TLS_VERIFY DOCKER_CERT_PATH

declare -A DOCKERD_PID=() # node -> pid of the dockerd this run launched
WORK_DIR=""               # scratch space for build contexts, made by make_work_dir
cleanup() { [[ -z $WORK_DIR ]] || rm -rf -- "$WORK_DIR"; }
# Background jobs (parallel builds) don't run this trap: only the main shell cleans up.
trap cleanup EXIT
make_work_dir() { [[ -n $WORK_DIR ]] || WORK_DIR=$(mktemp -d /tmp/berth-lab.XXXXXX); }

say() { printf 'lab: %s\n' "$*"; }
die() {
	printf 'lab: error: %s\n' "$*" >&2
	exit 1
}

usage() {
	sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

# ---------------------------------------------------------------- per-node names and paths

node_ip() { echo "127.0.0.$(($1 + 1))"; }
node_endpoint() { echo "tcp://$(node_ip "$1"):$(node_port "$1")"; }
node_bridge() { echo "br-n$1"; }
node_data() { echo "/var/lib/docker-n$1"; }
node_exec() { echo "/run/docker-n$1"; }
node_pidfile() { echo "/run/docker-n$1.pid"; }
node_socket() { echo "/run/docker-n$1.sock"; }
node_log() { echo "/var/log/docker-n$1.log"; }
node_cgroup() { echo "berth-lab-n$1"; }
ctd_dir() { echo "$(node_exec "$1")/containerd"; }
ctd_sock() { echo "$(ctd_dir "$1")/containerd.sock"; }
ctd_conf() { echo "$(ctd_dir "$1")/containerd.toml"; }
tls_dir() { echo "$TLS_ROOT/n$1"; }
# Outside the exec root, which purge deletes and a start recreates: the mode outlives both
# kill-node and down, so revive and up bring a TLS node back as one.
node_modefile() { echo "/run/docker-n$1.mode"; }

# "tls" once `tls K` recorded it, "tcp" otherwise.
node_mode() {
	local mode=""
	[[ -r $(node_modefile "$1") ]] && mode=$(<"$(node_modefile "$1")")
	if [[ $mode == tls ]]; then echo tls; else echo tcp; fi
}

node_port() {
	if [[ $(node_mode "$1") == tls ]]; then echo "$TLS_PORT"; else echo "$API_PORT"; fi
}

# docker CLI aimed at node K, given up after SECS seconds: dk_t SECS K ARGS...
# A TLS node is dialled with its client certificate (and its CA to check the engine).
dk_t() {
	local secs=$1 k=$2 dir tls=()
	shift 2
	if [[ $(node_mode "$k") == tls ]]; then
		dir=$(tls_dir "$k")
		tls=(--tlsverify --tlscacert="$dir/ca.pem" --tlscert="$dir/cert.pem"
			--tlskey="$dir/key.pem")
	fi
	timeout "$secs" docker -H "$(node_endpoint "$k")" "${tls[@]}" "$@"
}
dk() { dk_t 60 "$@"; }

check_node_number() {
	if ! [[ $1 =~ ^[1-9]$ ]] || (($1 > MAX_NODES)); then
		die "node number must be 1..$MAX_NODES, got '$1'"
	fi
}

# ------------------------------------------------------------------------ prerequisites

need_root() {
	((EUID == 0)) || die "must run as root (it starts dockerd and creates bridges)"
}

# Serialise commands that change the lab, so two callers can't start the same node twice.
# Taken once per run (purge calls down): reopening fd 9 would drop the lock for a moment.
LOCKED=0
take_lock() {
	((LOCKED)) && return 0
	exec 9>"$LOCK_FILE"
	flock -w 120 9 || die "another lab.sh is still running (lock $LOCK_FILE)"
	LOCKED=1
}

busybox_is_static() {
	# ldd exits non-zero ("not a dynamic executable") for a static binary.
	[[ -x $BUSYBOX ]] && ! ldd "$BUSYBOX" >/dev/null 2>&1
}

apt_install() {
	say "installing $* with apt-get"
	export DEBIAN_FRONTEND=noninteractive
	# The package lists are usually fresh enough; refresh them only when install fails.
	if ! apt-get install -y "$@" >/tmp/berth-lab-apt.log 2>&1; then
		apt-get update >>/tmp/berth-lab-apt.log 2>&1 || true
		apt-get install -y "$@" >>/tmp/berth-lab-apt.log 2>&1 ||
			die "apt-get install $* failed, see /tmp/berth-lab-apt.log"
	fi
}

ensure_packages() {
	local pkgs=() cmd
	for cmd in dockerd docker containerd containerd-shim-runc-v2 runc; do
		command -v "$cmd" >/dev/null || pkgs=(docker.io)
	done
	busybox_is_static || pkgs+=(busybox-static)
	command -v ip >/dev/null || pkgs+=(iproute2)
	command -v ps >/dev/null || pkgs+=(procps)
	((${#pkgs[@]})) || return 0
	apt_install "${pkgs[@]}"
	busybox_is_static || die "$BUSYBOX is not the static busybox (install busybox-static)"
}

# Only TLS nodes need openssl, so plain `up` does not depend on it.
ensure_openssl() {
	command -v openssl >/dev/null || apt_install openssl
}

# -------------------------------------------------------------------------- processes

# Prints the pids of node K's processes. ROLE selects which:
#   dockerd | containerd -> that daemon only;
#   all -> dockerd, containerd, shims, every descendant of those (containers, docker-proxy,
#          exec sessions) and every process in the node's container cgroups.
# A process belongs to the node by an argument only that node's daemons carry. The patterns
# go in through the environment, not awk's argv, so ps never shows them in awk's own line.
node_pids() {
	local k=$1 role=$2
	{
		ps -e -ww -o pid=,ppid=,stat=,args= |
			ROLE=$role \
				PAT_D="--pidfile=$(node_pidfile "$k") " \
				PAT_C="--config=$(ctd_conf "$k") " \
				PAT_S="-address $(ctd_sock "$k") " \
				awk '
			$3 ~ /^Z/ { next }  # zombies are dead already
			{
				pid = $1; parent[pid] = $2; exe = $4
				line = $0 " "
				if (exe ~ /(^|\/)dockerd$/ && index(line, ENVIRON["PAT_D"])) kind[pid] = "dockerd"
				else if (exe ~ /(^|\/)containerd$/ && index(line, ENVIRON["PAT_C"]))
					kind[pid] = "containerd"
				else if (exe ~ /(^|\/)containerd-shim-runc-v2$/ && index(line, ENVIRON["PAT_S"]))
					kind[pid] = "shim"
			}
			END {
				role = ENVIRON["ROLE"]
				if (role != "all") {
					for (p in kind) if (kind[p] == role) print p
					exit
				}
				for (p in kind) mine[p] = 1
				# Add descendants until nothing changes (at most one pass per tree level).
				for (changed = 1; changed; ) {
					changed = 0
					for (p in parent)
						if (!(p in mine) && (parent[p] in mine)) { mine[p] = 1; changed = 1 }
				}
				for (p in mine) print p
			}'
		[[ $role != all ]] || cgroup_pids "$k"
	} | sort -un
}

# Processes in the node's container cgroups: catches container processes that were
# re-parented away from their shim. Covers cgroup v1 (one tree per controller) and v2.
cgroup_pids() {
	local f
	for f in /sys/fs/cgroup/*/"$(node_cgroup "$1")"/*/cgroup.procs \
		/sys/fs/cgroup/"$(node_cgroup "$1")"/*/cgroup.procs; do
		[[ -r $f ]] && cat -- "$f" 2>/dev/null
	done
	return 0
}

running() { [[ -n $(node_pids "$1" "$2") ]]; }

engine_answers() { dk_t 5 "$1" info >/dev/null 2>&1; }

# Mode the running dockerd of node K was started in ("" when none runs): its arguments tell.
running_mode() {
	local pids=() args
	mapfile -t pids < <(node_pids "$1" dockerd)
	((${#pids[@]})) || return 0
	args=$(tr '\0' ' ' <"/proc/${pids[0]}/cmdline" 2>/dev/null) || args=""
	if [[ " $args " == *" --tlsverify "* ]]; then echo tls; else echo tcp; fi
}

# True while the process exists and is not a zombie (a zombie is dead, only not reaped yet).
alive() {
	local stat
	stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	stat=${stat##*) }
	[[ ${stat:0:1} != Z ]]
}

# Waits (bounded) until none of the given pids is alive.
wait_gone() {
	local limit=$1 i p any
	shift
	for ((i = 0; i < limit * 10; i++)); do
		any=0
		for p in "$@"; do alive "$p" && any=1; done
		((any)) || return 0
		sleep 0.1
	done
	return 1
}

# kill -9 everything of node K; repeat a few times for processes forked meanwhile.
kill_node_procs() {
	local k=$1 round pids=()
	for round in 1 2 3 4 5; do
		mapfile -t pids < <(node_pids "$k" all)
		((${#pids[@]})) || return 0
		((round > 1)) || say "node $k: kill -9 of ${#pids[@]} processes"
		kill -9 "${pids[@]}" 2>/dev/null || true
		wait_gone 2 "${pids[@]}" || true
	done
	mapfile -t pids < <(node_pids "$k" all)
	((${#pids[@]} == 0)) || die "node $k: processes survived kill -9: ${pids[*]}"
}

# Mounts a killed engine leaves behind (container rootfs, shm, network namespaces).
# Only called once the node has no process left; children go before parents.
unmount_node() {
	local k=$1 mp
	awk -v a="$(node_data "$k")/" -v b="$(node_exec "$k")/" \
		'index($5, a) == 1 || index($5, b) == 1 || $5 == substr(a, 1, length(a) - 1) \
		{ print $5 }' /proc/self/mountinfo | sort -r | while read -r mp; do
		umount -l -- "$mp" 2>/dev/null || true
	done
}

# --------------------------------------------------------------------- TLS certificates

declare -A TLS_RENEWED=() # node -> 1 when this run gave it a new server certificate

# openssl settings for the three kinds of certificate; IP is the server's address.
openssl_conf() {
	cat <<-EOF
		[req]
		distinguished_name = dn
		[dn]
		[ca]
		basicConstraints = critical, CA:TRUE
		keyUsage = critical, keyCertSign, cRLSign
		subjectKeyIdentifier = hash
		[server]
		basicConstraints = critical, CA:FALSE
		keyUsage = critical, digitalSignature
		extendedKeyUsage = serverAuth
		subjectAltName = IP:$1, DNS:localhost
		subjectKeyIdentifier = hash
		authorityKeyIdentifier = keyid
		[client]
		basicConstraints = critical, CA:FALSE
		keyUsage = critical, digitalSignature
		extendedKeyUsage = clientAuth
		subjectKeyIdentifier = hash
		authorityKeyIdentifier = keyid
	EOF
}

# openssl, quiet unless it fails (x509 -req chats on stderr even on success).
ossl() {
	local log="$WORK_DIR/openssl.log"
	if ! openssl "$@" >"$log" 2>&1; then
		cat "$log" >&2
		die "openssl $1 failed"
	fi
}

# A fresh EC P-256 key (dockerd's Go TLS and Node's TLS both take it), readable by root only.
new_key() {
	(umask 077 && ossl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1")
}

# Puts FILE.new in FILE's place: a rename, so readers never see a half-written file.
commit_file() { mv -f -- "$1.new" "$1"; }

# leaf_current DIR CERT KEY PURPOSE [IP]: true when DIR/CERT and DIR/KEY belong together,
# chain to DIR/ca.pem for PURPOSE (sslserver, sslclient or any), name IP if given, and stay
# valid for more than TLS_RENEW_DAYS days. A new CA thus makes every old leaf not current.
leaf_current() {
	local dir=$1 cert=$1/$2 key=$1/$3 purpose=$4 ip=${5:-} by_ip=()
	[[ -s $cert && -s $key && -s $dir/ca.pem ]] || return 1
	[[ -z $ip ]] || by_ip=(-verify_ip "$ip")
	openssl x509 -checkend $((TLS_RENEW_DAYS * 86400)) -noout -in "$cert" >/dev/null 2>&1 ||
		return 1
	openssl verify -CAfile "$dir/ca.pem" -purpose "$purpose" "${by_ip[@]}" "$cert" \
		>/dev/null 2>&1 || return 1
	[[ $(openssl x509 -noout -pubkey -in "$cert" 2>/dev/null) == \
		"$(openssl pkey -pubout -in "$key" 2>/dev/null)" ]]
}

# new_ca DIR CN CONF: a self-signed CA in DIR/ca.pem, its key in DIR/ca-key.pem.
new_ca() {
	local dir=$1 cn=$2 conf=$3
	new_key "$dir/ca-key.pem.new"
	ossl req -new -x509 -config "$conf" -extensions ca -subj "/CN=$cn" -sha256 \
		-days "$TLS_CA_DAYS" -key "$dir/ca-key.pem.new" -out "$dir/ca.pem.new"
	chmod 0644 "$dir/ca.pem.new"
	commit_file "$dir/ca-key.pem"
	commit_file "$dir/ca.pem"
	say "issued $dir/ca.pem ($cn)"
}

# new_leaf DIR CERT KEY KIND CN CONF: a key and a KIND (server|client) certificate for it,
# signed by DIR's CA.
new_leaf() {
	local dir=$1 cert=$1/$2 key=$1/$3 kind=$4 cn=$5 conf=$6 csr
	csr=$(mktemp "$WORK_DIR/csr.XXXXXX")
	new_key "$key.new"
	ossl req -new -config "$conf" -subj "/CN=$cn" -key "$key.new" -out "$csr"
	ossl x509 -req -in "$csr" -CA "$dir/ca.pem" -CAkey "$dir/ca-key.pem" -sha256 \
		-set_serial "0x$(openssl rand -hex 16)" -days "$TLS_CERT_DAYS" \
		-extfile "$conf" -extensions "$kind" -out "$cert.new"
	chmod 0644 "$cert.new"
	commit_file "$key"
	commit_file "$cert"
	say "issued $cert ($cn)"
}

# Node K's certificates: made when missing or expiring soon, else reused, so clients that
# copied them stay valid across runs. Sets TLS_RENEWED[K] when the server's is new.
ensure_tls_certs() {
	local k=$1 dir ip conf
	dir=$(tls_dir "$k")
	ip=$(node_ip "$k")
	ensure_openssl
	make_work_dir
	conf="$WORK_DIR/openssl-n$k.cnf"
	openssl_conf "$ip" >"$conf"
	install -d -m 0755 "$TLS_ROOT" "$dir" "$dir/rogue"
	leaf_current "$dir" ca.pem ca-key.pem any || new_ca "$dir" "berth-lab n$k CA" "$conf"
	if ! leaf_current "$dir" server-cert.pem server-key.pem sslserver "$ip"; then
		new_leaf "$dir" server-cert.pem server-key.pem server "berth-lab n$k engine" "$conf"
		TLS_RENEWED[$k]=1
	fi
	leaf_current "$dir" cert.pem key.pem sslclient ||
		new_leaf "$dir" cert.pem key.pem client "berth-lab n$k client" "$conf"
	# A CA the node has never heard of, and a client certificate from it with the same name
	# as the real one: the node must refuse it for its issuer alone.
	leaf_current "$dir/rogue" ca.pem ca-key.pem any ||
		new_ca "$dir/rogue" "berth-lab n$k rogue CA" "$conf"
	leaf_current "$dir/rogue" cert.pem key.pem sslclient ||
		new_leaf "$dir/rogue" cert.pem key.pem client "berth-lab n$k client" "$conf"
}

# ------------------------------------------------------------------------ starting nodes

# While the lab is up, interfaces made from then on get no IPv6 link-local address. Each
# container start adds a veth; Chromium takes every new address on the host for a network
# change and fails the requests it has in flight with ERR_NETWORK_CHANGED, so a browser test
# could fail whenever a replica starts. The lab's traffic is IPv4 on 127.0.0.0/8 only.
# The value found before is kept in $IPV6_SAVED and put back by `down`.
readonly IPV6_DEFAULT=/proc/sys/net/ipv6/conf/default/disable_ipv6
readonly IPV6_SAVED=/run/berth-lab.ipv6-default
quiet_ipv6() {
	[[ -w $IPV6_DEFAULT ]] || return 0
	[[ -e $IPV6_SAVED ]] || cat "$IPV6_DEFAULT" >"$IPV6_SAVED"
	echo 1 >"$IPV6_DEFAULT" 2>/dev/null ||
		say "could not turn IPv6 off for new interfaces; browser tests may see ERR_NETWORK_CHANGED"
}
restore_ipv6() {
	[[ -e $IPV6_SAVED ]] || return 0
	cat "$IPV6_SAVED" >"$IPV6_DEFAULT" 2>/dev/null || true
	rm -f -- "$IPV6_SAVED"
}

# Own bridge per node, so containers of different nodes never share an L2 segment.
ensure_bridge() {
	local k=$1 br cidr other
	br=$(node_bridge "$k")
	cidr="$BRIDGE_NET.$k.1/24"
	other=$(ip -4 -o route show "$BRIDGE_NET.$k.0/24" | awk -v br="$br" '$3 != br { print $3 }')
	[[ -z $other ]] || die "node $k: $BRIDGE_NET.$k.0/24 is already routed via $other"
	if ! ip link show "$br" >/dev/null 2>&1; then
		ip link add name "$br" type bridge
	fi
	local v6=/proc/sys/net/ipv6/conf/$br/disable_ipv6
	[[ ! -w $v6 ]] || echo 1 >"$v6" 2>/dev/null || true
	if ! ip -4 -o addr show dev "$br" | grep -qF " $cidr "; then
		ip addr add "$cidr" dev "$br"
	fi
	ip link set "$br" up
}

# Each node runs its own containerd, started here and handed to dockerd with --containerd.
# Why not let dockerd supervise one: dockerd 20.10 uses /run/containerd/containerd.sock
# whenever that path exists (a system containerd, even a stale socket), and then every
# node would share one containerd and kill-node would hit them all.
start_containerd() {
	local k=$1 dir sock conf
	running "$k" containerd && return 0
	dir=$(ctd_dir "$k")
	sock=$(ctd_sock "$k")
	conf=$(ctd_conf "$k")
	mkdir -p "$dir" "$(node_data "$k")/containerd"
	# The CRI plugin is for Kubernetes; it only adds noise and listeners here.
	cat >"$conf" <<-EOF
		version = 2
		root = "$(node_data "$k")/containerd/daemon"
		state = "$dir/daemon"
		disabled_plugins = ["io.containerd.grpc.v1.cri"]
		[grpc]
		  address = "$sock"
		[plugins."io.containerd.internal.v1.opt"]
		  path = "$(node_data "$k")/containerd/opt"
	EOF
	rm -f "$sock" # stale after kill-node; its presence is what we wait for below
	# 9>&-: the daemon must not inherit (and so keep holding) the lab lock.
	setsid containerd --config="$conf" >>"$(node_log "$k")" 2>&1 </dev/null 9>&- &
	local pid=$! i
	disown "$pid" # a daemon, not a job: no "Killed" notice from bash if it dies
	echo "$pid" >"$dir/containerd.pid"
	for ((i = 0; i < 100; i++)); do
		[[ -S $sock ]] && return 0
		# $! is the daemon itself (setsid execs it), so it is alive until containerd fails.
		alive "$pid" || running "$k" containerd || break
		sleep 0.1
	done
	abort_start "$k" "containerd did not start"
}

start_dockerd() {
	local k=$1 exec_root pidfile pool dir tls=()
	running "$k" dockerd && return 0
	exec_root=$(node_exec "$k")
	pidfile=$(node_pidfile "$k")
	# dockerd refuses to start if its pidfile names a live process; after kill-node the old
	# pid may have been reused by an unrelated process.
	rm -f "$pidfile"
	mkdir -p "$exec_root" "$(node_data "$k")"
	# An empty config file of our own, so /etc/docker/daemon.json can't change the node.
	echo '{}' >"$exec_root/lab-daemon.json"
	pool="base=$POOL_NET.$((k * 16)).0/20,size=24"
	if [[ $(node_mode "$k") == tls ]]; then
		# --tlsverify: only clients with a certificate from the node's own CA get in.
		dir=$(tls_dir "$k")
		tls=(--tlsverify --tlscacert="$dir/ca.pem" --tlscert="$dir/server-cert.pem"
			--tlskey="$dir/server-key.pem")
	fi
	setsid dockerd \
		--config-file="$exec_root/lab-daemon.json" \
		--host="$(node_endpoint "$k")" "${tls[@]}" \
		--host="unix://$(node_socket "$k")" \
		--data-root="$(node_data "$k")" \
		--exec-root="$exec_root" \
		--pidfile="$pidfile" \
		--containerd="$(ctd_sock "$k")" \
		--bridge="$(node_bridge "$k")" \
		--default-address-pool="$pool" \
		--iptables=false \
		--ip-forward=false \
		--ip-masq=false \
		--cgroup-parent="/$(node_cgroup "$k")" \
		--shutdown-timeout=5 \
		--log-opt=max-size=10m --log-opt=max-file=2 \
		>>"$(node_log "$k")" 2>&1 </dev/null 9>&- &
	DOCKERD_PID[$k]=$!
	disown "$!"
}

wait_engine() {
	local k=$1 deadline i
	deadline=$((SECONDS + START_TIMEOUT))
	for ((i = 0; i < START_TIMEOUT * 10 && SECONDS < deadline; i++)); do
		engine_answers "$k" && return 0
		# Right after launch the process may not show dockerd's arguments yet: ask by pid.
		if ! alive "${DOCKERD_PID[$k]:-0}" && ! running "$k" dockerd; then
			abort_start "$k" "dockerd exited while starting"
		fi
		sleep 0.2
	done
	abort_start "$k" "engine not answering at $(node_endpoint "$k") after ${START_TIMEOUT}s"
}

# A node that failed to start is taken down again, so the next `up` starts from scratch
# rather than finding a half-started node (e.g. a containerd without its dockerd).
abort_start() {
	local k=$1 why=$2
	tail -n 5 "$(node_log "$k")" >&2 || true
	kill_node_procs "$k" >/dev/null
	unmount_node "$k"
	die "node $k: $why; see $(node_log "$k")"
}

# Starts whatever of node K is not running, in the node's recorded mode; does not wait for
# the engine. An engine running in the other mode, or with a server certificate replaced
# just now, is stopped first: dockerd can't change its listener while it runs.
launch_node() {
	local k=$1 mode have why=""
	quiet_ipv6
	mode=$(node_mode "$k")
	[[ $mode == tcp ]] || ensure_tls_certs "$k"
	have=$(running_mode "$k")
	[[ -z ${TLS_RENEWED[$k]:-} ]] || why="new server certificate"
	[[ -z $have || $have == "$mode" ]] || why="from $have to $mode"
	unset "TLS_RENEWED[$k]"
	if [[ -n $have && -n $why ]]; then
		say "node $k: restarting the engine ($why)"
		stop_node "$k"
	fi
	if engine_answers "$k"; then
		say "node $k: already up at $(node_endpoint "$k")"
		return 0
	fi
	say "node $k: starting engine at $(node_endpoint "$k")"
	: >>"$(node_log "$k")"
	ensure_bridge "$k"
	start_containerd "$k"
	start_dockerd "$k"
}

report_node() {
	local k=$1 version how=""
	version=$(dk_t 5 "$k" version --format '{{.Server.Version}}' 2>/dev/null) ||
		version=unknown
	[[ $(node_mode "$k") == tcp ]] || how=", mutual TLS with $(tls_dir "$k")"
	say "node $k: up at $(node_endpoint "$k") (engine $version$how)"
}

# ------------------------------------------------------------------------------ images

# Label value that changes whenever a build context or the busybox binary changes, so
# `up` rebuilds stale images instead of trusting whatever a data root still holds.
context_hash() {
	local name=$1
	{
		(cd "$LAB_DIR/$name" && find . -type f -print0 | sort -z | xargs -0 sha256sum)
		sha256sum <"$BUSYBOX"
	} | sha256sum | cut -c1-16
}

image_current() {
	local k=$1 ref=$2 hash=$3 have
	have=$(dk "$k" image inspect --format "{{index .Config.Labels \"$HASH_LABEL\"}}" \
		"$ref" 2>/dev/null) || return 1
	[[ $have == "$hash" ]]
}

# build_image K NAME TAG [docker build args...]
build_image() {
	local k=$1 name=$2 tag=$3 ctx log hash
	shift 3
	hash=$(context_hash "$name")
	ctx=$(mktemp -d "$WORK_DIR/ctx.XXXXXX")
	cp -a "$LAB_DIR/$name/." "$ctx/"
	cp "$BUSYBOX" "$ctx/busybox"
	log="$ctx.log"
	# The classic builder: BuildKit is not usable with this engine here.
	if ! DOCKER_BUILDKIT=0 dk_t 300 "$k" build \
		--label "$HASH_LABEL=$hash" -t "berth-demo/$name:$tag" "$@" "$ctx" >"$log" 2>&1; then
		tail -n 20 "$log" >&2
		die "node $k: building berth-demo/$name:$tag failed"
	fi
}

# Builds the demo images on node K; with "if-needed", only those missing or stale.
ensure_images() {
	local k=$1 mode=$2 spec name tag built=()
	for spec in web:1 web:2 cpu:1; do
		name=${spec%%:*}
		tag=${spec#*:}
		if [[ $mode == if-needed ]] &&
			image_current "$k" "berth-demo/$spec" "$(context_hash "$name")"; then
			continue
		fi
		if [[ $name == web ]]; then
			build_image "$k" "$name" "$tag" --build-arg "VERSION=$tag"
		else
			build_image "$k" "$name" "$tag"
		fi
		built+=("berth-demo/$spec")
	done
	if ((${#built[@]})); then
		# Rebuilds leave the old images dangling; drop only ours.
		dk "$k" image prune -f --filter "label=$DEMO_LABEL=1" >/dev/null 2>&1 || true
		say "node $k: built ${built[*]}"
	fi
}

# Runs ensure_images on the given nodes in parallel (the builds are mostly waiting on
# the engines), then fails if any of them failed.
ensure_images_on() {
	local mode=$1 k failed=()
	shift
	local -A jobs=()
	make_work_dir
	for k in "$@"; do
		ensure_images "$k" "$mode" &
		jobs[$k]=$!
	done
	for k in "$@"; do
		wait "${jobs[$k]}" || failed+=("$k")
	done
	((${#failed[@]} == 0)) || die "demo images failed on node(s) ${failed[*]} (see above)"
}

# ---------------------------------------------------------------------------- commands

# Nodes the lab knows of: 1..highest K with a data root, a mode, a bridge or a process.
known_nodes() {
	local k max=0
	for ((k = 1; k <= MAX_NODES; k++)); do
		if [[ -d $(node_data "$k") || -e $(node_modefile "$k") ]] ||
			ip link show "$(node_bridge "$k")" >/dev/null 2>&1 ||
			running "$k" dockerd || running "$k" containerd; then
			max=$k
		fi
	done
	echo "$max"
}

cmd_up() {
	local n=${1:-$DEFAULT_NODES} k start=$SECONDS
	if ! [[ $n =~ ^[0-9]+$ ]] || ((n < 1 || n > MAX_NODES)); then
		die "up: node count must be 1..$MAX_NODES, got '$n'"
	fi
	need_root
	take_lock
	ensure_packages
	# Launch all engines first and wait afterwards: they start in parallel.
	for ((k = 1; k <= n; k++)); do launch_node "$k"; done
	for ((k = 1; k <= n; k++)); do
		wait_engine "$k"
		report_node "$k"
	done
	local nodes=()
	mapfile -t nodes < <(seq 1 "$n")
	ensure_images_on if-needed "${nodes[@]}"
	say "$n node(s) up in $((SECONDS - start))s"
}

stop_node() {
	local k=$1 pids=()
	mapfile -t pids < <(node_pids "$k" dockerd)
	if ((${#pids[@]})); then
		say "node $k: stopping engine"
		# dockerd stops its containers on SIGTERM (they get --shutdown-timeout seconds).
		kill -TERM "${pids[@]}" 2>/dev/null || true
		wait_gone "$STOP_TIMEOUT" "${pids[@]}" || say "node $k: engine did not stop in time"
	fi
	mapfile -t pids < <(node_pids "$k" containerd)
	if ((${#pids[@]})); then
		kill -TERM "${pids[@]}" 2>/dev/null || true
		wait_gone 10 "${pids[@]}" || true
	fi
	# Whatever is left (shims, containers, docker-proxy after a hung stop) goes the hard way.
	kill_node_procs "$k"
	unmount_node "$k"
	if ip link show "$(node_bridge "$k")" >/dev/null 2>&1; then
		ip link del "$(node_bridge "$k")"
	fi
}

cmd_down() {
	local k
	need_root
	take_lock
	for ((k = 1; k <= MAX_NODES; k++)); do
		if running "$k" all || ip link show "$(node_bridge "$k")" >/dev/null 2>&1; then
			stop_node "$k"
			say "node $k: down"
		fi
	done
	restore_ipv6
	say "lab is down (data roots kept in /var/lib/docker-nK)"
}

cmd_purge() {
	local k dir
	cmd_down
	for ((k = 1; k <= MAX_NODES; k++)); do
		for dir in "$(node_data "$k")" "$(node_exec "$k")"; do
			[[ -e $dir ]] || continue
			# Never rm -rf through a mount point (a container rootfs would still be live).
			! grep -qE " $dir(/| )" /proc/self/mountinfo || die "$dir still has mounts"
			rm -rf -- "$dir"
		done
		rm -f -- "$(node_pidfile "$k")" "$(node_modefile "$k")"
	done
	say "lab data removed (TLS certificates kept in $TLS_ROOT)"
}

cmd_kill_node() {
	local k=${1:-}
	check_node_number "$k"
	need_root
	take_lock
	if ! running "$k" all; then
		say "node $k: nothing running"
		return 0
	fi
	kill_node_procs "$k"
	say "node $k: killed (engine, containerd, shims, containers; bridge and data kept)"
}

# Starts node K (or finds it up) in its recorded mode, with its demo images.
start_node() {
	local k=$1
	launch_node "$k"
	wait_engine "$k"
	report_node "$k"
	ensure_images_on if-needed "$k"
}

cmd_revive() {
	local k=${1:-}
	check_node_number "$k"
	need_root
	take_lock
	ensure_packages
	start_node "$k"
}

# Records node K as a TLS node and starts it so (a plain engine running there is restarted).
cmd_tls() {
	local k=${1:-} modefile
	check_node_number "$k"
	need_root
	take_lock
	ensure_packages
	# Certificates first: a node is never recorded as TLS without them.
	ensure_tls_certs "$k"
	modefile=$(node_modefile "$k")
	# Through a rename: status and env read the mode without taking the lock.
	echo tls >"$modefile.new"
	commit_file "$modefile"
	start_node "$k"
}

cmd_images() {
	local k n up=()
	need_root
	take_lock
	ensure_packages
	n=$(known_nodes)
	for ((k = 1; k <= n; k++)); do
		engine_answers "$k" && up+=("$k")
	done
	((${#up[@]})) || die "no lab node is up (run: scripts/lab.sh up)"
	ensure_images_on always "${up[@]}"
}

cmd_status() {
	local k n state version count mode
	n=$(known_nodes)
	((n)) || {
		say "no lab nodes (run: scripts/lab.sh up)"
		return 0
	}
	for ((k = 1; k <= n; k++)); do
		state=down version=- count=- mode=$(node_mode "$k")
		if version=$(dk_t 5 "$k" version --format '{{.Server.Version}}' 2>/dev/null); then
			state=up
			# Counted from `docker ps`: after an unclean restart (revive) dockerd 20.10 keeps
			# counting the dead containers in `docker info`'s ContainersRunning.
			count=$(dk_t 5 "$k" ps -q 2>/dev/null | wc -l) || count=-
		else
			version=-
		fi
		printf 'node=%s endpoint=%s state=%s version=%s running=%s mode=%s\n' \
			"$k" "$(node_endpoint "$k")" "$state" "$version" "$count" "$mode"
	done
}

cmd_env() {
	local k n
	n=$(known_nodes)
	for ((k = 1; k <= n; k++)); do
		echo "BERTH_LAB_NODE_$k=$(node_endpoint "$k")"
		[[ $(node_mode "$k") == tcp ]] || echo "BERTH_LAB_TLS_DIR_$k=$(tls_dir "$k")"
	done
}

main() {
	local cmd=${1:-}
	(($#)) && shift
	case $cmd in
	up) cmd_up "$@" ;;
	tls) cmd_tls "$@" ;;
	down) cmd_down ;;
	purge) cmd_purge ;;
	kill-node) cmd_kill_node "$@" ;;
	revive) cmd_revive "$@" ;;
	status) cmd_status ;;
	images) cmd_images ;;
	env) cmd_env ;;
	*) usage ;;
	esac
}

main "$@"

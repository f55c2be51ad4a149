#!/usr/bin/env bash
# Make a local PostgreSQL server ready for Berth's tests and for `prisma migrate dev`.
#
# Idempotent: installs PostgreSQL with apt when missing (root only), starts the newest
# installed major version's "main" cluster when it is down, and ensures the login role
# `berth` (password `berth`, CREATEDB, which `migrate dev` needs for its shadow database)
# and the database `berth_test` owned by it. Needs no standard input, so it runs in CI.
#
# The last line on stdout is the connection string, so callers can do:
#   eval "export $(scripts/postgres.sh | tail -n 1)"
# Progress messages go to stderr.
set -euo pipefail

readonly DB_USER="berth"
readonly DB_PASSWORD="berth"
readonly DB_NAME="berth_test"
readonly DB_HOST="127.0.0.1"
readonly CLUSTER="main"
readonly READY_TIMEOUT_S=60
readonly APT_LOCK_TIMEOUT_S=120

log() {
  echo "postgres.sh: $*" >&2
}

die() {
  log "error: $*"
  exit 1
}

is_root() {
  [[ "$(id -u)" -eq 0 ]]
}

# Prints the newest installed PostgreSQL major version, or nothing.
installed_version() {
  if [[ ! -d /usr/lib/postgresql ]]; then
    return 0
  fi
  find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/postgres' \
    | awk -F/ '{ print $5 }' | sort -V | tail -n 1
}

install_postgres() {
  if [[ -n "$(installed_version)" ]] && command -v pg_ctlcluster >/dev/null; then
    return 0
  fi
  is_root || die "PostgreSQL is not installed; run as root or: apt-get install -y postgresql"
  log "installing postgresql with apt"
  export DEBIAN_FRONTEND=noninteractive
  timeout 600 apt-get update -q >&2
  timeout 900 apt-get install -y -q -o "DPkg::Lock::Timeout=${APT_LOCK_TIMEOUT_S}" \
    postgresql </dev/null >&2
}

# Runs a command as the postgres OS user; cd / so it never complains about our cwd.
as_postgres() {
  if [[ "$(id -un)" == "postgres" ]]; then
    (cd / && "$@")
  elif is_root; then
    (cd / && runuser -u postgres -- "$@")
  else
    (cd / && sudo -n -u postgres -- "$@")
  fi
}

# Prints "<port> <status>" of the cluster, or nothing when it does not exist.
cluster_state() {
  local version="$1"
  pg_lsclusters --no-header | awk -v v="$version" -v c="$CLUSTER" \
    '$1 == v && $2 == c { print $3, $4 }'
}

ensure_cluster() {
  local version="$1"
  if [[ -n "$(cluster_state "$version")" ]]; then
    return 0
  fi
  is_root || die "cluster ${version}/${CLUSTER} does not exist; run as root"
  log "creating cluster ${version}/${CLUSTER}"
  pg_createcluster "$version" "$CLUSTER" >&2
}

start_cluster() {
  local version="$1" status
  status="$(cluster_state "$version" | awk '{ print $2 }')"
  if [[ "$status" == online* ]]; then
    return 0
  fi
  log "starting cluster ${version}/${CLUSTER}"
  # --skip-systemctl-redirect: there is no systemd in containers and CI machines.
  timeout "$READY_TIMEOUT_S" pg_ctlcluster --skip-systemctl-redirect "$version" "$CLUSTER" start \
    </dev/null >&2
}

wait_ready() {
  local port="$1" deadline=$((SECONDS + READY_TIMEOUT_S))
  until pg_isready -q -h "$DB_HOST" -p "$port" -t 2; do
    if ((SECONDS >= deadline)); then
      die "server on ${DB_HOST}:${port} not ready after ${READY_TIMEOUT_S}s"
    fi
    sleep 1
  done
}

# Role and database; ALTER ROLE each time so a changed password is put back.
ensure_role_and_database() {
  local port="$1"
  as_postgres psql -X -q -v ON_ERROR_STOP=1 -p "$port" -d postgres <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${DB_USER}') THEN
    CREATE ROLE ${DB_USER} LOGIN;
  END IF;
END
\$\$;
ALTER ROLE ${DB_USER} WITH LOGIN CREATEDB PASSWORD '${DB_PASSWORD}';
SELECT 'CREATE DATABASE ${DB_NAME} OWNER ${DB_USER}'
WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = '${DB_NAME}')\gexec
ALTER DATABASE ${DB_NAME} OWNER TO ${DB_USER};
SQL
}

main() {
  local version port

  install_postgres
  version="$(installed_version)"
  [[ -n "$version" ]] || die "no PostgreSQL server binaries found under /usr/lib/postgresql"
  ensure_cluster "$version"
  start_cluster "$version"
  port="$(cluster_state "$version" | awk '{ print $1 }')"
  wait_ready "$port"
  ensure_role_and_database "$port"
  log "PostgreSQL ${version} ready on ${DB_HOST}:${port}"

  echo "DATABASE_URL=postgresql://${DB_USER}:${DB_PASSWORD}@${DB_HOST}:${port}/${DB_NAME}"
}

main "$@"

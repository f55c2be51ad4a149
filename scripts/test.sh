#!/usr/bin/env bash
# Berth's whole test suite: lint and format, types, unit tests, integration tests against a
# PostgreSQL server and the lab's Docker engines, and browser tests in Chromium.
#
# As root it starts what it needs (PostgreSQL via scripts/postgres.sh, three lab nodes via
# scripts/lab.sh); otherwise they must already be running. Every step runs even when an
# earlier one fails, so one run shows every problem; the exit status is non-zero if any did.
set -uo pipefail
cd "$(dirname "$0")/.."

export DATABASE_URL="${DATABASE_URL:-postgresql://berth:berth@127.0.0.1:5432/berth_test}"
RESULTS=test-results
FAILED_STEPS=()

step() {
  local name=$1
  shift
  printf '\n=== %s\n' "$name"
  if ! "$@"; then
    FAILED_STEPS+=("$name")
  fi
}

node scripts/prepare.mjs --build || exit 1
if [[ $(id -u) -eq 0 ]]; then
  bash scripts/postgres.sh >/dev/null || exit 1
  bash scripts/lab.sh up 3 && bash scripts/lab.sh tls 4 || exit 1
fi
rm -rf "$RESULTS" && mkdir -p "$RESULTS"

step "lint" npx eslint . --max-warnings 0
step "format" npx prettier --check . --log-level warn
step "types" npx tsc --noEmit
step "unit" npx vitest run --project unit \
  --reporter=default --reporter=json --outputFile.json="$RESULTS/unit.json"
step "integration" npx vitest run --project integration \
  --reporter=default --reporter=json --outputFile.json="$RESULTS/integration.json"
step "browser" npx playwright test

node scripts/test-summary.mjs "$RESULTS" "${#FAILED_STEPS[@]}"
if [[ ${#FAILED_STEPS[@]} -gt 0 ]]; then
  echo "failed steps: ${FAILED_STEPS[*]}"
  exit 1
fi

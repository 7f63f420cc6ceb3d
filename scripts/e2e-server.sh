#!/usr/bin/env bash
# Starts the academy for the browser tests: a fresh database with the demo data.
# E2E_DATABASE_URL=postgres://... runs against a fresh PostgreSQL database instead.
set -euo pipefail
cd "$(dirname "$0")/.."
target_dir=${CARGO_TARGET_DIR:-target}
server="$target_dir/debug/server"
data_dir="end2end/.tmp/data"
rm -rf "$data_dir"
mkdir -p "$data_dir"
export ACADEMY_DATA_DIR="$data_dir"
export LEPTOS_SITE_ROOT="target/site"
export ACADEMY_LOG="${ACADEMY_LOG:-warn}"
# Heartbeats every 5 s (the shortest allowed) keep the player tests short.
export ACADEMY_HEARTBEAT_SECONDS=5
# Text messages go to a receiver the browser tests run themselves (accounts.spec.ts).
export ACADEMY_SMS_PROVIDER=webhook
export ACADEMY_SMS_WEBHOOK_URL="http://127.0.0.1:${E2E_SMS_PORT:-3199}/sms"
if [ -n "${E2E_DATABASE_URL:-}" ]; then
  # A database of its own for every run, so runs never see each other's rows.
  db="academy_e2e_$$"
  admin_url="${E2E_DATABASE_URL%/*}/postgres"
  # Databases of earlier runs are dropped here: the server is `exec`ed below,
  # so nothing runs after it stops.
  for stale in $(psql "$admin_url" -Atc "SELECT datname FROM pg_database WHERE datname LIKE 'academy_e2e_%'"); do
    psql "$admin_url" -qc "DROP DATABASE IF EXISTS $stale WITH (FORCE)"
  done
  psql "$admin_url" -qc "CREATE DATABASE $db"
  export DATABASE_URL="${E2E_DATABASE_URL%/*}/$db"
fi
"$server" demo >/dev/null
exec "$server" --listen "127.0.0.1:${E2E_PORT:-3100}" serve

#!/usr/bin/env bash
# Every test of the academy, in the order that fails fastest: format, lints, unit
# and store tests (SQLite always, PostgreSQL when TEST_DATABASE_URL is set or a
# local server answers), the real server on port 0, then the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
step() { printf '\n=== %s\n' "$*"; }

scripts/install-toolchain.sh test

if [ -z "${TEST_DATABASE_URL:-}" ] && command -v pg_isready >/dev/null \
   && pg_isready -h 127.0.0.1 -p 5432 -q; then
  export TEST_DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres"
fi
if [ -n "${TEST_DATABASE_URL:-}" ]; then
  echo "PostgreSQL tests: on (${TEST_DATABASE_URL%%@*}@…)"
else
  echo "PostgreSQL tests: off (set TEST_DATABASE_URL=postgres://… to run them)"
fi

step "format: leptosfmt (view! macros) and rustfmt"
leptosfmt --check --quiet app/src
cargo fmt --all --check

step "clippy: workspace (app with ssr)"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "clippy: app with hydrate on wasm32"
cargo clippy -p app --lib --no-default-features --features hydrate \
  --target wasm32-unknown-unknown --locked -- -D warnings

step "unit, store and server tests"
# Also builds the debug server binary that the browser tests run.
cargo test --workspace --locked

step "build the browser bundle (WASM, JS, CSS; staff pages split into chunks)"
cargo leptos build --frontend-only --split

cd end2end
step "browser tests on SQLite"
npx playwright test
if [ -n "${TEST_DATABASE_URL:-}" ]; then
  step "browser tests on PostgreSQL"
  E2E_DATABASE_URL="$TEST_DATABASE_URL" npx playwright test
fi

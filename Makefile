# The two commands a newcomer needs: `make run` and `make test` (see README).
SHELL := /bin/bash
TARGET_DIR := $(or $(CARGO_TARGET_DIR),target)
export PATH := $(HOME)/.cargo/bin:$(PATH)

.PHONY: run test check setup build size bench clean-data

## Build the release, load the demo data once into ./data (SQLite) and serve.
run: build
	$(TARGET_DIR)/release/server demo
	$(TARGET_DIR)/release/server serve

## Every test: fmt, clippy (ssr and hydrate), unit + store (SQLite and PostgreSQL), server, browser.
test:
	scripts/test-all.sh

## The inner loop, in minutes: format, clippy (ssr, and hydrate on wasm32) and
## the rules' unit tests. `make test` is still what must pass.
check:
	leptosfmt --check --quiet app/src
	cargo fmt --all --check
	cargo clippy --workspace --all-targets --locked -- -D warnings
	cargo clippy -p app --lib --no-default-features --features hydrate \
	  --target wasm32-unknown-unknown --locked -- -D warnings
	cargo test -p academy-shared --locked

setup:
	scripts/install-toolchain.sh build

build: setup
	cargo leptos build --release --precompress --split

## Raw, gzip and brotli bytes of the release WASM, JS and CSS.
size: build
	node scripts/size-report.js target/site

## Benchmarks whose results are kept in BENCHMARKS.md: the bundle size, the
## heartbeat load and the exam start (1,000 learners start, answer and hand in)
## on the release server over loopback (SQLite; set
## BENCH_DATABASE_URL=postgres://… for PostgreSQL), which write
## target/bench/heartbeat.json and target/bench/exam_start.json.
bench: size
	cargo run --release -p server --example heartbeat_bench
	cargo run --release -p server --example exam_bench

clean-data:
	rm -rf data

#!/usr/bin/env bash
# The whole test suite (the README's test command).
set -euo pipefail
cd "$(dirname "$0")/.."
# The code that runs inside Apple executables (the runtime and the trace backend, with the
# MAP_JIT code memory on arm64) type-checks for both Apple targets; nothing here can run it.
for t in aarch64-apple-darwin x86_64-apple-darwin; do
  cargo check --quiet -p vmkit-runtime -p vmkit-trace-backend --lib --tests --target "$t"
done
cargo build --workspace --all-targets
cargo test --workspace --no-fail-fast

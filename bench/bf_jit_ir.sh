#!/usr/bin/env bash
# Instructions executed by the bf JIT's compiled code (not a test: it measures and prints a
# Markdown table). Wall time on a shared machine moves by ±5%, more than most single changes
# to the trace backend or optimizer make; the number of instructions the compiled traces
# execute does not move (cachegrind counts them; with `compile_thread=0` the traces and their
# order are the same from run to run), and the compiled code of these workloads runs at a high
# and steady IPC, so it tracks their time closely. Columns: instructions in compiled code
# (cachegrind's `???` bucket: code without symbols, i.e. the traces), and in the whole process
# (which then includes tracing, blackholing, the interpreter and, with `compile_thread=0`,
# optimizing and compiling).
# Usage: bash bench/bf_jit_ir.sh   (needs valgrind; builds and writes under $CARGO_TARGET_DIR,
# default target/)
set -euo pipefail
cd "$(dirname "$0")/.."
command -v valgrind >/dev/null || { echo "bf_jit_ir.sh: needs valgrind (apt install valgrind)" >&2; exit 1; }
triple=x86_64-unknown-linux-gnu
cargo build --release -q -p vmkit-cli
target=${CARGO_TARGET_DIR:-target}
vmkit=$target/release/vmkit
out=$target/bench
mkdir -p "$out"
$vmkit translate --target $triple examples/bf -o "$out/bf-jit" >/dev/null

printf '| workload | instructions in compiled code | instructions in the process |\n'
printf '|---|---:|---:|\n'
for p in primes life1d digits mandel_ascii; do
  prog=examples/bf/programs/$p.b
  [ -f "$prog" ] || continue
  cg=$out/cachegrind.$p
  VMKIT_JIT=compile_thread=0 valgrind --tool=cachegrind --cache-sim=no --smc-check=all \
    --cachegrind-out-file="$cg" "$out/bf-jit" "$prog" >"$out/ir.$p.out" 2>/dev/null
  cmp "$out/ir.$p.out" examples/bf/programs/$p.out
  read -r jit total < <(cg_annotate "$cg" 2>/dev/null |
    awk '/PROGRAM TOTALS/ {t = $1} /\?\?\?:\?\?\?$/ {j = $1} END {print j, t}')
  printf '| %s | %s | %s |\n' "$p" "$jit" "$total"
done

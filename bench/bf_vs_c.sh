#!/usr/bin/env bash
# The bf JIT against the same BF programs translated to C (bench/bf2c.py: one statement per
# command, runs of + - < > folded, no idioms) and compiled with gcc -O2. Not a test: reports a
# Markdown table of whole-process medians (N runs) and the ratio JIT / C.
# Usage: bash bench/bf_vs_c.sh [runs]   (default 5)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
cargo build --release -q -p vmkit-cli
out=target/bench
mkdir -p $out
target/release/vmkit translate --target x86_64-unknown-linux-gnu examples/bf -o $out/bf-jit >/dev/null
median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
time_runs() { # seconds, 3 decimals
  for _ in $(seq "$runs"); do
    local t0 t1
    t0=$(date +%s%N)
    "$@" >/dev/null 2>&1
    t1=$(date +%s%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f\n", (b - a) / 1e9}'
  done | median
}
printf '| workload | gcc -O2 (bf2c.py) | bf JIT | JIT / C |\n|---|---:|---:|---:|\n'
for p in primes life1d digits mandel_ascii; do
  prog=examples/bf/programs/$p.b
  [ -f "$prog" ] || continue
  python3 bench/bf2c.py $prog > $out/$p.c
  gcc -O2 -o $out/$p-c $out/$p.c
  cmp <($out/$p-c) examples/bf/programs/$p.out
  c=$(time_runs $out/$p-c)
  j=$(time_runs $out/bf-jit $prog)
  printf '| %s | %s s | %s s | %s |\n' "$p" "$c" "$j" "$(awk -v a="$j" -v b="$c" 'BEGIN {printf "%.1fx", a / b}')"
done

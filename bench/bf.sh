#!/usr/bin/env bash
# Benchmarks for the bf VM (not a test: it measures and reports).
#  (a) translation of examples/bf: wall time and peak RSS of `vmkit translate` (warm caches:
#      the runtime library is already built for the target);
#  (b) the long-running BF program under the translated bf (no JIT yet) vs the same interpreter
#      built untranslated by `cargo build --release`.
# Usage: bash bench/bf.sh [runs]   (default 5 runs; reports medians)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
triple=x86_64-unknown-linux-gnu
prog=examples/bf/programs/primes.b

cargo build --release -q -p vmkit-cli -p vmkit-example-bf
vmkit=target/release/vmkit
# warm-up: builds the runtime for the target once
$vmkit translate --target $triple examples/bf >/dev/null

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }

t_times=(); t_rss=()
for _ in $(seq "$runs"); do
  out=$( { /usr/bin/time -f "%e %M" $vmkit translate --target $triple examples/bf >/dev/null; } 2>&1 | tail -1)
  t_times+=("${out% *}"); t_rss+=("${out#* }")
done
exe=target/vmkit/$triple/bf

run_times() { # binary
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e" "$1" $prog 2>&1 >/dev/null | tail -1
  done | median
}
translated=$(run_times "$exe")
untranslated=$(run_times target/release/bf)
cmp <("$exe" $prog) examples/bf/programs/primes.out
ratio=$(awk -v a="$translated" -v b="$untranslated" 'BEGIN {printf "%.2f", a / b}')

printf '| measure | median of %s runs |\n|---|---|\n' "$runs"
printf '| `vmkit translate examples/bf` wall time | %s s |\n' "$(printf '%s\n' "${t_times[@]}" | median)"
printf '| `vmkit translate examples/bf` peak RSS | %s MiB |\n' "$(printf '%s\n' "${t_rss[@]}" | median | awk '{printf "%.1f", $1/1024}')"
printf '| primes.b, translated bf (no JIT) | %s s |\n' "$translated"
printf '| primes.b, untranslated bf (`cargo build --release`) | %s s |\n' "$untranslated"
printf '| translated / untranslated | %s |\n' "$ratio"

#!/usr/bin/env bash
# JIT benchmark for the bf VM (not a test: it measures and reports a Markdown table).
# For each long-running BF workload written for this project, whole-process wall time (median
# of N runs) of the translated bf:
#   - translated with --no-jit (the plain interpreter),
#   - translated with the JIT, run with VMKIT_JIT=off (the cost of the hooks),
#   - translated with the JIT, default parameters;
# plus the JIT's own bookkeeping from VMKIT_LOG=jit-summary: traces compiled (trace trees, counted
# with the bridges, in parentheses), trace ops,
# time spent tracing / optimizing / compiling / blackholing / installing, and compile time per
# trace and per 1000 trace ops. Optimizing and compiling happen on the background compilation
# thread by default (VMKIT_JIT=compile_thread=1), installing on the program's thread. Outputs are
# checked against the golden files. Extra settings for every JIT run: BF_JIT=... (e.g.
# BF_JIT=compile_thread=0).
# Usage: bash bench/bf_jit.sh [runs]   (default 5; builds and writes under $CARGO_TARGET_DIR,
# default target/)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
triple=x86_64-unknown-linux-gnu
cargo build --release -q -p vmkit-cli
target=${CARGO_TARGET_DIR:-target}
vmkit=$target/release/vmkit
out=$target/bench
mkdir -p $out
$vmkit translate --target $triple examples/bf -o $out/bf-jit >/dev/null
$vmkit translate --target $triple --no-jit examples/bf -o $out/bf-nojit >/dev/null

median() { sort -n | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else print (a[NR/2]+a[NR/2+1])/2}'; }
time_runs() { # env-setting exe prog: seconds, 3 decimals (the 10x line needs more than
  # /usr/bin/time's centiseconds)
  local envs=$1 exe=$2 prog=$3
  for _ in $(seq "$runs"); do
    local t0 t1
    t0=$(date +%s%N)
    env $envs "$exe" "$prog" >/dev/null 2>&1
    t1=$(date +%s%N)
    awk -v a="$t0" -v b="$t1" 'BEGIN {printf "%.3f\n", (b - a) / 1e9}'
  done | median
}

progs=()
for p in primes life1d digits mandel_ascii; do
  [ -f examples/bf/programs/$p.b ] && progs+=("$p")
done

printf '| workload | no-JIT build | JIT build, JIT off | JIT | speedup (no-JIT / JIT) | traces (loops+bridges+entries; trees) | trace ops | tracing | compiling | per trace | per 1000 ops | blackholing | installing |\n'
printf '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n'
for p in "${progs[@]}"; do
  prog=examples/bf/programs/$p.b
  cmp <($out/bf-jit $prog) examples/bf/programs/$p.out
  cmp <($out/bf-nojit $prog) examples/bf/programs/$p.out
  nojit=$(time_runs "X=1" $out/bf-nojit $prog)
  off=$(time_runs "VMKIT_JIT=off" $out/bf-jit $prog)
  jit=$(time_runs "VMKIT_JIT=${BF_JIT:-}" $out/bf-jit $prog)
  summary=$(VMKIT_JIT=${BF_JIT:-} VMKIT_LOG=jit-summary $out/bf-jit $prog 2>&1 >/dev/null)
  loops=$(sed -n 's/.*loops \([0-9]*\),.*/\1/p' <<<"$summary")
  entries=$(sed -n 's/.*entry traces \([0-9]*\),.*/\1/p' <<<"$summary")
  bridges=$(sed -n 's/.*bridges \([0-9]*\),.*/\1/p' <<<"$summary")
  trees=$(sed -n 's/.*trees \([0-9]*\).*/\1/p' <<<"$summary")
  ops=$(sed -n 's/.*compiled ops \([0-9]*\).*/\1/p' <<<"$summary")
  tracing=$(sed -n 's/.*tracing \([0-9.]*\) ms.*/\1/p' <<<"$summary")
  compiling=$(sed -n 's/.*compiling \([0-9.]*\) ms.*/\1/p' <<<"$summary")
  blackholing=$(sed -n 's/.*blackholing \([0-9.]*\) ms.*/\1/p' <<<"$summary")
  installing=$(sed -n 's/.*installing \([0-9.]*\) ms.*/\1/p' <<<"$summary")
  traces=$((loops + bridges + entries))
  printf '| %s | %s s | %s s | %s s | %s | %s (%s+%s+%s; %s) | %s | %s ms | %s ms | %s ms | %s ms | %s ms | %s ms |\n' \
    "$p" "$nojit" "$off" "$jit" \
    "$(awk -v a="$nojit" -v b="$jit" 'BEGIN {printf "%.2fx", a / b}')" \
    "$traces" "$loops" "$bridges" "$entries" "${trees:-0}" "$ops" "$tracing" "$compiling" \
    "$(awk -v c="$compiling" -v t="$traces" 'BEGIN {printf "%.3f", (t > 0 ? c / t : 0)}')" \
    "$(awk -v c="$compiling" -v o="$ops" 'BEGIN {printf "%.2f", (o > 0 ? 1000 * c / o : 0)}')" \
    "$blackholing" "${installing:-0}"
done

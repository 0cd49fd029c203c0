#!/usr/bin/env bash
# Differential fuzzing by hand: N random programs (default 500) from seed START (default 1000),
# each run untranslated, on the graph interpreter and translated (x86-64, GC stress, aarch64
# under qemu when installed); prints a summary and every disagreement, and leaves the programs
# that disagree (with their untranslated output) under target/fuzz-scratch/s<START>-n<N>/findings/.
#
#   tests/fuzz/run.sh [N] [START]
#
# Knobs (environment): VMKIT_FUZZ_AVOID (known bugs to steer around; default: all known ones, see
# KNOWN_BUGS in tests/tests/fuzz.rs; `none` to generate everything), VMKIT_FUZZ_AARCH64=0/1,
# VMKIT_FUZZ_STRESS=0/1, VMKIT_FUZZ_AARCH64_STRESS=0/1, VMKIT_FUZZ_BATCH (programs per rustc
# build, default 50), VMKIT_FUZZ_JOBS (parallel workers). One program in every mode, side by side:
# tests/fuzz/check1.sh prog.rs. The program of one seed S is left (with any run) in
# target/fuzz-scratch/s<S>-n1/src/p<S>.rs by: tests/fuzz/run.sh 1 S
set -euo pipefail
cd "$(dirname "$0")/../.."
export VMKIT_FUZZ_SEEDS="${1:-500}"
export VMKIT_FUZZ_START="${2:-1000}"
exec cargo test -q -p vmkit-tests --test fuzz -- fuzz_seeds --nocapture

#!/usr/bin/env bash
# Runs one single-file DSL program in every mode and prints the outputs side by side:
#   tests/fuzz/check1.sh path/to/prog.rs
# With GOLDEN=1, also writes the untranslated standard output to prog.out, a non-zero exit status
# to prog.status and a non-empty standard error to prog.err (the reproducers' golden files).
# untranslated (a scratch crate under target/fuzz-scratch/check1, rustc debug build), graph
# interpreter (`vmkit run`, x86-64 and aarch64 layouts), translated x86-64 (also GC stress) and
# translated aarch64 under qemu-user.
set -uo pipefail
ws="$(cd "$(dirname "$0")/../.." && pwd)"
prog="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
dir="$ws/target/fuzz-scratch/check1"
mkdir -p "$dir/src"
[ -f "$dir/Cargo.lock" ] || cp "$ws/Cargo.lock" "$dir/Cargo.lock"
cat > "$dir/Cargo.toml" <<TOML
[package]
name = "vmkit-fuzz-check1"
version = "0.1.0"
edition = "2021"
publish = false
[dependencies]
vmkit = { path = "$ws/vmkit" }
[profile.dev]
debug = false
[workspace]
TOML
cat > "$dir/src/main.rs" <<RS
#![allow(warnings, arithmetic_overflow, unconditional_panic)]
#[path = "$prog"]
mod prog;
fn main() { vmkit::run(prog::entry) }
RS
vmkit="${VMKIT:-$ws/target/release/vmkit}"
[ -x "$vmkit" ] || (cd "$ws" && cargo build --quiet --release -p vmkit-cli) || exit 2
(cd "$dir" && cargo build --quiet --offline --target-dir "$dir/target") || exit 2
out="$dir/out"; mkdir -p "$out"
"$dir/target/debug/vmkit-fuzz-check1" > "$out/untranslated" 2> "$out/untranslated.err"; echo "status $?" >> "$out/untranslated"
"$vmkit" run "$prog" > "$out/graph-x86" 2> "$out/graph-x86.err"; echo "status $?" >> "$out/graph-x86"
"$vmkit" run --target aarch64-unknown-linux-gnu "$prog" > "$out/graph-arm" 2> "$out/graph-arm.err"; echo "status $?" >> "$out/graph-arm"
"$vmkit" translate -o "$out/x86.exe" "$prog" > /dev/null && {
  "$out/x86.exe" > "$out/x86" 2> "$out/x86.err"; echo "status $?" >> "$out/x86"
  VMKIT_GC_STRESS=1 "$out/x86.exe" > "$out/x86-stress" 2> "$out/x86-stress.err"; echo "status $?" >> "$out/x86-stress"
}
"$vmkit" translate --target aarch64-unknown-linux-gnu -o "$out/arm.exe" "$prog" > /dev/null && {
  qemu-aarch64 -L /usr/aarch64-linux-gnu "$out/arm.exe" > "$out/arm" 2> "$out/arm.err"; echo "status $?" >> "$out/arm"
}
if [ "${GOLDEN:-0}" = 1 ]; then
  base="${prog%.rs}"
  st=$(tail -1 "$out/untranslated" | sed 's/status //')
  head -n -1 "$out/untranslated" > "$base.out"
  if [ "$st" != 0 ]; then echo "$st" > "$base.status"; else rm -f "$base.status"; fi
  if [ -s "$out/untranslated.err" ]; then cp "$out/untranslated.err" "$base.err"; else rm -f "$base.err"; fi
fi
for m in graph-x86 graph-arm x86 x86-stress arm; do
  if cmp -s "$out/untranslated" "$out/$m"; then echo "$m: same"; else echo "$m: DIFFERS"; diff "$out/untranslated" "$out/$m" | head -${DIFF_LINES:-10}; fi
done
echo "--- untranslated ---"; head -${OUT_LINES:-20} "$out/untranslated"; cat "$out/untranslated.err" | head -5

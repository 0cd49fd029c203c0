#!/usr/bin/env bash
# Checks a build of the BF VM against examples/bf/programs:
#   - every NAME.b runs with NAME.in on standard input (or no input), exits with status 0 and
#     writes exactly NAME.out;
#   - every errors/*.b exits with the status named in the table below and writes a message on
#     standard error.
#
# usage: tools/check.sh [BF]     BF: the VM binary to test (untranslated or translated);
#                                default: build it with `cargo build --release -p vmkit-example-bf`
#                                (honours CARGO_TARGET_DIR) and test that
#        tools/check.sh --ref    only cross-check the Python reference (tools/bf_ref.py) against
#                                the .out files (about 7 minutes, most of it for the long-running
#                                primes.b, life1d.b, digits.b and mandel_ascii.b)
set -u
bf_dir=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$bf_dir/../.." && pwd)
programs=$bf_dir/programs

if [ "${1:-}" = "--ref" ]; then
    exec python3 "$bf_dir/tools/bf_ref.py" --check "$programs"
fi

if [ $# -ge 1 ]; then
    bf=$1
else
    (cd "$root" && cargo build --release -q -p vmkit-example-bf) || exit 1
    bf=${CARGO_TARGET_DIR:-$root/target}/release/bf
fi

failures=0
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

for program in "$programs"/*.b; do
    name=$(basename "$program" .b)
    input=/dev/null
    [ -f "$programs/$name.in" ] && input=$programs/$name.in
    start=$(date +%s%N)
    "$bf" "$program" <"$input" >"$tmp/out" 2>"$tmp/err"
    status=$?
    ms=$((($(date +%s%N) - start) / 1000000))
    if [ $status -eq 0 ] && cmp -s "$tmp/out" "$programs/$name.out"; then
        echo "ok   $name (${ms} ms)"
    else
        echo "FAIL $name: status $status, output $(cmp "$tmp/out" "$programs/$name.out" 2>&1 | head -1)"
        sed 's/^/     stderr: /' "$tmp/err" | head -5
        failures=$((failures + 1))
    fi
done

# errors/NAME.b and the expected exit status.
for case in unmatched:2 unmatched_close:2 tape_left:101 tape_right:101; do
    name=${case%:*}
    expected=${case#*:}
    "$bf" "$programs/errors/$name.b" </dev/null >"$tmp/out" 2>"$tmp/err"
    status=$?
    if [ $status -eq "$expected" ] && [ -s "$tmp/err" ]; then
        echo "ok   errors/$name: status $status: $(head -1 "$tmp/err")"
    else
        echo "FAIL errors/$name: status $status (expected $expected), stderr: $(head -1 "$tmp/err")"
        failures=$((failures + 1))
    fi
done

# Usage errors: no argument, unreadable file.
"$bf" </dev/null >/dev/null 2>"$tmp/err"
status=$?
if [ $status -eq 1 ] && [ -s "$tmp/err" ]; then echo "ok   no argument: status 1"; else
    echo "FAIL no argument: status $status"; failures=$((failures + 1)); fi
"$bf" "$programs/does-not-exist.b" </dev/null >/dev/null 2>"$tmp/err"
status=$?
if [ $status -eq 1 ] && [ -s "$tmp/err" ]; then echo "ok   unreadable file: status 1"; else
    echo "FAIL unreadable file: status $status"; failures=$((failures + 1)); fi

if [ $failures -ne 0 ]; then
    echo "$failures failure(s)"
    exit 1
fi
echo "all ok"

#!/usr/bin/env bash
# Regenerate the expected outputs of the interp-python conformance suite
# by running every test script under CPython 3.11.
#
# For every tests/**/<name>.py (except helper modules named *_mod.py):
#   cd <dir of script>
#   PYTHONHASHSEED=0 python3 <name>.py [args from <name>.args] < <name>.in|/dev/null
# and record
#   <name>.out     stdout (always written, possibly empty)
#   <name>.status  exit status, only when non-zero
#   <name>.err     stderr, only when non-empty
#
# Usage: ./regen.sh            (uses python3 from PATH)
#        PYTHON=/path/to/python3.11 ./regen.sh
set -euo pipefail

PY="${PYTHON:-python3}"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

die() { echo "regen.sh: $*" >&2; exit 1; }

command -v "$PY" >/dev/null 2>&1 || die "'$PY' not found"
ver="$("$PY" -c 'import sys; print("%s %d.%d" % (sys.implementation.name, *sys.version_info[:2]))')" \
    || die "cannot run '$PY'"
[ "$ver" = "cpython 3.11" ] || die "expected CPython 3.11, but '$PY' is '$ver'"

# A clean, reproducible environment for the child interpreters.
unset PYTHONPATH PYTHONSTARTUP PYTHONHOME PYTHONWARNINGS PYTHONOPTIMIZE \
      PYTHONDEBUG PYTHONINSPECT PYTHONUNBUFFERED PYTHONVERBOSE PYTHONSAFEPATH || true
export PYTHONHASHSEED=0 PYTHONDONTWRITEBYTECODE=1 PYTHONIOENCODING=utf-8 LC_ALL=C.UTF-8

# Drop expectation files whose script has disappeared.
while IFS= read -r -d '' f; do
    [ -f "${f%.*}.py" ] || { echo "removing stale $f"; rm -f "$f"; }
done < <(find "$here" -type f \( -name '*.out' -o -name '*.status' -o -name '*.err' \) -print0)

n=0; nonzero=0
while IFS= read -r -d '' script; do
    dir="$(dirname "$script")"
    name="$(basename "$script" .py)"
    args=()
    if [ -f "$dir/$name.args" ]; then
        mapfile -t args < "$dir/$name.args"
    fi
    input=/dev/null
    [ -f "$dir/$name.in" ] && input="$dir/$name.in"

    rm -f "$dir/$name.out" "$dir/$name.status" "$dir/$name.err"
    set +e
    (cd "$dir" && timeout 120 "$PY" "$name.py" ${args[@]+"${args[@]}"} \
        < "$input" > "$name.out" 2> "$name.err")
    status=$?
    set -e
    [ "$status" -eq 124 ] && die "$script timed out"
    if [ "$status" -ne 0 ]; then
        echo "$status" > "$dir/$name.status"
        nonzero=$((nonzero + 1))
    fi
    if [ -s "$dir/$name.err" ]; then
        # CPython prints the absolute script path in tracebacks; make it
        # relative to the script's directory so .err files are portable.
        sed -i "s|$dir/||g" "$dir/$name.err"
    else
        rm -f "$dir/$name.err"
    fi
    rm -rf "$dir/__pycache__"
    n=$((n + 1))
done < <(find "$here" -type f -name '*.py' ! -name '*_mod.py' -print0 | sort -z)

echo "regen.sh: regenerated $n scripts ($nonzero with non-zero exit status)"

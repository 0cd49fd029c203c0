#!/usr/bin/env bash
# Python benchmark suite for pyvm (not a test: it measures and reports a Markdown table).
# Runs every bench/python/<name>.py at its default size under
#   - pyvm with its JIT (default parameters),
#   - pyvm with VMKIT_JIT=off (the translated interpreter alone),
#   - CPython (`python3`),
#   - PyPy (`pypy3`, installed with apt-get if missing; "n/a" when it cannot be had),
# checks every run's stdout against bench/python/expected/<name>.out, and reports whole-process
# wall-clock medians, speedups and the peak RSS of the pyvm JIT runs. A run that exits non-zero
# or prints something else is FAIL, one that exceeds the time limit is TIMEOUT (never a time);
# the remaining runs of that configuration are skipped and the suite goes on.
# The table is printed and written to bench/python-results.md.
#
# Usage: bash bench/python.sh [runs] [pyvm-binary]
#   runs         runs per benchmark and configuration (default 3); the median is reported
#   pyvm-binary  a translated pyvm; without it, interp-python is translated into target/bench/pyvm
# Environment: BENCHES="fib nbody" runs a subset; BENCH_TIMEOUT=seconds per run (default 60).
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-3}
pyvm=${2:-}
triple=x86_64-unknown-linux-gnu

if [ -z "$pyvm" ]; then
  if [ ! -x target/debug/vmkit ]; then
    cargo build -q -p vmkit-cli
  fi
  mkdir -p target/bench
  echo "translating interp-python into target/bench/pyvm ..." >&2
  ./target/debug/vmkit translate --target $triple interp-python -o target/bench/pyvm >/dev/null
  pyvm=target/bench/pyvm
fi
[ -x "$pyvm" ] || { echo "python.sh: $pyvm is not an executable" >&2; exit 1; }

if ! command -v pypy3 >/dev/null 2>&1; then
  echo "pypy3 not found, trying apt-get install -y pypy3 ..." >&2
  apt-get install -y pypy3 >/dev/null 2>&1 \
    || { apt-get update >/dev/null 2>&1 && apt-get install -y pypy3 >/dev/null 2>&1; } \
    || echo "could not install pypy3: its column will say n/a" >&2
fi

commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
if [ -n "$(git status --porcelain --untracked-files=no -- interp-python vmkit 2>/dev/null)" ]; then
  commit="$commit + uncommitted changes"
fi

PYVM="$pyvm" RUNS="$runs" COMMIT="$commit" exec python3 - <<'EOF'
import datetime, os, signal, subprocess, sys, threading, time

root = os.getcwd()
bench_dir = os.path.join(root, "bench", "python")
expected_dir = os.path.join(bench_dir, "expected")
pyvm = os.path.abspath(os.environ["PYVM"])
runs = int(os.environ["RUNS"])
limit = float(os.environ.get("BENCH_TIMEOUT", "60"))

names = os.environ.get("BENCHES", "").split() or sorted(
    f[:-3] for f in os.listdir(bench_dir) if f.endswith(".py"))


def which(prog):
    for d in os.environ.get("PATH", "").split(os.pathsep):
        p = os.path.join(d, prog)
        if os.path.isfile(p) and os.access(p, os.X_OK):
            return p
    return None


def version(exe):
    code = ("import sys; v = getattr(sys, 'pypy_version_info', None); "
            "print(sys.version.split()[0] + (' (PyPy %d.%d.%d)' % tuple(v[:3]) if v else ''))")
    try:
        return subprocess.run([exe, "-c", code], capture_output=True, text=True,
                              timeout=30).stdout.strip() or "?"
    except Exception:
        return "?"


pypy = which("pypy3")
configs = [  # (column, argv prefix, extra environment)
    ("pyvm JIT", [pyvm], {}),
    ("pyvm no-JIT", [pyvm], {"VMKIT_JIT": "off"}),
    ("CPython", [sys.executable], {}),
    ("PyPy", [pypy] if pypy else None, {}),
]


def run_once(argv, extra_env, script, expected):
    """Returns (status, seconds, peak RSS in KiB); status is 'ok', 'FAIL' or 'TIMEOUT'."""
    env = dict(os.environ, **extra_env)
    env.setdefault("PYTHONHASHSEED", "0")
    with open(os.devnull, "rb") as devnull:
        t0 = time.perf_counter()
        proc = subprocess.Popen(argv + [script], stdin=devnull, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=env, cwd=bench_dir,
                                start_new_session=True)
        timed_out = []

        def kill():
            timed_out.append(True)
            try:
                os.killpg(proc.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass

        timer = threading.Timer(limit, kill)
        timer.start()
        out, err = proc.communicate()
        elapsed = time.perf_counter() - t0
        timer.cancel()
    # communicate() reaped the child; its rusage is in RUSAGE_CHILDREN, so use wait4 instead
    rss = proc_rss.pop(proc.pid, None)
    if timed_out:
        return "TIMEOUT", elapsed, rss, err
    if proc.returncode != 0 or out != expected:
        return "FAIL", elapsed, rss, err
    return "ok", elapsed, rss, err


# Popen reaps with waitpid(); to get each child's own peak RSS, reap it ourselves with wait4
# (subprocess's _try_wait is the single place where it waits).
proc_rss = {}
_orig_try_wait = subprocess.Popen._try_wait


def _try_wait(self, wait_flags):
    try:
        pid, sts, ru = os.wait4(self.pid, wait_flags)
    except ChildProcessError:
        return _orig_try_wait(self, wait_flags)
    if pid == self.pid:
        proc_rss[pid] = ru.ru_maxrss
    return pid, sts


subprocess.Popen._try_wait = _try_wait


def median(xs):
    xs = sorted(xs)
    n = len(xs)
    return xs[n // 2] if n % 2 else (xs[n // 2 - 1] + xs[n // 2]) / 2


results = {}   # (name, column) -> float seconds | "FAIL" | "TIMEOUT" | "n/a"
rss = {}       # name -> MiB of the pyvm JIT runs (max over runs)
notes = []
for name in names:
    script = os.path.join(bench_dir, name + ".py")
    exp_path = os.path.join(expected_dir, name + ".out")
    expected = open(exp_path, "rb").read() if os.path.exists(exp_path) else None
    for column, argv, extra in configs:
        if argv is None:
            results[name, column] = "n/a"
            continue
        times = []
        status = "ok"
        for _ in range(runs):
            st, secs, kib, err = run_once(argv, extra, script, expected)
            if column == "pyvm JIT" and kib is not None:
                rss[name] = max(rss.get(name, 0.0), kib / 1024.0)
            if st != "ok":
                status = st
                last = err.decode("utf-8", "replace").strip().splitlines()
                notes.append(f"{name} / {column}: {st}" +
                             (f" after {secs:.1f} s" if st == "TIMEOUT" else
                              f" ({last[-1][:160]})" if last else " (wrong output)"))
                break
            times.append(secs)
        results[name, column] = median(times) if status == "ok" else status
        shown = results[name, column]
        print(f"  {name:16s} {column:12s} "
              f"{shown if isinstance(shown, str) else '%.2f s' % shown}",
              file=sys.stderr, flush=True)


def fmt_time(v):
    return v if isinstance(v, str) else f"{v:.2f} s"


def ratio(a, b):
    """b / a: how many times faster `a` is than `b` (>1: a is faster)."""
    if isinstance(a, str) or isinstance(b, str):
        return None
    return b / a


def fmt_ratio(r):
    return "—" if r is None else (f"{r:.2f}x" if r >= 0.1 else f"{r:.3f}x")


def geomean(xs):
    xs = [x for x in xs if x is not None]
    if not xs:
        return None, 0
    p = 1.0
    for x in xs:
        p *= x
    return p ** (1.0 / len(xs)), len(xs)


cols = ["pyvm JIT", "pyvm no-JIT", "CPython", "PyPy"]
ratio_defs = [("JIT/CPython speedup", "pyvm JIT", "CPython"),
              ("JIT vs PyPy", "pyvm JIT", "PyPy"),
              ("no-JIT/CPython", "pyvm no-JIT", "CPython")]
lines = []
lines.append("| benchmark | " + " | ".join(cols) + " | " +
             " | ".join(r[0] for r in ratio_defs) + " | peak RSS MiB |")
lines.append("|---" + "|---:" * (len(cols) + len(ratio_defs) + 1) + "|")
for name in names:
    row = [fmt_time(results[name, c]) for c in cols]
    row += [fmt_ratio(ratio(results[name, a], results[name, b])) for _, a, b in ratio_defs]
    row.append(f"{rss[name]:.1f}" if name in rss else "—")
    lines.append(f"| {name} | " + " | ".join(row) + " |")
geo = []
for c in cols:
    g, k = geomean([results[n, c] if not isinstance(results[n, c], str) else None
                    for n in names])
    geo.append("—" if g is None else f"{g:.2f} s" + ("" if k == len(names) else f" ({k}/{len(names)})"))
for _, a, b in ratio_defs:
    g, k = geomean([ratio(results[n, a], results[n, b]) for n in names])
    geo.append("—" if g is None else fmt_ratio(g) + ("" if k == len(names) else f" ({k}/{len(names)})"))
g, k = geomean([rss.get(n) for n in names])
geo.append("—" if g is None else f"{g:.1f}")
lines.append("| **geometric mean** | " + " | ".join(geo) + " |")

header = [
    f"Measured {datetime.date.today().isoformat()} with `bash bench/python.sh {runs}`: "
    f"whole-process wall time, median of {runs} run(s), {limit:.0f} s limit per run; pyvm "
    f"`{os.environ['COMMIT']}` (x86_64-unknown-linux-gnu), CPython {version(configs[2][1][0])}, "
    f"PyPy {version(pypy) if pypy else 'n/a'}; {os.cpu_count()} cores.",
    "",
    "Speedup columns divide the other engine's time by pyvm's (above 1x: pyvm is faster); "
    "geometric means are over the benchmarks where both sides have a time (count in "
    "parentheses when some are missing). Peak RSS is the largest of the pyvm JIT runs. FAIL: "
    "non-zero exit or output different from `bench/python/expected/<name>.out`; TIMEOUT: killed "
    "at the limit.",
    "",
]
text = "\n".join(header + lines) + "\n"
if notes:
    text += "\nFailures:\n\n" + "\n".join(f"- {n}" for n in notes) + "\n"
with open(os.path.join(root, "bench", "python-results.md"), "w") as f:
    f.write(text)
print(text)
EOF

#!/usr/bin/env python3
"""Runs the conformance suite (interp-python/tests/<area>/*.py) with a pyvm binary and compares
stdout and the exit status byte for byte with the expectations recorded from CPython 3.11, and
the last line of stderr (`Type: message`) for scripts that fail on purpose.

usage: conformance.py PYVM [--list-failures] [--jit ENV] [area/name ...]
Prints one line per failing script and a summary; exit status 1 if any script fails.
"""
import os, subprocess, sys, pathlib

def main():
    args = sys.argv[1:]
    if not args:
        print(__doc__, file=sys.stderr)
        return 2
    pyvm = os.path.abspath(args[0])
    show = "--list-failures" in args
    env = dict(os.environ, PYTHONHASHSEED="0")
    if "--jit" in args:
        env["VMKIT_JIT"] = args[args.index("--jit") + 1]
    only = [a for a in args[1:] if not a.startswith("--") and "=" not in a and a != env.get("VMKIT_JIT")]
    root = pathlib.Path(__file__).resolve().parent.parent / "tests"
    scripts = sorted(p for p in root.glob("*/*.py") if not p.name.endswith("_mod.py"))
    if only:
        scripts = [p for p in scripts if any(str(p).endswith(o if o.endswith(".py") else o + ".py") for o in only)]
    failed = []
    for p in scripts:
        stdin_path = p.with_suffix(".in")
        argv_path = p.with_suffix(".args")
        extra = argv_path.read_text().splitlines() if argv_path.exists() else []
        stdin = open(stdin_path, "rb") if stdin_path.exists() else subprocess.DEVNULL
        try:
            r = subprocess.run([pyvm, p.name] + extra, cwd=p.parent, stdin=stdin,
                               capture_output=True, timeout=60, env=env)
            out, err, code = r.stdout, r.stderr, r.returncode
        except subprocess.TimeoutExpired:
            out, err, code = b"", b"timeout", -999
        finally:
            if stdin is not subprocess.DEVNULL:
                stdin.close()
        want_out = p.with_suffix(".out").read_bytes()
        st = p.with_suffix(".status")
        want_code = int(st.read_text()) if st.exists() else 0
        errf = p.with_suffix(".err")
        ok = out == want_out and code == want_code
        why = []
        if out != want_out:
            why.append("stdout")
        if code != want_code:
            why.append(f"status {code} != {want_code}")
        if ok and errf.exists() and want_code != 0:
            want_last = errf.read_bytes().strip().splitlines()[-1:]
            got_last = err.strip().splitlines()[-1:]
            if p.parent.name == "syntax":
                want_last = [w.split(b":")[0] for w in want_last]
                got_last = [g.split(b":")[0] for g in got_last]
            if want_last != got_last:
                ok = False
                why.append("stderr last line")
        if not ok:
            failed.append((p, why, err))
    for p, why, err in failed:
        rel = p.relative_to(root)
        tail = err.decode(errors="replace").strip().splitlines()[-1:] if show else []
        print(f"FAIL {rel}: {', '.join(why)}" + (f"  [{tail[0][:150]}]" if tail else ""))
    print(f"{len(scripts) - len(failed)}/{len(scripts)} passed")
    return 1 if failed else 0

if __name__ == "__main__":
    sys.exit(main())

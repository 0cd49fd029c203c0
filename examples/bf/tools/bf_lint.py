#!/usr/bin/env python3
"""Shows the lines of BF programs whose comment text contains command characters.

A line is split at the first letter or digit: what comes after is treated as comment text, and any
of the eight commands in it is reported (they would run). Usage: bf_lint.py FILE.b...
"""
import re
import sys

status = 0
for path in sys.argv[1:]:
    with open(path, "rb") as f:
        for number, line in enumerate(f.read().decode("latin-1").splitlines(), 1):
            m = re.search(r"[A-Za-z0-9]", line)
            if m and re.search(r"[-+<>.,\[\]]", line[m.start():]):
                print(f"{path}:{number}: {line.strip()}")
                status = 1
sys.exit(status)

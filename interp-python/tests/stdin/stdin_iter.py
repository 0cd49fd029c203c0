import sys
counts = {}
for lineno, line in enumerate(sys.stdin, 1):
    line = line.rstrip("\n")
    if not line:
        print(lineno, "(blank)")
        continue
    for w in line.lower().split():
        counts[w] = counts.get(w, 0) + 1
    print(lineno, line[::-1])
for w, c in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])):
    print(w, c)

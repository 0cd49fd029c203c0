for i, c in enumerate("abc"):
    print(i, c)
print(list(enumerate([10, 20], start=5)), list(enumerate(range(0))))
e = enumerate(["x", "y"], -1)
print(type(e).__name__, next(e), next(e), next(e, "end"))
words = ["zero", "one", "two"]
print({w: i for i, w in enumerate(words)})
print([i for i, w in enumerate(words) if "o" in w])
lines = ["first", "second", "third"]
for lineno, line in enumerate(lines, 1):
    print(f"{lineno:>3}: {line}")

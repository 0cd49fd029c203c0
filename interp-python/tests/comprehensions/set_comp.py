print(sorted({x % 5 for x in range(20)}))
print(sorted({w.lower() for w in ["A", "a", "B", "b", "c"]}))
print(sorted({len(w) for w in "one three five seven".split()}))
s = {(x, y) for x in range(3) for y in range(3) if x < y}
print(sorted(s), len(s))
print({c for c in "aaa"}, set() == {x for x in []})

records = [{"name": "b", "age": 30}, {"name": "a", "age": 30}, {"name": "c", "age": 20}]
print([r["name"] for r in sorted(records, key=lambda r: r["age"])])
print([r["name"] for r in sorted(records, key=lambda r: (r["age"], r["name"]))])
print([r["name"] for r in sorted(records, key=lambda r: (-r["age"], r["name"]))])
words = ["bb", "a", "ccc", "dd"]
print(max(words, key=lambda w: len(w)), min(words, key=lambda w: (len(w), w)))
pts = [(1, 5), (3, 1), (2, 2)]
print(sorted(pts, key=lambda p: p[0] ** 2 + p[1] ** 2))

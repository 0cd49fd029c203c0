d = {"one": 1, "two": 2, "three": 3}
for k in d:
    print(k, d[k])
for k, v in d.items():
    print(k, "->", v)
print(sum(d.values()), max(d, key=d.get), sorted(d, key=lambda k: d[k], reverse=True))
print(list(reversed(d)), list(enumerate(d)))
keys = d.keys()
d["four"] = 4
print(list(keys), len(keys), "four" in keys)
try:
    for k in d:
        d["new" + k] = 0
except RuntimeError as e:
    print("RuntimeError:", e)

d = {}
for k in ["z", "a", "m", "b"]:
    d[k] = len(d)
print(d)
d["a"] = 99
print(d)
del d["z"]
d["z"] = 0
print(d)
d2 = {"b": 1, "a": 2}
print(d2 == {"a": 2, "b": 1}, list(d2) == list({"a": 2, "b": 1}))
print(dict(sorted(d.items())))
print({**d2, "c": 3, "b": 10})
print(d2 | {"z": 1}, {"a": 0} | d2)
d2 |= {"q": 5}
print(d2)

d = {"a": 1, "b": 2}
d["c"] = 3
d["a"] = 10
print(d, len(d), d["b"])
print("a" in d, "z" in d, 1 in d, "z" not in d)
del d["b"]
print(d, list(d), list(d.keys()), list(d.values()), list(d.items()))
print(dict(), dict(x=1, y=2), dict([("k", "v"), ("k2", "v2")]), dict({"a": 1}, b=2))
print({}, {1: "one", 2.5: "float", (1, 2): "tuple", None: "none", True: "bool"})
d2 = dict.fromkeys(["p", "q"], 0)
print(d2, dict.fromkeys("ab"))

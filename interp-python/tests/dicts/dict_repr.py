print({}, {"a": 1}, {1: "x", 2: ["y"]}, {(1,): {2: {}}})
d = {}
d["self"] = d
print(d)
print(repr({"q'": 'd"'}), str({None: True}))
print(dict(zip("abc", range(3))), dict(enumerate("xy")))
print({k: k * 2 for k in range(4)})
print(len(repr({i: i for i in range(10)})))

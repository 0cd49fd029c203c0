print(str(1), str(-1.5), str(True), str(None), str([1, "a"]), str((1,)), str({"k": "v"}))
print(repr("x"), repr(1), repr([1, "a"]), repr(("a",)))
print(str("already"), str(), repr(str()))
print(str(b"bytes"), str(3e20), str(1e-7))
print(str(range(3)), str(set()), str({1}), str(()))
class P:
    def __str__(self):
        return "P-str"
    def __repr__(self):
        return "P-repr"
p = P()
print(str(p), repr(p), [p], (p,), {"p": p})
print("%s %r" % (p, p), f"{p} {p!r}")

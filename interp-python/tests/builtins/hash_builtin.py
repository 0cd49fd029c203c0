for n in [0, 1, -1, -2, 42, 10 ** 6, -(10 ** 6), 2 ** 61 - 2]:
    print(n, hash(n))
print(hash(True), hash(False), hash(1.0), hash(0.5), hash(-0.0))
s1 = "hello"
s2 = "".join(["he", "llo"])
print(hash(s1) == hash(s2), hash("") == hash(""), hash("a") != hash("b"))
t1 = (1, "a", (2, 3))
t2 = (1, "a", (2, 3))
print(hash(t1) == hash(t2), hash((1, 2)) == hash((1, 2)), hash(()) == hash(()))
print(hash(frozenset([1, 2])) == hash(frozenset([2, 1])))
for v in [[1], {1: 2}, {1}]:
    try:
        hash(v)
    except TypeError as e:
        print("TypeError:", e)
print(type(hash("x")).__name__)

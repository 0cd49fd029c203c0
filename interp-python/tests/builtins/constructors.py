print(str(), str(123), str(1.5), str([1]), str(b"x", "ascii"))
print(int(), int("12"), int(3.99), int("-0b11", 0), int(True))
print(float(), float("1e3"), float(2), float(" 3.5 "))
print(bool(), bool(0), bool("x"), bool([]), bool([0]))
print(list(), list("abc"), list((1, 2)), list({"a": 1}), list(range(3)))
print(dict(), dict(a=1), dict([("b", 2)]), dict({"c": 3}, d=4), dict(zip("xy", [1, 2])))
print(sorted(set("hello")), set(), set([1, 1]), frozenset("aa"))
print(tuple(), tuple([1, 2]), tuple("ab"), tuple(range(2)))
for bad in [lambda: list(1), lambda: dict([1]), lambda: dict([(1, 2, 3)]), lambda: tuple(None), lambda: set(5)]:
    try:
        bad()
    except (TypeError, ValueError) as e:
        print(type(e).__name__ + ":", e)

vals = [1, -2.5, "str", "it's", b"\x00b", [1, "a"], (1,), {"k": [None]}, set(), True, None, range(3), 1e100, -0.0]
for v in vals:
    print(repr(v))
print(repr(repr("x")), repr(str(5)), repr([1, "x", 2.5]) == "[1, 'x', 2.5]")
print(ascii("héllo"), ascii(["€"]))
print(repr(print).startswith("<built-in function print"), repr(int))

print(1 + 2.0, 3 * 1.5, 7 - 0.5, 2 ** 0.0)
print(1 == 1.0, 2 < 2.5, 3 >= 3.0, -1 != -1.0)
print(hash(1) == hash(1.0), hash(0) == hash(0.0) == hash(-0.0))
print(10 ** 20 == 1e20, 10 ** 16 + 1 == 1e16)
print(type(1 + 1.0).__name__, type(True + 1.5).__name__)
d = {1: "int"}
d[1.0] = "float"
print(d)
print(sum([1, 2.5, 3]), sum([0.1] * 3), max(1, 1.0), min(2.0, 2))
print(sorted([3, 1.5, 2, 0.5, -1]))
print(int(7.0) == 7.0, float(7) == 7)

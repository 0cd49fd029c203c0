data = [5, 2, 8, 1, 9, 3]
print(sorted(data), sorted(data, reverse=True), data)
print(sorted("python"), sorted((3, 1, 2)), sorted({"b": 1, "a": 2}), sorted({5, 3, 4}))
print(sorted(["bb", "a", "ccc"], key=len, reverse=True))
print(sorted([-3, 1, -2], key=abs), sorted([], reverse=True))
print(list(reversed(data)), list(reversed("abc")), list(reversed(range(3))), list(reversed((1, 2))))
try:
    reversed({1, 2})
except TypeError as e:
    print("TypeError:", e)
r = reversed([1, 2, 3])
print(next(r), list(r))
stable = sorted([("a", 2), ("b", 1), ("c", 2), ("d", 1)], key=lambda p: p[1], reverse=True)
print(stable)

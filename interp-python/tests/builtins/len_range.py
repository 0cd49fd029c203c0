print(len(""), len("abc"), len([1, 2]), len((1,)), len({1: 2}), len({1, 2, 3}), len(range(10)), len(b"xy"))
print(list(range(5)), list(range(2, 8)), list(range(0, 10, 3)), list(range(10, 0, -3)))
print(list(range(-5)), list(range(5, -5, -2)))
r = range(1, 10, 2)
print(len(r), r[1], r[-1], 7 in r, 8 in r)
try:
    len(42)
except TypeError as e:
    print("TypeError:", e)
class Sized:
    def __len__(self):
        return 7
print(len(Sized()))

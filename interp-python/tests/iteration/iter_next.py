it = iter([1, 2, 3])
print(next(it), next(it), next(it))
try:
    next(it)
except StopIteration:
    print("StopIteration raised")
print(next(it, "default"), next(iter([]), None))
s = iter("ab")
print(next(s), list(s), list(s))
d = iter({"k1": 1, "k2": 2})
print(next(d), next(d))
try:
    next([1, 2])
except TypeError as e:
    print("TypeError:", e)
try:
    iter(5)
except TypeError as e:
    print("TypeError:", e)
i1 = iter([1])
print(iter(i1) is i1)

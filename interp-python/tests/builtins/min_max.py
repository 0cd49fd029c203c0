print(min(3, 1, 2), max(3, 1, 2), min([4, 5]), max("hello"), min("b", "a", "c"))
print(max([1, -5, 3], key=abs), min(["aa", "b", "ccc"], key=len))
print(max([], default=None), min((), default="empty"))
print(max([2, 2.0]), max([2.0, 2]), min(1, True), max(0, False))
print(max([(1, "b"), (1, "a")]), min({3: "x", 1: "y"}))
print(max(x * x for x in range(-3, 3)))
for bad in [lambda: max(), lambda: min([]), lambda: max(1)]:
    try:
        bad()
    except (TypeError, ValueError) as e:
        print(type(e).__name__ + ":", e)

print((1, 2) < (1, 3), (1, 2) < (1, 2, 0), (2,) > (1, 100), () < (0,))
print((1, 2) == (1, 2), (1, 2) == [1, 2], (1, (2,)) == (1, (2,)))
print(sorted([(2, "b"), (1, "z"), (2, "a"), (1,)]))
print(max((1, "a"), (1, "b")), min([(3, 0), (2, 9)]))
print((1, 2.0) == (1.0, 2), (float("nan"),) == (float("nan"),))
x = float("nan")
print((x,) == (x,))
try:
    (1, "a") < (1, 2)
except TypeError as e:
    print("TypeError:", e)

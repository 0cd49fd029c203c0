sq = lambda x: x * x
add = lambda a, b=10: a + b
print(sq(7), add(1), add(1, 2), (lambda: "noargs")())
print((lambda *a, **k: (a, k))(1, 2, x=3))
print(sorted([3, -1, 2], key=lambda v: -v), list(map(lambda s: s.upper(), ["a", "b"])))
print(list(filter(lambda x: x % 3 == 0, range(10))))
f = lambda n: 1 if n <= 1 else n * f(n - 1)
print(f(10), sq.__name__, type(sq).__name__)
print((lambda x: (lambda y: x + y))(3)(4))
cond = lambda x: "big" if x > 10 else "small"
print(cond(5), cond(50))

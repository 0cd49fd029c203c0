def g():
    yield from [3, 1, 2]
print(sorted(g()), list(reversed(list(g()))), max(g()), min(g()), sum(g()))
print(tuple(g()), set(g()) == {1, 2, 3}, dict.fromkeys(g()), any(g()), all(g()))
print("-".join(str(x) for x in g()), list(enumerate(g())))
print(sorted(g(), reverse=True), len(list(g())))
a, b, c = g()
print(a, b, c)
print([*g(), *g()], {*g()} == {1, 2, 3})

d = {}
for i in [5, -3, 100, 0, 2**40, -1]:
    d[i] = i * i
print(d)
print(d[2**40], d.get(-1), d.get(-2))
print(sorted(d), sorted(d.values()))
d[1.0] = "one"
d[True] = "true"
print(d[1], len(d))
squares = dict((x, x ** 2) for x in range(6))
print(squares, sum(squares.values()))
print({-1: 1, -2: 2}[-2], {0: "z"}[False])

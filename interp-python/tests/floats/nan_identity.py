import math
x = float("nan")
y = float("nan")
print(x is x, x is y, x == x, x != x)
print(x in [x], x in [y], y in (1, 2, y), [x] == [x], [x] == [y], (x, 1) == (x, 1), (x,) == (y,))
print(len({x, x}), len({x, y}), len({float("nan") for _ in range(3)}))
d = {x: 1, y: 2}
print(len(d), d[x], d[y], x in d, float("nan") in d)
print([x, y, x].count(x), [1, y, x].index(x), (y, x).index(y))
print(math.nan is math.nan, math.nan == math.nan, [math.nan] == [math.nan])
z = x
print(z is x, {"a": x} == {"a": x}, {"a": x} == {"a": y})
print(math.copysign(1.0, float("-nan")), math.copysign(1.0, float("nan")), float("-nan"))
print(math.isnan(x + 1), x * 0 == x * 0, max(x, 1.0) is x)
print(float.fromhex("nan") is float.fromhex("nan"), [float("nan")].count(float("nan")))

import math
inf = float("inf")
nan = float("nan")
print(inf, -inf, nan)
print(inf + 1, inf * -2, inf - inf, inf * 0)
print(nan == nan, nan != nan, nan < 1, nan > 1)
print(math.isnan(nan), math.isinf(-inf), math.isfinite(1.0), math.isfinite(inf))
print(inf > 10 ** 400, -inf < -(10 ** 400), inf == inf)
print(1 / inf, -1 / inf)
print(max(1.0, inf), min(-inf, 0))
print(repr(float("-nan")), float("Infinity"), float("-INF"))
lst = [nan]
print(nan in lst, lst == lst, [nan] == [float("nan")])
print(math.copysign(1.0, -0.0), math.copysign(3, -inf))

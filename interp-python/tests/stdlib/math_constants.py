import math
print(math.pi, math.e, math.tau)
print(math.inf, -math.inf, math.isnan(math.nan), math.inf == float("inf"))
print(round(math.pi, 5), f"{math.e:.10f}", math.tau == 2 * math.pi)
print(math.pi * 2 == math.tau, math.pi > 3.14159 > 3)
print(type(math.pi).__name__, math.floor(math.pi), math.ceil(math.e))

import math
print(math.sqrt(16), math.sqrt(2), math.pow(2, 10), math.exp(0), math.exp(1) == math.e)
print(math.log(math.e), math.log(100, 10), math.log10(1000), math.log2(1024), math.log(8, 2))
print(math.sin(0), math.cos(0), round(math.sin(math.pi / 2), 12), round(math.cos(math.pi), 12))
print(round(math.tan(math.pi / 4), 12), math.atan2(1, 1) == math.pi / 4, math.atan(1) * 4 == math.pi)
print(math.hypot(3, 4), math.hypot(5, 12), math.degrees(math.pi), math.radians(180) == math.pi)
print(math.asin(1) * 2 == math.pi, math.acos(1), round(math.sinh(1), 10), math.cosh(0))
print(math.dist((0, 0), (3, 4)), round(math.log1p(1e-10), 20), math.expm1(0))

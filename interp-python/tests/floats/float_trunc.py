import math
for x in [2.5, -2.5, 3.0, -0.1, 0.9, 1e15 + 0.5]:
    print(x, math.floor(x), math.ceil(x), math.trunc(x), int(x))
print(type(math.floor(2.5)).__name__, type(math.ceil(2.5)).__name__)
print(math.floor(-0.0), math.ceil(-0.5))
print(math.modf(3.75), math.modf(-2.5))
print(math.fmod(-7.0, 3.0), -7.0 % 3.0)

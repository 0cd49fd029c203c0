import math
n = 10 ** 100
r = math.isqrt(n)
print(r == 10 ** 50, r)
def isqrt(x):
    if x < 2:
        return x
    y = x
    z = (y + 1) // 2
    while z < y:
        y = z
        z = (y + x // y) // 2
    return y
for v in [2, 10 ** 41 + 3, 2 ** 201, 12345678901234567890123]:
    print(v, isqrt(v), isqrt(v) == math.isqrt(v))
print(math.isqrt(2 * 10 ** 60))

import math
a = 2 ** 120 * 3 ** 50 * 7
b = 2 ** 90 * 3 ** 80 * 11
g = math.gcd(a, b)
print(g == 2 ** 90 * 3 ** 50, g)
def egcd(x, y):
    while y:
        x, y = y, x % y
    return x
print(egcd(a, b) == g)
print(math.gcd(0, 10 ** 30), math.gcd(-(10 ** 20), 10 ** 15))
print(math.lcm(2 ** 40, 3 ** 20, 10))
print(a * b // g == math.lcm(a, b))

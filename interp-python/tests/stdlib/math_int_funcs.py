import math
print(math.factorial(0), math.factorial(10), math.factorial(30))
print(math.gcd(12, 18), math.gcd(0, 5), math.gcd(-4, 6), math.gcd(), math.gcd(12, 18, 27))
print(math.lcm(4, 6), math.lcm(3, 5, 7), math.lcm())
print(math.comb(5, 2), math.comb(52, 5), math.comb(10, 0), math.comb(3, 5))
print(math.perm(5, 2), math.perm(5), math.perm(3, 5))
print(math.isqrt(0), math.isqrt(15), math.isqrt(16), math.isqrt(10 ** 20 + 1))
print(math.prod([1, 2, 3, 4]), math.prod([]), math.prod([2.5, 2]), math.prod(range(1, 21), start=2))
print(math.floor(-3.5), math.ceil(-3.5), math.trunc(-3.5), math.floor(7), type(math.floor(1.5)).__name__)

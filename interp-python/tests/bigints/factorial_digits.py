import math
f = 1
for i in range(2, 501):
    f *= i
s = str(f)
print(len(s))
print(sum(int(c) for c in s))
print(len(s) - len(s.rstrip("0")))
print(f == math.factorial(500))
print(s[:30])
print(f % 1000000007)
g = f // math.factorial(498)
print(g, 500 * 499)

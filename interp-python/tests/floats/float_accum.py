import math
total = 0.0
for _ in range(10):
    total += 0.1
print(total, total == 1.0, math.isclose(total, 1.0))
print(math.fsum([0.1] * 10), sum([0.1] * 10))
print(math.isclose(1.0, 1.0 + 1e-10), math.isclose(1.0, 1.1), math.isclose(0.0, 1e-12, abs_tol=1e-9))
acc = 1.0
for i in range(1, 21):
    acc *= i
print(acc, acc == math.factorial(20))
h = 0.0
for k in range(1, 1001):
    h += 1.0 / k
print(round(h, 10))

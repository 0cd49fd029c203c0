data = [1, 4, 9, 16, 25]
print([y for x in data if (y := x % 7) > 2])
print(y)
values = [(s, l) for s in ["ab", "abcd", "a"] if (l := len(s)) > 1]
print(values)
import math
roots = {n: r for n in range(20) if (r := math.isqrt(n)) ** 2 == n}
print(roots)
total = 0
running = [total := total + v for v in range(1, 6)]
print(running, total)

# Digits of pi with Gibbons' unbounded spigot (a generator over big-integer
# linear fractional transformations), printed ten per line with a running
# count. Usage: pidigits.py [digits]
import sys


def pi_digits():
    q, r, t, k, m, x = 1, 0, 1, 1, 3, 3
    while True:
        if 4 * q + r - t < m * t:
            yield m
            q, r, m = 10 * q, 10 * (r - m * t), (10 * (3 * q + r)) // t - 10 * m
        else:
            q, r, t, k, m, x = (q * k, (2 * q + r) * x, t * x, k + 1,
                                (q * (7 * k + 2) + r * x) // (t * x), x + 2)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 6000
    line = []
    digits_sum = 0
    for i, d in enumerate(pi_digits(), 1):
        line.append(str(d))
        digits_sum += d
        if i % 10 == 0 or i == n:
            print(f"{''.join(line):<10}\t:{i}")
            line = []
        if i == n:
            break
    print(f"sum of digits: {digits_sum}")


main()

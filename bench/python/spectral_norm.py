# Spectral norm of the infinite matrix A with a(i, j) = 1 / ((i+j)(i+j+1)/2 + i + 1),
# by the power method on A^T A. Usage: spectral_norm.py [n]
import sys


def a(i, j):
    s = i + j
    return 1.0 / (s * (s + 1) // 2 + i + 1)


def mul_av(v, n):
    out = []
    for i in range(n):
        acc = 0.0
        for j in range(n):
            acc += a(i, j) * v[j]
        out.append(acc)
    return out


def mul_atv(v, n):
    return [sum(a(j, i) * v[j] for j in range(n)) for i in range(n)]


def mul_atav(v, n):
    return mul_atv(mul_av(v, n), n)


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    u = [1.0] * n
    v = u
    for _ in range(10):
        v = mul_atav(u, n)
        u = mul_atav(v, n)
    vbv = vv = 0.0
    for ui, vi in zip(u, v):
        vbv += ui * vi
        vv += vi * vi
    print(f"n={n}")
    print("%0.9f" % ((vbv / vv) ** 0.5))


main()

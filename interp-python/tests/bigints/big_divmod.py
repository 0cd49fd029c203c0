n = 3 ** 300
for d in [7, -7, 1000000007, -(10 ** 30), 2 ** 100]:
    q, r = divmod(n, d)
    print(d, r, q * d + r == n)
m = -(5 ** 200)
q, r = divmod(m, 12345678901234567890)
print(q, r)
print(q * 12345678901234567890 + r == m)
print(m % 10, m // 10 ** 130)

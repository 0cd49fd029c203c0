n = 2 ** 10000
print(n % 1000007)
print(pow(2, 10000, 1000007))
print(len(str(n)))
print(str(n)[:20], str(n)[-20:])
print(n.bit_length(), n % 10, n // 2 ** 9990)
m = 3 ** 5000
print(m % 1000000007, len(str(m)))
print((n * m) % 999983 == (n % 999983) * (m % 999983) % 999983)

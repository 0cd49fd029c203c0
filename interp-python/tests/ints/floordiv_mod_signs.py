pairs = [(7, 3), (-7, 3), (7, -3), (-7, -3), (0, 5), (6, 3), (-6, 3), (1, 100), (-1, 100)]
for a, b in pairs:
    q, r = a // b, a % b
    print(a, b, q, r, divmod(a, b), q * b + r == a)
print(divmod(-100, 7), divmod(100, -7))
print(-1 % 2, -2 % 2, 5 % -2)

a, b = 1, 2
print(a, b)
a, b = b, a
print(a, b)
x, y, z = "xyz"
print(x, y, z)
(p, q), r = (1, 2), 3
print(p, q, r)
[m, n] = [10, 20]
print(m, n)
for i, (c, d) in enumerate([("a", 1), ("b", 2)]):
    print(i, c, d)
k, = [99]
print(k)
a = b = c = 7
print(a, b, c)

orig = [[1], [2], [3]]
shallow = orig[:]
shallow[0] = ["replaced"]
shallow[1].append("shared")
print(orig, shallow)
s = "immutable"
print(s[:] is s or s[:] == s)
t = (1, 2, 3)
print(t[:] == t, t[0:2] + t[2:] == t)
b = b"bytes"
print(b[1:3], b[::-1], b[-1:], b[:-10])
n = list(range(5))
print(n[1:-1], n[-1:1], n[-1:1:-1], n[len(n):], n[:len(n) + 5])

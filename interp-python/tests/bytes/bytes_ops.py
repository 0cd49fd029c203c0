a, b = b"abc", b"xyz"
print(a + b, a * 2, 2 * b, a * 0)
print(a < b, b"ab" < b"abc", b"b" > b"abc", a == b"abc", a != b)
print(98 in a, b"bc" in a, b"cb" in a, b"" in a)
print(a[1:], a[::-1], a[:0], type(a[1:]).__name__)
print([x for x in a], sum(a), max(b), sorted(b"cab"))
print(list(reversed(a)), a.index(99), b"aaa".count(b"a"))
print(hash(b"abc") == hash(b"abc"), {b"k": 1}[b"k"])
print(bytes(reversed(b"123")), b"%d" % 5)

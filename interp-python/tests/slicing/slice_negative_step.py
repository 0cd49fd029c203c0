s = "abcdefghij"
for args in [(None, None, -1), (8, 2, -1), (8, 2, -2), (-1, -5, -1), (2, 8, -1), (None, 3, -1), (3, None, -1), (-100, None, -1), (None, -100, -2)]:
    print(args, repr(s[slice(*args)]))
print(list(range(10))[::-4], tuple(range(6))[-2::-2])
b = b"bytes!"
print(b[::-1], b[-2::-2], b[4:0:-1])
t = tuple("abcdef")
print(t[::-2], t[-1:-4:-1], t[1:-1][::-1])

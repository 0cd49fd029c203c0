a = list("abcdefgh")
a[1:3] = ["X"]
print("".join(a))
a[-2:] = []
print("".join(a))
a[2:2] = list("123")
print("".join(a))
del a[::2]
print("".join(a))
b = list(range(8))
b[::2] = "ABCD"
print(b)
b[::-1] = range(8)
print(b)
del b[-3:]
del b[:1]
print(b)
try:
    b[::2] = [1, 2, 3, 4, 5]
except ValueError as e:
    print("ValueError:", e)
